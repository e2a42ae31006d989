"""What lies in the cache folder under a cache file's name is opened only if it is a regular
file, and never blocks: a FIFO (which would wait for a writer for ever), a symbolic link
(to a FIFO, to nothing, to a copy of a cache) or a folder is a cache that is not there.
The run computes afresh, gives the same output, and writes its cache back atomically
where it can (a folder in the way is left alone).

Each run is a separate process with a timeout, so that a run that hangs fails its test
instead of blocking the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cofi.cache import cache_file
from cofi.listing import RACY_NS
from conftest import base_ledger, write_ledger

LEDGER = base_ledger(
    {
        "ledger/contributions/a.yaml": (
            "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 120\n"
        )
    },
    envelope="1000",
    allocation="first-come",
)
COMMANDS = (("check",), ("match", "--format", "csv"))
KINDS = ("fifo", "link-to-fifo", "dangling-link", "link-to-a-copy", "folder")


def cofi(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m cofi ARGS` on the ledger, with its caches in `cache`; 30 s at most."""
    return subprocess.run(
        [sys.executable, "-m", "cofi", *args, "--root", str(root), "--as-of", "2026-11-28"],
        env={**os.environ, "COFI_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def outputs(root: Path, cache: Path) -> list[tuple[int, str]]:
    return [(r.returncode, r.stdout) for r in (cofi(root, cache, *c) for c in COMMANDS)]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger whose files are old enough to be cached and memoised (their status change
    time too, which no program can set back: hence the wait)."""
    root = write_ledger(tmp_path_factory.mktemp("cache-files") / "l", LEDGER)
    time.sleep(RACY_NS / 1e9 + 0.2)
    return root


@pytest.fixture
def ledger(root: Path, tmp_path: Path) -> tuple[Path, Path, list[tuple[int, str]]]:
    """The ledger, its own cache folder after a first run of each command, and what those
    runs printed."""
    cache = tmp_path / "cache"
    first = outputs(root, cache)
    assert [code for code, _ in first] == [0, 0]
    return root, cache, first


def plant(path: Path, kind: str, elsewhere: Path) -> None:
    """Put a `kind` of thing at `path`, where a cache file was or would be."""
    if path.exists() or path.is_symlink():
        if kind == "link-to-a-copy":
            shutil.copy(path, elsewhere / f"copy-{path.name}")
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-fifo":
        fifo = elsewhere / f"fifo-{path.name}"
        os.mkfifo(fifo)
        path.symlink_to(fifo)
    elif kind == "dangling-link":
        path.symlink_to(elsewhere / "nothing-here")
    elif kind == "link-to-a-copy":
        copy = elsewhere / f"copy-{path.name}"
        if not copy.exists():
            copy.write_bytes(b"")
        path.symlink_to(copy)
    else:
        path.mkdir()


def regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


@pytest.mark.parametrize("kind", KINDS)
def test_the_record_cache_and_the_memos_are_opened_only_as_regular_files(
    ledger: tuple[Path, Path, list[tuple[int, str]]], tmp_path: Path, kind: str
) -> None:
    root, cache, first = ledger
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    memos = sorted(cache.glob("memo-*.pickle"))
    base = cache_file(cache, root)
    assert memos and regular(base)
    for path in [base, *memos]:
        plant(path, kind, elsewhere)
    assert outputs(root, cache) == first  # no hang, the same figures
    if kind != "folder":  # written back in their place, as regular files
        assert regular(base)
        assert all(regular(m) for m in memos)
    assert outputs(root, cache) == first


@pytest.mark.parametrize("kind", KINDS)
def test_the_delta_of_the_record_cache_is_opened_only_as_a_regular_file(
    ledger: tuple[Path, Path, list[tuple[int, str]]], tmp_path: Path, kind: str
) -> None:
    root, cache, first = ledger
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for memo in cache.glob("memo-*.pickle"):
        memo.unlink()  # so that the runs read the record cache, then its delta
    delta = cache_file(cache, root).with_suffix(".delta.pickle")
    plant(delta, kind, elsewhere)
    assert outputs(root, cache) == first


def test_a_fifo_in_the_cache_folder_does_not_stop_check_in_process(
    ledger: tuple[Path, Path, list[tuple[int, str]]],
) -> None:
    """The loader's own function, called directly: it answers at once."""
    from cofi import cache as cache_mod

    root, cache, _ = ledger
    base = cache_file(cache, root)
    base.unlink()
    os.mkfifo(base)
    assert cache_mod.load(base, cache_mod.fingerprint()) is None
