"""Fields: exact amounts, real dates, SIRET, ids, booleans, and unknown keys with a suggestion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cofi.model import siret_is_valid
from conftest import PILOTE_2026, TODAY, base_ledger, validate

PEOPLE = base_ledger({PILOTE_2026: None})  # each test writes its own programme, if any

PROGRAMME = """\
name: Pilote
funder: etat
ratio: 1
start: 2026-01-01
end: 2026-12-31
envelope: 100000
allocation: pro-rata
"""


def check(ledger_dir, files: dict[str, str]):
    loaded = validate(ledger_dir({**PEOPLE, **files}), TODAY)
    return loaded, [(p.source.path, p.source.line, p.source.col, p.code) for p in loaded.problems]


def contribution(*, amount: str = "1200", date: str = "2026-03-14", extra: str = "") -> str:
    return f"date: {date}\ncontributor: la-ruche\ncommon: dokos\namount: {amount}\n{extra}"


C1 = "ledger/contributions/c1.yaml"


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["1200", "1200.5", "1200.50", "0.01", "7"])
def test_amount_keeps_exactly_the_written_value(ledger_dir, written):
    loaded, problems = check(ledger_dir, {C1: contribution(amount=written)})
    assert problems == []
    amount = loaded.ledger.contributions[0].amount
    assert isinstance(amount, Decimal)
    assert amount == Decimal(written) and str(amount) == written  # 1200.50 keeps its 0


def test_amount_is_not_read_through_a_float(ledger_dir):
    # 0.1 + 0.2 as floats is 0.30000000000000004; as written text it is exact.
    loaded, _ = check(
        ledger_dir,
        {
            C1: contribution(amount="0.1"),
            "ledger/contributions/c2.yaml": contribution(amount="0.2"),
        },
    )
    assert sum(c.amount for c in loaded.ledger.contributions) == Decimal("0.3")


FORM = "like 1200 or 1200.50"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("1200.505", FORM),
        ("-5", FORM),
        ("1e3", FORM),
        (".inf", FORM),
        (".nan", FORM),
        ("1 200", FORM),
        ("1200,50", FORM),
        ("+5", FORM),
        ("0x10", FORM),
        ("1_200", FORM),
        ('"1200"', "written in quotes; write it as a plain number like 1200.50"),
        ("0", "greater than 0"),
        ("0.00", "greater than 0"),
        ("[1200]", "expected an amount like 1200.50, found a list"),
    ],
)
def test_bad_amounts_are_refused_naming_the_accepted_form(ledger_dir, written, said):
    loaded, problems = check(ledger_dir, {C1: contribution(amount=written)})
    # "amount: " is 8 characters: the value starts in column 9 of line 4.
    assert problems == [(C1, 4, 9, "S003")]
    assert said in loaded.problems[0].message
    assert loaded.ledger.contributions == ()


def test_amount_left_empty(ledger_dir):
    loaded, problems = check(ledger_dir, {C1: contribution(amount="")})
    assert [p[3] for p in problems] == ["S003"] and problems[0][1] == 4
    assert "found nothing" in loaded.problems[0].message


# --- dates --------------------------------------------------------------------------------------


def test_a_date_that_is_not_in_the_calendar(ledger_dir):
    loaded, problems = check(ledger_dir, {C1: contribution(date="2026-02-30")})
    assert problems == [(C1, 1, 7, "S004")]
    assert "2026-02-30 is not a day of the calendar" in loaded.problems[0].message


def test_leap_day_exists_in_a_leap_year(ledger_dir):
    loaded, problems = check(ledger_dir, {C1: contribution(date="2024-02-29")})
    assert problems == []
    assert loaded.ledger.contributions[0].date.isoformat() == "2024-02-29"
    _, problems = check(ledger_dir, {C1: contribution(date="2025-02-29")})
    assert problems == [(C1, 1, 7, "S004")]


@pytest.mark.parametrize("written", ["14/03/2026", "2026-3-14", "2026-03-14T10:00:00", "20260314"])
def test_dates_not_written_iso_are_refused(ledger_dir, written):
    loaded, problems = check(ledger_dir, {C1: contribution(date=written)})
    assert problems == [(C1, 1, 7, "S004")]
    assert "YYYY-MM-DD" in loaded.problems[0].message


# --- SIRET --------------------------------------------------------------------------------------
# Luhn, worked by hand: from the right, double every second digit, subtract 9 above 9, sum.
#   73282932000074 -> kept 4,0,0,2,9,8,3 = 26; doubled 7,0,0,3,2,2,7 -> 5,0,0,6,4,4,5 = 24;
#                     26 + 24 = 50, a multiple of 10: valid.
#   1234567890123? -> kept 2,0,8,6,4,2 = 22 (+ the check digit); doubled 3,1,9,7,5,3,1 ->
#                     6,2,9,5,1,6,2 = 31; 22 + 31 = 53, so the check digit is 7: 12345678901237.
# La Poste (SIREN 356000000): its head office keeps Luhn (35600000000048: kept 8,5 = 13,
# doubled 4,6,3 -> 8,3,6 = 17, total 30); its other establishments use a digit sum that is
# a multiple of 5 (35600000000001: 3+5+6+1 = 15).


@pytest.mark.parametrize(
    "siret", ["73282932000074", "12345678901237", "35600000000048", "35600000000001"]
)
def test_valid_sirets(ledger_dir, siret):
    assert siret_is_valid(siret)
    loaded, problems = check(
        ledger_dir, {"ledger/contributors/x.yaml": f'name: X\nkind: private\nsiret: "{siret}"\n'}
    )
    assert problems == []
    assert loaded.ledger.contributor["x"].siret == siret


@pytest.mark.parametrize(
    "siret",
    [
        "7328293200007",  # 13 digits
        "732829320000740",  # 15 digits
        "7328293200007A",  # not all digits
        "7328293200 074",
        "73282932000075",  # Luhn sum 51
        "12345678901234",  # Luhn sum 53 + 4 = 57
        "35600000000014",  # La Poste: digit sum 19
        "",
    ],
)
def test_invalid_sirets(ledger_dir, siret):
    loaded, problems = check(
        ledger_dir, {"ledger/contributors/x.yaml": f'name: X\nkind: private\nsiret: "{siret}"\n'}
    )
    # 'siret: ' is 7 characters: the quoted value starts in column 8 of line 3.
    assert problems == [("ledger/contributors/x.yaml", 3, 8, "S007")]
    assert "14 digits and pass the Luhn check" in loaded.problems[0].message


def test_an_rna_number_is_w_and_nine_digits(ledger_dir):
    text = 'name: X\nkind: network\nrna: "W751234567"\n'
    loaded, problems = check(ledger_dir, {"ledger/contributors/x.yaml": text})
    assert problems == []
    assert loaded.ledger.contributor["x"].rna == "W751234567"


@pytest.mark.parametrize(
    "rna", ["W75123456", "w751234567", "W7512345678", "751234567", "W75123456X"]
)
def test_invalid_rna_numbers(ledger_dir, rna):
    text = f'name: X\nkind: network\nrna: "{rna}"\n'
    loaded, problems = check(ledger_dir, {"ledger/contributors/x.yaml": text})
    # 'rna: ' is 5 characters: the quoted value starts in column 6 of line 3.
    assert problems == [("ledger/contributors/x.yaml", 3, 6, "S014")]
    assert "W followed by 9 digits" in loaded.problems[0].message


# --- ids, choices, booleans -------------------------------------------------------------------


@pytest.mark.parametrize("written", ["La-Ruche", "la_ruche", "-la-ruche", "la ruche", "a" * 65])
def test_references_must_be_ids(ledger_dir, written):
    text = contribution().replace("contributor: la-ruche", f"contributor: {written}")
    loaded, problems = check(ledger_dir, {C1: text})
    assert problems == [(C1, 2, 14, "S008")]
    assert "lowercase letters, digits and hyphens" in loaded.problems[0].message


def test_an_id_of_64_characters_is_fine(ledger_dir):
    path = f"ledger/contributors/{'a' * 64}.yaml"
    _, problems = check(ledger_dir, {path: "name: A\nkind: network\n"})
    assert problems == []


def test_record_ids_come_from_file_names(ledger_dir):
    loaded, problems = check(ledger_dir, {"ledger/contributions/2026/03/c-14.yaml": contribution()})
    assert problems == []
    assert [c.id for c in loaded.ledger.contributions] == ["c-14"]
    assert {c.id for c in loaded.ledger.contributors} == {"la-ruche", "etat"}


def test_yes_is_not_a_boolean(ledger_dir):
    loaded, problems = check(
        ledger_dir, {"ledger/programmes/pilote.yaml": PROGRAMME + "exclude_stewards: yes\n"}
    )
    # "exclude_stewards: " is 18 characters.
    assert problems == [("ledger/programmes/pilote.yaml", 8, 19, "S011")]
    assert "'yes' is not true or false" in loaded.problems[0].message


def test_false_is_a_boolean(ledger_dir):
    loaded, problems = check(
        ledger_dir, {"ledger/programmes/pilote.yaml": PROGRAMME + "exclude_stewards: false\n"}
    )
    assert problems == []
    assert loaded.ledger.programme["pilote"].exclude_stewards is False


def test_kind_must_be_one_of_the_choices(ledger_dir):
    loaded, problems = check(ledger_dir, {"ledger/contributors/x.yaml": "name: X\nkind: no\n"})
    assert problems == [("ledger/contributors/x.yaml", 2, 7, "S006")]
    assert "'no' is not one of: tiers-lieu, network, public, private or individual" in (
        loaded.problems[0].message
    )


# --- unknown keys -------------------------------------------------------------------------------


def test_unknown_key_suggests_the_nearest(ledger_dir):
    text = contribution().replace("amount:", "amout:")
    loaded, problems = check(ledger_dir, {C1: text})
    assert (C1, 4, 1, "S001") in problems
    s001 = next(p for p in loaded.problems if p.code == "S001")
    assert s001.message == "unknown key 'amout': did you mean 'amount'?"
    # one mistake, one problem: the suggested key is not also reported missing
    assert [p for p in problems if p[3] == "S002"] == []


def test_unknown_key_far_from_all_keys_lists_them(ledger_dir):
    loaded, problems = check(ledger_dir, {C1: contribution(extra="xyzzy: 1\n")})
    assert problems == [(C1, 5, 1, "S001")]
    assert loaded.problems[0].message == "unknown key 'xyzzy'"
    assert "amount" in loaded.problems[0].hint and "pledge" in loaded.problems[0].hint


def test_unknown_key_inside_caps(ledger_dir):
    loaded, problems = check(
        ledger_dir,
        {"ledger/programmes/pilote.yaml": PROGRAMME + "caps:\n  per_contributer: 5000\n"},
    )
    assert problems == [("ledger/programmes/pilote.yaml", 9, 3, "S001")]
    assert "did you mean 'per_contributor'?" in loaded.problems[0].message
    assert loaded.problems[0].hint == (
        "keys are: per_contribution, per_contributor, per_common, per_need_share"
    )


def test_unknown_key_inside_eligible(ledger_dir):
    loaded, problems = check(
        ledger_dir,
        {"ledger/programmes/pilote.yaml": PROGRAMME + "eligible:\n  kind: [tiers-lieu]\n"},
    )
    assert problems == [("ledger/programmes/pilote.yaml", 9, 3, "S001")]
    assert "unknown key 'kind': did you mean 'kinds'?" in loaded.problems[0].message


def test_unknown_key_inside_a_need(ledger_dir):
    loaded, problems = check(
        ledger_dir,
        {
            "commons/movilab.yaml": """
        name: Movilab
        needs:
          - id: wiki
            title: Wiki
            amount: 500
          - id: search
            title: Recherche
            amonut: 800
        """
        },
    )
    path = "commons/movilab.yaml"
    # the second need has `amonut`: one problem, at that key, suggesting `amount`
    # (not also "missing amount" at its `- id` line)
    assert problems == [(path, 8, 5, "S001")]
    assert "did you mean 'amount'?" in loaded.problems[0].message


def test_loader_fields_may_not_be_written(ledger_dir):
    loaded, problems = check(ledger_dir, {C1: "id: c1\n" + contribution()})
    assert problems == [(C1, 1, 1, "S001")]
    assert "file's name" in loaded.problems[0].hint
