"""The kinds of record a ledger holds (SPEC §1), one row each.

Which folder holds a kind, its model, whether it may be filed in sub-folders,
whether it is a dated entry (append-only, one id space, reversible), whose word
adds one, the order `cofi new` writes its fields in and the title of its JSON
Schema: the loader, the checks, the git rules, `cofi schema` and `cofi new`
read them here. Adding a kind is a row here, its model and its rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cofi.model import (
    Common,
    Contribution,
    Contributor,
    Disbursement,
    Pledge,
    Programme,
    Receipt,
    Record,
    Reversal,
)

Voucher = Literal["coordinator", "contributor", "funder", "steward"]
"""Whose identity vouches for an added record, besides a coordinator's (SPEC §5):
the contributor it speaks for, the funder of its programme, or a steward of the
common of the contribution it confirms."""


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    folder: str
    """Relative to the ledger root, POSIX."""
    model: type[Record]
    nested: bool
    """Whether sub-folders (by year, say) are allowed below `folder`."""
    entry: bool
    """Dated, append-only, sharing one id space, cancelled by a reversal in its folder."""
    vouched_by: Voucher
    title: str
    fields: tuple[str, ...] = ()
    """The order `cofi new` writes the fields in (entries only)."""
    by_year: bool = False
    """Whether `cofi new` files it under a sub-folder named after its year."""

    @property
    def plural(self) -> str:
        """The name of the Ledger field that holds records of this kind."""
        return f"{self.name}s"


KINDS: tuple[Kind, ...] = (
    Kind(
        "contributor",
        "ledger/contributors",
        Contributor,
        nested=False,
        entry=False,
        vouched_by="coordinator",
        title="cofi contributor (ledger/contributors/<id>.yaml)",
    ),
    Kind(
        "common",
        "commons",
        Common,
        nested=False,
        entry=False,
        vouched_by="coordinator",
        title="cofi common (commons/<id>.yaml)",
    ),
    Kind(
        "programme",
        "ledger/programmes",
        Programme,
        nested=False,
        entry=False,
        vouched_by="coordinator",
        title="cofi matching programme (ledger/programmes/<id>.yaml)",
    ),
    Kind(
        "contribution",
        "ledger/contributions",
        Contribution,
        nested=True,
        entry=True,
        vouched_by="contributor",
        title="cofi contribution (ledger/contributions/**/<id>.yaml)",
        fields=(
            "date",
            "contributor",
            "common",
            "need",
            "amount",
            "kind",
            "pledge",
            "reference",
            "note",
        ),
        by_year=True,
    ),
    Kind(
        "pledge",
        "ledger/pledges",
        Pledge,
        nested=True,
        entry=True,
        vouched_by="contributor",
        title="cofi pledge (ledger/pledges/**/<id>.yaml)",
        fields=("date", "contributor", "common", "amount", "due", "reference", "note"),
    ),
    Kind(
        "disbursement",
        "ledger/disbursements",
        Disbursement,
        nested=True,
        entry=True,
        vouched_by="funder",
        title="cofi disbursement (ledger/disbursements/**/<id>.yaml)",
        fields=("date", "programme", "common", "amount", "reference", "note"),
        by_year=True,
    ),
    Kind(
        "receipt",
        "ledger/receipts",
        Receipt,
        nested=True,
        entry=True,
        vouched_by="steward",
        title="cofi receipt: a steward confirms a contribution (ledger/receipts/**/<id>.yaml)",
        fields=("date", "contribution", "note"),
        by_year=True,
    ),
)

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS}
ENTRY_KINDS: frozenset[str] = frozenset(k.name for k in KINDS if k.entry)
KIND_OF: dict[type[Record], str] = {**{k.model: k.name for k in KINDS}, Reversal: "reversal"}
"""The kind of a record by its model; a reversal is of its own kind wherever it lies."""
REVERSAL_FIELDS = ("date", "reverses", "note")

SETTINGS = "ledger/settings.yaml"


def id_of(path: str) -> str:
    """A record's id: its file's name without `.yaml`."""
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")
