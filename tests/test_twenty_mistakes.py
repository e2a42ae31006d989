"""A ledger seeded with 41 mistakes (40 different codes) gets every one reported, in one run.

The fixture tests/fixtures/twenty-mistakes/ is a whole ledger: good records (la-ruche, etat,
dokos, two pledges...) and broken ones. The list below was written by reading the files.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from cofi.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "twenty-mistakes"
C = "ledger/contributions/2026/"

EXPECTED = [
    # commons
    ("commons/coopcycle.yaml", 2, "S005"),  # stewards: coopcycle, not a list
    ("commons/loot.yml", 1, "F002"),  # .yml is not read
    ("commons/movilab.yaml", 6, "L009"),  # need `wiki` twice
    # contributions
    (C + "2026-03-10-annule.yaml", 1, "L010"),  # reversal dated before its target
    (C + "2026-03-20-la-ruche-dokos.yaml", 4, "R003"),  # need booking-v3
    (C + "2026-03-20-la-ruche-dokos.yaml", 6, "L011"),  # currency: USD
    (C + "2026-03-26-annule-encore.yaml", 2, "L004"),  # 03-20 already reversed on 03-25
    (C + "2026-03-27-annule-annulation.yaml", 2, "L005"),  # reverses a reversal
    (C + "2026-04-01-annule.yaml", 2, "R006"),  # reverses an entry that does not exist
    (C + "2026-04-02-la-rushe-dokos.yaml", 2, "R001"),  # la-rushe
    (C + "2026-04-10-la-ruche-communecter.yaml", 3, "R002"),  # no commons/communecter.yaml
    (C + "2026-05-01-la-ruche-dokos.yaml", 3, "L006"),  # honours a pledge to movilab
    (C + "2026-05-05-la-ruche-dokos.yaml", 5, "R005"),  # pledge la-ruche-dokos-2025
    (C + "2026-06-01-la-ruche-dokos.yaml", 1, "L007"),  # dated 2026-12-15
    (C + "2026-06-15-la-ruche-dokos.yaml", 1, "S004"),  # 2026-06-31
    (C + "2026-06-15-la-ruche-dokos.yaml", 3, "S008"),  # common: Dokos
    (C + "2026-06-15-la-ruche-dokos.yaml", 4, "S003"),  # amount: 1 200
    (C + "2026-06-15-la-ruche-dokos.yaml", 5, "S010"),  # currency: euros
    (C + "2026-06-15-la-ruche-dokos.yaml", 6, "S013"),  # reference: a list
    (C + "2026-06-15-la-ruche-dokos.yaml", 7, "S012"),  # note: ''
    (C + "2026-07-01-la-ruche-dokos.yaml", 6, "Y006"),  # amount twice
    (C + "2026-07-02-la-ruche-dokos.yaml", 2, "Y007"),  # &qui
    (C + "2026-07-03-la-ruche-dokos.yaml", 4, "Y008"),  # !!float
    (C + "2026-07-04-la-ruche-dokos.yaml", 3, "Y004"),  # indented `common:`
    (C + "2026-07-05-la-ruche-dokos.yaml", 1, "Y003"),  # empty
    (C + "2026-07-06-la-ruche-dokos.yaml", 1, "Y005"),  # a list
    (C + "2026-07-07-la-ruche-dokos.yaml", 5, "Y001"),  # Latin-1 "déjà payé"
    (C + "2026-07-08-la-ruche-dokos.yaml", 5, "Y010"),  # [note, reference]: x
    # contributors
    ("ledger/contributors/Tiers_Lieu.yaml", 1, "F001"),
    ("ledger/contributors/fablab-nord.yaml", 2, "S006"),  # kind: tiers-lieux
    ("ledger/contributors/fablab-nord.yaml", 3, "S007"),  # SIRET fails Luhn
    # `knd:` is reported once, as unknown with `kind` suggested, not also as a missing kind
    ("ledger/contributors/le-hangar.yaml", 2, "S001"),
    # disbursements, pledges, programmes
    ("ledger/disbursements/etat-dokos-1.yaml", 2, "R004"),  # programme pilote-2027
    ("ledger/pledges/2026-03-14-la-ruche-dokos.yaml", 1, "L001"),  # a contribution's id
    ("ledger/pledges/2026-05-02-annule.yaml", 2, "L003"),  # reverses a contribution
    ("ledger/programmes/pilote-2026.yaml", 2, "L002"),  # funder la-ruche is a tiers-lieu
    ("ledger/programmes/pilote-2026.yaml", 5, "L008"),  # starts after it ends
    ("ledger/programmes/region-2026.yaml", 3, "S009"),  # ratio: 0,5
    ("ledger/programmes/region-2026.yaml", 8, "S011"),  # exclude_stewards: oui
    ("ledger/programmes/region-2026.yaml", 10, "S001"),  # caps: per_contributer
]

LINE = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]\d{3}) ")


def reported(result) -> list[tuple[str, int, str]]:
    found = []
    for line in result.stdout.splitlines():
        if line.startswith("    hint: "):
            continue
        m = LINE.match(line)
        assert m, f"not a problem line: {line!r}"
        found.append((m["path"], int(m["line"]), m["code"]))
    return found


def test_every_mistake_is_reported_with_its_line_in_one_run(tmp_path, monkeypatch):
    monkeypatch.setenv("COFI_CACHE_DIR", str(tmp_path))
    args = ["check", "--root", str(FIXTURE), "--as-of", "2026-11-28"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert sorted(reported(result)) == sorted(EXPECTED)
    assert len({code for _, _, code in EXPECTED}) >= 20
    assert f"{len(EXPECTED)} errors" in result.stderr
    # a second run, served from the record cache, reports exactly the same
    again = CliRunner().invoke(app, args)
    assert (again.exit_code, again.stdout) == (1, result.stdout)
