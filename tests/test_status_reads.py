"""`cofi status` reads right (issue 13): a common is covered as far as its needs are, and the
columns say which contributions they count."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cofi.cli import app
from conftest import base_ledger

NEEDS = (
    "name: Dokos\nneeds:\n"
    "  - {id: a, title: A, amount: 1000}\n"
    "  - {id: b, title: B, amount: 1000}\n"
)


def contribution(need: str, amount: int) -> str:
    return (
        f"date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\nneed: {need}\namount: {amount}\n"
    )


def status(root) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(
        app, ["status", "-f", "json", "--root", str(root), "--as-of", "2026-11-28"]
    )
    assert result.exit_code == 0, result.output
    return {f"{r['common']}/{r['need']}": r for r in json.loads(result.stdout)}


def test_a_surplus_on_one_need_does_not_cover_another(ledger_dir):
    """Need a: 2 × 900 (ratio 1) = 1,800 of 1,000; need b: 2 × 400 = 800 of 1,000. Together
    2,600 of 2,000, but b is short: the common is not covered 100 %."""
    root = ledger_dir(
        base_ledger(
            {
                "commons/dokos.yaml": NEEDS,
                "ledger/contributions/a.yaml": contribution("a", 900),
                "ledger/contributions/b.yaml": contribution("b", 400),
            }
        )
    )
    rows = status(root)
    assert (rows["dokos/a"]["covered"], rows["dokos/b"]["covered"]) == ("1.0000", "0.8000")
    assert rows["dokos/b"]["still_needed"] == "200.00"
    # the common: 1,000 of a + 800 of b, 200 still needed
    assert (rows["dokos/"]["covered"], rows["dokos/"]["still_needed"]) == ("0.9000", "200.00")


def test_the_columns_say_what_they_count(ledger_dir):
    root = ledger_dir(base_ledger())
    run = CliRunner().invoke
    match = run(app, ["match", "--root", str(root), "--as-of", "2026-11-28"]).stdout
    shown = run(app, ["status", "--root", str(root), "--as-of", "2026-11-28"]).stdout
    assert "Contributed (eligible)" in match and "Contributed (all)" in shown
