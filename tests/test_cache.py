"""The record cache is never wrong: every change to a file is seen, a bad cache is ignored."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from cofi import cache as cache_mod
from cofi import loader
from cofi.cache import RecordCache, cache_file
from cofi.checks import validate
from conftest import TODAY, write_ledger

BASE = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
    "ledger/contributions/2026/a.yaml": (
        "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 1200\n"
    ),
    "ledger/contributions/2026/b.yaml": (
        "date: 2026-03-15\ncontributor: la-ruche\ncommon: dokos\namount: 300\n"
    ),
}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the loader actually parsed, in order."""
    seen: list[str] = []
    real = loader.read_one

    def spy(f: loader.FileRef):  # type: ignore[no-untyped-def]
        seen.append(f.path)
        return real(f)

    monkeypatch.setattr(loader, "read_one", spy)
    return seen


def run(root: Path, where: Path) -> dict[str, Decimal]:
    """Check the ledger through the cache; return the amounts of its contributions."""
    loaded = validate(root, TODAY, RecordCache(cache_file(where, root)))
    assert not [p for p in loaded.problems if p.code != "R001"], loaded.problems
    return {c.id: c.amount for c in loaded.ledger.contributions}


def age(root: Path, seconds: int = 10) -> None:
    """Date every file some seconds back, as if written well before the cache."""
    for p in root.rglob("*.yaml"):
        st = p.stat()
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def test_second_run_reads_nothing_and_gives_the_same_ledger(
    tmp_path: Path, reads: list[str]
) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    first = run(root, tmp_path / "c")
    assert len(reads) == 4
    reads.clear()
    assert run(root, tmp_path / "c") == first == {"a": Decimal("1200"), "b": Decimal("300")}
    assert reads == []


def test_edit_keeping_size_within_the_same_second_is_seen(tmp_path: Path, reads: list[str]) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    run(root, tmp_path / "c")  # files written just now: racy entries
    a = root / "ledger/contributions/2026/a.yaml"
    st = a.stat()
    # 1200 -> 1300: same size; then put back the very same mtime and inode stay.
    a.write_text(a.read_text().replace("1200", "1300"))
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert a.stat().st_size == st.st_size
    reads.clear()
    assert run(root, tmp_path / "c")["a"] == Decimal("1300")
    assert "ledger/contributions/2026/a.yaml" in reads


def test_an_old_file_edited_with_a_new_mtime_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    a = root / "ledger/contributions/2026/a.yaml"
    a.write_text(a.read_text().replace("1200", "1250"))
    reads.clear()
    assert run(root, tmp_path / "c")["a"] == Decimal("1250")
    assert reads == ["ledger/contributions/2026/a.yaml"]


def test_delete_rename_add(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    (root / "ledger/contributions/2026/b.yaml").unlink()
    assert run(root, tmp_path / "c") == {"a": Decimal("1200")}
    (root / "ledger/contributions/2026/a.yaml").rename(root / "ledger/contributions/2026/c.yaml")
    assert run(root, tmp_path / "c") == {"c": Decimal("1200")}
    write_ledger(
        root,
        {
            "ledger/contributions/2025/d.yaml": BASE["ledger/contributions/2026/b.yaml"].replace(
                "2026-03-15", "2025-01-02"
            )
        },
    )
    assert run(root, tmp_path / "c") == {"c": Decimal("1200"), "d": Decimal("300")}


def test_switching_git_branch(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", BASE)

    def git(*args: str) -> None:
        subprocess.run(
            [
                "git",
                "-c",
                "user.email=t@example.org",
                "-c",
                "user.name=t",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    b = root / "ledger/contributions/2026/b.yaml"
    b.write_text(b.read_text().replace("300", "700"))  # same size
    git("commit", "-qam", "other amount")
    assert run(root, tmp_path / "c")["b"] == Decimal("700")
    git("checkout", "-q", "main")
    assert run(root, tmp_path / "c")["b"] == Decimal("300")


def test_another_cofi_version_ignores_the_cache(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    reads.clear()
    run(root, tmp_path / "c")
    assert len(reads) == 4


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(
    tmp_path: Path, reads: list[str], damage: str
) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    path = cache_file(tmp_path / "c", root)
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[: len(data) // 2], "garbage": b"\x80\x04not a cache", "empty": b""}[
            damage
        ]
    )
    reads.clear()
    assert run(root, tmp_path / "c") == {"a": Decimal("1200"), "b": Decimal("300")}
    assert len(reads) == 4
    reads.clear()
    run(root, tmp_path / "c")
    assert reads == [], "the rebuilt cache is used again"


def test_two_processes_at_once(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    env = {**os.environ, "COFI_CACHE_DIR": str(tmp_path / "c")}
    cmd = [sys.executable, "-m", "cofi", "check", "--root", str(root), "--as-of", "2026-11-28"]
    procs = [subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    assert run(root, tmp_path / "c") == {"a": Decimal("1200"), "b": Decimal("300")}
    leftovers = [p.name for p in (tmp_path / "c").iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_one_changed_file_writes_a_small_delta_not_the_whole_cache(tmp_path: Path) -> None:
    files = {
        **BASE,
        **{
            f"ledger/contributions/2026/x{i}.yaml": BASE["ledger/contributions/2026/b.yaml"]
            for i in range(100)
        },
    }
    root = write_ledger(tmp_path / "l", files)
    age(root)
    run(root, tmp_path / "c")
    base = cache_file(tmp_path / "c", root)
    before = base.read_bytes()
    a = root / "ledger/contributions/2026/a.yaml"
    a.write_text(a.read_text().replace("1200", "1250"))
    assert run(root, tmp_path / "c")["a"] == Decimal("1250")
    assert base.read_bytes() == before, "the base is left as it was"
    delta = base.with_suffix(".delta.pickle")
    assert 0 < delta.stat().st_size < len(before) // 10
    # the next runs read base + delta: the change stays seen, the rest stays cached
    (root / "ledger/contributions/2026/x7.yaml").unlink()
    amounts = run(root, tmp_path / "c")
    assert amounts["a"] == Decimal("1250") and "x7" not in amounts and len(amounts) == 101


def test_a_delta_written_for_another_base_is_ignored(tmp_path: Path, reads: list[str]) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    a = root / "ledger/contributions/2026/a.yaml"
    a.write_text(a.read_text().replace("1200", "1250"))
    run(root, tmp_path / "c")  # a delta now holds a = 1250
    base = cache_file(tmp_path / "c", root)
    delta = base.with_suffix(".delta.pickle").read_bytes()
    base.unlink()  # the next run writes a new base...
    run(root, tmp_path / "c")
    base.with_suffix(".delta.pickle").write_bytes(delta)  # ...and an old delta comes back
    cache = RecordCache(base)
    assert cache.token and cache.delta_ns == {}, "the stray delta is not applied"
    assert cache.old == cache.base


REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "root",
    [REPO, *sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_records_read_back_from_the_cache_are_the_records_read_from_the_files(
    root: Path, tmp_path: Path
) -> None:
    cold = validate(root, TODAY)
    validate(root, TODAY, RecordCache(cache_file(tmp_path, root)))  # fills the cache
    warm = validate(root, TODAY, RecordCache(cache_file(tmp_path, root)))
    assert warm.problems == cold.problems
    for kind in ("settings", "contributors", "commons", "programmes", "contributions",
                 "pledges", "disbursements", "reversals"):  # fmt: skip
        a, b = getattr(cold.ledger, kind), getattr(warm.ledger, kind)
        assert a == b, kind
        pairs = [(a, b)] if kind == "settings" else list(zip(a, b, strict=True))
        for x, y in pairs:  # the same values, of the same types, all the way down
            assert x.model_dump() == y.model_dump()
            assert repr(x) == repr(y)


def test_broken_files_and_their_problems_read_back_from_the_cache(tmp_path: Path) -> None:
    files = {
        **BASE,
        "ledger/contributions/2026/bad.yaml": "date: 2026-02-30\ncontributor: la-ruch\n"
        "common: dokos\namout: 1\n",
        "ledger/contributions/2026/r.yaml": "date: 2026-04-01\nreverses: nowhere\nnote: [x]\n",
    }
    root = write_ledger(tmp_path / "l", files)
    age(root)
    cold = validate(root, TODAY)
    validate(root, TODAY, RecordCache(cache_file(tmp_path / "c", root)))
    warm = validate(root, TODAY, RecordCache(cache_file(tmp_path / "c", root)))
    assert warm.problems == cold.problems
    # bad.yaml: the date (S004), the unknown key (S001), the contributor (R001, from a file
    # that failed to load); r.yaml: its target (R006) and its note (S013)
    assert sorted(p.code for p in warm.problems) == ["R001", "R006", "S001", "S004", "S013"]
    assert warm.ledger.partials == cold.ledger.partials
    assert warm.ledger.broken == cold.ledger.broken


def test_a_racy_entry_is_vouched_for_by_its_content_not_its_stamp(tmp_path: Path) -> None:
    """A file modified just before the run that cached it started could change again within
    the same clock tick, keeping its whole stamp: its content decides. What counts is when
    that run started (before it read the file), not when it wrote the cache: a slow run
    writes its cache long after reading."""
    path = tmp_path / "records.pickle"
    first = RecordCache(path)
    young = first.started - 1_000_000_000  # modified 1 s before the run: within RACY_NS
    stamp = (10, young, 7, young)
    before = loader.FileRef("ledger/x.yaml", 10, lambda: b"0123456789", stamp)
    first.put(before, b"0123456789", ("held", ()))
    first.save()
    later = time.time_ns() + 60_000_000_000
    os.utime(path, ns=(later, later))  # as if written a minute after the run started
    same = RecordCache(path).get(before)
    assert same == ("held", ())
    edited = loader.FileRef("ledger/x.yaml", 10, lambda: b"9876543210", stamp)
    assert RecordCache(path).get(edited) is None, "same stamp, other bytes: read again"


def test_a_settled_entry_is_vouched_for_by_its_stamp(tmp_path: Path) -> None:
    """Modified well before the run (10 s > RACY_NS): the stamp alone vouches, the file is
    not even read."""
    path = tmp_path / "records.pickle"
    first = RecordCache(path)
    old = first.started - 10_000_000_000
    stamp = (10, old, 7, old)
    first.put(loader.FileRef("ledger/x.yaml", 10, lambda: b"0123456789", stamp), b"0123456789",
              ("held", ()))  # fmt: skip
    first.save()

    def unreadable() -> bytes:
        raise AssertionError("a settled entry must not be read")

    assert RecordCache(path).get(loader.FileRef("ledger/x.yaml", 10, unreadable, stamp)) == (
        "held",
        (),
    )


def test_an_edit_in_place_with_its_mtime_put_back_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    """Same size, same inode, the same mtime put back: the status change time tells."""
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    a = root / "ledger/contributions/2026/a.yaml"
    st = a.stat()
    a.write_text(a.read_text().replace("1200", "1300"))
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads.clear()
    assert run(root, tmp_path / "c")["a"] == Decimal("1300")
    assert reads == ["ledger/contributions/2026/a.yaml"]


def test_a_young_status_change_makes_an_entry_racy_even_with_an_old_mtime(
    tmp_path: Path,
) -> None:
    """An edit that puts the modification time back (`cp -p`, `touch -d`) still sets the
    status change time to now: such a file is racy, and its content decides."""
    path = tmp_path / "records.pickle"
    first = RecordCache(path)
    old = first.started - 10_000_000_000
    young = first.started - 1_000_000_000
    stamp = (10, old, 7, young)
    first.put(loader.FileRef("ledger/x.yaml", 10, lambda: b"0123456789", stamp), b"0123456789",
              ("held", ()))  # fmt: skip
    first.save()
    edited = loader.FileRef("ledger/x.yaml", 10, lambda: b"9876543210", stamp)
    assert RecordCache(path).get(edited) is None


def test_the_files_of_a_root_unused_for_thirty_days_are_forgotten(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    day = 24 * 3600 * 1_000_000_000
    now = 1_800_000_000 * 1_000_000_000
    gone, alive, mine = "a" * 24, "b" * 24, "c" * 24
    ages = {  # file -> days since last used
        f"ledger-{gone}.pickle": 40,
        f"ledger-{gone}.delta.pickle": 31,
        f"memo-{gone}-{'1' * 24}.pickle": 45,
        f"ledger-{alive}.pickle": 90,  # its memo was used yesterday: the root is alive
        f"memo-{alive}-{'2' * 24}.pickle": 1,
        f"ledger-{mine}.pickle": 60,  # the root in use, on a disk whose clock is behind
        ".tmp-stopped1.pickle": 31,  # left by a run that was stopped
        ".tmp-running1.pickle": 0,  # another run is writing it now
        # Not cofi's, in a folder it may share: never touched, however old.
        "notes.txt": 400,
        "ledger-notes.pickle": 400,
        "memo-x.pickle": 400,
        ".tmp-another-program.pickle": 400,
    }
    for name, days in ages.items():
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, ns=(now - days * day, now - days * day))
    (folder / f"ledger-{'d' * 24}.pickle").mkdir()  # a folder, not a cache
    os.utime(folder / f"ledger-{'d' * 24}.pickle", ns=(0, 0))
    cache_mod.forget_stale(folder, now, keep=mine)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            f"ledger-{alive}.pickle",
            f"memo-{alive}-{'2' * 24}.pickle",
            f"ledger-{mine}.pickle",
            ".tmp-running1.pickle",
            "notes.txt",
            "ledger-notes.pickle",
            "memo-x.pickle",
            ".tmp-another-program.pickle",
            f"ledger-{'d' * 24}.pickle",
        ]
    )


def test_reading_the_record_cache_counts_as_using_it(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, tmp_path / "c")
    path = cache_file(tmp_path / "c", root)
    os.utime(path, ns=(0, 0))  # written in 1970
    inode = path.stat().st_ino
    run(root, tmp_path / "c")  # reads it, writes nothing
    assert path.stat().st_ino == inode, "not rewritten: only touched"
    assert path.stat().st_mtime_ns > time.time_ns() - 60 * 1_000_000_000


def test_a_new_cache_forgets_the_stale_ones_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    stale = folder / f"ledger-{'a' * 24}.pickle"
    stale.write_bytes(b"x")
    forty_days_ago = time.time_ns() - 40 * 24 * 3600 * 1_000_000_000
    os.utime(stale, ns=(forty_days_ago, forty_days_ago))
    root = write_ledger(tmp_path / "l", BASE)
    age(root)
    run(root, folder)  # writes this root's first cache
    assert not stale.exists()
    assert cache_file(folder, root).exists()


def test_the_record_cache_does_not_depend_on_the_language_and_the_memo_does(french) -> None:
    """Problems are kept as written in the code and put into words when printed: the
    record cache serves every language; the memo keeps tables already in words."""
    from cofi import cache, i18n, memo

    records, tables = cache.fingerprint(), memo.fingerprint()
    i18n.use("en")
    assert cache.fingerprint() == records
    assert memo.fingerprint() != tables
