"""The edges of the walk: links to folders (F005), files in record folders that cofi does
not read (F002 for a name almost .yaml, F004 for the others), and a record folder that is
a file (F002). Nothing is ever skipped in silence.

Every problem here is about a whole file or folder, so it is at line 1, column 1.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cofi.listing
from cofi.cli import app
from cofi.kinds import BY_FOLDER as FOLDERS
from cofi.listing import walk
from conftest import TODAY, validate, write_ledger

C1 = "ledger/contributions/2026/c1.yaml"
GOOD = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
    C1: "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 1200\n",
}
YEAR = "ledger/contributions/2026"
MAIN = Path(__file__).parents[1]
_SCANDIR = os.scandir


def where(problems) -> list[tuple[str, int, int, str]]:
    return [(p.source.path, p.source.line, p.source.col, p.code) for p in problems]


def cofi_check(root: Path):
    return CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", "2026-11-28"])


def settled_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files just written count as settled, so that the memo is in play."""
    monkeypatch.setattr(cofi.listing, "clock", lambda: time.time_ns() + 10_000_000_000)


# --- F006: links are never followed ---------------------------------------------------------

LINK_TEXT = (
    "F006 this is a symbolic link, and cofi reads only plain files and folders\n"
    "    hint: put the file or folder itself here (a copy of what the link points to), "
    "or remove the link\n"
)


def test_a_link_to_the_folder_above_is_reported_not_walked_round(ledger_dir):
    root = ledger_dir(GOOD)
    (root / YEAR / "loop").symlink_to("..")
    loaded = validate(root, TODAY)
    # Followed, every record came back as loop/2026/loop/2026/... until the system gave up.
    assert where(loaded.problems) == [(f"{YEAR}/loop", 1, 1, "F006")]
    assert len(loaded.ledger.contributions) == 1


def test_two_links_to_the_folder_above_do_not_make_the_walk_endless(ledger_dir, monkeypatch):
    root = ledger_dir(GOOD)
    (root / YEAR / "a").symlink_to("..")
    (root / YEAR / "b").symlink_to("..")
    opened: list[str] = []

    def scandir(path):  # type: ignore[no-untyped-def]
        opened.append(path)
        assert len(opened) < 100, "the walk goes round the links, twice as wide at each turn"
        return _SCANDIR(path)

    monkeypatch.setattr(cofi.listing.os, "scandir", scandir)
    problems = validate(root, TODAY).problems
    assert where(problems) == [(f"{YEAR}/a", 1, 1, "F006"), (f"{YEAR}/b", 1, 1, "F006")]
    assert len(opened) == 5  # commons, ledger, contributors, contributions, 2026


def test_a_link_out_of_the_ledger_is_not_followed(ledger_dir, tmp_path):
    root = ledger_dir(GOOD)
    elsewhere = write_ledger(tmp_path / "elsewhere", {"2025/c9.yaml": GOOD[C1]})
    (root / "ledger/contributions/2025").symlink_to(elsewhere / "2025")
    loaded = validate(root, TODAY)
    assert where(loaded.problems) == [("ledger/contributions/2025", 1, 1, "F006")]
    assert [c.id for c in loaded.ledger.contributions] == ["c1"]


def test_a_top_folder_that_is_a_link_is_an_error_and_not_followed(ledger_dir, tmp_path):
    """`commons -> /srv/.../commons` was followed until SPEC §5 "Plain files only": git
    stores the link's text, not the files, so `check --base` and `--at` could never see
    what a plain `check` read. It is now an error (F006), and nothing behind it is read."""
    root = ledger_dir({k: v for k, v in GOOD.items() if not k.startswith("commons/")})
    elsewhere = write_ledger(tmp_path / "elsewhere", {"commons/dokos.yaml": "name: Dokos\n"})
    (elsewhere / "commons" / "loop").symlink_to(elsewhere / "commons")
    (root / "commons").symlink_to(elsewhere / "commons")
    loaded = validate(root, TODAY)
    assert where(loaded.problems)[0] == ("commons", 1, 1, "F006")
    assert loaded.ledger.commons == ()
    assert not any(p.source.path.startswith("commons/") for p in loaded.problems)


def test_the_ledger_folder_as_a_link_is_an_error(ledger_dir, tmp_path):
    root = ledger_dir({})
    elsewhere = write_ledger(tmp_path / "elsewhere", GOOD)
    (root / "ledger").rmdir()
    (root / "ledger").symlink_to(elsewhere / "ledger")
    loaded = validate(root, TODAY)
    assert where(loaded.problems) == [("ledger", 1, 1, "F006")]
    assert loaded.ledger.contributions == ()


def test_a_link_to_a_file_is_an_error_and_not_read(ledger_dir, tmp_path):
    """It was read as the file it points to until SPEC §5 "Plain files only": then an entry
    replaced by a link to an identical copy passed on the working tree but not in git."""
    root = ledger_dir(GOOD)
    elsewhere = write_ledger(tmp_path / "elsewhere", {"c2.yaml": GOOD[C1]})
    (root / YEAR / "c2.yaml").symlink_to(elsewhere / "c2.yaml")
    loaded = validate(root, TODAY)
    assert where(loaded.problems) == [(f"{YEAR}/c2.yaml", 1, 1, "F006")]
    assert sorted(c.id for c in loaded.ledger.contributions) == ["c1"]


def test_a_folder_holding_another_repository_is_an_error_and_not_walked(ledger_dir):
    """A submodule checked out: git holds its commit, not its files."""
    root = ledger_dir({**GOOD, f"{YEAR}/sub/c3.yaml": GOOD[C1]})
    (root / YEAR / "sub" / ".git").write_text("gitdir: ../../../../.git/modules/sub\n")
    loaded = validate(root, TODAY)
    assert where(loaded.problems) == [(f"{YEAR}/sub", 1, 1, "F006")]
    assert "another git repository (a submodule)" in loaded.problems[0].message
    assert [c.id for c in loaded.ledger.contributions] == ["c1"]


def test_a_walk_with_a_folder_link_vouches_for_nothing(ledger_dir, tmp_path, monkeypatch):
    """What lies behind the link is not stamped: no memo may stand for it."""
    settled_clock(monkeypatch)
    root = ledger_dir(GOOD)
    assert walk(root).settled()
    elsewhere = write_ledger(tmp_path / "elsewhere", {"2025/c9.yaml": GOOD[C1]})
    (root / "ledger/contributions/2025").symlink_to(elsewhere / "2025")
    assert not walk(root).settled()


def test_cofi_check_reports_a_folder_link_and_forgets_it_once_removed(ledger_dir, monkeypatch):
    settled_clock(monkeypatch)
    root = ledger_dir(GOOD)
    assert cofi_check(root).exit_code == 0  # memoised
    (root / YEAR / "loop").symlink_to("..")
    for _run in range(2):
        result = cofi_check(root)
        assert result.exit_code == 1
        assert result.stdout == f"{YEAR}/loop:1:1: {LINK_TEXT}"
        assert result.stderr == "1 error, 0 warnings (3 files checked)\n"
    (root / YEAR / "loop").unlink()
    result = cofi_check(root)
    assert (result.exit_code, result.stdout) == (0, "")


# --- F002: a name that is almost .yaml ------------------------------------------------------


@pytest.mark.parametrize("name", ["c2.YAML", "c2.Yaml", "c2.YML", "c2.yaml ", "c2.Yml\t"])
def test_a_name_almost_yaml_is_an_error(ledger_dir, name):
    path = f"{YEAR}/{name}"
    problems = validate(ledger_dir({**GOOD, path: GOOD[C1]}), TODAY).problems
    assert where(problems) == [(path, 1, 1, "F002")]
    ext = name[2:]
    assert problems[0].message == (
        f"this file's name ends in '{ext}', not '.yaml', so cofi does not read it"
    )
    assert problems[0].hint == "rename it to c2.yaml"


def test_a_yml_name_keeps_its_message(ledger_dir):
    path = "commons/movilab.yml"
    problems = validate(ledger_dir({**GOOD, path: "name: Movilab\n"}), TODAY).problems
    assert where(problems) == [(path, 1, 1, "F002")]
    assert (problems[0].message, problems[0].hint) == (
        "this file has the extension .yml, so cofi does not read it",
        "rename it to .yaml",
    )


def test_a_name_almost_yaml_outside_the_record_folders(ledger_dir):
    path = "ledger/archive/c2.YAML"
    problems = validate(ledger_dir({**GOOD, path: GOOD[C1]}), TODAY).problems
    assert where(problems) == [(path, 1, 1, "F002")]
    assert "not in a folder cofi reads" in problems[0].message


# --- F004: other files in a record folder, a warning ----------------------------------------


@pytest.mark.parametrize("name", ["c1.yaml~", "c1.yaml.bak", "notes.txt", "README.md"])
def test_a_file_cofi_does_not_read_is_a_warning(ledger_dir, name):
    path = f"{YEAR}/{name}"
    problems = validate(ledger_dir({**GOOD, path: "a note\n"}), TODAY).problems
    assert where(problems) == [(path, 1, 1, "F004")]
    assert problems[0].severity == "warning"
    assert problems[0].message == "cofi does not read this file: only .yaml files are records"
    assert problems[0].hint == (
        "rename it to .yaml if it is a record, or move it out of ledger/contributions/"
    )


def test_cofi_check_passes_with_a_warning(ledger_dir):
    result = cofi_check(ledger_dir({**GOOD, "commons/notes.txt": "to do\n"}))
    assert result.exit_code == 0
    assert result.stdout == (
        "commons/notes.txt:1:1: F004 warning: cofi does not read this file: "
        "only .yaml files are records\n"
        "    hint: rename it to .yaml if it is a record, or move it out of commons/\n"
    )
    assert result.stderr == "0 errors, 1 warning (3 files checked)\n"


def test_hidden_files_and_notes_beside_the_record_folders_stay_quiet(ledger_dir):
    root = ledger_dir(
        {
            **GOOD,
            f"{YEAR}/.gitkeep": "",
            "commons/.drafts/notes.txt": "to do\n",
            "ledger/README.md": "# Our ledger\n",
        }
    )
    assert validate(root, TODAY).problems == []


@pytest.mark.parametrize(
    "root",
    [MAIN, *sorted(p for p in (MAIN / "examples").iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_the_bundled_ledgers_have_no_stray_file(root: Path):
    """Their records are checked elsewhere, as of their own day: here only where files lie."""
    stray = [p for p in validate(root, TODAY).problems if p.code in ("F002", "F004", "F006")]
    assert stray == []


# --- F002: a record folder that is a file ---------------------------------------------------


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_a_record_folder_that_is_a_file_is_an_error(ledger_dir, folder):
    root = ledger_dir({"ledger/settings.yaml": "currency: EUR\n", folder: "name: X\n"})
    problems = validate(root, TODAY).problems
    assert where(problems) == [(folder, 1, 1, "F002")]
    assert problems[0].message == "this should be a folder of records, but it is a file"
    assert problems[0].hint == (
        f"remove or rename this file, and keep the records in the folder {folder}/"
    )
