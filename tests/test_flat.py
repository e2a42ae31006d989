"""The flat reader gives exactly what libyaml gives, or declines.

yamlsrc splits simple `key: value` files itself instead of composing them with
libyaml; these tests hold the two readers to the same data on files built from
the characters that mean something in YAML.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cofi.yamlsrc import Document, _compose, _flat, _Walker, parse


def by_libyaml(text: str) -> dict[str, Any] | None:
    """What the libyaml path makes of `text`, or None when it finds a problem."""
    doc = Document("x.yaml")
    try:
        node = _compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    data = _Walker(doc).mapping(node, (), 1)
    return None if doc.problems else data


KEYS = st.sampled_from(["date", "amount", "note", "reference", "a_b", "k2", "Key", "x-y"])
# Words and numbers, and every character that has a meaning somewhere in YAML.
VALUE = st.text(
    alphabet=st.sampled_from(list("aZé09 .,-_/:#'\"&*!|>%@`[]{}()?=+€~\t\\ñ°·\xa0\u202f")),
    max_size=12,
)
QUOTE = st.sampled_from(['"', "'"])
LINE = st.one_of(
    st.tuples(KEYS, st.sampled_from([": ", ":", ":  ", " : "]), VALUE).map("".join),
    st.builds(
        lambda k, q, v, end: f"{k}: {q}{v}{q}{end}",
        KEYS,
        QUOTE,
        VALUE,
        st.sampled_from(["", " ", " # c", "x"]),
    ),
    st.sampled_from(["", "# a comment", "  # indented comment", "---", "...", "  x: 1", "- a"]),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]))
@example(["note: a #b"], "\n")
@example(["reference: 1:30"], "\n")
@example(["note: x: y"], "\n")
@example(['note: "a\\"b"'], "\n")
@example(["note: 'it''s'"], "\n")
@example(['note: "x" # c'], "\n")
@example(["note: x\u00a0"], "\n")
def test_flat_reader_agrees_with_libyaml_or_declines(lines: list[str], end: str) -> None:
    text = end.join(lines) + end
    flat = _flat(text)
    if flat is not None:
        slow = by_libyaml(text)
        assert flat == slow, text
        assert slow is not None
        # the same kind of scalar too: Bare (unquoted, to be read by the field's type) or str
        assert {k: type(v) for k, v in flat.items()} == {k: type(v) for k, v in slow.items()}


@pytest.mark.parametrize(
    "text",
    [
        "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 1200.50\n",
        "# yaml-language-server: $schema=../../schemas/contribution.json\ndate: 2026-01-02\n",
        "reference: FAC-2026-031\nnote:\n",
        "amount: 010\n",
        "note: no\n",
        "amount: 1 200,50\n",
        'reference: "virement 2023-12-27 n°76229"\n',
        "note: Temps de documentation (valorisé à 35 €/h)\n",
        "note: 'entre guillemets'\n",
    ],
)
def test_typical_records_are_read_flat(text: str) -> None:
    flat = _flat(text)
    assert flat is not None
    assert flat == by_libyaml(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("amount: 12\namount: 13\n", "a repeated key: libyaml reports it where it stands"),
        ('note: "a\\tb"\n', "an escape in double quotes"),
        ("note: 'it''s'\n", "a doubled quote in single quotes"),
        ("note: a # comment\n", "a comment after a value"),
        ("identities: [a, b]\n", "a flow list"),
        ("needs:\n  - id: x\n", "indentation"),
        ("amount: !!str 12\n", "a tag"),
        ("a: &x 1\n", "an anchor"),
        ("---\namount: 1\n", "a document marker"),
        ("\tamount: 1\n", "a tab"),
        ("reference: 1:30\n", "a colon, which may start a mapping"),
    ],
)
def test_what_the_flat_reader_leaves_to_libyaml(text: str, why: str) -> None:
    assert _flat(text) is None, why


def test_positions_of_a_flat_file_are_found_when_asked() -> None:
    doc = parse("c.yaml", b"# comment\ndate: 2026-03-14\namount: 12\n")
    assert doc._root is None, "read by the flat reader"
    assert doc.at(("amount",)).line == 3
    assert doc.at(("amount",), key=True).col == 1
    assert doc.at(("amount",)).col == 9
