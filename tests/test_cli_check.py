"""`cofi check` as a user and CI see it: output formats, exit status, --output, --version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

import cofi
import cofi.listing
import cofi.loader
from cofi.cli import app

GOOD = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
    "ledger/contributions/c1.yaml": """
        date: 2026-03-14
        contributor: la-ruche
        common: dokos
        amount: 1200
        """,
}
BAD_AMOUNT = {
    **GOOD,
    "ledger/contributions/c1.yaml": GOOD["ledger/contributions/c1.yaml"].replace("1200", "0"),
}


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """The record cache goes to a fresh folder, not the user's home."""
    monkeypatch.setenv("COFI_CACHE_DIR", str(tmp_path / "cache"))


def cofi_check(root, *args: str):
    return CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", "2026-11-28", *args])


def test_clean_ledger_is_quiet(ledger_dir):
    result = cofi_check(ledger_dir(GOOD))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "ok: 3 files checked, no problems\n"


def test_settings_file_is_counted(ledger_dir):
    result = cofi_check(ledger_dir({**GOOD, "ledger/settings.yaml": "currency: EUR\n"}))
    assert result.exit_code == 0
    assert result.stderr == "ok: 4 files checked, no problems\n"


def test_errors_are_printed_with_a_hint_and_exit_1(ledger_dir):
    result = cofi_check(ledger_dir(BAD_AMOUNT))
    assert result.exit_code == 1
    assert result.stdout == (
        "ledger/contributions/c1.yaml:4:9: S003 amount must be greater than 0, found 0\n"
        "    hint: write amounts like 1200 or 1200.50\n"
    )
    assert result.stderr == "1 error, 0 warnings (3 files checked)\n"


def test_several_errors_are_counted(ledger_dir):
    root = ledger_dir({**BAD_AMOUNT, "commons/movilab.yaml": "nme: Movilab\n"})
    result = cofi_check(root)
    assert result.exit_code == 1
    # S003 for the amount; S001 "nme: did you mean name?" — and no S002 "missing name"
    # besides: a misspelt key is one mistake.
    assert result.stderr == "2 errors, 0 warnings (4 files checked)\n"


def test_no_ledger_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no ledger found" in result.stderr and "--root" in result.stderr
    result = CliRunner().invoke(app, ["check", "--root", str(tmp_path)])
    assert result.exit_code == 2


def test_the_root_is_found_from_a_sub_folder(ledger_dir, monkeypatch):
    root = ledger_dir(BAD_AMOUNT)
    monkeypatch.chdir(root / "ledger" / "contributions")
    result = CliRunner().invoke(app, ["check", "--as-of", "2026-11-28"])
    assert result.exit_code == 1
    # paths stay relative to the root, wherever cofi runs
    assert result.stdout.startswith("ledger/contributions/c1.yaml:4:9: S003")


@pytest.mark.parametrize("as_of", ["2026-02-30", "28/11/2026", "yesterday"])
def test_bad_as_of_exits_2(ledger_dir, as_of):
    result = CliRunner().invoke(app, ["check", "--root", str(ledger_dir(GOOD)), "--as-of", as_of])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("cofi: --as-of: ")


def test_as_of_moves_today(ledger_dir):
    root = ledger_dir(GOOD)
    early = CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", "2026-03-13"])
    assert early.exit_code == 1
    assert "L007 dated 2026-03-14, after today (2026-03-13)" in early.stdout
    on_the_day = CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", "2026-03-14"])
    assert on_the_day.exit_code == 0


def test_json_format(ledger_dir):
    result = cofi_check(ledger_dir(BAD_AMOUNT), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "ledger/contributions/c1.yaml",
            "line": 4,
            "col": 9,
            "code": "S003",
            "name": "bad-amount",
            "severity": "error",
            "message": "amount must be greater than 0, found 0",
            "hint": "write amounts like 1200 or 1200.50",
        }
    ]
    assert result.stderr == "1 error, 0 warnings (3 files checked)\n"


def test_json_format_of_a_clean_ledger_is_an_empty_list(ledger_dir):
    result = cofi_check(ledger_dir(GOOD), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_github_format(ledger_dir):
    result = cofi_check(ledger_dir(BAD_AMOUNT), "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=ledger/contributions/c1.yaml,line=4,col=9,title=S003 bad-amount::"
        "amount must be greater than 0, found 0%0Awrite amounts like 1200 or 1200.50\n"
    )


def test_github_format_escapes_properties_and_newlines(ledger_dir):
    # A badly named file: its name has a comma, a colon and a percent sign.
    root = ledger_dir({**GOOD, "ledger/contributors/a,b:c%.yaml": "name: X\nkind: network\n"})
    result = cofi_check(root, "-f", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=ledger/contributors/a%2Cb%3Ac%25.yaml,line=1,col=1,")
    assert "title=F001 bad-file-name::" in lines[0]
    # the message keeps its comma; message and hint are joined by an escaped newline
    assert lines[0].endswith(
        "::'a,b:c%25' is not a valid file name for a record: the name is the record's id"
        "%0Ause lowercase letters, digits and hyphens, at most 64 characters, "
        "like 2026-03-14-la-ruche-dokos.yaml"
    )


def test_output_file(ledger_dir, tmp_path):
    out = tmp_path / "problems.json"
    result = cofi_check(ledger_dir(BAD_AMOUNT), "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [p["code"] for p in json.loads(out.read_text(encoding="utf-8"))] == ["S003"]
    assert result.stderr == "1 error, 0 warnings (3 files checked)\n"


def test_output_file_of_a_clean_ledger_is_written_empty(ledger_dir, tmp_path):
    out = tmp_path / "problems.txt"
    out.write_text("stale\n")
    result = cofi_check(ledger_dir(GOOD), "-o", str(out))
    assert result.exit_code == 0
    assert out.read_text() == ""


def test_broken_input_gives_no_traceback(ledger_dir):
    root = ledger_dir({**GOOD, "commons/x.yaml": "a: [\n", "commons/y.yaml": "- 1\n"})
    (root / "ledger/contributions/z.yaml").write_bytes(b"\xff\xfe\x00")
    result = cofi_check(root)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"cofi {version('cofi')}\n"
    assert cofi.__version__ == version("cofi")


def test_python_dash_m_cofi_version():
    run = subprocess.run(
        [sys.executable, "-m", "cofi", "--version"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"cofi {cofi.__version__}\n"


def test_check_help_shows_an_example():
    result = CliRunner().invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "Example: cofi check" in result.stdout
    for option in ("--root", "--as-of", "--format", "--output"):
        assert option in result.stdout


def test_a_folder_that_cannot_be_listed_is_an_error_not_a_traceback(ledger_dir, monkeypatch):
    """Running as root, chmod 000 would not stop the walk: the folder's listing fails instead."""
    root = ledger_dir({**GOOD, "ledger/contributions/2026/c2.yaml": "date: 2026-03-15\n"})
    scandir = os.scandir

    def refuse(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("contributions/2026"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    # `cofi.listing.os` is the os module itself: every os.scandir of this run goes through
    # `refuse` (the memo's pruning too), and only the one folder is refused.
    monkeypatch.setattr(cofi.listing.os, "scandir", refuse)
    _settled_clock(monkeypatch)
    result = cofi_check(root)
    assert result.exit_code == 1
    assert result.stdout == (
        "ledger/contributions/2026/:1:1: F003 cannot read this folder, so none of the files "
        "in it are checked\n"
        "    hint: check that you may read the folder (its permissions) and run cofi again\n"
    )
    # The three readable files are checked; the one behind the folder is not counted.
    assert result.stderr == "1 error, 0 warnings (3 files checked)\n"
    # Not memoised (the folder may be readable next time, with the walk unchanged).
    assert cofi_check(root).stdout == result.stdout
    cache = root.parent / "cache"  # own_cache's folder
    assert list(cache.glob("ledger-*.pickle")) and not list(cache.glob("memo-*"))
    monkeypatch.setattr(cofi.listing.os, "scandir", scandir)
    second = cofi_check(root)
    assert "F003" not in second.stdout  # readable again: c2.yaml is checked (it lacks keys)
    assert "c2.yaml" in second.stdout


class _Folder:
    """What os.scandir gives, but whose entries `change` may alter or break off."""

    def __init__(self, path, change):  # type: ignore[no-untyped-def]
        self.entries = _SCANDIR(path)
        self.change = change

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.entries.close()

    def __iter__(self):  # type: ignore[no-untyped-def]
        for e in self.entries:
            yield self.change(e)


class _NoStat:
    """A folder entry whose status cannot be read, as in a folder one may list but not enter."""

    def __init__(self, e: os.DirEntry) -> None:  # type: ignore[type-arg]
        self.name, self.path, self._e = e.name, e.path, e

    def is_symlink(self) -> bool:
        return self._e.is_symlink()

    def is_dir(self) -> bool:
        return self._e.is_dir()

    def is_file(self) -> bool:
        return self._e.is_file()

    def stat(self):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", self.path)


_SCANDIR = os.scandir
CONTRIBUTIONS = "ledger/contributions"


def _settled_clock(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The files just written count as settled, so that the memo is in play."""
    monkeypatch.setattr(cofi.listing, "clock", lambda: time.time_ns() + 10_000_000_000)


def test_a_listing_that_breaks_off_is_an_error(ledger_dir, monkeypatch):
    root = ledger_dir(GOOD)

    def broken(e):  # type: ignore[no-untyped-def]
        raise OSError(5, "Input/output error")

    def scandir(path):  # type: ignore[no-untyped-def]
        return _Folder(path, broken) if str(path).endswith(CONTRIBUTIONS) else _SCANDIR(path)

    monkeypatch.setattr(cofi.listing.os, "scandir", scandir)
    result = cofi_check(root)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{CONTRIBUTIONS}/:1:1: F003 cannot read this folder")
    assert result.stderr == "1 error, 0 warnings (2 files checked)\n"


def test_a_file_whose_status_cannot_be_read_is_read_and_its_error_told(ledger_dir, monkeypatch):
    """Not "a broken link, or a pipe": the error the system gives when reading it."""
    root = ledger_dir(GOOD)

    def scandir(path):  # type: ignore[no-untyped-def]
        return _Folder(path, _NoStat) if str(path).endswith(CONTRIBUTIONS) else _SCANDIR(path)

    read = cofi.loader._read_bytes

    def refuse(root, rel):  # type: ignore[no-untyped-def]
        if rel.startswith(CONTRIBUTIONS):
            raise PermissionError(13, "Permission denied", rel)
        return read(root, rel)

    monkeypatch.setattr(cofi.listing.os, "scandir", scandir)
    monkeypatch.setattr(cofi.loader, "_read_bytes", refuse)
    result = cofi_check(root)
    assert result.stdout == (
        f"{CONTRIBUTIONS}/c1.yaml:1:1: F003 cannot read this file: Permission denied\n"
        "    hint: check that the file exists and that you may read it\n"
    )


def test_a_file_without_status_is_never_cached_nor_memoised(ledger_dir, monkeypatch):
    """Its status failed but it could be read: checked from what it holds now, each time,
    since no stamp says whether it changed."""
    root = ledger_dir(GOOD)
    _settled_clock(monkeypatch)

    def scandir(path):  # type: ignore[no-untyped-def]
        return _Folder(path, _NoStat) if str(path).endswith(CONTRIBUTIONS) else _SCANDIR(path)

    monkeypatch.setattr(cofi.listing.os, "scandir", scandir)
    assert cofi_check(root).exit_code == 0
    c1 = root / CONTRIBUTIONS / "c1.yaml"
    c1.write_text(c1.read_text().replace("1200", "0"))  # now refused (S003)
    second = cofi_check(root)
    assert second.exit_code == 1 and "S003" in second.stdout
    assert not list((root.parent / "cache").glob("memo-*"))


def test_gitlab_fingerprints_name_the_field_not_the_words_or_the_line(ledger_dir):
    """A fingerprint is code + file + the field's key path: the same in every language,
    the same when lines move around the field, and another for another field."""
    from cofi import i18n

    two = {
        **GOOD,
        "ledger/contributions/c1.yaml": "date: 2026-03-14\ncontributor: la-ruche\n"
        "common: dokos\namount: 0\nreference: x\nnote: y\nwhat: 1\nwho: 2\n",
    }
    root = ledger_dir(two)
    english = json.loads(cofi_check(root, "--format", "gitlab").stdout)
    i18n.use("fr")
    try:
        french = json.loads(cofi_check(root, "--format", "gitlab").stdout)
    finally:
        i18n.use("en")
    assert [r["fingerprint"] for r in english] == [r["fingerprint"] for r in french]
    assert [r["description"] for r in english] != [r["description"] for r in french]
    # S003 on `amount`, two S001 on `what` and `who`: three fingerprints, all distinct
    assert len({r["fingerprint"] for r in english}) == len(english) == 3
    path = root / "ledger/contributions/c1.yaml"
    path.write_text("# a comment that moves every line\n" + path.read_text(encoding="utf-8"))
    moved = json.loads(cofi_check(root, "--format", "gitlab").stdout)
    assert [r["fingerprint"] for r in moved] == [r["fingerprint"] for r in english]
    assert [r["location"]["lines"]["begin"] for r in moved] != [
        r["location"]["lines"]["begin"] for r in english
    ]
