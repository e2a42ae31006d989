"""Tables on a real terminal (a pseudo-terminal of 80 or 60 columns, which rich measures):
no line wider than the terminal, no figure split, and a note naming what was left out."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
AS_OF = ("--as-of", "2027-06-01")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

COMMANDS = [
    ("match",),
    ("match", "--by", "contribution", "--all"),
    ("obligations", "--all"),
    ("obligations", "--all", "--lang", "fr"),
    ("status",),
    ("status", "--lang", "fr"),
    ("simulate", "--programme", "etat-2025", "--set", "ratio=2"),
]


def on_terminal(cwd: Path, args: tuple[str, ...], columns: int) -> str:
    """What `cofi ARGS` shows on a terminal `columns` wide, colours taken out."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: cofi, its stdout a terminal of that size
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        os.chdir(cwd)
        # Whatever set COLUMNS and LINES in this process (rich reads them first), the
        # terminal's own size is what is tested.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        os.execve(sys.executable, [sys.executable, "-m", "cofi", *args], env | {"TERM": "xterm"})
    out = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out.decode()
    return ANSI.sub("", out.decode().replace("\r\n", "\n"))


def figures(cwd: Path, args: tuple[str, ...]) -> set[str]:
    """Every amount of the table, as the plain-text output writes it."""
    text = subprocess.run(
        [sys.executable, "-m", "cofi", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout
    # An amount in English `12,000.00`, in French `12 000,00 €` (no-break spaces).
    return set(re.findall(r"\d[\d,\u202f]*[.,]\d\d(?:\u00a0€)?", text))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("ledger") / "two-programmes-stacking"
    shutil.copytree(EXAMPLES / "two-programmes-stacking", where)
    return where


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_line_fits_and_no_figure_is_split(
    ledger: Path, args: tuple[str, ...], columns: int
) -> None:
    shown = on_terminal(ledger, (*args, *AS_OF), columns)
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= columns, shown
    # Every figure the terminal shows is whole: one the plain text has, on one line.
    whole = figures(ledger, (*args, *AS_OF))
    for line in lines:
        for figure in re.findall(r"\d[\d,\u202f]*[.,]\d\d(?:\u00a0€)?", line):
            assert figure in whole, (figure, line)
    # A box or a block: never a row cut at the terminal's edge by the terminal itself.
    assert "…" not in shown


def test_the_left_out_columns_are_named(ledger: Path) -> None:
    shown = on_terminal(ledger, ("match", *AS_OF), 80)
    assert "┃ Programme" in shown  # still a boxed table
    note = " ".join(shown.split("left out to fit the terminal:")[1].split())
    assert note.startswith("Funder, Contributed (eligible), Overdue, Provisional; `--format csv`")


def test_a_wide_terminal_shows_every_column(ledger: Path) -> None:
    shown = on_terminal(ledger, ("obligations", "--all", "--lang", "fr", *AS_OF), 200)
    assert "Âge (jours)" in shown and "laissé" not in shown and "left out" not in shown


def test_a_narrow_terminal_shows_each_row_as_a_block(ledger: Path) -> None:
    """At 40 columns even the main columns do not fit: one `Title  value` line per cell."""
    shown = on_terminal(ledger, ("match", "--by", "contribution", "--all", *AS_OF), 40)
    assert max(map(len, shown.splitlines())) <= 40
    assert "┃" not in shown
    assert re.search(r"^Matched\s+1,000\.00$", shown, re.M)
    rows = json.loads(
        subprocess.run(
            [sys.executable, "-m", "cofi", "match", "--by", "contribution", "--all", "-f", "json",
             *AS_OF],
            cwd=ledger, capture_output=True, text=True, check=True,
        ).stdout
    )  # fmt: skip
    assert shown.count("\nContribution ") == len(rows)
