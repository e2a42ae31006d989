"""Review of the report's forms (issue 17): values where the form and `cofi check` or
`cofi new` disagree. Each test types a value into the form in headless Chromium and
compares what the form says or writes with what `cofi check` says of the file the form
would write, or with the file `cofi new` writes for the same answers.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import Result
from pydantic_core import PydanticCustomError
from typer.testing import CliRunner

from cofi import yamlsrc
from cofi.cli import app
from cofi.model import TEMPLATE, Settings, parse_text
from test_declare_browser import (
    AWAITING,
    DECLARE,
    check,
    ledger_copy,
    problem_of,
    report,
    run,
    write,
)

FOLDER = "ledger/contributions/2026"
NAME = "2026-11-20-la-fabrique-du-coin-dokos.yaml"


def declare(site: Path, field: str, typed: str, *, as_text: bool = False) -> dict[str, object]:
    """The form filled with good values but `field`, typed as `typed`, then submitted."""
    steps = (
        'set("date", "2026-11-20"); set("contributor", "la-fabrique-du-coin");'
        'set("common", "dokos"); set("amount", "12");'
    )
    if as_text:  # as typed where a browser has no date picker: any text
        steps += f'f.elements.namedItem("{field}").type = "text";'
    steps += f"set({json.dumps(field)}, {json.dumps(typed)}); f.requestSubmit();"
    steps += f"said.error = error({json.dumps(field)});"
    return run(site, "declare.html", steps)


def said(state: dict[str, object]) -> str:
    words = state["said"]
    assert isinstance(words, dict)
    return str(words["error"])


# Characters that JSON (and so the form's writer, and cofi new's) leaves as they are in a
# quoted string, and that the YAML reader refuses in a file (cofi.yamlsrc._INVISIBLE):
# the file the form would write fails with Y004, so the form must say Y004's words.
@pytest.mark.parametrize("field", ["reference", "note"])
@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x85", "\u2028"])
def test_a_character_the_yaml_reader_refuses_is_refused_in_cofi_checks_words(
    tmp_path: Path, field: str, char: str
) -> None:
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    state = declare(site, field, f"a{char}b")
    good = declare(site, "reference", "x")
    text = str(good["text"]).replace('reference: "x"\n', f'{field}: "a{char}b"\n')
    write(root, FOLDER, NAME, text)
    assert state["shown"] is False, "the form accepted a file that cofi check refuses"
    assert said(state) == problem_of(root, "en", "Y004")


def test_a_lone_surrogate_is_refused_as_cofi_check_refuses_it(tmp_path: Path) -> None:
    # A script or an extension can put one in a field; the form wrote it as the escape
    # "\ud800", which the YAML reader refuses (Y004: invalid Unicode escape). The
    # validator's words for that text are the ones to say.
    site = report(ledger_copy(tmp_path, "github"), "en")
    state = declare(site, "reference", "a\ud800b")
    with pytest.raises(PydanticCustomError) as refused:
        parse_text("a\ud800b")
    context = dict(refused.value.context or {})
    words = str(context.pop(TEMPLATE)).format(**context)
    assert state["shown"] is False
    assert said(state).startswith(f"S013 {words}")


def typed_date(tmp_path: Path, typed: str) -> tuple[dict[str, object], str]:
    """The English form after `typed` in its date field, and what cofi check says (S004) of
    the file the form writes once given a good date, with `typed` put back in it."""
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    state = declare(site, "date", typed, as_text=True)
    good = declare(site, "reference", "x")
    write(root, FOLDER, NAME, str(good["text"]).replace("date: 2026-11-20", f"date: {typed}"))
    return state, problem_of(root, "en", "S004")


def test_year_zero_is_not_a_day_of_the_calendar_as_cofi_check_says(tmp_path: Path) -> None:
    # Python has no year 0: cofi check says "not a day of the calendar", not "out of range".
    state, checked = typed_date(tmp_path, "0000-01-01")
    assert said(state) == checked


def test_an_english_page_does_not_read_a_slashed_date_as_day_month(tmp_path: Path) -> None:
    # 03/04/2026 is the 4th of March to an American treasurer; cofi check and cofi new
    # refuse it, and so must the English form, rather than write 2026-04-03.
    state, checked = typed_date(tmp_path, "03/04/2026")
    assert state["shown"] is False, state["text"]
    assert said(state) == checked


def new(root: Path, kind: str, *args: str) -> Result:
    """`cofi new` (test_declare_browser's `cofi` adds --as-of, which it does not take)."""
    return CliRunner().invoke(app, ["new", kind, "--root", str(root), *args])


def cofi_new(root: Path, kind: str, *args: str) -> tuple[str, str]:
    """The path and text `cofi new` writes for these answers; the file is taken back."""
    result = new(root, kind, *args)
    assert result.exit_code == 0, result.output
    found = re.search(r"wrote (\S+)", result.output)
    assert found
    path = root / found[1]
    text = path.read_text(encoding="utf-8")
    path.unlink()
    return found[1], text


def test_a_reference_is_written_as_cofi_new_writes_it(tmp_path: Path) -> None:
    # cofi new strips what it is asked (a reference, as typed at its prompt): the form
    # wrote `reference: " FAC-117 "`.
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    state = declare(site, "reference", " FAC-117 ")
    _path, text = cofi_new(
        root, "contribution", "--date", "2026-11-20", "--contributor", "la-fabrique-du-coin",
        "--common", "dokos", "--amount", "12", "--reference", " FAC-117 ",
    )  # fmt: skip
    assert state["text"] == text


def test_a_receipts_note_is_written_as_cofi_new_writes_it(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    steps = (
        f'set("contribution", "{AWAITING}"); set("date", "2026-11-30");'
        'set("note", " virement reçu \\n"); f.requestSubmit();'
    )
    state = run(site, "receipt.html", steps)
    _path, text = cofi_new(
        root, "receipt", AWAITING, "--date", "2026-11-30", "--note", " virement reçu \n"
    )
    assert state["text"] == text


LONG = "tiers-lieu-de-la-vallee-de-la-bruche"  # 36 characters: X is 53, its receipt 72


def test_a_second_receipt_of_the_same_day_is_named_as_cofi_new_names_it(tmp_path: Path) -> None:
    # Two contributions of a day by a contributor with a long id are X and X-2; their
    # receipts' ids, cut at 64 characters, are the same. cofi new names the second one
    # -2; the receipt form, which was given no list of the ids taken, reused the first's.
    root = ledger_copy(tmp_path, "github")
    write(root, "ledger/contributors", f"{LONG}.yaml", "name: Vallée\nkind: tiers-lieu\n")
    answers = ("--date", "2026-11-24", "--contributor", LONG, "--common", "dokos")
    for amount in ("300", "400"):
        result = new(root, "contribution", *answers, "--amount", amount)
        assert result.exit_code == 0, result.output
    first, second = f"2026-11-24-{LONG}-dokos", f"2026-11-24-{LONG}-dokos-2"
    result = new(root, "receipt", first, "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    path, text = cofi_new(root, "receipt", second, "--date", "2026-11-30")
    assert path.endswith("-2.yaml")
    steps = f'set("contribution", "{second}"); set("date", "2026-11-30"); f.requestSubmit();'
    state = run(report(root, "en"), "receipt.html", steps)
    assert (state["path"], state["text"]) == (path, text)
    folder, name = path.rsplit("/", 1)
    write(root, folder, name, text)
    assert check(root) == (0, [])


@pytest.mark.parametrize(
    "repository",
    ["https://github.com/a/..", "https://github.com/../../evil/x", "https://github.com/a/./b"],
)
def test_a_repository_with_dot_segments_is_refused(repository: str) -> None:
    # A browser resolves `..` in a link's path: the form would open another repository's
    # (or none's) new-file page than the address says.
    with pytest.raises(ValueError, match="is not a repository's web address"):
        Settings.model_validate({"forge": {"repository": repository}})


def test_a_french_pledge_is_followed_by_a_spaced_colon(tmp_path: Path) -> None:
    # French sets a space before a colon, as the form's own list of problems does
    # ("{field} : {problem}"); the pledge choices wrote "cantine-movilab-2026: 1 500,00 €".
    site = report(ledger_copy(tmp_path, "github"), "fr")
    page = (site / "declare.html").read_text(encoding="utf-8")
    options = re.findall(r'<option value="(cantine-movilab-2026)"[^>]*>([^<]*)<', page)
    assert options and re.match(r"cantine-movilab-2026[ \u00a0]: ", unescape(options[0][1])), (
        options
    )


def test_the_characters_json_leaves_raw_are_those_the_form_says_y004_of() -> None:
    # The form's list (yamlsrc.RAW_INVISIBLE) is written out: it must stay the part of the
    # YAML reader's refusals that a JSON string does not escape.
    refused = [chr(c) for c in range(0x10000) if yamlsrc._INVISIBLE.match(chr(c))]
    raw = {ch for ch in refused if json.dumps(ch, ensure_ascii=False) == f'"{ch}"'}
    assert raw == {ch for ch in refused if re.match(f"[{yamlsrc.RAW_INVISIBLE}]", ch)}


def test_an_invisible_character_in_a_refused_amount_is_named_as_cofi_check_names_it(
    tmp_path: Path,
) -> None:
    # A direction mark inside an amount: cofi check quotes the value with the mark written
    # <U+202E>, so that the message does not reorder itself on screen; the form says the same.
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    steps = DECLARE % "1\u202e2" + 'said.error = error("amount");'
    state = run(site, "declare.html", steps)
    said = state["said"]
    assert isinstance(said, dict)
    text = str(run(site, "declare.html", DECLARE % "12")["text"])
    write(
        root,
        "ledger/contributions/2026",
        "2026-11-20-la-fabrique-du-coin-dokos.yaml",
        text.replace("amount: 12\n", "amount: 1\u202e2\n"),
    )
    assert "<U+202E>" in said["error"]
    assert said["error"] == problem_of(root, "en", "S003")
