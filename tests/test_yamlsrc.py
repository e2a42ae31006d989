"""The YAML source layer: one UTF-8 mapping per file, text stays text, every position is right."""

from __future__ import annotations

import textwrap
import time

from cofi.model import Bare
from cofi.yamlsrc import MAX_BYTES, MAX_DEPTH, Document, parse
from conftest import TODAY, validate


def yaml_doc(text: str) -> Document:
    return parse("ledger/contributions/c1.yaml", textwrap.dedent(text).lstrip("\n").encode())


def found(doc: Document) -> list[tuple[str, int, int]]:
    return [(p.code, p.source.line, p.source.col) for p in doc.problems]


# --- duplicate keys -----------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key():
    doc = yaml_doc("""
        date: 2026-03-14
        amount: 1200
        note: first
        amount: 1300
        """)
    assert found(doc) == [("Y006", 4, 1)]
    assert "'amount' is written twice (first on line 2)" in doc.problems[0].message
    assert doc.data is not None and doc.data["amount"] == "1200"  # the first one is kept


def test_duplicate_key_inside_a_nested_mapping():
    doc = yaml_doc("""
        name: Pilote
        caps:
          per_common: 5000
          per_common: 6000
        """)
    assert found(doc) == [("Y006", 4, 3)]
    assert "first on line 3" in doc.problems[0].message


# --- anchors, aliases, tags -----------------------------------------------------------------


def test_anchor_and_alias_are_refused_where_written():
    doc = yaml_doc("""
        amount: &a 1200
        note: *a
        """)
    assert doc.data is None
    assert found(doc) == [("Y007", 1, 9), ("Y007", 2, 7)]
    assert "anchor '&a'" in doc.problems[0].message
    assert "alias '*a'" in doc.problems[1].message


def test_alias_bomb_is_refused_without_being_expanded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    doc = parse("x.yaml", "\n".join(lines).encode())
    assert time.perf_counter() - started < 2
    assert doc.data is None
    assert {p.code for p in doc.problems} == {"Y007"}


def test_explicit_tags_are_refused():
    for text, tag in (
        ("amount: !!str 1200\n", "!!str"),
        ("amount: !foo 1200\n", "!foo"),
        ("amount: ! 1200\n", "!"),
    ):
        doc = parse("x.yaml", text.encode())
        assert found(doc) == [("Y008", 1, 9)], text
        assert f"explicit tag '{tag}'" in doc.problems[0].message
        assert doc.data is None


def test_tag_on_a_mapping_is_refused():
    doc = yaml_doc("""
        name: Pilote
        caps: !!map
          per_common: 5000
        """)
    assert [p.code for p in doc.problems] == ["Y008"]
    assert doc.problems[0].source.line == 2


def test_ampersand_star_and_bang_inside_text_are_fine():
    doc = yaml_doc("""
        note: "R&D *urgent* !"
        reference: FAC!2026&B*2
        """)
    assert doc.problems == []
    assert doc.data == {"note": "R&D *urgent* !", "reference": "FAC!2026&B*2"}


# --- bytes and encodings ----------------------------------------------------------------------


def test_non_utf8_byte_is_located():
    # "note: caf" is 9 characters: the Latin-1 é is the 10th.
    doc = parse("x.yaml", b"date: 2026-03-14\nnote: caf\xe9 au lait\n")
    assert found(doc) == [("Y001", 2, 10)]
    assert "UTF-8" in doc.problems[0].message and "UTF-8" in doc.problems[0].hint


def test_non_utf8_column_counts_characters_not_bytes():
    # "note: éé" is 8 characters (10 bytes); the bad byte is the 9th character.
    doc = parse("x.yaml", "note: éé".encode() + b"\xff\n")
    assert found(doc) == [("Y001", 1, 9)]


def test_non_utf8_after_a_byte_order_mark():
    # The BOM is invisible: "b: caf" is 6 characters, the bad byte is the 7th.
    doc = parse("x.yaml", b"\xef\xbb\xbfa: 1\nb: caf\xe9\n")
    assert found(doc) == [("Y001", 2, 7)]


def test_utf8_with_byte_order_mark_is_read():
    doc = parse("x.yaml", b"\xef\xbb\xbfname: La Ruche\n")
    assert doc.problems == [] and doc.data == {"name": "La Ruche"}
    assert doc.keys[("name",)] == (1, 1)


def test_control_character_is_located():
    # "note: d" is 7 characters: the NUL is the 8th on line 2.
    doc = parse("x.yaml", b"date: 2026-03-14\nnote: d\x00j\n")
    assert found(doc) == [("Y004", 2, 8)]
    assert "U+0000" in doc.problems[0].message


def test_yaml_11_line_breaks_are_refused_not_folded():
    # YAML 1.1 reads NEL, LS and PS as line breaks: 'x<NEL>y' would silently become 'x y'
    # and every later line number would be one too many.
    for char in ("\x85", "\u2028", "\u2029"):
        doc = parse("x.yaml", f"date: 2026-03-14\nnote: 'x{char}y'\namount: 1\n".encode())
        assert found(doc) == [("Y004", 2, 9)], repr(char)
        assert f"U+{ord(char):04X}" in doc.problems[0].message
        assert doc.data is None


def test_utf16_file_is_refused():
    doc = parse("x.yaml", "name: La Ruche\n".encode("utf-16"))
    assert found(doc) == [("Y001", 1, 1)]


# --- what a file holds ----------------------------------------------------------------------


def test_empty_and_blank_files():
    for raw in (b"", b"   \n\n\t\n"):
        doc = parse("x.yaml", raw)
        assert found(doc) == [("Y003", 1, 1)]
        assert "empty" in doc.problems[0].message


def test_comments_only_file():
    doc = yaml_doc("""
        # a contribution, to be written
        # date: 2026-03-14
        """)
    assert found(doc) == [("Y003", 1, 1)]
    assert "only comments" in doc.problems[0].message


def test_top_level_not_a_mapping():
    for text in ("- date: 2026-03-14\n- amount: 5\n", "1200\n", "[a, b]\n"):
        doc = parse("x.yaml", text.encode())
        assert found(doc) == [("Y005", 1, 1)], text
        assert "one mapping" in doc.problems[0].message


def test_several_documents():
    doc = yaml_doc("""
        date: 2026-03-14
        ---
        date: 2026-03-15
        """)
    assert found(doc) == [("Y004", 2, 1)]
    assert "more than one YAML document" in doc.problems[0].message


def test_one_document_with_an_explicit_start_is_fine():
    doc = yaml_doc("""
        ---
        date: 2026-03-14
        """)
    assert doc.problems == [] and doc.data == {"date": "2026-03-14"}


def test_syntax_error_is_located():
    # "  amount" is 8 characters: libyaml stops at the colon, column 9.
    doc = yaml_doc("""
        date: 2026-03-14
          amount: 5
        """)
    assert found(doc) == [("Y004", 2, 9)]
    assert doc.problems[0].message.startswith("YAML syntax error")


def test_error_at_the_end_of_the_file_points_inside_it():
    # `amount` lacks its colon on the last line (2 lines, no final newline): libyaml reports
    # the end of the stream on a third line; cofi points at the end of line 2 instead.
    doc = parse("x.yaml", b"date: 2026-03-14\namount")
    assert found(doc) == [("Y004", 2, 7)]
    doc = parse("x.yaml", b"---\n")
    assert found(doc) == [("Y005", 1, 4)]


def test_carriage_returns_end_lines_too():
    # Windows (\r\n) and classic Mac (\r) line ends: the duplicate is on line 3 either way.
    for end in ("\r\n", "\r"):
        doc = parse("x.yaml", end.join(["date: 2026-03-14", "note: a", "note: b", ""]).encode())
        assert found(doc) == [("Y006", 3, 1)], repr(end)


def test_oversized_file_is_refused_from_its_size(ledger_dir):
    root = ledger_dir({"ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n"})
    big = root / "ledger/contributions/big.yaml"
    big.parent.mkdir(parents=True)
    big.write_bytes(b"note: " + b"x" * MAX_BYTES + b"\n")  # MAX_BYTES + 7 bytes
    problems = validate(root, TODAY).problems
    assert [(p.source.path, p.code, p.source.line) for p in problems] == [
        ("ledger/contributions/big.yaml", "Y002", 1)
    ]
    assert f"{MAX_BYTES + 7} bytes" in problems[0].message


def test_file_of_exactly_the_limit_is_read(ledger_dir):
    head = "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 5\nnote: "
    padding = "x" * (MAX_BYTES - len(head) - 1)
    root = ledger_dir(
        {
            "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
            "commons/dokos.yaml": "name: Dokos\n",
            "ledger/contributions/c1.yaml": head + padding + "\n",
        }
    )
    assert (root / "ledger/contributions/c1.yaml").stat().st_size == MAX_BYTES
    loaded = validate(root, TODAY)
    assert loaded.problems == []
    assert len(loaded.ledger.contributions[0].note or "") == len(padding)


# --- shape -------------------------------------------------------------------------------------


def test_nesting_depth():
    # The top mapping is level 1, `a:`'s list level 2, ...: 11 lists make 12 levels.
    ok = parse("x.yaml", ("a: " + "[" * 11 + "1" + "]" * 11 + "\n").encode())
    assert ok.problems == []
    # With 12 lists the 12th `[` (column 4 + 11 = 15) opens level 13.
    deep = parse("x.yaml", ("a: " + "[" * 12 + "1" + "]" * 12 + "\n").encode())
    assert found(deep) == [("Y009", 1, 15)]
    assert f"more than {MAX_DEPTH} levels" in deep.problems[0].message


def test_non_scalar_keys_are_refused_and_other_keys_kept():
    doc = yaml_doc("""
        date: 2026-03-14
        [a, b]: 1
        ? {c: d}
        : 2
        note: ok
        """)
    assert found(doc) == [("Y010", 2, 1), ("Y010", 3, 3)]
    assert doc.data == {"date": "2026-03-14", "note": "ok"}


# --- YAML 1.1 surprises stay text ----------------------------------------------------------


def test_yaml_11_surprises_come_back_as_the_written_text():
    written = [
        "no",
        "on",
        "yes",
        "off",
        "1:30",
        "010",
        "1_000",
        "0x1F",
        ".inf",
        "-.inf",
        ".nan",
        "2026-03-14",
        "1e3",
        "true",
        "null-ish",
    ]
    text = "".join(f"k{i}: {w}\n" for i, w in enumerate(written))
    doc = parse("x.yaml", text.encode())
    assert doc.problems == []
    assert doc.data is not None
    for i, w in enumerate(written):
        value = doc.data[f"k{i}"]
        assert value == w and type(value) is Bare, (w, value)


def test_quoted_scalars_are_plain_str_and_nulls_are_none():
    doc = yaml_doc("""
        a: 'no'
        b: "1:30"
        c:
        d: ~
        e: null
        f: "null"
        """)
    assert doc.data == {"a": "no", "b": "1:30", "c": None, "d": None, "e": None, "f": "null"}
    assert type(doc.data["a"]) is str and type(doc.data["f"]) is str


def test_surprises_keep_their_meaning_in_records(ledger_dir):
    root = ledger_dir(
        {
            "ledger/contributors/no.yaml": "name: no\nkind: tiers-lieu\nregion: on\n",
            "commons/dokos.yaml": "name: Dokos\n",
            "ledger/contributions/c1.yaml": """
            date: 2026-03-14
            contributor: no
            common: dokos
            amount: 10
            reference: 0x1F
            note: 1:30
            """,
        }
    )
    loaded = validate(root, TODAY)
    assert loaded.problems == []
    (who,) = loaded.ledger.contributors
    assert (who.name, who.region) == ("no", "on")
    (c,) = loaded.ledger.contributions
    assert (c.contributor, c.reference, c.note) == ("no", "0x1F", "1:30")
    assert str(c.amount) == "10"


def test_a_leading_zero_amount_is_refused_not_guessed(ledger_dir):
    # YAML 1.1 reads 010 as octal 8, a person reads ten: cofi takes neither side.
    root = ledger_dir(
        {
            "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
            "commons/dokos.yaml": "name: Dokos\n",
            "ledger/contributions/c1.yaml": (
                "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 010\n"
            ),
        }
    )
    (problem,) = validate(root, TODAY).problems
    assert (problem.code, problem.source.line, problem.source.col) == ("S003", 4, 9)
    assert "leading zeros" in problem.message


# --- positions -------------------------------------------------------------------------------


def test_key_and_value_positions_are_one_based():
    doc = yaml_doc("""
        name: Dokos
        stewards: [dokos-sas, la-ruche]
        needs:
          - id: booking-v2
            amount: 40000
        """)
    assert doc.problems == []
    assert doc.keys[("name",)] == (1, 1)
    assert doc.values[("name",)] == (1, 7)
    assert doc.values[("stewards", 1)] == (2, 23)
    assert doc.keys[("needs", 0, "id")] == (4, 5)
    assert doc.values[("needs", 0, "id")] == (4, 9)
    assert doc.keys[("needs", 0, "amount")] == (5, 5)
    assert doc.values[("needs", 0, "amount")] == (5, 13)


def test_position_of_an_unwritten_path_is_its_nearest_written_parent():
    doc = yaml_doc("""
        name: Dokos
        needs:
          - id: booking-v2
        """)
    missing, parent = doc.at(("needs", 0, "amount")), doc.at(("needs", 0))
    assert (missing.line, missing.col) == (parent.line, parent.col)
    assert (missing.key, parent.key) == ("needs.0.amount", "needs.0")  # named as asked
    assert (doc.at(("needs", 0)).line, doc.at(("needs", 0)).col) == (3, 5)
    assert (doc.at(("missing",)).line, doc.at(("missing",)).col) == (1, 1)
