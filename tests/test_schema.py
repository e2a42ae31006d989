"""`cofi schema`: JSON Schemas that an editor or another validator can use.

The schemas are checked with the independent `jsonschema` package (draft 7), against the
data an editor's YAML 1.2 parser would see: unquoted numbers are numbers, true/false are
booleans, dates stay text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from cofi import yamlsrc
from cofi.cli import app
from cofi.model import Bare

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
KINDS = [
    "settings", "contributor", "common", "programme",
    "contribution", "pledge", "disbursement", "receipt", "reversal",
]  # fmt: skip
FOLDER_KIND = {
    "commons/": "common",
    "ledger/contributors/": "contributor",
    "ledger/programmes/": "programme",
    "ledger/contributions/": "contribution",
    "ledger/pledges/": "pledge",
    "ledger/disbursements/": "disbursement",
    "ledger/receipts/": "receipt",
}
MISTAKES = REPO / "tests" / "fixtures" / "twenty-mistakes"

# YAML 1.2 core schema: what an editor reads as a number or a boolean.
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def as_json(value: Any) -> Any:
    """YAML data as cofi reads it -> the JSON-like data of a YAML 1.2 parser."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Bare):
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return _BOOL.get(value, str(value))
    return value


def kind_of(rel: str, data: dict[str, Any]) -> str:
    if rel == "ledger/settings.yaml":
        return "settings"
    if "reverses" in data:
        return "reversal"
    return next(kind for folder, kind in FOLDER_KIND.items() if rel.startswith(folder))


def records(root: Path) -> list[tuple[str, Path]]:
    """(path from the root, file) of every record file of a ledger root."""
    return sorted(
        (p.relative_to(root).as_posix(), p)
        for top in ("commons", "ledger")
        for p in (root / top).rglob("*.yaml")
    )


def validator(kind: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def errors(root: Path, rel: str) -> tuple[str, list[tuple[str, str]]]:
    """The file's kind and its schema errors as (key path, JSON Schema keyword)."""
    doc = yamlsrc.parse(rel, (root / rel).read_bytes())
    assert doc.data is not None and not doc.problems, f"{rel}: {doc.problems}"
    kind = kind_of(rel, doc.data)
    found = validator(kind).iter_errors(as_json(doc.data))
    return kind, sorted((".".join(map(str, e.absolute_path)), e.validator) for e in found)


def test_schema_output_writes_one_file_per_kind_and_the_committed_ones_are_up_to_date(tmp_path):
    result = CliRunner().invoke(app, ["schema", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{k}.json" for k in KINDS)
    assert sorted(p.name for p in SCHEMAS.iterdir()) == written
    for name in written:
        fresh = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert (SCHEMAS / name).read_text(encoding="utf-8") == fresh, f"schemas/{name} is stale"
        schema = json.loads(fresh)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["additionalProperties"] is False  # a typo must not pass


def test_one_kind_is_printed(tmp_path):
    result = CliRunner().invoke(app, ["schema", "pledge"])
    assert result.exit_code == 0
    assert result.stdout == (SCHEMAS / "pledge.json").read_text(encoding="utf-8")
    assert sorted(json.loads(result.stdout)["required"]) == [
        "amount", "common", "contributor", "date", "due",
    ]  # fmt: skip


@pytest.mark.parametrize("args", [["schema", "contributeur"], ["schema"]])
def test_schema_without_a_known_kind_cannot_run(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "contribution" in result.stderr


LEDGERS = [REPO, *sorted(p for p in (REPO / "examples").iterdir() if (p / "ledger").is_dir())]


@pytest.mark.parametrize("root", LEDGERS, ids=lambda p: p.relative_to(REPO).as_posix() or ".")
def test_every_bundled_record_validates_against_the_schema_its_first_line_names(root):
    files = records(root)
    assert len(files) >= 10
    for rel, path in files:
        kind, problems = errors(root, rel)
        assert problems == [], f"{rel} ({kind}): {problems}"
        first = path.read_text(encoding="utf-8").splitlines()[0]
        named = first.removeprefix("# yaml-language-server: $schema=")
        assert named != first, f"{rel}: line 1 is not the schema comment"
        assert (path.parent / named).resolve() == SCHEMAS / f"{kind}.json", rel


# What the schemas see among the twenty mistakes: unknown keys, wrong types, bad choices,
# missing keys, bad ids, impossible dates. (key path, JSON Schema keyword) per error.
SCHEMA_SEES = {
    "commons/coopcycle.yaml": [("stewards", "type")],  # a word, not a list
    "ledger/contributors/fablab-nord.yaml": [("kind", "enum")],  # tiers-lieux
    "ledger/contributors/le-hangar.yaml": [("", "additionalProperties"), ("", "required")],  # knd
    "ledger/contributions/2026/2026-06-15-la-ruche-dokos.yaml": [
        ("amount", "type"),  # 1 200
        ("common", "pattern"),  # Dokos
        ("currency", "anyOf"),  # euros
        ("date", "format"),  # 2026-06-31
        ("note", "anyOf"),  # ''
        ("reference", "anyOf"),  # a list
    ],
    "ledger/programmes/region-2026.yaml": [
        ("caps", "additionalProperties"),  # per_contributer
        ("exclude_stewards", "type"),  # oui
        ("ratio", "type"),  # 0,5
    ],
}
# Mistakes only cofi's own checks can see: references between records, ledger rules,
# file names. Each of these files is a well-formed record of its kind.
SCHEMA_BLIND = [
    "commons/movilab.yaml",  # need `wiki` twice
    "ledger/contributions/2026/2026-03-10-annule.yaml",  # dated before its target
    "ledger/contributions/2026/2026-03-20-la-ruche-dokos.yaml",  # need booking-v3, USD
    "ledger/contributions/2026/2026-03-26-annule-encore.yaml",  # reversed twice
    "ledger/contributions/2026/2026-03-27-annule-annulation.yaml",  # reverses a reversal
    "ledger/contributions/2026/2026-04-01-annule.yaml",  # no such entry
    "ledger/contributions/2026/2026-04-02-la-rushe-dokos.yaml",  # unknown contributor
    "ledger/contributions/2026/2026-04-10-la-ruche-communecter.yaml",  # unknown common
    "ledger/contributions/2026/2026-05-01-la-ruche-dokos.yaml",  # another common's pledge
    "ledger/contributions/2026/2026-05-05-la-ruche-dokos.yaml",  # unknown pledge
    "ledger/contributions/2026/2026-06-01-la-ruche-dokos.yaml",  # dated in the future
    "ledger/contributors/Tiers_Lieu.yaml",  # bad file name
    "ledger/disbursements/etat-dokos-1.yaml",  # unknown programme
    "ledger/pledges/2026-03-14-la-ruche-dokos.yaml",  # a contribution's id
    "ledger/pledges/2026-05-02-annule.yaml",  # reverses a contribution
    "ledger/programmes/pilote-2026.yaml",  # funder not public, starts after it ends
]
# Not YAML a validator gets a record from (Y001 … Y010): the editor's parser says so itself.
NOT_A_RECORD = [f"ledger/contributions/2026/2026-07-0{d}-la-ruche-dokos.yaml" for d in range(1, 9)]


@pytest.mark.parametrize("rel", sorted(SCHEMA_SEES))
def test_the_schema_rejects_the_mistakes_it_can_see(rel):
    assert errors(MISTAKES, rel)[1] == SCHEMA_SEES[rel]


@pytest.mark.parametrize("rel", SCHEMA_BLIND)
def test_mistakes_between_records_are_left_to_cofi_check(rel):
    assert errors(MISTAKES, rel)[1] == []


def test_every_file_of_the_twenty_mistakes_is_accounted_for():
    good = {"commons/dokos.yaml", "ledger/settings.yaml"} | {
        f"ledger/{p}.yaml"
        for p in (
            "contributions/2026/2026-03-14-la-ruche-dokos",
            "contributions/2026/2026-03-25-annule",
            "contributors/dokos-sas", "contributors/etat", "contributors/la-ruche",
            "contributors/region-occitanie",
            "pledges/la-ruche-dokos-2026", "pledges/la-ruche-movilab-2026",
        )
    }  # fmt: skip
    listed = set(SCHEMA_SEES) | set(SCHEMA_BLIND) | set(NOT_A_RECORD) | good
    assert {rel for rel, _ in records(MISTAKES)} == listed
    for rel in good:
        assert errors(MISTAKES, rel)[1] == [], rel


def _defaults(node: Any, where: str = "") -> list[tuple[str, Any, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if "default" in node:
            found.append((where, node["default"], node))
        for key, value in node.items():
            found += _defaults(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _defaults(value, f"{where}/{i}")
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_default_is_valid_for_its_own_field(kind):
    """An editor completing a field with its default must write what cofi accepts."""
    schema = json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    bad = []
    for where, default, field in _defaults(schema):
        sub = {k: v for k, v in field.items() if k != "default"}
        if not Draft7Validator({**sub, "definitions": schema.get("definitions", {})}).is_valid(
            default
        ):
            bad.append((where, default))
    assert bad == []


CONTRIBUTION = {"date": "2026-03-14", "contributor": "la-ruche", "common": "dokos", "amount": 1200}


@pytest.mark.parametrize(
    "change",
    [
        {"date": "0226-03-14"},  # a year cofi refuses (1900 to 2999)
        {"date": "2026-13-01"},
        {"reference": "FAC\n2026"},  # a line break in a one-line text
        {"reference": "FAC\x1b[31m"},  # a control character ("\e" in YAML)
        {"note": "payé\u202e"},  # a direction override
        {"reference": "FAC\u200b2026"},  # a zero-width space
    ],
)
def test_the_schema_refuses_single_field_mistakes_as_check_does(change):
    found = [e.path for e in validator("contribution").iter_errors(CONTRIBUTION | change)]
    assert {tuple(path) for path in found} == {tuple(change)}  # that field, and it alone


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"note": "reçu\nle 2026-03-18\tpar virement"},  # a note may run over lines
        {"reference": "FAC-2026\n"},  # `reference: >` ends in YAML's own line break
        {"date": "2999-12-31"},
    ],
)
def test_the_schema_accepts_what_check_accepts(change):
    assert list(validator("contribution").iter_errors(CONTRIBUTION | change)) == []


def test_an_unquoted_siret_is_accepted_as_check_accepts_it():
    contributor = {"name": "La Ruche", "kind": "tiers-lieu"}
    for siret in (73282932000074, "73282932000074"):
        assert list(validator("contributor").iter_errors(contributor | {"siret": siret})) == []
    assert list(validator("contributor").iter_errors(contributor | {"siret": 7328293200007}))
