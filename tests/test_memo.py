"""The memo is never wrong: a whole result is reused only for exactly the same files,
command, options, day, language and cofi; otherwise it is computed again.

Every test compares a run that may be served by the memo with a `--no-cache` run of
the same command on the same files (which neither reads nor writes the memo), and
spies on `WorkingTree.validate` (called only when a result is computed) to tell a
served result from a computed one.

The ledger (as of 2026-11-28, the default day of these runs):
two programmes, 2026-01-01 to 2026-12-31, first-come, envelopes of 10,000 that never
bite, due on 2026-12-31 + 60 days (the default payment_days) = 2027-03-01:
  pilote-2026 (État, ratio 1) and region-2026 (Région, ratio 0.5).
Contributions to dokos: a 1,200 (2026-03-14), b 300 (2026-06-01), z 100 (2025-12-01,
before both programmes start: not matched, but counted as contributed by `status`).
  pilote-2026: 1,200 + 300 = 1,500.00 matched; region-2026: 600 + 150 = 750.00.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi import cache as cache_mod
from cofi import i18n, listing, loader, memo
from cofi.cli import app
from cofi.cli.options import Query, WorkingTree
from cofi.listing import LINK, NOT_A_FILE, RACY_NS, walk
from cofi.memo import KEEP, Memo
from cofi.table import Column, Table
from conftest import base_ledger, programme, write_ledger

AS_OF = "2026-11-28"
C = "ledger/contributions/"
LEDGER = base_ledger(
    {
        "ledger/contributors/le-hangar.yaml": "name: Le Hangar\nkind: tiers-lieu\n",
        "ledger/contributors/region.yaml": "name: Région\nkind: public\n",
        "commons/dokos.yaml": """
            name: Dokos
            needs:
              - id: booking
                title: Booking
                amount: 5000
                due: 2026-12-31
            """,
        "commons/movilab.yaml": None,
        "ledger/programmes/region-2026.yaml": programme(
            name="Région 2026",
            funder="region",
            ratio="0.5",
            envelope="10000",
            allocation="first-come",
        ),
        C + "2026/a.yaml": "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 1200\n",
        C + "2026/b.yaml": "date: 2026-06-01\ncontributor: le-hangar\ncommon: dokos\namount: 300\n",
        C + "2025/z.yaml": "date: 2025-12-01\ncontributor: la-ruche\ncommon: dokos\namount: 100\n",
    },
    envelope="10000",
    allocation="first-come",
)
FILES = len(LEDGER)  # 10 files, all checked
A = C + "2026/a.yaml"
B = C + "2026/b.yaml"

MATCH_HEADER = "programme,common,debtor,contributed,matched,paid,unmet,due,overdue,provisional"


def match_rows(pilote: str, region: str, contributed: str) -> list[str]:
    """The two rows of `cofi match --format csv` (nothing paid, nothing overdue)."""
    return [
        MATCH_HEADER,
        f"pilote-2026,dokos,etat,{contributed},{pilote},0.00,{pilote},2027-03-01,false,false",
        f"region-2026,dokos,region,{contributed},{region},0.00,{region},2027-03-01,false,false",
    ]


# The hand-worked tables of the three table commands, as of 2026-11-28 (see the module doc).
EXPECTED = {
    "match": match_rows("1500.00", "750.00", "1500.00"),
    "obligations": [
        "type,id,debtor,common,owed,paid,unmet,due,overdue,days_overdue,provisional,age",
        "match,pilote-2026,etat,dokos,1500.00,0.00,1500.00,2027-03-01,false,0,false,",
        "match,region-2026,region,dokos,750.00,0.00,750.00,2027-03-01,false,0,false,",
    ],
    # dokos needs 5,000 (its one need); contributed 1,200 + 300 + 100 = 1,600; matched
    # 1,500 + 750 = 2,250; public share 2,250 / 5,000 = 0.45. No contribution names the need
    # `booking`: nothing towards it, not reached, and so the common is covered 0 (5,000
    # still needed; a note says the 1,600 names no need).
    "status": [
        "common,need,title,needed,contributed,matched,still_needed,covered,public_share,reached",
        "dokos,,Dokos,5000.00,1600.00,2250.00,5000.00,0.0000,0.4500,",
        "dokos,booking,Booking,5000.00,0.00,0.00,5000.00,0.0000,0.0000,false",
    ],
}


# ---- helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What a user sees of one run of cofi."""

    code: int
    out: str
    err: str


def cofi(root: Path, *args: str, cache: bool = True) -> Run:
    """`cofi ARGS --root ROOT` in this process (as of AS_OF unless ARGS say otherwise)."""
    argv = [*args, "--root", str(root)]
    if "--as-of" not in args:
        argv += ["--as-of", AS_OF]
    if not cache:
        argv.append("--no-cache")
    result = CliRunner().invoke(app, argv)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def process_env(cache_dir: Path | None = None) -> dict[str, str]:
    """The environment of a `python -m cofi` process: English unless told, this cache."""
    locale = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    env = {k: v for k, v in os.environ.items() if k not in locale}
    env["LANG"] = "C"
    if cache_dir is not None:
        env["COFI_CACHE_DIR"] = str(cache_dir)
    return env


def cofi_process(root: Path, *args: str) -> Run:
    """`python -m cofi ARGS --root ROOT --as-of AS_OF` in a new process."""
    done = subprocess.run(
        [sys.executable, "-m", "cofi", *args, "--root", str(root), "--as-of", AS_OF],
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def twice(root: Path, *args: str) -> tuple[Run, Run, Run]:
    """The command run twice through the memo, then once with --no-cache."""
    return cofi(root, *args), cofi(root, *args), cofi(root, *args, cache=False)


def lines(run: Run) -> list[str]:
    return run.out.splitlines()


def age(root: Path, seconds: int = 10) -> None:
    """Date every file some seconds back, as if written well before the run ("settled")."""
    for p in root.rglob("*"):
        if p.is_file():
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def touch_now(root: Path) -> None:
    """Date every file now, so that the next run finds them "racy"."""
    now = time.time_ns()
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(now, now))


def aged_ledger(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = write_ledger(tmp_path / "l", LEDGER if files is None else files)
    age(root)
    return root


def add(root: Path, rel: str, text: str) -> None:
    """Write one more file, dated back like the others."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))


def memo_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("memo-*.pickle")) if folder.exists() else []


@pytest.fixture(autouse=True)
def _runs_start_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process, runs start 10 s after now, so that the files a test has just
    written (their status change time is now, whatever `age` does to their modification
    time) are settled and the memo is in play. Tests of racy files put the clock back."""
    monkeypatch.setattr(listing, "clock", lambda: time.time_ns() + 10_000_000_000)


def real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "clock", time.time_ns)


def let_settle() -> None:
    """For runs in other processes, with the real clock: wait until the files just written
    are older than RACY_NS."""
    time.sleep(RACY_NS / 1e9 + 0.1)


@pytest.fixture
def cache_dir() -> Path:
    """The cache folder of this test (set by conftest's autouse fixture)."""
    return Path(os.environ["COFI_CACHE_DIR"])


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days for which a run actually loaded and checked the ledger (a memo miss)."""
    seen: list[date] = []
    real = WorkingTree.validate

    def spy(self: WorkingTree, today: date):  # type: ignore[no-untyped-def]
        seen.append(today)
        return real(self, today)

    monkeypatch.setattr(WorkingTree, "validate", spy)
    return seen


# ---- 1, 2: a second run is served, and is the same --------------------------------------------


def test_second_check_is_served_from_the_memo_and_is_the_same(
    tmp_path: Path, loads: list[date], cache_dir: Path
) -> None:
    """A clean, settled ledger: the second `cofi check` loads nothing and says the same as
    the first and as --no-cache."""
    root = aged_ledger(tmp_path)
    first = cofi(root, "check")
    assert loads == [date(2026, 11, 28)]
    assert len(memo_files(cache_dir)) == 1
    second = cofi(root, "check")
    assert len(loads) == 1, "the second run was served from the memo"
    fresh = cofi(root, "check", cache=False)
    assert len(loads) == 2, "--no-cache computed"
    assert first == second == fresh == Run(0, "", f"ok: {FILES} files checked, no problems\n")


def test_a_ledger_with_problems_gets_the_same_report_from_the_memo(
    tmp_path: Path, loads: list[date]
) -> None:
    """Problems are kept too: the same report and exit status 1, without loading; and the
    memo holds the problems, not their rendering (json is served from a text run's memo)."""
    root = aged_ledger(tmp_path, {**LEDGER, A: LEDGER[A].replace("1200", "0")})
    first, second, fresh = twice(root, "check")
    assert len(loads) == 2, "only the first run and --no-cache loaded"
    assert first == second == fresh
    assert first.code == 1
    assert first.out == (
        f"{A}:4:9: S003 amount must be greater than 0, found 0\n"
        "    hint: write amounts like 1200 or 1200.50\n"
    )
    assert first.err == f"1 error, 0 warnings ({FILES} files checked)\n"
    as_json = cofi(root, "check", "--format", "json")
    assert len(loads) == 2, "another format is the same result: served"
    assert as_json == cofi(root, "check", "--format", "json", cache=False)
    assert '"S003"' in as_json.out


@pytest.mark.parametrize("command", ["match", "obligations", "status"])
def test_second_table_is_served_from_the_memo_and_is_the_same(
    tmp_path: Path, loads: list[date], command: str
) -> None:
    """match, obligations and status as CSV: the second run loads nothing and writes the
    same table (the hand-worked one) and the same notes as the first and as --no-cache."""
    root = aged_ledger(tmp_path)
    first = cofi(root, command, "--format", "csv")
    assert len(loads) == 1
    second = cofi(root, command, "--format", "csv")
    assert len(loads) == 1, "the second run was served from the memo"
    fresh = cofi(root, command, "--format", "csv", cache=False)
    assert first == second == fresh
    assert first.code == 0 and lines(first) == EXPECTED[command]
    assert first.err.startswith(f"note: as of {AS_OF}, from the working tree\n")


def test_the_table_format_is_served_too(tmp_path: Path, loads: list[date]) -> None:
    """A memo written by a CSV run serves the human table, identical to --no-cache's."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    table = cofi(root, "match")
    assert len(loads) == 1
    assert table == cofi(root, "match", cache=False)
    assert "1,500.00" in table.out and "750.00" in table.out


def test_a_table_kept_in_chunks_comes_back_whole_and_in_order(
    tmp_path: Path, loads: list[date], monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """Rows are stored in chunks of cache.CHUNK: with chunks of 2, the six rows of
    `match --by contribution --all` (a, b and z for each of the two programmes; z is of
    2025, before either starts, so ineligible and listed only with --all) take three."""
    monkeypatch.setattr(cache_mod, "CHUNK", 2)
    root = aged_ledger(tmp_path)
    args = ("match", "--by", "contribution", "--all", "--format", "csv")
    first = cofi(root, *args)
    (kept,) = memo_files(cache_dir)
    _state, _key, head, *chunks = cache_mod.load(kept, memo.fingerprint()) or []
    assert head.rows == [] and [len(c) for c in chunks] == [2, 2, 2]
    second = cofi(root, *args)
    assert len(loads) == 1, "the second run was served from the memo"
    assert first == second == cofi(root, *args, cache=False)
    assert len(lines(first)) == 1 + 6  # the header, 2 programmes x 3 contributions


def test_a_table_without_rows_is_kept_whole(tmp_path: Path, cache_dir: Path) -> None:
    root = aged_ledger(tmp_path)
    empty = Table("empty", (Column("programme", "Programme"),), [], None, ["a note"])
    Memo(cache_dir, walk(root)).put(("k",), empty)
    assert Memo(cache_dir, walk(root)).get(("k",)) == empty


# ---- 3, 4, 5: a changed ledger is seen ----------------------------------------------------------


def test_a_racy_ledger_is_not_memoised_and_a_same_size_same_mtime_edit_is_seen(
    tmp_path: Path, loads: list[date], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files modified less than RACY_NS before the run: nothing is memoised. Then an edit
    keeping size, mtime and inode is computed afresh."""
    real_clock(monkeypatch)
    root = write_ledger(tmp_path / "l", LEDGER)
    touch_now(root)
    assert not walk(root).settled()
    before = cofi(root, "match", "--format", "csv")
    assert lines(before) == EXPECTED["match"]
    assert memo_files(cache_dir) == [], "nothing memoised while files are racy"
    a = root / A
    st = a.stat()
    # 1200 -> 1300: same size; then the very same mtime again (same inode: edited in place)
    a.write_text(a.read_text().replace("1200", "1300"))
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (a.stat().st_size, a.stat().st_mtime_ns, a.stat().st_ino) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
    )
    after = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2
    # pilote 1,300 + 300 = 1,600; region 650 + 150 = 800
    assert lines(after) == match_rows("1600.00", "800.00", "1600.00")
    assert after == cofi(root, "match", "--format", "csv", cache=False)


def test_an_ordinary_edit_after_memoising_is_seen(tmp_path: Path, loads: list[date]) -> None:
    """A settled ledger memoised, then a contribution edited as an editor does it."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    a = root / A
    a.write_text(a.read_text().replace("1200", "1250"))
    after = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2, "computed again"
    # pilote 1,250 + 300 = 1,550; region 625 + 150 = 775
    assert lines(after) == match_rows("1550.00", "775.00", "1550.00")
    assert after == cofi(root, "match", "--format", "csv", cache=False)


def _size_only(a: Path, st: os.stat_result) -> None:
    a.write_text(a.read_text().replace("1200", "120"))  # in place: same inode
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime


def _mtime_only(a: Path, st: os.stat_result) -> None:
    a.write_text(a.read_text().replace("1200", "1300"))  # same size, same inode
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns - 5_000_000_000))  # another old mtime


def _inode_only(a: Path, st: os.stat_result) -> None:
    new = a.with_name("new.tmp")
    new.write_text(a.read_text().replace("1200", "1700"))  # same size
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime
    os.replace(new, a)  # another inode


@pytest.mark.parametrize(
    ("change", "pilote", "region"),
    [
        (_size_only, "420.00", "210.00"),  # 120 + 300; 60 + 150
        (_mtime_only, "1600.00", "800.00"),  # 1,300 + 300; 650 + 150
        (_inode_only, "2000.00", "1000.00"),  # 1,700 + 300; 850 + 150
    ],
    ids=["size", "mtime", "inode"],
)
def test_each_part_of_a_files_stamp_is_seen_alone(
    tmp_path: Path, loads: list[date], change, pilote: str, region: str
) -> None:
    """The file stays settled and only its size, or its mtime, or its inode changes:
    each alone is enough for the memo not to be served."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    a = root / A
    st = a.stat()
    change(a, st)
    assert walk(root).settled()
    after = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2
    assert lines(after) == match_rows(pilote, region, pilote)
    assert after == cofi(root, "match", "--format", "csv", cache=False)


def test_an_edit_in_place_with_its_mtime_put_back_is_seen(
    tmp_path: Path, loads: list[date]
) -> None:
    """Same size, same inode, the very same mtime put back (as `cp -p` or `touch -d` do):
    only the status change time tells, and it is part of the stamp, as in git's index."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    a = root / A
    st = a.stat()
    a.write_text(a.read_text().replace("1200", "1300"))
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = a.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
    )
    assert after.st_ctime_ns != st.st_ctime_ns
    out = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2, "computed again"
    # pilote 1,300 + 300 = 1,600; region half of it, 800
    assert lines(out) == match_rows("1600.00", "800.00", "1600.00")
    assert out == cofi(root, "match", "--format", "csv", cache=False)


def test_switching_git_branch_is_seen_each_way(tmp_path: Path, loads: list[date]) -> None:
    """A checkout rewrites the files it changes: the walk differs, each branch gets its own
    figures (the files are aged after each checkout, so that the memo is in play)."""
    root = aged_ledger(tmp_path)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=t",
             "-c", "commit.gpgsign=false", *args],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    b = root / B
    b.write_text(b.read_text().replace("300", "700"))  # same size
    git("commit", "-qam", "b gives 700")
    git("checkout", "-q", "main")
    age(root)
    assert lines(cofi(root, "match", "--format", "csv")) == EXPECTED["match"]
    git("checkout", "-q", "other")
    age(root)
    # pilote 1,200 + 700 = 1,900; region half, 950
    other = cofi(root, "match", "--format", "csv")
    assert lines(other) == match_rows("1900.00", "950.00", "1900.00")
    assert other == cofi(root, "match", "--format", "csv", cache=False)
    git("checkout", "-q", "main")
    age(root)
    assert lines(cofi(root, "match", "--format", "csv")) == EXPECTED["match"]
    assert len(loads) == 4, "each checkout computed afresh (and the --no-cache run)"


def test_a_stray_yml_file_added_after_memoising_is_reported(
    tmp_path: Path, loads: list[date]
) -> None:
    """A settled `.yml` file appears: `cofi check` reports F002 (docs/errors.md), exit 1."""
    root = aged_ledger(tmp_path)
    assert cofi(root, "check").code == 0
    add(root, "commons/movilab.yml", "name: Movilab\n")
    after = cofi(root, "check")
    assert len(loads) == 2
    assert after.code == 1
    assert after.out == (
        "commons/movilab.yml:1:1: F002 this file has the extension .yml, so cofi does not read it\n"
        "    hint: rename it to .yaml\n"
    )
    assert after == cofi(root, "check", cache=False)


def test_a_new_contribution_after_memoising_is_counted(tmp_path: Path, loads: list[date]) -> None:
    """A settled file added: the walk differs, the new contribution is matched."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    c = LEDGER[B].replace("2026-06-01", "2026-07-01").replace("300", "500")
    add(root, C + "2026/c.yaml", c)
    after = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2
    # pilote 1,500 + 500 = 2,000; region 750 + 250 = 1,000
    assert lines(after) == match_rows("2000.00", "1000.00", "2000.00")
    assert after == cofi(root, "match", "--format", "csv", cache=False)


def test_a_deleted_contribution_after_memoising_is_gone(tmp_path: Path, loads: list[date]) -> None:
    """A deletion touches no file's mtime: the walk itself must differ."""
    root = aged_ledger(tmp_path)
    cofi(root, "match", "--format", "csv")
    (root / B).unlink()
    after = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2
    # only a: pilote 1,200; region 600
    assert lines(after) == match_rows("1200.00", "600.00", "1200.00")
    assert after == cofi(root, "match", "--format", "csv", cache=False)


def test_a_renamed_contribution_after_memoising_has_its_new_id(
    tmp_path: Path, loads: list[date]
) -> None:
    """A rename keeps size, mtime and inode: only the path tells. The id is the file name."""
    root = aged_ledger(tmp_path)
    by_contribution = ("match", "--by", "contribution", "--format", "csv")
    before = cofi(root, *by_contribution)
    assert [line.split(",")[1] for line in lines(before)[1:]] == ["a", "b", "a", "b"]
    (root / B).rename(root / C / "2026/c.yaml")
    after = cofi(root, *by_contribution)
    assert len(loads) == 2
    assert [line.split(",")[1] for line in lines(after)[1:]] == ["a", "c", "a", "c"]
    assert after == cofi(root, *by_contribution, cache=False)


# ---- 6, 7: every option, the day and the language have their own memo -------------------------


def test_each_option_and_day_has_its_own_result(tmp_path: Path, loads: list[date]) -> None:
    """After the default match is memoised, other options are computed, not served; and
    all are then served side by side."""
    root = aged_ledger(tmp_path)
    default = cofi(root, "match", "--format", "csv")
    runs = {
        # as of 2026-05-01, b (2026-06-01) is not yet there: pilote 1,200; region 600
        ("--as-of", "2026-05-01"): match_rows("1200.00", "600.00", "1200.00"),
        ("--programme", "region-2026"): [EXPECTED["match"][0], EXPECTED["match"][2]],
        # one row per eligible contribution and programme
        ("--by", "contribution"): ["a", "b", "a", "b"],
        # --all adds z, dated before the programmes start
        ("--by", "contribution", "--all"): ["z", "a", "b", "z", "a", "b"],
    }
    seen = {}
    for options, expected in runs.items():
        before = len(loads)
        got = cofi(root, "match", *options, "--format", "csv")
        assert len(loads) == before + 1, f"{options} computed, not served"
        assert got == cofi(root, "match", *options, "--format", "csv", cache=False)
        rows = lines(got) if options[0] != "--by" else [r.split(",")[1] for r in lines(got)[1:]]
        assert rows == expected, options
        seen[options] = got
    del loads[:]
    assert cofi(root, "match", "--format", "csv") == default
    for options, got in seen.items():
        assert cofi(root, "match", *options, "--format", "csv") == got
    assert loads == [], "every key kept its own memo"


def test_each_command_has_its_own_result(tmp_path: Path, loads: list[date]) -> None:
    """On one ledger, match, obligations, status and status --programme are each computed
    once, then each served its own table."""
    root = aged_ledger(tmp_path)
    expected = {
        ("match",): EXPECTED["match"],
        ("obligations",): EXPECTED["obligations"],
        ("status",): EXPECTED["status"],
        # only region-2026: matched 750; public share 750 / 5,000 = 0.15 (nothing names the
        # need: still 5,000 needed, covered 0)
        ("status", "--programme", "region-2026"): [
            EXPECTED["status"][0],
            "dokos,,Dokos,5000.00,1600.00,750.00,5000.00,0.0000,0.1500,",
            EXPECTED["status"][2],
        ],
    }
    for command, rows in expected.items():
        assert lines(cofi(root, *command, "--format", "csv")) == rows, command
    assert len(loads) == len(expected)
    for command, rows in expected.items():
        assert lines(cofi(root, *command, "--format", "csv")) == rows, command
    assert len(loads) == len(expected), "all served"


def test_obligations_by_debtor_and_check_on_another_day_have_their_own_results(
    tmp_path: Path, loads: list[date]
) -> None:
    """obligations --by debtor is its own result; and `cofi check` on another --as-of day
    is computed for that day (where b lies in the future), not served today's."""
    root = aged_ledger(tmp_path)
    cofi(root, "obligations", "--format", "csv")
    by_debtor = cofi(root, "obligations", "--by", "debtor", "--format", "csv")
    assert len(loads) == 2
    # nothing has fallen due by 2026-11-28 (due 2027-03-01): no honour rate to give
    assert lines(by_debtor) == ["debtor,owed,paid,honour_rate"]
    assert by_debtor == cofi(root, "obligations", "--by", "debtor", "--format", "csv", cache=False)

    assert cofi(root, "check").code == 0
    early = cofi(root, "check", "--as-of", "2026-05-01")
    assert len(loads) == 5
    # as of 2026-05-01, b (dated 2026-06-01) lies in the future: L007
    assert early.code == 1
    assert f"{B}:1:7: L007 dated 2026-06-01, after today (2026-05-01)" in early.out
    assert early == cofi(root, "check", "--as-of", "2026-05-01", cache=False)


def test_a_memo_written_in_english_is_not_served_in_french(
    tmp_path: Path, loads: list[date]
) -> None:
    """Problems and notes are kept written out: another language is computed again."""
    root = aged_ledger(tmp_path, {**LEDGER, A: LEDGER[A].replace("1200", "0")})
    english = cofi(root, "check")
    assert "amount must be greater than 0" in english.out
    i18n.use("fr")
    try:
        french = cofi(root, "check")
        assert len(loads) == 2, "computed again in French"
        assert french == cofi(root, "check", cache=False)
        assert french.code == 1 and french.out != english.out
        assert "conseil" in french.out and "hint" not in french.out
    finally:
        i18n.use("en")
    assert cofi(root, "check") == english


def test_lang_fr_on_the_command_line_is_not_served_an_english_memo(tmp_path: Path) -> None:
    """The same through `python -m cofi --lang fr` (the only way --lang is read)."""
    root = aged_ledger(tmp_path, {**LEDGER, A: LEDGER[A].replace("1200", "0")})
    let_settle()
    english = cofi_process(root, "check")
    assert english.code == 1 and "amount must be greater than 0" in english.out
    french = cofi_process(root, "--lang", "fr", "check")
    assert french == cofi_process(root, "--lang", "fr", "check", "--no-cache")
    assert french.code == 1 and "conseil" in french.out and "hint" not in french.out
    assert french.err.startswith("1 erreur")


def test_notes_of_a_table_follow_the_language(tmp_path: Path, loads: list[date], french) -> None:
    """The notes of a table are written when it is built: an English memo is not served to
    a French run (here the memo is written in French, then English asks)."""
    root = aged_ledger(tmp_path)
    in_french = cofi(root, "match", "--format", "csv")
    assert "enveloppe" in in_french.err
    i18n.use("en")
    in_english = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2
    assert in_english == cofi(root, "match", "--format", "csv", cache=False)
    assert "envelope 10,000.00" in in_english.err and "enveloppe" not in in_english.err
    assert lines(in_english) == lines(in_french) == EXPECTED["match"]  # CSV is never translated


# ---- 8, 9, 10: a bad, bypassed or foreign memo -------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_memo_is_ignored_then_rewritten(
    tmp_path: Path, loads: list[date], cache_dir: Path, damage: str
) -> None:
    """A truncated, foreign or empty memo file is not an error: the result is computed,
    the file written afresh and served next time."""
    root = aged_ledger(tmp_path)
    first = cofi(root, "match", "--format", "csv")
    [path] = memo_files(cache_dir)
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"\x80\x04not a memo", "empty": b""}[damage]
    )
    again = cofi(root, "match", "--format", "csv")
    assert len(loads) == 2, "the damaged memo was not used"
    assert again == first == cofi(root, "match", "--format", "csv", cache=False)
    assert cache_mod.load(path, memo.fingerprint()) is not None, "rewritten"
    assert cofi(root, "match", "--format", "csv") == first
    assert len(loads) == 3, "only --no-cache computed: the rewritten memo is served"


def test_a_planted_memo_is_served_and_no_cache_ignores_it(
    tmp_path: Path, loads: list[date]
) -> None:
    """A memo put for this ledger under `check`'s key with a false count is what a normal
    run prints (so that is the key, and it is read), while --no-cache computes."""
    root = aged_ledger(tmp_path)
    day = date.fromisoformat(AS_OF)
    key = Query("check", day, day).key()
    Memo(Path(os.environ["COFI_CACHE_DIR"]), walk(root)).put(key, ([], 99))
    assert cofi(root, "check").err == "ok: 99 files checked, no problems\n"
    assert loads == []
    assert cofi(root, "check", cache=False).err == f"ok: {FILES} files checked, no problems\n"
    assert len(loads) == 1


def test_a_planted_table_is_served_and_no_cache_ignores_it(
    tmp_path: Path, loads: list[date]
) -> None:
    """The same for `match`: its key is the command, its options, the day and today."""
    root = aged_ledger(tmp_path)
    options = (("by", "common"), ("all", "False"))
    key = Query("match", date.fromisoformat(AS_OF), date.today(), None, options).key()
    fake = Table("planted", (Column("programme", "Programme"),), [{"programme": "planted"}])
    Memo(Path(os.environ["COFI_CACHE_DIR"]), walk(root)).put(key, fake)
    assert lines(cofi(root, "match", "--format", "csv")) == ["programme", "planted"]
    assert loads == []
    assert lines(cofi(root, "match", "--format", "csv", cache=False)) == EXPECTED["match"]
    assert len(loads) == 1


def test_no_cache_writes_nothing(tmp_path: Path, loads: list[date], cache_dir: Path) -> None:
    """--no-cache on a settled ledger: every run computes, and the cache folder stays empty."""
    root = aged_ledger(tmp_path)
    for command in (["check"], ["match", "--format", "csv"], ["status", "--format", "csv"]):
        cofi(root, *command, cache=False)
    assert len(loads) == 3
    assert memo_files(cache_dir) == []
    assert list(cache_dir.iterdir()) == [], "nor a record cache"


def test_another_version_of_cofi_ignores_the_memo(
    tmp_path: Path, loads: list[date], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A memo written by cofi 0.1.0 is not served to cofi 99.0, which writes its own."""
    root = aged_ledger(tmp_path)
    first = cofi(root, "match", "--format", "csv")
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert cofi(root, "match", "--format", "csv") == first
    assert len(loads) == 2, "computed again by the new version"
    assert cofi(root, "match", "--format", "csv") == first
    assert len(loads) == 2, "and memoised for it"


def test_the_fingerprint_follows_every_module_the_version_and_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fingerprint() hashes every .py file of the package: edit one module of a copy of
    the package (the engine, not memo.py itself) and it changes."""
    package = Path(memo.__file__).parent
    copy = tmp_path / "cofi"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    monkeypatch.setattr(memo, "__file__", str(copy / "memo.py"))
    base = memo.fingerprint()
    assert memo.fingerprint() == base, "stable"
    matching = copy / "matching.py"
    matching.write_text(matching.read_text() + "\n# a change\n")
    edited = memo.fingerprint()
    assert edited != base
    deep = copy / "checks" / "__init__.py"
    deep.write_text(deep.read_text() + "\n# a change\n")
    assert memo.fingerprint() != edited, "sub-packages count too"
    last = memo.fingerprint()
    i18n.use("fr")
    try:
        assert memo.fingerprint() != last, "another language"
    finally:
        i18n.use("en")
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert memo.fingerprint() != last, "another version"


# ---- 11, 12: pruning and concurrency -----------------------------------------------------------


def test_at_most_keep_memos_per_ledger_the_newest(tmp_path: Path, loads: list[date]) -> None:
    """20 days, 20 keys: the 16 newest memos of this ledger stay, another ledger's stay too."""
    other = write_ledger(tmp_path / "other", {"commons/dokos.yaml": "name: Dokos\n"})
    age(other)
    cofi(other, "check")
    folder = Path(os.environ["COFI_CACHE_DIR"])
    [other_memo] = memo_files(folder)
    root = aged_ledger(tmp_path)
    days = [f"2026-11-{d:02d}" for d in range(1, 21)]
    for day in days:
        assert cofi(root, "check", "--as-of", day).code == 0
    mine = [p for p in memo_files(folder) if p != other_memo]
    assert len(mine) == KEEP
    assert other_memo.exists()
    del loads[:]
    for day in days[-KEEP:]:
        cofi(root, "check", "--as-of", day)
    assert loads == [], "the newest 16 are served"
    cofi(root, "check", "--as-of", days[0])
    assert len(loads) == 1, "the oldest was pruned"


def test_four_processes_at_once(tmp_path: Path) -> None:
    """Four `cofi match` in parallel on an empty cache: all succeed with the same (hand-worked)
    output, leave one memo and no temporary file; a fifth run after them says the same."""
    root = aged_ledger(tmp_path)
    let_settle()
    folder = tmp_path / "c"
    folder.mkdir()
    env = process_env(folder)
    args = ["match", "--format", "csv", "--root", str(root), "--as-of", AS_OF]
    cmd = [sys.executable, "-m", "cofi", *args]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outs.append((out, err))
    assert len(set(outs)) == 1
    out, err = outs[0]
    assert out.decode().splitlines() == EXPECTED["match"]
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tmp-")] == []
    assert len(memo_files(folder)) == 1
    done = subprocess.run(cmd, env=env, capture_output=True, check=True, timeout=60)
    assert (done.stdout, done.stderr) == (out, err)


# ---- an impossible option value that spells like the default -----------------------------------


@pytest.mark.parametrize("command", ["match", "status"])
def test_programme_named_none_is_not_served_the_all_programmes_memo(
    tmp_path: Path, command: str
) -> None:
    """`--programme None` names no programme (ids are lowercase): it must fail with exit 2,
    memo or not."""
    root = aged_ledger(tmp_path)
    fresh = cofi(root, command, "--programme", "None", "--format", "csv", cache=False)
    assert fresh.code == 2 and "unknown programme 'None'" in fresh.err
    cofi(root, command, "--format", "csv")  # memoises all the programmes
    assert cofi(root, command, "--programme", "None", "--format", "csv") == fresh


# ---- 13: the walk -------------------------------------------------------------------------------


class _Gone:
    """A directory entry whose file was removed between the directory read and its stat."""

    def __init__(self, folder: str, name: str) -> None:
        self.name, self.path = name, os.path.join(folder, name)

    def is_symlink(self) -> bool:
        return False

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return True

    def stat(self) -> os.stat_result:
        raise FileNotFoundError(self.path)


class _Entries(list):  # type: ignore[type-arg]
    """What os.scandir gives: entries to iterate, in a `with` block."""

    def __enter__(self) -> _Entries:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_file_removed_while_the_walk_runs_leaves_the_rest_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ledger/ghost.yaml` is read in `ledger/` but gone when stat'ed (a checkout running,
    an editor's probe file): it is not listed, and neither is anything lost after it: the
    rest of the folder and its sub-folders are all walked."""
    root = aged_ledger(tmp_path)
    real = os.scandir

    def scandir(folder: str) -> _Entries:
        with real(folder) as entries:
            found = list(entries)
        if folder.endswith("/ledger"):
            found.insert(0, _Gone(folder, "ghost.yaml"))
        return _Entries(found)

    monkeypatch.setattr(listing.os, "scandir", scandir)
    assert sorted(f[0] for f in walk(root).found) == sorted(LEDGER)


def test_a_file_that_could_not_be_read_is_not_memoised(
    tmp_path: Path, loads: list[date], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that fails once (a busy network disk, a locked file) is reported (F003), but
    the report is not kept: the next run reads the file again and finds it fine."""
    root = aged_ledger(tmp_path)
    real = loader._read_bytes

    def failing(where: str | Path, rel: str) -> bytes:
        if rel == A:
            raise OSError(errno.EIO, "Input/output error")
        return real(where, rel)

    monkeypatch.setattr(loader, "_read_bytes", failing)
    first = cofi(root, "check")
    assert first.code == 1 and f"{A}:1:1: F003" in first.out
    monkeypatch.setattr(loader, "_read_bytes", real)
    second = cofi(root, "check")
    assert len(loads) == 2, "computed again"
    assert second.code == 0 and second == cofi(root, "check", cache=False)


def test_the_same_files_walk_to_the_same_digest(tmp_path: Path) -> None:
    """Two walks of unchanged files agree, and list every file of commons/ and ledger/."""
    root = aged_ledger(tmp_path)
    first, second = walk(root), walk(root)
    assert first.digest() == second.digest()
    assert sorted(f[0] for f in first.found) == sorted(LEDGER)


def _digest_after(root: Path, change) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    before = walk(root).digest()
    change(root)
    return before, walk(root).digest()


def _resize(root: Path) -> None:
    a = root / A
    st = a.stat()
    a.write_text(a.read_text() + "note: x\n")
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))


def _retime(root: Path) -> None:
    a = root / A
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # one nanosecond


def _rename(root: Path) -> None:
    (root / B).rename(root / C / "2026/c.yaml")


def _add(root: Path) -> None:
    add(root, C + "2026/c.yaml", LEDGER[B])


def _delete(root: Path) -> None:
    (root / B).unlink()


def _replace(root: Path) -> None:
    _inode_only(root / A, (root / A).stat())


@pytest.mark.parametrize(
    "change",
    [_resize, _retime, _rename, _add, _delete, _replace],
    ids=["size", "mtime", "rename", "add", "delete", "inode"],
)
def test_the_digest_changes_with_any_change(tmp_path: Path, change) -> None:
    """Size (mtime kept), mtime (1 ns, size kept), rename, add, delete, inode (atomic
    replace keeping size and mtime): each changes the digest."""
    root = aged_ledger(tmp_path)
    before, after = _digest_after(root, change)
    assert before != after


def test_files_cofi_does_not_read_leave_the_digest_alone(tmp_path: Path) -> None:
    """Only commons/ and ledger/ are walked, and hidden files are skipped (as by the loader)."""
    root = aged_ledger(tmp_path)
    before = walk(root).digest()
    (root / "README.md").write_text("hello\n")
    (root / "docs").mkdir()
    (root / "docs/x.yaml").write_text("x: 1\n")
    (root / "ledger/.hidden.yaml").write_text("x: 1\n")
    assert walk(root).digest() == before


def test_a_broken_link_is_listed_as_a_link(tmp_path: Path) -> None:
    """A broken link is listed (so the loader reports it, F006), with no stamp; so is a pipe."""
    root = aged_ledger(tmp_path)
    (root / "commons/gone.yaml").symlink_to(root / "nowhere.yaml")
    os.mkfifo(root / "commons/pipe.yaml")
    found = {f[0]: f for f in walk(root).found}
    assert found["commons/gone.yaml"] == ("commons/gone.yaml", LINK, 0, 0, 0)
    assert found["commons/pipe.yaml"] == ("commons/pipe.yaml", NOT_A_FILE, 0, 0, 0)


def test_settled_only_once_both_times_of_every_file_are_older_than_racy_ns() -> None:
    """settled(): False while any file's modification or status change time is within
    RACY_NS of the walk's start, True once every one is older."""
    start = 1_000_000_000_000_000_000
    old = start - RACY_NS - 1  # just outside the window
    young = start - RACY_NS + 500_000_000  # 1.5 s before the start: still racy

    def settled(*times: tuple[int, int]) -> bool:
        found = [(f"ledger/{i}.yaml", 10, m, i, c) for i, (m, c) in enumerate(times)]
        return listing.Listing(Path("."), found, start).settled()

    assert settled((old, old), (old, old))
    assert not settled((old, old), (young, young)), "one file modified just now"
    assert not settled((old, young)), "mtime put back, but the status changed just now"
    assert not settled((young, old))
    assert not settled((start + 1, start + 1)), "dated after the start (another clock)"
    assert settled(), "no file: nothing racy"
