"""The CLI at its edges: a write that fails, a report interrupted half-way, ledger text
on a real terminal, a ledger in dollars, an unknown --lang, explain given a pledge, and
an --as-of that is not UTF-8. Each ends in a clear message and exit 2, or in the right
output; never in a traceback.

The small ledger (as of 2026-11-28): dokos needs 175,000 (one need, `hosting`); la-ruche
gave 1,000 on 2026-03-01 (`a`) and pledged 500 due 2026-12-31 (`p`); pilote-2026 (État,
ratio 1, first-come, envelope 50,000) matched `a` 1,000 and paid 1,000 on 2026-04-01
(`d`). Status of dokos: contributed 1,000, matched 1,000; `a` names no need, so it covers
none and 175,000 is still needed (a note says so).
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi import listing
from cofi.cli import app
from cofi.cli.options import WorkingTree
from conftest import base_ledger, write_ledger

AS_OF = "2026-11-28"
NNBSP, NBSP = "\u202f", "\u00a0"
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")
HOSTING = "name: Dokos\nneeds:\n  - id: hosting\n    title: Hosting\n    amount: 175000\n"
LEDGER = base_ledger(
    {
        "commons/dokos.yaml": HOSTING,
        "commons/movilab.yaml": None,
        "ledger/contributions/2026/a.yaml": (
            "date: 2026-03-01\ncontributor: la-ruche\ncommon: dokos\namount: 1000\n"
        ),
        "ledger/pledges/p.yaml": (
            "date: 2026-02-01\ncontributor: la-ruche\ncommon: dokos\namount: 500\ndue: 2026-12-31\n"
        ),
        "ledger/disbursements/2026/d.yaml": (
            "date: 2026-04-01\nprogramme: pilote-2026\ncommon: dokos\namount: 1000\n"
        ),
    },
    envelope="50000",
    allocation="first-come",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "ledger-root", LEDGER)


def cofi(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [*args, "--root", str(root), "--as-of", AS_OF])


def refused(result, message: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2 with exactly `message` on stderr, and no traceback."""
    assert (result.exit_code, result.stderr) == (2, f"cofi: {message}\n"), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def process(*args: str | bytes, **kw) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    """`python -m cofi ARGS` in a new process, in English."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="C.UTF-8", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "cofi", *args], env=env, timeout=120, check=False, **kw
    )


# ---- 1. a write that fails --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["match", "obligations", "status"])
def test_output_into_a_missing_folder_names_the_path_and_the_reason(
    root: Path, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "nope" / "x.txt"
    result = cofi(root, command, "--output", str(target))
    refused(result, f"cannot write {target}: No such file or directory")
    assert not target.parent.exists()


@needs_dev_full
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_output_on_a_full_disk_names_the_path_and_the_reason(root: Path, fmt: str) -> None:
    result = cofi(root, "status", "--format", fmt, "--output", str(FULL))
    assert result.exit_code == 2
    assert result.stderr.endswith("cofi: cannot write /dev/full: No space left on device\n")


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [("match",), ("match", "--format", "csv"), ("explain", "a"), ("check", "--format", "json")],
)
def test_stdout_on_a_full_disk_is_a_clear_failure(root: Path, args: tuple[str, ...]) -> None:
    with FULL.open("wb") as full:
        done = process(
            *args, "--root", str(root), "--as-of", AS_OF, stdout=full, stderr=subprocess.PIPE
        )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.endswith("cofi: cannot write to standard output: No space left on device\n")
    assert "Traceback" not in err and "Exception ignored" not in err


@needs_dev_full
def test_report_into_a_device_is_refused(root: Path) -> None:
    result = cofi(root, "report", "--html", str(FULL))
    refused(result, "/dev/full exists and is not a folder: choose a folder")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def leftovers(folder: Path) -> list[str]:
    """Hidden siblings a report run left beside `folder`."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_a_report_whose_commons_became_a_file_is_written_again(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert cofi(root, "report", "--html", str(out)).exit_code == 0
    (out / "commons" / "dokos.html").unlink()
    (out / "commons").rmdir()
    (out / "commons").write_text("not a folder", encoding="utf-8")
    result = cofi(root, "report", "--html", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "commons" / "dokos.html").is_file()
    assert leftovers(out) == []


# ---- 2. a report is replaced whole, or not at all --------------------------------------------


@pytest.fixture
def previous(root: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A report written as of 2026-06-30 (before the disbursement), and its files."""
    out = tmp_path / "public"
    result = CliRunner().invoke(
        app, ["report", "--html", str(out), "--root", str(root), "--as-of", "2026-06-30"]
    )
    assert result.exit_code == 0, result.output
    return out, tree(out)


def fail_after(monkeypatch: pytest.MonkeyPatch, n: int, error: BaseException) -> None:
    """Let the report write `n` files, then fail as the disk (or the user's Ctrl-C) would."""
    real = Path.write_text
    written: list[Path] = []

    def write_text(self: Path, *args, **kw):  # type: ignore[no-untyped-def]
        if len(written) == n:
            raise error
        written.append(self)
        return real(self, *args, **kw)

    monkeypatch.setattr(Path, "write_text", write_text)


def test_a_report_failing_half_way_leaves_the_previous_one_intact(
    root: Path, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    fail_after(monkeypatch, 5, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = cofi(root, "report", "--html", str(out))
    refused(result, f"cannot write the report into {out}: No space left on device")
    assert tree(out) == before
    assert leftovers(out) == []


def test_an_interrupted_report_leaves_the_previous_one_intact(
    root: Path, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    fail_after(monkeypatch, 5, KeyboardInterrupt())
    result = cofi(root, "report", "--html", str(out))
    assert result.exit_code != 0
    assert tree(out) == before
    assert leftovers(out) == []


def test_what_a_killed_run_left_is_cleared_and_blocks_nothing(root: Path, tmp_path: Path) -> None:
    """A `kill -9` skips every `finally`: its hidden staging folder stays behind, inside the
    report's folder. The next run removes it, even where there is no report yet."""
    out = tmp_path / "public"
    (out / ".cofi-new-killed" / "commons").mkdir(parents=True)
    (out / ".cofi-new-killed" / "index.html").write_text("half", encoding="utf-8")
    assert cofi(root, "report", "--html", str(out)).exit_code == 0
    assert not any(p.name.startswith(".cofi-new-") for p in out.iterdir())
    assert (out / "index.html").is_file()


def test_a_new_report_replaces_the_old_and_keeps_the_users_files(
    root: Path, previous: tuple[Path, dict[str, bytes]]
) -> None:
    """The stale page goes; a CNAME and a .git the user keeps there stay."""
    out, before = previous
    (out / "explain" / "2020-01-01-gone.html").write_text("old page", encoding="utf-8")
    (out / "CNAME").write_text("report.example.org\n", encoding="utf-8")
    (out / ".git" / "refs").mkdir(parents=True)
    (out / ".git" / "refs" / "main").write_text("abc\n", encoding="utf-8")
    (out / ".git" / "refs" / "tags").mkdir()  # empty after `git gc`: git needs it still
    (out / "explain" / "notes.txt").write_text("mine\n", encoding="utf-8")
    out.chmod(0o750)  # as the user or their web server has it
    inode = out.stat().st_ino
    assert cofi(root, "report", "--html", str(out)).exit_code == 0
    after = tree(out)
    assert after["index.html"] != before["index.html"]  # as of 2026-11-28 now: paid 1,000
    assert "explain/2020-01-01-gone.html" not in after
    assert after["CNAME"] == b"report.example.org\n"
    assert after[".git/refs/main"] == b"abc\n"
    assert after["explain/notes.txt"] == b"mine\n"
    assert (out / ".git" / "refs" / "tags").is_dir()
    assert out.stat().st_mode & 0o777 == 0o750 and out.stat().st_ino == inode  # the same folder
    assert not any(p.name.startswith(".cofi-new-") for p in out.iterdir())


def test_a_first_report_has_the_permissions_of_any_new_folder(root: Path, tmp_path: Path) -> None:
    """Not those of a private temporary folder (0700): a web server must read it."""
    out = tmp_path / "public"
    mask = os.umask(0o022)
    try:
        assert cofi(root, "report", "--html", str(out)).exit_code == 0
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_report_into_the_current_folder_keeps_that_folder(
    root: Path, previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renamed away, it would leave the shell that ran cofi in a deleted folder."""
    out, _before = previous
    inode = out.stat().st_ino
    monkeypatch.chdir(out)
    assert cofi(root, "report", "--html", ".").exit_code == 0
    assert out.stat().st_ino == inode
    assert Path("index.html").is_file() and Path.cwd().samefile(out)
    assert leftovers(out) == []


def test_a_folder_that_holds_no_report_is_still_refused(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused(
        cofi(root, "report", "--html", str(out)),
        f"{out} is not empty and holds no cofi report: choose a new folder",
    )
    assert tree(out) == {"notes.txt": b"mine"}


# ---- 3. ledger text on a real terminal --------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def on_a_terminal(*args: str) -> tuple[int, str, str]:
    """`python -m cofi ARGS` with its stdout on a pseudo-terminal: code, raw screen, stderr."""
    leader, follower = os.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = process(*args, stdout=follower, stderr=subprocess.PIPE)
    finally:
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
    return done.returncode, b"".join(chunks).decode(errors="replace"), done.stderr.decode()


@pytest.mark.parametrize("name", ["Dokos [/bold] x", "Dokos [beta]", "[link=http://evil]x[/link]"])
def test_status_on_a_terminal_shows_a_name_with_brackets_as_written(
    tmp_path: Path, name: str
) -> None:
    files = {
        **LEDGER,
        "commons/dokos.yaml": LEDGER["commons/dokos.yaml"].replace(
            "name: Dokos", f'name: "{name}"'
        ),
    }
    root = write_ledger(tmp_path / "l", files)
    code, screen, err = on_a_terminal("status", "--root", str(root), "--as-of", AS_OF)
    assert code == 0, err
    assert name in ANSI.sub("", screen)
    assert "\x1b]8;" not in screen  # no live link (OSC 8)


# ---- 4. a ledger in dollars -------------------------------------------------------------------


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the memo serve files just written: the walk sees them as ten seconds old."""
    monkeypatch.setattr(listing, "clock", lambda: time.time_ns() + 10_000_000_000)


@pytest.mark.parametrize("currency", ["USD", "JPY"])
def test_french_tables_and_explain_write_the_ledgers_currency(
    tmp_path: Path, french: None, currency: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_ledger(
        tmp_path / "l", {**LEDGER, "ledger/settings.yaml": f"currency: {currency}\n"}
    )
    settled(monkeypatch)
    loads: list[object] = []
    real = WorkingTree.validate
    monkeypatch.setattr(WorkingTree, "validate", lambda *a: loads.append(a) or real(*a))
    for run in ("computed", "served by the memo, which keeps no ledger"):
        status = cofi(root, "status")
        assert status.exit_code == 0, status.output
        assert f"dokos : 1{NNBSP}000,00{NBSP}{currency} apportés" in status.stdout, run
        assert "€" not in status.stdout
    assert len(loads) == 1, "the second run was served"
    explained = cofi(root, "explain", "a").stdout
    assert f"1{NNBSP}000,00{NBSP}{currency}" in explained and "€" not in explained
    match = cofi(root, "match")
    # the notes are amounts too: envelope 50,000, allocated 1,000, unallocated 49,000
    assert f"49{NNBSP}000,00{NBSP}{currency}" in match.stdout and "€" not in match.stdout


def test_csv_and_json_of_a_ledger_in_dollars_are_bare_figures(tmp_path: Path, french: None) -> None:
    root = write_ledger(tmp_path / "l", {**LEDGER, "ledger/settings.yaml": "currency: USD\n"})
    csv_ = cofi(root, "status", "--format", "csv").stdout
    # public share 1,000 / 175,000 = 0.00571… → 0.0057
    assert "dokos,,Dokos,175000.00,1000.00,1000.00,175000.00,0.0000,0.0057," in csv_.splitlines()
    json_ = cofi(root, "status", "--format", "json").stdout
    assert '"still_needed": "175000.00"' in json_ and "USD" not in json_


# ---- 5. small ones ----------------------------------------------------------------------------


def test_an_unknown_lang_is_refused(root: Path) -> None:
    result = CliRunner().invoke(app, ["--lang", "xx", "status", "--root", str(root)])
    refused(result, "--lang: unknown language 'xx'; choose one of: en, fr")


@pytest.mark.parametrize("lang", ["en", "fr", "FR", "fr_FR.UTF-8"])
def test_a_known_lang_is_taken(root: Path, lang: str) -> None:
    result = CliRunner().invoke(app, ["--lang", lang, "status", "--root", str(root)])
    assert result.exit_code == 0, result.output


def test_an_unknown_lang_is_refused_by_the_program(root: Path) -> None:
    done = process("--lang", "xx", "status", "--root", str(root), capture_output=True)
    assert done.returncode == 2
    assert b"unknown language 'xx'; choose one of: en, fr" in done.stderr


@pytest.mark.parametrize(
    ("entry", "what"),
    [
        ("p", "'p' is a pledge, not a contribution: cofi explain takes a contribution's id "
         "(cofi obligations shows what a pledge still owes)"),
        ("d", "'d' is a disbursement, not a contribution: cofi explain takes a contribution's id"),
        ("nowhere", "no contribution 'nowhere' in this ledger (the id is the file name "
         "without .yaml)"),
    ],
)  # fmt: skip
def test_explain_says_what_an_id_that_is_not_a_contributions_is(
    root: Path, entry: str, what: str
) -> None:
    refused(cofi(root, "explain", entry), what)


def test_an_as_of_that_is_not_utf8_is_the_usual_as_of_error(root: Path) -> None:
    """Python hands a byte that is not UTF-8 over as a lone surrogate (PEP 383)."""
    expected = "--as-of: '\\xff' is not a date: write it as YYYY-MM-DD, like 2026-03-14"
    result = CliRunner().invoke(app, ["match", "--root", str(root), "--as-of", "\udcff"])
    refused(result, expected)
    done = process(b"match", b"--root", bytes(root), b"--as-of", b"\xff", capture_output=True)
    assert (done.returncode, done.stderr.decode()) == (2, f"cofi: {expected}\n")
