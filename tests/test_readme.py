"""The README is a contract too: its first commands are what CI runs, and it names every command."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from cofi.cli import app

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return [c.name or "" for c in app.registered_commands]


def test_the_first_two_commands_are_what_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    first, second = blocks[0], blocks[1]
    assert "cofi match" in first
    assert "pytest" in second
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert first in ci.splitlines()
    assert second in ci.splitlines()
    assert README.index(first) < 600, "the two commands open the README"


def test_every_command_is_in_the_readme_and_has_an_example() -> None:
    runner = CliRunner()
    names = _commands()
    assert {"check", "match", "obligations", "explain", "status"} <= set(names)
    for name in names:
        assert f"`cofi {name}" in README, f"cofi {name} is not in the README"
        result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert "Example: cofi " + name in result.output, f"cofi {name} --help has no example"


def test_version() -> None:
    from cofi import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cofi {__version__}"


def test_help_names_what_each_option_takes_and_nothing_beside_flags() -> None:
    """`--no-cache` takes no value: no `<bool>` beside it; `--contributor` takes an id."""
    runner = CliRunner()
    for args in (["--help"], ["check", "--help"], ["new", "contribution", "--help"]):
        shown = runner.invoke(app, args, env={"COLUMNS": "200"}).output
        assert "<bool>" not in shown, args
    shown = runner.invoke(app, ["new", "contribution", "--help"], env={"COLUMNS": "200"}).output
    rows = {line.split()[1]: line.split()[2] for line in shown.splitlines() if "│ --" in line}
    assert rows["--contributor"] == "ID"
    assert rows["--amount"] == "AMOUNT"
    assert rows["--date"] == "YYYY-MM-DD"
    assert rows["--kind"] == "money|in-kind"


# Every `cofi ...` the README and the docs show uses a command and options that exist.
DOCS = [
    REPO / "README.md",
    *sorted((REPO / "docs").rglob("*.md")),
    REPO / "benchmarks" / "README.md",
]
RUNS_COFI = re.compile(r"^(?:[A-Z_]+=\S*\s+)*(?:\S*/)?cofi(\s.*|)$")
GLOBAL = {"--lang", "--help", "--version", "--install-completion", "--show-completion"}


def _options() -> dict[tuple[str, ...], set[str]]:
    """(command words) -> the options it takes, for every command and sub-command."""
    import typer

    found: dict[tuple[str, ...], set[str]] = {}

    def walk(command: object, words: tuple[str, ...]) -> None:
        found[words] = {o for p in command.params for o in p.opts if o.startswith("-")}  # type: ignore[attr-defined]
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*words, name))

    walk(typer.main.get_command(app), ())
    return found


def _command_lines(text: str) -> list[str]:
    """`cofi ...` in inline code, and lines of code blocks that run cofi."""
    lines = re.findall(r"`(cofi [^`]+)`", text)
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            for part in re.split(r"&&|\||;", line.removeprefix("$ ").split(" #")[0]):
                if m := RUNS_COFI.match(part.strip()):
                    lines.append("cofi" + m[1])
    return lines


def test_every_command_line_in_the_docs_exists() -> None:
    options = _options()
    wrong: list[str] = []
    for doc in DOCS:
        for line in _command_lines(doc.read_text(encoding="utf-8")):
            words = line.split()[1:]
            while words[:1] == ["--lang"]:  # the one option that goes before the command
                words = words[2:]
            command: tuple[str, ...] = ()
            while words and (*command, words[0]) in options:
                command, words = (*command, words[0]), words[1:]
            given = {w.split("=")[0] for w in words if w.startswith("--")}
            unknown = given - options[command] - GLOBAL
            if unknown:
                wrong.append(f"{doc.relative_to(REPO)}: `{line}`: {sorted(unknown)}")
    assert wrong == []


def test_the_options_the_readme_says_each_command_takes() -> None:
    """What the README's paragraphs under the command table say, command by command."""
    found = _options()
    leaves = {c: o for c, o in found.items() if c and not any(d[:-1] == c for d in found)}

    def taking(option: str) -> set[str]:
        return {" ".join(c) for c, o in leaves.items() if option in o}

    everything = {" ".join(c) for c in leaves}
    new = {c for c in everything if c.startswith("new ")}
    assert taking("--root") == everything - {"schema"}
    assert taking("--as-of") == everything - {"schema"} - new
    computing = {"match", "obligations", "status"}
    for option in ("--programme", "--format", "--output", "--csv-dialect"):
        assert computing <= taking(option), option
    assert {"explain", "export"} <= taking("--programme")
    assert taking("--at") == computing | {"explain", "export", "report"}


def test_the_library_example_runs() -> None:
    """The README's Python example, run as written from the repository's root."""
    import contextlib
    import io
    import os

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(.*?)```", text, re.S)
    out = io.StringIO()
    here = os.getcwd()
    os.chdir(Path(__file__).resolve().parents[1])
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(example, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    # The bundled ledger's first debt (ledger/README.md): pilote-2025 owes communecter 3000.00
    assert out.getvalue().splitlines()[0] == "match pilote-2025 communecter 3000.00 True"
