"""A ledger at every limit `cofi check` accepts, run through every command.

The limits: amounts of 12 digits before the point (999999999999.99) and of one cent,
ratios of 1000 and of 6 decimals, years 1900 and 2999, payment_days 3650, ids of 64
characters, texts of a hundred thousand characters in any script. Whatever `check`
lets through, every other command must read: exit 0 (or 1 for a ledger refused with a
reason), never a Python traceback.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cofi.cli import app, compute, new, options, output
from cofi.schema import KINDS
from conftest import write_ledger

LARGEST = "999999999999.99"


def long_id(stem: str) -> str:
    """An id of exactly 64 characters that starts with `stem`."""
    return (stem + "-" + "x" * 64)[:64]


TL, FUNDER, STEWARD = long_id("ruche"), long_id("etat"), long_id("steward")
COMMON, NEED, PROG, PROG2 = long_id("dokos"), long_id("need"), long_id("pilote"), long_id("tiny")
PLEDGE = long_id("pledge")
BIG, SMALL, KIND, LATE = long_id("c-big"), long_id("c-small"), long_id("c-kind"), long_id("c-late")
# Long texts in several scripts, with the characters a table or a page could trip on.
WORDS = "Tiers-lieu « café » 日本語 العربية ½ € <b>&amp; | ` * _ [x](y) "
LONG = (WORDS * 2000)[:100_000]
ONE_LINE = '"' + LONG.replace('"', "'") + '"'
MANY_LINES = "|\n" + "".join(f"  {WORDS} {i}\n" for i in range(1500))

LEDGER = {
    "ledger/settings.yaml": f'name: {ONE_LINE[:5000]}"\ncurrency: EUR\n'
    f"coordinators: [{'c' * 200}@example.org, {'d' * 200}]\n",
    f"ledger/contributors/{TL}.yaml": (
        f'name: {ONE_LINE}\nkind: tiers-lieu\nsiret: "73282932000074"\n'
        f'region: {ONE_LINE[:3000]}"\nidentities: [{"r" * 300}@example.org]\n'
    ),
    f"ledger/contributors/{FUNDER}.yaml": f'name: {ONE_LINE[:20000]}"\nkind: public\n',
    f"ledger/contributors/{STEWARD}.yaml": "name: S\nkind: private\n",
    f"commons/{COMMON}.yaml": (
        f'name: {ONE_LINE[:20000]}"\ndescription: {MANY_LINES}'
        f"url: https://example.org/{'a' * 5000}\nlicense: GPL-3.0-only\n"
        f"stewards: [{STEWARD}]\n"
        f'needs:\n  - id: {NEED}\n    title: {ONE_LINE[:20000]}"\n'
        f"    amount: {LARGEST}\n    due: 2999-12-31\n"
        f"  - id: {long_id('cent')}\n    title: a cent\n    amount: 0.01\n    due: 1900-01-01\n"
    ),
    f"ledger/programmes/{PROG}.yaml": (
        f'name: {ONE_LINE[:20000]}"\nfunder: {FUNDER}\nratio: 1000.000000\n'
        "in_kind_ratio: 999.999999\nstart: 1900-01-01\nend: 2999-12-31\n"
        f"envelope: {LARGEST}\nallocation: pro-rata\n"
        "eligible:\n  kinds: [tiers-lieu, network, public, private, individual]\n"
        f"  commons: [{COMMON}]\n  min_amount: 0.01\n"
        "exclude_stewards: false\n"
        f"caps:\n  per_contribution: {LARGEST}\n  per_contributor: {LARGEST}\n"
        f"  per_common: {LARGEST}\npayment_days: 3650\n"
    ),
    f"ledger/programmes/{PROG2}.yaml": (
        f"name: tiny\nfunder: {FUNDER}\nratio: 0.000001\nin_kind_ratio: 0.000001\n"
        "start: 1900-01-01\nend: 1900-01-01\nenvelope: 0.01\nallocation: first-come\n"
        "eligible:\n  min_amount: 0\ncaps:\n  per_contribution: 0.01\npayment_days: 0\n"
    ),
    f"ledger/pledges/{PLEDGE}.yaml": (
        f"date: 1900-01-01\ncontributor: {TL}\ncommon: {COMMON}\namount: {LARGEST}\n"
        f'due: 2999-12-31\nreference: {ONE_LINE[:1000]}"\nnote: {MANY_LINES}'
    ),
    f"ledger/contributions/1900/{BIG}.yaml": (
        f"date: 1900-01-01\ncontributor: {TL}\ncommon: {COMMON}\nneed: {NEED}\n"
        f"amount: {LARGEST}\npledge: {PLEDGE}\ncurrency: EUR\n"
        f'reference: {ONE_LINE[:1000]}"\nnote: {MANY_LINES}'
    ),
    f"ledger/contributions/1900/{SMALL}.yaml": (
        f"date: 1900-01-01\ncontributor: {TL}\ncommon: {COMMON}\namount: 0.01\n"
    ),
    f"ledger/contributions/2999/{KIND}.yaml": (
        f"date: 2999-12-31\ncontributor: {TL}\ncommon: {COMMON}\namount: {LARGEST}\nkind: in-kind\n"
    ),
    f"ledger/contributions/2999/{LATE}.yaml": (
        f"date: 2999-12-31\ncontributor: {TL}\ncommon: {COMMON}\namount: 0.01\n"
    ),
    f"ledger/contributions/2999/{long_id('r-late')}.yaml": (
        f'date: 2999-12-31\nreverses: {LATE}\nnote: {ONE_LINE[:2000]}"\n'
    ),
    f"ledger/disbursements/{long_id('d-big')}.yaml": (
        f"date: 2999-12-31\nprogramme: {PROG}\ncommon: {COMMON}\namount: {LARGEST}\n"
        f'reference: {ONE_LINE[:500]}"\n'
    ),
    # a cent paid on the first day, to a programme still running (paid to the ended `tiny`,
    # it would be overpaid, L017, once `cofi new` reverses BIG)
    f"ledger/disbursements/{long_id('d-cent')}.yaml": (
        f"date: 1900-01-01\nprogramme: {PROG}\ncommon: {COMMON}\namount: 0.01\n"
    ),
}
CONTRIBUTIONS = (BIG, SMALL, KIND, LATE)


def run(*args: str) -> Result:
    """A command as a user runs it; its exit is 0 or 1 and it never shows a traceback."""
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args[:2],
        repr(result.exception),
    )
    assert result.exit_code in (0, 1), (args[:2], result.exit_code, result.output[-2000:])
    return result


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("extremes") / "l", LEDGER)


class LastDay(date):
    """The clock on 2999-12-31, the last day cofi accepts: every entry has happened."""

    @classmethod
    def today(cls) -> LastDay:
        return cls(2999, 12, 31)


@pytest.fixture(autouse=True)
def in_2999(monkeypatch: pytest.MonkeyPatch) -> None:
    # `check` is told the day with --as-of; the other commands refuse an entry dated
    # after the clock's today (L007), so the clock is set to the last day of 2999.
    for module in (compute, new, options, output):
        monkeypatch.setattr(module, "date", LastDay)


# As of the last day of 2999 every entry counts; as of the first of 1900, only that day's;
# as of a day in between, the pro-rata figures are provisional.
DAYS = ("2999-12-31", "1900-01-01", "2026-11-28")


def test_check_accepts_the_ledger_at_its_limits(root: Path, tmp_path: Path) -> None:
    common = ("--root", str(root), "--as-of", "2999-12-31")
    result = run("check", *common)
    assert (result.exit_code, result.stdout) == (0, ""), result.output[-3000:]
    for form in ("text", "github", "gitlab", "json"):
        result = run("check", *common, "--format", form, "--summary", str(tmp_path / "s.md"))
        assert result.exit_code == 0


def test_check_refuses_entries_after_its_day_without_a_traceback(root: Path) -> None:
    result = run("check", "--root", str(root), "--as-of", "1900-01-01")
    assert result.exit_code == 1
    assert "L007 dated 2999-12-31, after today (1900-01-01)" in result.stdout


@pytest.mark.parametrize("day", DAYS)
def test_every_command_reads_what_check_accepted(root: Path, day: str, tmp_path: Path) -> None:
    common = ("--root", str(root), "--as-of", day)
    runs = []
    for fmt in ("table", "csv", "json"):
        runs.append(run("match", *common, "--format", fmt))
        runs.append(run("match", *common, "--by", "contribution", "--all", "--format", fmt))
        runs.append(run("obligations", *common, "--all", "--format", fmt))
        runs.append(run("status", *common, "--format", fmt))
    runs.append(run("match", *common, "--format", "csv", "--csv-dialect", "excel-fr"))
    runs += [run("explain", c, *common) for c in CONTRIBUTIONS]
    runs.append(run("report", "--html", str(tmp_path / "report"), *common))
    assert [r.exit_code for r in runs] == [0] * len(runs), [r.output[-500:] for r in runs]


class Terminal:
    """What `emit` asks of sys: a stdout on a terminal (rich draws the table)."""

    class stdout:  # stands for sys.stdout
        @staticmethod
        def isatty() -> bool:
            return True


def test_tables_on_a_terminal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "sys", Terminal)
    common = ("--root", str(root), "--as-of", "2999-12-31")
    for args in (("match",), ("match", "--by", "contribution", "--all"), ("status",)):
        result = run(*args, *common)
        assert result.exit_code == 0
        assert "┃" in result.stdout or "│" in result.stdout  # rich's boxes, not plain text
    result = run("obligations", "--all", *common)
    assert result.exit_code == 0


def test_figures_at_the_limits(root: Path) -> None:
    """The largest figures come out whole, to the cent, in csv and json alike."""
    common = ("--root", str(root), "--as-of", "2999-12-31")
    rows = json.loads(run("match", *common, "--format", "json").stdout)
    (big,) = [r for r in rows if r["programme"] == PROG]
    # BIG, KIND and SMALL (LATE is reversed): 999999999999.99 × 2 + 0.01 contributed.
    # Their bases (× 1000, × 999.999999, × 1000) are far above the envelope, so pro-rata
    # gives it out: at most the envelope, floored to the cent per contribution.
    assert big["contributed"] == "1999999999999.99"
    assert Decimal(LARGEST) - Decimal("0.02") <= Decimal(big["matched"]) <= Decimal(LARGEST)
    assert big["paid"] == "1000000000000.00"  # d-big's LARGEST and d-cent's cent: 13 digits
    assert big["due"] == "3009-12-29"  # 2999-12-31 + 3650 days
    obligations = json.loads(run("obligations", *common, "--all", "--format", "json").stdout)
    (pledge,) = [r for r in obligations if r["id"] == PLEDGE]
    assert (pledge["owed"], pledge["paid"], pledge["unmet"]) == (LARGEST, LARGEST, "0.00")


def test_schema_of_every_kind(tmp_path: Path) -> None:
    for kind in KINDS:
        json.loads(run("schema", kind).stdout)
    run("schema", "--output", str(tmp_path / "schemas"))


@pytest.mark.parametrize(
    ("kind", "flags"),
    [
        (
            "contribution",
            (
                *("--contributor", TL, "--common", COMMON, "--need", NEED, "--amount", LARGEST),
                *("--kind", "in-kind", "--pledge", PLEDGE, "--reference", LONG[:5000]),
                *("--note", LONG),
            ),
        ),
        ("contribution", ("--contributor", TL, "--common", COMMON, "--amount", "0.01")),
        (
            "pledge",
            (
                *("--contributor", TL, "--common", COMMON, "--amount", LARGEST),
                *("--due", "2999-12-31", "--note", LONG),
            ),
        ),
        ("disbursement", ("--programme", PROG, "--common", COMMON, "--amount", LARGEST)),
        ("reversal", (BIG, "--note", LONG)),
    ],
)
@pytest.mark.parametrize("day", ["2999-12-31", "1900-01-01"])
def test_new_writes_records_at_the_limits(
    tmp_path: Path, kind: str, flags: tuple[str, ...], day: str
) -> None:
    root = write_ledger(tmp_path / "l", LEDGER)
    result = run("new", kind, "--root", str(root), "--date", day, *flags)
    assert result.exit_code == 0, result.output[-3000:]
    checked = run("check", "--root", str(root), "--as-of", "2999-12-31")
    assert checked.exit_code == 0, checked.output[-3000:]
