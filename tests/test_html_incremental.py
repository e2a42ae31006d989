"""A second `cofi report` rewrites only the pages that changed (issue 14): nothing at all
when nothing changed, and after one new contribution only the pages it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cofi.cli import app

MAIN = Path(__file__).resolve().parents[1]
NEW = "ledger/contributions/2026/2026-11-01-la-ruche-dokos-incremental.yaml"


def written(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of the report: (inode, modification time): both change on a rewrite."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def rewritten_by_one_more_contribution(tmp_path: Path) -> tuple[dict, set[str]]:
    """Report the bundled ledger twice (the second run must rewrite nothing), add a
    contribution of 2026-11-01, report again: the first files, and those rewritten."""
    ledger = tmp_path / "books"
    for top in ("commons", "ledger"):
        shutil.copytree(MAIN / top, ledger / top)
    out = tmp_path / "public"
    args = ["report", "--html", str(out), "--root", str(ledger), "--as-of", "2026-11-28"]
    assert CliRunner().invoke(app, args).exit_code == 0
    first = written(out)
    assert CliRunner().invoke(app, args).exit_code == 0
    assert written(out) == first  # nothing rewritten
    contributor = sorted((ledger / "ledger/contributors").glob("*.yaml"))[0].stem
    common = sorted((ledger / "commons").glob("*.yaml"))[0].stem
    (ledger / NEW).parent.mkdir(parents=True, exist_ok=True)
    (ledger / NEW).write_text(
        f"date: 2026-11-01\ncontributor: {contributor}\ncommon: {common}\namount: 10\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    second = written(out)
    return first, {p for p in second if first.get(p) != second[p]}


def test_a_second_report_rewrites_only_what_changed(tmp_path: Path) -> None:
    first, rewritten = rewritten_by_one_more_contribution(tmp_path)
    assert "explain/2026-11-01-la-ruche-dokos-incremental.html" in rewritten
    assert "contributions.html" in rewritten
    assert "report.css" not in rewritten and "report.js" not in rewritten
    untouched = [p for p in first if p.startswith("explain/") and p not in rewritten]
    assert untouched  # the other contributions' explanations were left alone


def test_a_large_ledgers_report_rewrites_only_the_months_that_changed(
    tmp_path: Path, monkeypatch
) -> None:
    """Paged by month (as past ONE_PAGE_EACH contributions): a new contribution of
    2026-11 rewrites that month's pages, not those of 2025, whose figures it leaves."""
    import cofi.html

    monkeypatch.setattr(cofi.html, "ONE_PAGE_EACH", 0)
    first, rewritten = rewritten_by_one_more_contribution(tmp_path)
    assert {"contributions/2026-11.html", "explain/2026-11.html"} <= rewritten
    earlier = {p for p in first if p.startswith(("contributions/2025-", "explain/2025-"))}
    assert earlier and not earlier & rewritten
