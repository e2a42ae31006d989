"""docs/errors.md runs: every sample output in it is what cofi prints (hledger's way).

How the doc is read (it is written for people first; these are its only rules):

- the first ```yaml block, before any `## CODE name` section, is the base ledger: files
  introduced by `# PATH` comment lines;
- in a section, a ```yaml block right after a line that names a ledger path in backquotes
  and ends with `:` is a file that the example writes; a backquoted email on that line is
  the author of the git commit that writes it (for the G codes), and a line that says
  "At `origin/main`, `PATH`:" gives a file of the base revision instead;
- a ```console block is a run: `$ cofi ...` then exactly what cofi prints on stdout
  (the summary line goes to stderr and is not shown). It runs from the root of the base
  ledger plus the files shown since the section's previous run; for a G code, in a git
  repository whose `origin/main` holds the base ledger, with the files committed on top.

What plain files cannot say (bytes that are not UTF-8, a file too large to print, a link,
an unreadable file) is done by the small recipes below, one per code, after the files
are written.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.problems import CODES
from gitrepo import GitRepo
from test_docs_errors import DOC, HEADING
from test_docs_errors import sections as name_and_body

FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
PATH_LINE = re.compile(r"`((?:ledger|commons)/[^`\s]+)`[^`\n]*:$")
AUTHOR = re.compile(r"`([^`\s]+@[^`\s]+)`")
AT_BASE = "At `origin/main`, "
OUTPUT_LINE = re.compile(r"^\S+:\d+:\d+: [A-Z]\d{3} ", re.MULTILINE)
COORDINATOR = "coordination@example.org"

# Sections whose samples are not run, and why. Keep this list short.
NOT_RUN = {
    "F005": "retired: cofi no longer reports it; the sample shows what older versions printed"
}


@dataclass
class Run:
    """One ```console block: the files written before it, the command, what it prints."""

    code: str
    index: int
    args: list[str]
    expected: str
    files: dict[str, str] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)
    at_base: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.code}-{self.index}" if self.index else self.code


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def base_ledger() -> dict[str, str]:
    """{path: text} of the base ledger declared once at the top of the doc."""
    text = _text()
    head = text[: HEADING.search(text).start()]  # type: ignore[union-attr]
    block = next(m[2] for m in FENCE.finditer(head) if m[1] == "yaml")
    files: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines():
        if m := re.fullmatch(r"# ((?:ledger|commons)/\S+\.yaml)", line):
            current = files.setdefault(m[1], [])
        else:
            assert current is not None, "the base ledger starts with a `# PATH` line"
            current.append(line)
    return {path: "\n".join(lines).strip("\n") + "\n" for path, lines in files.items()}


def sections() -> dict[str, str]:
    """code -> body of its `## CODE name` section."""
    return {code: body for code, (_, body) in name_and_body().items()}


def runs() -> list[Run]:
    """Every ```console block of the doc, with the files shown before it in its section."""
    out: list[Run] = []
    for code, body in sections().items():
        files: dict[str, str] = {}
        authors: dict[str, str] = {}
        at_base: dict[str, str] = {}
        index = 0
        last = 0
        for m in FENCE.finditer(body):
            lead = body[last : m.start()].strip().splitlines()
            last = m.end()
            said = lead[-1] if lead else ""
            if m[1] == "yaml":
                where = PATH_LINE.search(said)
                assert where, f"{code}: a ```yaml block must follow a line naming its `path`:"
                if AT_BASE in said:
                    at_base[where[1]] = m[2]
                    continue
                files[where[1]] = m[2]
                if who := AUTHOR.search(said):
                    authors[where[1]] = who[1]
            elif m[1] == "console":
                command, *printed = m[2].splitlines()
                assert command.startswith("$ cofi "), f"{code}: a run starts with `$ cofi`"
                expected = "".join(line + "\n" for line in printed)
                args = shlex.split(command[len("$ cofi ") :])
                out.append(Run(code, index, args, expected, files, authors, at_base))
                files, authors, at_base, index = {}, {}, {}, index + 1
    return out


# What a file's text cannot say, done after the files are written: (code, run index) -> recipe.
def _latin1(root: Path, rel: str) -> None:
    path = root / rel
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _huge(root: Path, rel: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace("xxxxxxxx…", "x" * 300_000))


def _unreadable(root: Path, rel: str) -> None:
    (root / rel).chmod(0)


def _unreadable_folder(root: Path, rel: str) -> None:
    (root / rel).mkdir(parents=True, exist_ok=True)
    (root / rel).chmod(0)


def _link(root: Path, rel: str) -> None:
    where = root / rel
    where.parent.mkdir(parents=True, exist_ok=True)
    where.symlink_to("../../../archive/2026-04-02-la-ruche-dokos.yaml")


def _repository(root: Path, rel: str) -> None:
    (root / rel).mkdir(parents=True)
    GitRepo(root / rel)


CONTRIBUTION = "ledger/contributions/2026/2026-04-02-la-ruche-dokos.yaml"
RECIPES: dict[tuple[str, int], Callable[[Path], None]] = {
    ("Y001", 0): lambda root: _latin1(root, CONTRIBUTION),
    ("Y002", 0): lambda root: _huge(root, CONTRIBUTION),
    ("F003", 0): lambda root: _unreadable(root, CONTRIBUTION),
    ("F003", 1): lambda root: _unreadable_folder(root, "ledger/contributions/2026"),
    ("F006", 0): lambda root: _link(root, CONTRIBUTION),
    ("F006", 1): lambda root: os.mkfifo(root / CONTRIBUTION),
    ("F006", 2): lambda root: _repository(root, "commons/outils"),
}
NEEDS_NON_ROOT = {"F003"}  # root reads any file, whatever its permissions


def _run_git(run: Run, tmp_path: Path) -> Path:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(COORDINATOR, "base ledger", {**base_ledger(), **run.at_base})
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.branch("pull-request")
    for rel, text in run.files.items():
        repo.commit(run.authors.get(rel, COORDINATOR), f"add {rel}", {rel: text})
    return repo.path


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


RUNS = runs()


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_the_sample_is_what_cofi_prints(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if run.code in NEEDS_NON_ROOT and os.geteuid() == 0:
        pytest.skip("run as root, which may read any file")
    if run.code.startswith("G"):
        root = _run_git(run, tmp_path)
    else:
        root = tmp_path / "ledger-root"
        _write(root, {**base_ledger(), **run.files})
    if recipe := RECIPES.get((run.code, run.index)):
        recipe(root)
    monkeypatch.chdir(root)
    try:
        result = CliRunner().invoke(app, ["--lang", "en", *run.args])
    finally:
        for path in root.rglob("*"):  # let pytest remove what a recipe made unreadable
            if not path.is_symlink():
                path.chmod(0o755)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout == run.expected, result.stderr


def test_every_code_is_run_or_named_as_not_run() -> None:
    run = {r.code for r in RUNS}
    assert run.isdisjoint(NOT_RUN)
    assert sorted(set(CODES) - run - set(NOT_RUN)) == []
    assert len(NOT_RUN) <= 2


def test_every_sample_output_is_in_a_run() -> None:
    """A sample outside a ```console block would be checked by nobody."""
    for code, body in sections().items():
        if code in NOT_RUN:
            continue
        for m in FENCE.finditer(body):
            if m[1] != "console":
                assert not OUTPUT_LINE.search(m[2]), f"{code}: sample outside a ```console block"


def test_the_base_ledger_is_valid(tmp_path: Path) -> None:
    _write(tmp_path, base_ledger())
    result = CliRunner().invoke(app, ["check", "--root", str(tmp_path), "--as-of", "2026-11-28"])
    assert (result.exit_code, result.stdout) == (0, ""), result.output
