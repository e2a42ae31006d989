"""Help paragraphs are wrapped by the terminal, not broken where the source breaks them."""

from __future__ import annotations

import itertools
import re

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.cli.typerwords import paragraphs


def test_a_paragraph_is_one_line_and_lists_keep_their_lines():
    assert paragraphs("one\ntwo\n\nthree\n- a\n- b\n  indented") == (
        "one two\n\nthree\n- a\n- b\n  indented"
    )


@pytest.mark.parametrize("command", ["match", "obligations", "status", "check", "simulate"])
def test_help_lines_are_filled(command):
    """At 80 columns, no line of the description ends far short of the width while the
    next line goes on with the same sentence (a break written in the source)."""
    shown = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "80"}).stdout
    intro = shown.split("╭")[0]
    lines = [line.strip() for line in intro.splitlines()]
    for line, after in itertools.pairwise(lines):
        if line and after and re.match(r"[a-z(]", after):  # the sentence goes on
            assert len(line) + 1 + len(after.split()[0]) > 78, (line, after)
