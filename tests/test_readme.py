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
