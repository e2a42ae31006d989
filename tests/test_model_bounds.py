"""The limits of the scalar types: amounts below 10^12, ratios up to 1000, payment_days up
to 3650, dates in the years 1900 to 2999, and text without control characters (even
written as YAML escapes) or bytes that are not UTF-8. Each limit with the largest value
accepted and the smallest refused; and a ledger at the limits computes without overflow."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from cofi.cli import app
from cofi.model import Contribution
from cofi.problems import Source
from conftest import PILOTE_2026, TODAY, base_ledger, validate

PEOPLE = base_ledger({PILOTE_2026: None})  # each test writes its own programme, if any
C1 = "ledger/contributions/c1.yaml"
P1 = "ledger/programmes/p1.yaml"
LARGEST = "999999999999.99"
TOO_LARGE = "'{}' is too large: cofi accepts amounts of at most 12 digits before the point, " + (
    "up to 999999999999.99"
)


def check(ledger_dir, files: dict[str, str]):
    loaded = validate(ledger_dir({**PEOPLE, **files}), TODAY)
    return loaded, [(p.source.path, p.source.line, p.source.col, p.code) for p in loaded.problems]


def contribution(*, amount: str = "1200", date: str = "2026-03-14", extra: str = "") -> str:
    return f"date: {date}\ncontributor: la-ruche\ncommon: dokos\namount: {amount}\n{extra}"


def programme(
    extra: str = "", *, ratio: str = "1", start: str = "2026-01-01", end: str = "2026-12-31"
) -> str:
    return (
        f"name: Pilote\nfunder: etat\nratio: {ratio}\nstart: {start}\nend: {end}\n"
        f"envelope: 100000\nallocation: pro-rata\n{extra}"
    )


def only(loaded) -> tuple[str, str]:
    (p,) = loaded.problems
    return p.code, p.message


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [LARGEST, "999999999999", "100000000000.5"])
def test_the_largest_amounts_are_kept_exactly(ledger_dir, written):
    loaded, problems = check(ledger_dir, {C1: contribution(amount=written)})
    assert problems == []
    assert str(loaded.ledger.contributions[0].amount) == written


@pytest.mark.parametrize(
    "written",
    [
        "1000000000000",  # one digit more than the largest
        "1000000000000.00",
        "9999999999999.99",
        "99999999999999999999999999.99",  # totals of it overflowed
        "1234567890123456789012345678901.23",  # overflowed on its own
    ],
)
def test_an_amount_of_13_digits_or_more_is_refused(ledger_dir, written):
    loaded, problems = check(ledger_dir, {C1: contribution(amount=written)})
    assert problems == [(C1, 4, 9, "S003")]
    assert only(loaded) == ("S003", TOO_LARGE.format(written))


# Every money field: the largest amount accepted, one cent past it refused, where written.
MONEY_FIELDS = [
    (P1, programme().replace("envelope: 100000", "envelope: {}"), 6, 11),
    (P1, programme("caps:\n  per_contribution: {}\n"), 9, 21),
    (P1, programme("caps:\n  per_contributor: {}\n"), 9, 20),
    (P1, programme("caps:\n  per_common: {}\n"), 9, 15),
    (P1, programme("eligible:\n  min_amount: {}\n"), 9, 15),
    (
        "commons/dokos.yaml",
        "name: Dokos\nneeds:\n  - id: v2\n    title: V2\n    amount: {}\n",
        5,
        13,
    ),
    (
        "ledger/pledges/p.yaml",
        "date: 2026-01-10\ncontributor: la-ruche\ncommon: dokos\namount: {}\ndue: 2026-12-31\n",
        4,
        9,
    ),
    (
        "ledger/disbursements/d.yaml",
        "date: 2026-06-01\nprogramme: p1\ncommon: dokos\namount: {}\n",
        4,
        9,
    ),
]


@pytest.mark.parametrize(("path", "template", "line", "col"), MONEY_FIELDS)
def test_every_money_field_has_the_same_bound(ledger_dir, path, template, line, col):
    files = {P1: programme(), path: template.format(LARGEST)}
    assert check(ledger_dir, files)[1] == []
    files[path] = template.format("1000000000000.00")
    loaded, problems = check(ledger_dir, files)
    assert problems == [(path, line, col, "S003")]
    assert only(loaded)[1] == TOO_LARGE.format("1000000000000.00")


# --- ratios -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["ratio", "in_kind_ratio"])
@pytest.mark.parametrize("written", ["0", "1000", "1000.0", "999.999999", "0.333333", "1.000000"])
def test_ratios_up_to_1000_are_accepted(ledger_dir, key, written):
    text = programme(ratio=written) if key == "ratio" else programme(f"{key}: {written}\n")
    loaded, problems = check(ledger_dir, {P1: text})
    assert problems == []
    assert getattr(loaded.ledger.programmes[0], key) == Decimal(written)


@pytest.mark.parametrize("key", ["ratio", "in_kind_ratio"])
@pytest.mark.parametrize("written", ["1000.01", "1000.0000001", "1001", "1" + "0" * 40])
def test_a_ratio_above_1000_is_refused(ledger_dir, key, written):
    text = programme(ratio=written) if key == "ratio" else programme(f"{key}: {written}\n")
    loaded, problems = check(ledger_dir, {P1: text})
    line, col = (3, 8) if key == "ratio" else (8, 16)
    assert problems == [(P1, line, col, "S009")]
    message = f"'{written}' is too large for a ratio: cofi accepts ratios up to 1000"
    assert only(loaded) == ("S009", message)


@pytest.mark.parametrize("key", ["ratio", "in_kind_ratio"])
@pytest.mark.parametrize(
    ("written", "count"),
    [("0.3333333", 7), ("1.0000000", 7), ("999.99999999", 8), ("1." + "0" * 4400 + "1", 4401)],
)
def test_a_ratio_with_more_than_6_decimals_is_refused(ledger_dir, key, written, count):
    text = programme(ratio=written) if key == "ratio" else programme(f"{key}: {written}\n")
    loaded, problems = check(ledger_dir, {P1: text})
    line, col = (3, 8) if key == "ratio" else (8, 16)
    assert problems == [(P1, line, col, "S009")]
    shown = written if len(written) <= 40 else written[:37] + "..."
    message = (
        f"'{shown}' has {count} decimals: cofi accepts ratios with at most 6 decimals, "
        "like 0.333333; round it"
    )
    assert only(loaded) == ("S009", message)


def test_a_ratio_of_4400_decimals_no_longer_passes_check_to_crash_explain(ledger_dir, tmp_path):
    """The attack: `ratio: 1.000…0001` passed check and match, then explain and the HTML
    report died writing its steps (an integer of more than 4300 digits)."""
    files = {
        **PEOPLE,
        P1: programme(ratio="1." + "0" * 4400 + "1"),
        C1: contribution(),
    }
    root = ledger_dir(files)
    run = CliRunner().invoke
    common = ["--root", str(root), "--as-of", TODAY.isoformat()]
    checked = run(app, ["check", *common])
    assert checked.exit_code == 1, checked.output
    assert "S009" in checked.stdout and "4401 decimals" in checked.stdout
    for args in (["explain", "c1"], ["report", "--html", str(tmp_path / "out")], ["match"]):
        result = run(app, [*args, *common])
        assert result.exit_code in (0, 1), (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args


# --- payment_days and dates -------------------------------------------------------------------


@pytest.mark.parametrize("written", ["0", "3650"])
def test_payment_days_up_to_ten_years(ledger_dir, written):
    loaded, problems = check(ledger_dir, {P1: programme(f"payment_days: {written}\n")})
    assert problems == []
    assert loaded.ledger.programmes[0].payment_days == int(written)


@pytest.mark.parametrize("written", ["3651", "10000", "99999999", "9" * 5000])
def test_more_payment_days_are_refused(ledger_dir, written):
    loaded, problems = check(ledger_dir, {P1: programme(f"payment_days: {written}\n")})
    assert problems == [(P1, 8, 15, "S009")]
    assert only(loaded) == (
        "S009",
        f"'{written}' is too many days: cofi accepts at most 3650 (ten years)",
    )


def test_dates_from_1900_to_2999_are_accepted(ledger_dir):
    text = _pledge(due="2999-12-31").replace("2026-01-10", "1900-01-01")
    loaded, problems = check(ledger_dir, {"ledger/pledges/p.yaml": text})
    assert problems == []
    pledge = loaded.ledger.pledges[0]
    assert (pledge.date.isoformat(), pledge.due.isoformat()) == ("1900-01-01", "2999-12-31")


@pytest.mark.parametrize("written", ["1899-12-31", "3000-01-01", "9999-12-31", "0001-01-01"])
def test_dates_out_of_those_years_are_refused(ledger_dir, written):
    loaded, problems = check(ledger_dir, {"ledger/pledges/p.yaml": _pledge(due=written)})
    assert problems == [("ledger/pledges/p.yaml", 5, 6, "S004")]
    assert only(loaded) == (
        "S004",
        f"{written} is out of range: cofi accepts dates from year 1900 to year 2999",
    )


def test_programme_dates_are_bounded_too(ledger_dir):
    text = programme("payment_days: 99999999\n", end="9999-12-31")
    _, problems = check(ledger_dir, {P1: text})
    assert problems == [(P1, 5, 6, "S004"), (P1, 8, 15, "S009")]


def _pledge(*, due: str) -> str:
    return f"date: 2026-01-10\ncontributor: la-ruche\ncommon: dokos\namount: 100\ndue: {due}\n"


# --- a ledger at every limit computes ---------------------------------------------------------

AT_THE_LIMITS = {
    **PEOPLE,
    "commons/dokos.yaml": (
        f"name: Dokos\nneeds:\n  - id: v2\n    title: V2\n    amount: {LARGEST}\n"
    ),
    P1: (
        "name: Pilote\nfunder: etat\nratio: 1000\nin_kind_ratio: 1000\n"
        "start: 1900-01-01\nend: 2999-12-31\n"
        f"envelope: {LARGEST}\nallocation: pro-rata\npayment_days: 3650\n"
    ),
    C1: contribution(amount=LARGEST, extra="need: v2\n"),
    "ledger/contributions/c2.yaml": contribution(amount=LARGEST, extra="kind: in-kind\n"),
}


def _csv(root: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        app, [*args, "--format", "csv", "--root", str(root), "--as-of", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_ledger_at_every_limit_is_computed_exactly(ledger_dir, tmp_path):
    root = ledger_dir(AT_THE_LIMITS)
    # Each base is 999999999999.99 × 1000 = 999,999,999,999,990; together twice the
    # envelope, so each gets half of it, 499999999999.995, rounded down to the cent.
    (row,) = _csv(root, "match")
    assert (row["contributed"], row["matched"], row["unmet"]) == (
        "1999999999999.98",
        "999999999999.98",
        "999999999999.98",
    )
    # 2999-12-31 + 3650 days: 3000 is not a leap year, 3004 and 3008 are, so ten years
    # are 3652 days and end on 3009-12-31; two days earlier is 3009-12-29.
    assert row["due"] == "3009-12-29"
    (owed,) = [r for r in _csv(root, "obligations") if r.get("due") == "3009-12-29"]
    assert owed["unmet"] == "999999999999.98"
    need = [r for r in _csv(root, "status") if r["need"] == "v2"]
    assert need[0]["contributed"] == LARGEST
    for c in ("c1", "c2"):
        result = CliRunner().invoke(
            app, ["explain", c, "--root", str(root), "--as-of", TODAY.isoformat()]
        )
        assert result.exit_code == 0, result.output
    report = CliRunner().invoke(
        app,
        ["report", "--html", str(tmp_path / "out"), "--root", str(root), "--as-of", "2026-11-28"],
    )
    assert report.exit_code == 0, report.output


# --- text -------------------------------------------------------------------------------------

CONTROL = "an invisible control character that terminals act upon; remove it"
BIDI = "an invisible control that changes the direction of the text around it; remove it"
ONE_LINE = "this text must be on one line: character {} is a line break or a tab (U+{}); " + (
    "replace it with a space"
)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        # the tester's terminal hyperlink: "Dokos " is 6 characters, the escape the 7th
        (
            r'"Dokos \e]8;;http://evil\e\\link\e]8;;\e\\ \x07"',
            f"character 7 of this text is U+001B, {CONTROL}",
        ),
        (r'"\0"', f"character 1 of this text is U+0000, {CONTROL}"),
        (r'"ok\x07"', f"character 3 of this text is U+0007, {CONTROL}"),
        (r'"\x1f"', f"character 1 of this text is U+001F, {CONTROL}"),
        (r'"a\x7f"', f"character 2 of this text is U+007F, {CONTROL}"),
        (r'"\x80"', f"character 1 of this text is U+0080, {CONTROL}"),
        (r'"\x85"', f"character 1 of this text is U+0085, {CONTROL}"),  # not "empty"
        (r'"\x9f"', f"character 1 of this text is U+009F, {CONTROL}"),
        (r'"a\rb"', f"character 2 of this text is U+000D, {CONTROL}"),
        (r'"a\u2028b"', f"character 2 of this text is U+2028, {CONTROL}"),
        (r'"a\u2029b"', f"character 2 of this text is U+2029, {CONTROL}"),
        (r'"\u202a"', f"character 1 of this text is U+202A, {BIDI}"),
        (r'"txt.exe\u202e"', f"character 8 of this text is U+202E, {BIDI}"),
        (r'"\u2066x"', f"character 1 of this text is U+2066, {BIDI}"),
        (r'"x\u2069"', f"character 2 of this text is U+2069, {BIDI}"),
        ("\u202eraw", f"character 1 of this text is U+202E, {BIDI}"),  # not an escape
        (r'"a\tb"', ONE_LINE.format(2, "0009")),
        (r'"two\nlines"', ONE_LINE.format(4, "000A")),
        ("|\n  first\n  second", ONE_LINE.format(6, "000A")),  # "first" then the break
    ],
)
def test_control_characters_in_text_are_refused_by_code_point(ledger_dir, written, message):
    loaded, problems = check(ledger_dir, {"commons/dokos.yaml": f"name: {written}\n"})
    assert problems == [("commons/dokos.yaml", 1, 7, "S013")]
    assert only(loaded) == ("S013", message)


# --- invisible format characters ---------------------------------------------------------------

FORMAT = (
    "an invisible formatting character (like a zero-width space, a direction mark or a soft "
    "hyphen) that makes this text look like another; remove it"
)
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\ufeff",  # byte-order mark, inside a text
    "\u00ad",  # soft hyphen
    "\u2060",  # word joiner
    "\u2064",  # invisible plus
    "\u180e",  # Mongolian vowel separator
    "\u206a",  # inhibit symmetric swapping
    "\ufff9",  # interlinear annotation anchor
    "\U000e0041",  # tag letter A
]


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("escaped", [False, True])
def test_invisible_format_characters_in_text_are_refused_by_code_point(ledger_dir, char, escaped):
    # Raw in the file, as a copy and paste brings it, or as a YAML escape.
    written = f'"La\\u{ord(char):04x} Ruche"' if escaped and ord(char) < 0x10000 else None
    written = written or (f'"La\\U{ord(char):08x} Ruche"' if escaped else f"La{char} Ruche")
    loaded, problems = check(ledger_dir, {"commons/dokos.yaml": f"name: {written}\n"})
    assert problems == [("commons/dokos.yaml", 1, 7, "S013")]
    assert only(loaded) == ("S013", f"character 3 of this text is U+{ord(char):04X}, {FORMAT}")


@pytest.mark.parametrize("char", ["\u200b", "\u200e", "\ufeff", "\u00ad"])
def test_notes_ids_and_keys_with_an_invisible_character(ledger_dir, char):
    code = f"U+{ord(char):04X}"
    # A note (it may span lines, not hide characters).
    loaded, problems = check(ledger_dir, {C1: contribution(extra=f"note: |\n  ok\n  a{char}\n")})
    assert problems == [(C1, 5, 7, "S013")]
    assert only(loaded) == ("S013", f"character 5 of this text is {code}, {FORMAT}")
    # An id that looks like la-ruche: refused, and the message shows the character.
    loaded, problems = check(
        ledger_dir, {C1: contribution().replace("la-ruche", f"la-{char}ruche")}
    )
    code_, message = only(loaded)
    assert code_ == "S008" and message.startswith(f"'la-<{code}>ruche' is not an id")


def test_an_invisible_character_in_a_key_is_shown_by_its_code(ledger_dir):
    root = ledger_dir({**PEOPLE, C1: contribution(extra="no\u200bte: x\n\u202ekey: y\n")})
    result = CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", TODAY.isoformat()])
    assert result.exit_code == 1
    assert "unknown key 'no\\u200bte'" in result.stdout
    assert "unknown key '\\u202ekey'" in result.stdout
    assert "\u200b" not in result.output and "\u202e" not in result.output


def test_the_list_of_format_characters_is_unicodes():
    """cofi.chars.FORMAT is written out for speed; it must hold every character the running
    Python calls a format character (Cf), and nothing else but unassigned ones."""
    import re
    import unicodedata

    from cofi.chars import FORMAT as LISTED

    listed = re.compile(f"[{LISTED}]")
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cf = {ch for ch in every if unicodedata.category(ch) == "Cf"}
    matched = {ch for ch in every if listed.match(ch)}
    assert cf - matched == set(), sorted(f"U+{ord(c):04X}" for c in cf - matched)
    assert {unicodedata.category(ch) for ch in matched - cf} <= {"Cn"}


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (r'"a b~"', "a b~"),  # U+0020 and U+007E, on each side of the controls
        (r'"\xa0\u202f\xe9"', "\xa0\u202f\xe9"),  # after C1: no-break spaces, é
        (r'"\u2027\u202f\u2065\u2070"', "\u2027\u202f\u2065\u2070"),  # next to the bidi ones
        ("a-b ‐ – — ‑", "a-b ‐ – — ‑"),  # hyphens and dashes that show
        ("Communs €—ñ 日本", "Communs €—ñ 日本"),
        # `>` folds the lines into one and ends it with YAML's own line break
        (">\n  Communs des\n  tiers-lieux", "Communs des tiers-lieux"),
        ("|\n  One line", "One line"),
    ],
)
def test_printable_text_next_to_the_refused_ranges_is_kept(ledger_dir, written, kept):
    loaded, problems = check(ledger_dir, {"commons/dokos.yaml": f"name: {written}\n"})
    assert problems == []
    assert loaded.ledger.commons[0].name == kept


def test_notes_and_descriptions_keep_line_breaks_and_tabs(ledger_dir):
    files = {
        "commons/dokos.yaml": "name: Dokos\ndescription: |\n  ERP\n  \tfork\n",
        C1: contribution(extra='note: "line 1\\n\\tline 2"\n'),
    }
    loaded, problems = check(ledger_dir, files)
    assert problems == []
    assert loaded.ledger.commons[0].description == "ERP\n\tfork\n"
    assert loaded.ledger.contributions[0].note == "line 1\n\tline 2"


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (r'"x\e[2J"', f"character 2 of this text is U+001B, {CONTROL}"),
        (r'"\r"', f"character 1 of this text is U+000D, {CONTROL}"),
        (r'"a\n\u202e"', f"character 3 of this text is U+202E, {BIDI}"),
    ],
)
def test_notes_refuse_the_other_controls(ledger_dir, note, message):
    loaded, problems = check(ledger_dir, {C1: contribution(extra=f"note: {note}\n")})
    assert problems == [(C1, 5, 7, "S013")]
    assert only(loaded) == ("S013", message)


# Every one-line text field refuses a tab (U+0009) where written.
ONE_LINE_FIELDS = [
    ("ledger/settings.yaml", 'name: "a\\tb"\n', 1, 7),
    ("ledger/settings.yaml", 'coordinators: ["a\\tb"]\n', 1, 16),
    ("ledger/contributors/la-ruche.yaml", 'name: "a\\tb"\nkind: tiers-lieu\n', 1, 7),
    ("ledger/contributors/la-ruche.yaml", 'name: R\nkind: tiers-lieu\nregion: "a\\tb"\n', 3, 9),
    (
        "ledger/contributors/la-ruche.yaml",
        'name: R\nkind: tiers-lieu\nidentities: ["a\\tb"]\n',
        3,
        14,
    ),
    ("commons/dokos.yaml", 'name: D\nurl: "a\\tb"\n', 2, 6),
    ("commons/dokos.yaml", 'name: D\nlicense: "a\\tb"\n', 2, 10),
    (
        "commons/dokos.yaml",
        'name: D\nneeds:\n  - id: v2\n    title: "a\\tb"\n    amount: 1\n',
        4,
        12,
    ),
    (P1, programme().replace("name: Pilote", 'name: "a\\tb"'), 1, 7),
    (C1, contribution(extra='reference: "a\\tb"\n'), 5, 12),
]


@pytest.mark.parametrize(("path", "text", "line", "col"), ONE_LINE_FIELDS)
def test_one_line_fields_refuse_a_tab(ledger_dir, path, text, line, col):
    loaded, problems = check(ledger_dir, {P1: programme(), path: text})
    assert problems == [(path, line, col, "S013")]
    assert only(loaded) == ("S013", ONE_LINE.format(2, "0009"))


def test_a_control_quoted_in_another_message_is_shown_by_its_code(ledger_dir):
    loaded, _ = check(ledger_dir, {C1: contribution().replace("dokos", r'"dok\e[31mos"')})
    code, message = only(loaded)
    assert code == "S008"
    assert message.startswith("'dok<U+001B>[31mos' is not an id")
    loaded, _ = check(ledger_dir, {C1: contribution(amount=r'"12\u202e"')})
    assert only(loaded) == (
        "S003",
        "amount '12<U+202E>' is written in quotes; write it as a plain number like 1200.50",
    )


# --- text that is not UTF-8 -------------------------------------------------------------------

NOT_UTF8 = (
    "this is not valid UTF-8 text: character 4 (U+DCE9) is a byte of another encoding, "
    "like Latin-1; retype it, or save the text as UTF-8"
)


def _errors(**fields: object) -> list[tuple[tuple[object, ...], str, str]]:
    data = {
        "id": "c1",
        "source": Source("c1.yaml"),
        "date": "2026-03-14",
        "contributor": "la-ruche",
        "common": "dokos",
        "amount": Decimal(10),
        **fields,
    }
    with pytest.raises(ValidationError) as e:
        Contribution.model_validate(data)
    return [(err["loc"], err["type"], err["msg"]) for err in e.value.errors()]


def test_text_from_bytes_that_are_not_utf8_is_refused():
    # Python reads the argument bytes `caf\xe9` (Latin-1 é) as 'caf\udce9'.
    assert _errors(note="caf\udce9") == [(("note",), "cofi_unsafe", NOT_UTF8)]
    assert _errors(reference="caf\udce9") == [(("reference",), "cofi_unsafe", NOT_UTF8)]


def test_a_lone_surrogate_in_an_id_is_shown_by_its_code():
    ((loc, kind, message),) = _errors(common="caf\udce9")
    assert (loc, kind) == (("common",), "cofi_id")
    assert message.startswith("'caf<U+DCE9>' is not an id")
    message.encode("utf-8")  # printable


def test_cofi_new_refuses_a_note_that_is_not_utf8(ledger_dir):
    root = ledger_dir({**PEOPLE})
    args = ["new", "contribution", "--root", str(root), "--date", "2026-03-14"]
    args += ["--contributor", "la-ruche", "--common", "dokos", "--amount", "10"]
    result = CliRunner().invoke(app, [*args, "--note", "caf\udce9"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (root / "ledger" / "contributions").exists()
