"""10,000 contributions check clean, and fast enough to run on every pull request."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

from conftest import TODAY, validate, write_ledger

N = 10_000
TIERS_LIEUX = [f"tiers-lieu-{i}" for i in range(25)]
COMMONS = ["dokos", "movilab", "loot", "communecter"]


def test_ten_thousand_contributions(tmp_path):
    root = write_ledger(
        tmp_path,
        {
            **{
                f"ledger/contributors/{t}.yaml": f"name: Tiers-lieu {t}\nkind: tiers-lieu\n"
                for t in TIERS_LIEUX
            },
            "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
            **{
                f"commons/{c}.yaml": f"name: {c.title()}\nneeds:\n  - id: v2\n    title: V2\n"
                "    amount: 40000\n"
                for c in COMMONS
            },
            "ledger/programmes/pilote-2026.yaml": (
                "name: Pilote\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2026-12-31\n"
                "envelope: 100000\nallocation: pro-rata\n"
            ),
        },
    )
    start = date(2026, 1, 1)
    expected_total = Decimal(0)
    for month in range(1, 13):
        (root / f"ledger/contributions/2026/{month:02d}").mkdir(parents=True)
    for i in range(N):
        day = start + timedelta(days=i % 332)  # 2026-01-01 .. 2026-11-28
        amount = f"{1 + i % 997}.{i % 100:02d}"
        expected_total += Decimal(amount)
        need = "need: v2\n" if i % 3 == 0 else ""
        text = (
            f"date: {day}\ncontributor: {TIERS_LIEUX[i % 25]}\ncommon: {COMMONS[i % 4]}\n"
            f"{need}amount: {amount}\nreference: FAC-{i:05d}\n"
        )
        path = root / f"ledger/contributions/2026/{day.month:02d}/{day}-c{i:05d}.yaml"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    started = time.perf_counter()
    loaded = validate(root, TODAY)
    elapsed = time.perf_counter() - started

    assert loaded.problems == []
    assert len(loaded.ledger.contributions) == N
    assert loaded.files == N + 25 + 1 + 4 + 1
    assert sum(c.amount for c in loaded.ledger.contributions) == expected_total
    assert max(c.date for c in loaded.ledger.contributions) == TODAY
    assert elapsed < 30, f"validate took {elapsed:.1f} s"
