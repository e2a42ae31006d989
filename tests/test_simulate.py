"""`cofi simulate` (SPEC §2b): a scenario programme from a file anywhere on disk or from
--set overrides, checked like a ledger's programme, computed on the ledger's
contributions; the figures are worked out by hand, and nothing is written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from cofi.cli import app

AS_OF = "2026-11-28"

LEDGER = {
    "ledger/contributors/t1.yaml": "name: T1\nkind: tiers-lieu\n",
    "ledger/contributors/t2.yaml": "name: T2\nkind: tiers-lieu\n",
    "ledger/contributors/t3.yaml": "name: T3\nkind: tiers-lieu\n",
    "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
    "commons/dokos.yaml": (
        "name: Dokos\nneeds:\n  - {id: booking, title: Réservation, amount: 1000}\n"
    ),
    "commons/movilab.yaml": "name: Movilab\n",
    "ledger/programmes/p.yaml": (
        "name: P\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2026-09-30\n"
        "envelope: 1000\nallocation: first-come\n"
    ),
    "ledger/contributions/a.yaml": "{date: 2026-03-01, contributor: t1, common: dokos, "
    "amount: 300, need: booking}\n",
    "ledger/contributions/b.yaml": "{date: 2026-03-02, contributor: t2, common: movilab, "
    "amount: 400}\n",
    "ledger/contributions/c.yaml": "{date: 2026-03-03, contributor: t3, common: movilab, "
    "amount: 100}\n",
}


def cofi(root: Path, *args: str):
    return CliRunner().invoke(app, ["simulate", *args, "--root", str(root), "--as-of", AS_OF])


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_set_overrides_a_ledger_programme_and_writes_nothing(ledger_dir):
    root = ledger_dir(LEDGER)
    before = snapshot(root)
    result = cofi(root, "--programme", "p", "--set", "ratio=2", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # today (ratio 1, first-come, envelope 1000): a 300, b 400, c 100 → dokos 300, movilab 500
    # ratio 2: a 600 (400 left), b min(800, 400) = 400 (0 left), c 0 → dokos 600, movilab 400
    assert [
        (r["common"], r["contributed"], r["matched_today"], r["matched"], r["difference"])
        for r in rows(result.stdout)
    ] == [
        ("dokos", "300.00", "300.00", "600.00", "300.00"),
        ("movilab", "500.00", "500.00", "400.00", "-100.00"),
    ]
    assert "today: envelope 1,000.00, allocated 800.00, left 200.00" in result.stderr
    assert "under the scenario: envelope 1,000.00, allocated 1,000.00, left 0.00" in result.stderr
    assert snapshot(root) == before  # nothing written


def test_several_sets_and_a_nested_key(ledger_dir):
    root = ledger_dir(LEDGER)
    result = cofi(
        root, "-p", "p", "--set", "allocation=pro-rata", "--set", "caps.per_common=200",
        "--set", "envelope=300", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # pro-rata: dokos 300 > 200 → 200; movilab 500 > 200 → b 160, c 40; total 400 > 300
    # → × 3/4: dokos 150, movilab b 120 + c 30 = 150
    assert [(r["common"], r["matched"], r["difference"]) for r in data] == [
        ("dokos", "150.00", "-150.00"),
        ("movilab", "150.00", "-350.00"),
    ]


def test_a_programme_file_anywhere_on_disk(ledger_dir, tmp_path):
    root = ledger_dir(LEDGER)
    scenario = tmp_path / "elsewhere" / "qf.yaml"
    scenario.parent.mkdir()
    scenario.write_text(
        "name: QF\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2026-09-30\n"
        "envelope: 1000\nallocation: quadratic\n"
    )
    result = cofi(root, str(scenario), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # no programme qf today: nothing to compare. dokos has one contributor: raw 0;
    # movilab: (√400 + √100)² − 500 = 900 − 500 = 400 ≤ 1000; t2's part r(S − r) = 20 × 10,
    # t3's 10 × 20: 200 each
    assert [
        (r["common"], r["matched_today"], r["matched"], r["difference"])
        for r in rows(result.stdout)
    ] == [("dokos", "", "0.00", ""), ("movilab", "", "400.00", "")]


def test_a_file_with_the_id_of_a_ledger_programme_is_compared_with_it(ledger_dir, tmp_path):
    root = ledger_dir(LEDGER)
    scenario = tmp_path / "p.yaml"
    scenario.write_text(
        (root / "ledger/programmes/p.yaml").read_text() + "caps: {per_need_share: 0.1}\n"
    )
    result = cofi(root, str(scenario), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # booking's ceiling 0.1 × 1000 = 100: a min(300, 100) = 100
    assert [(r["common"], r["matched_today"], r["matched"]) for r in rows(result.stdout)] == [
        ("dokos", "300.00", "100.00"),
        ("movilab", "500.00", "500.00"),
    ]


def test_a_broken_file_is_reported_like_a_ledger_programme(ledger_dir, tmp_path):
    root = ledger_dir(LEDGER)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "name: S\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2025-12-31\n"
        "envelope: 100\nallocation: quadratic\ncaps: {per_contributor: 5}\n"
    )
    result = cofi(root, str(scenario))
    assert result.exit_code == 1
    # line 5 `end: ` value at column 6; line 8 `caps: {` the key per_contributor at column 8
    assert f"{scenario}:5:6: L008 the programme starts on 2026-01-01" in result.stderr
    assert f"{scenario}:8:8: L016 a quadratic programme cannot have a cap" in result.stderr
    scenario.write_text("name: S\nfunder: etat\nratio: lots\n")
    result = cofi(root, str(scenario))
    assert result.exit_code == 1
    assert f"{scenario}:3:8: S009 'lots' is not a ratio" in result.stderr
    assert f"{scenario}:1:1: S002 missing key 'start'" in result.stderr


def test_bad_sets_are_each_reported_where_they_were_written(ledger_dir):
    root = ledger_dir(LEDGER)
    result = cofi(
        root, "-p", "p", "--set", "caps.per_comon=4", "--set", "allocation=quadratik",
        "--set", "ratio", "--set", "envelope=1e5",
    )  # fmt: skip
    assert result.exit_code == 1
    err = result.stderr
    assert "--set ratio:1:1: S001 'ratio' is not KEY=VALUE" in err
    assert "--set caps.per_comon=4:1:16: S001 unknown key 'per_comon': did you mean" in err
    assert "--set allocation=quadratik:1:12: S006 'quadratik' is not one of" in err
    assert "--set envelope=1e5:1:10: S003 '1e5' is not an amount" in err
    result = cofi(root, "-p", "p", "--set", "end=2025-12-31")
    assert result.exit_code == 1
    assert "--set end=2025-12-31:1:5: L008 the programme starts on 2026-01-01" in result.stderr


def test_usage_mistakes_exit_2(ledger_dir, tmp_path):
    root = ledger_dir(LEDGER)
    assert cofi(root).exit_code == 2  # neither a file nor --programme
    assert cofi(root, str(tmp_path / "x.yaml"), "-p", "p").exit_code == 2  # both
    result = cofi(root, "-p", "nope")
    assert result.exit_code == 2 and "unknown programme 'nope'" in result.stderr
    result = cofi(root, str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_output_file(ledger_dir, tmp_path):
    root = ledger_dir(LEDGER)
    out = tmp_path / "sim.csv"
    result = cofi(root, "-p", "p", "--set", "ratio=0.5", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # ratio 0.5: a 150, b 200, c 50
    assert [(r["common"], r["matched"]) for r in rows(out.read_text())] == [
        ("dokos", "150.00"),
        ("movilab", "250.00"),
    ]
