"""No input, however broken, makes the loader or the checks raise.

Random bytes, random YAML fragments and random YAML documents (partly made of real field
names and plausible values, so that some records load and the checks run on them) are
written into a temporary ledger and validated. Every problem must carry a catalogued code
and a position inside its file.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cofi.model import (
    LOADER_KEYS,
    Caps,
    Common,
    Contribution,
    Contributor,
    Disbursement,
    Eligible,
    Need,
    Pledge,
    Programme,
    Reversal,
    Settings,
)
from cofi.problems import CODES
from conftest import TODAY, validate, write_ledger

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FOLDERS = [
    "ledger/contributors",
    "commons",
    "ledger/programmes",
    "ledger/contributions",
    "ledger/contributions/2026",
    "ledger/pledges",
    "ledger/disbursements",
]
IDS = ["la-ruche", "etat", "dokos", "pilote", "c1", "p1", "Bad_Name", "booking-v2"]

FIELDS = sorted(
    {
        name
        for model in (
            Contributor,
            Common,
            Need,
            Programme,
            Eligible,
            Caps,
            Contribution,
            Pledge,
            Disbursement,
            Reversal,
            Settings,
        )
        for name in model.model_fields
    }
    - LOADER_KEYS
    | {"id"}
)

WEIRD = st.sampled_from(
    [
        "",
        " ",
        "no",
        "yes",
        "on",
        "~",
        "null",
        "1:30",
        "010",
        "0x1F",
        "1_000",
        ".inf",
        "-.nan",
        "1e3",
        "1200",
        "1200.505",
        "-5",
        "0",
        "2026-02-30",
        "2026-03-14",
        "14/03/2026",
        "tiers-lieu",
        "public",
        "money",
        "in-kind",
        "pro-rata",
        "all",
        "EUR",
        "USD",
        "73282932000074",
        "&a",
        "*a",
        "!!str",
        "! x",
        "---",
        "...",
        "- x",
        "? k",
        "a: b",
        "#",
        "\t",
        "\x00",
        "\x85",
        "\u2028",
        "\ufeff",
        "é",
        "🙂",
        "\\",
        "'",
        '"',
        "{",
        "[",
        "]",
        "%",
        *IDS,
    ]
)

SCALARS = st.one_of(
    WEIRD,
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS), VALUES, min_size=1, max_size=9)


def dump(doc: object, flow: bool) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow).encode()


FRAGMENT = st.one_of(
    WEIRD, st.sampled_from(FIELDS).map(lambda k: k + ": "), st.just("\n"), st.just("  ")
)
TEXTS = st.lists(FRAGMENT, max_size=40).map("".join)


def run_ledger(files: dict[str, bytes]) -> None:
    """Validate a ledger made of `files`; assert every problem is well formed."""
    with tempfile.TemporaryDirectory() as tmp:
        root = write_ledger(Path(tmp), {})
        for rel, raw in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        loaded = validate(root, TODAY)
    for p in loaded.problems:
        assert p.code in CODES, p
        assert p.message and p.severity in ("error", "warning")
        assert p.source.line >= 1 and p.source.col >= 1, p
        raw = files.get(p.source.path)
        if raw is not None:  # the problem points inside its file (\n, \r\n and \r end lines)
            lines = raw.splitlines() or [b""]
            assert p.source.line <= len(lines), (p, raw)
            line = lines[p.source.line - 1].decode("utf-8", "replace")
            assert p.source.col <= len(line) + 1, (p, raw)
    keys = [p.sort_key() for p in loaded.problems]
    assert keys == sorted(keys)


def named(folders: list[str], ids: list[str]) -> list[str]:
    return [f"{folder}/{name}.yaml" for folder, name in zip(folders, ids, strict=False)]


FILE_NAMES = st.lists(
    st.tuples(st.sampled_from(FOLDERS), st.sampled_from(IDS)),
    min_size=1,
    max_size=6,
    unique=True,
).map(lambda pairs: [f"{folder}/{name}.yaml" for folder, name in pairs])


@FUZZ
@given(names=FILE_NAMES, data=st.data())
def test_random_bytes(names, data):
    run_ledger({n: data.draw(st.binary(max_size=300)) for n in names})


@FUZZ
@given(names=FILE_NAMES, data=st.data())
def test_random_yaml_fragments(names, data):
    run_ledger({n: data.draw(TEXTS).encode("utf-8", "surrogatepass") for n in names})


@FUZZ
@given(names=FILE_NAMES, data=st.data(), flow=st.booleans())
def test_random_yaml_documents(names, data, flow):
    run_ledger({n: dump(data.draw(RECORDS), flow) for n in names})


@FUZZ
@given(data=st.data())
def test_random_documents_beside_valid_records(data):
    """Good records around a random one, so that references resolve and checks run."""
    good = {
        "ledger/contributors/la-ruche.yaml": b"name: La Ruche\nkind: tiers-lieu\n",
        "ledger/contributors/etat.yaml": b"name: Etat\nkind: public\n",
        "commons/dokos.yaml": b"name: Dokos\nneeds:\n  - {id: booking-v2, title: B, amount: 9}\n",
        "ledger/programmes/pilote.yaml": b"name: P\nfunder: etat\nratio: 1\nstart: 2026-01-01\n"
        b"end: 2026-12-31\nenvelope: 1000\nallocation: pro-rata\n",
        "ledger/contributions/c1.yaml": b"date: 2026-03-14\ncontributor: la-ruche\n"
        b"common: dokos\namount: 5\n",
        "ledger/pledges/p1.yaml": b"date: 2026-01-14\ncontributor: la-ruche\ncommon: dokos\n"
        b"amount: 5\ndue: 2026-12-01\n",
    }
    plausible = st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(st.sampled_from(IDS), WEIRD, VALUES),
        min_size=2,
        max_size=8,
    )
    folder = data.draw(st.sampled_from(FOLDERS))
    name = data.draw(st.sampled_from(IDS))
    run_ledger({**good, f"{folder}/{name}.yaml": dump(data.draw(plausible), False)})
