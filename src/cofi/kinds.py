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

from cofi.i18n import N_
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


Among = Literal["", "payers", "contributors", "commons", "needs", "programmes", "kinds", "pledges"]
"""Where a terminal's choices for a field come from: contributors who give (not public
bodies), any contributor, the commons, the needs of the chosen common, the programmes,
money or in kind, the chosen contributor's open pledges to the chosen common."""


PAYERS = ("tiers-lieu", "network", "private", "individual")
"""The kinds of contributor who give (`among="payers"`): all but public bodies."""
CONTRIBUTION_KINDS = (("money", N_("money")), ("in-kind", N_("in kind (valued at its cost)")))
"""The choices for a contribution's `kind` (`among="kinds"`), with their words."""


@dataclass(frozen=True, slots=True)
class Question:
    """A field `cofi new` writes, in the file's order: given by its flag, else, when
    `asked`, asked on a terminal (with choices `among` the ledger's records)."""

    field: str
    asked: bool = True
    required: bool = True
    among: Among = ""


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
    questions: tuple[Question, ...] = ()
    """What `cofi new KIND` asks for, in the order it writes the fields (entries only)."""
    by_year: bool = False
    """Whether `cofi new` files it under a sub-folder named after its year."""
    stem: str = ""
    """`cofi new`'s file name, from the fields: `{date}-{contributor}-{common}`."""
    help: str = ""
    """`cofi new KIND --help`, marked for translation."""
    argument: str = ""
    """The field `cofi new` takes as its argument, not a flag: the entry it acts on."""

    @property
    def plural(self) -> str:
        """The name of the Ledger field that holds records of this kind."""
        return f"{self.name}s"

    @property
    def fields(self) -> tuple[str, ...]:
        """The order `cofi new` writes the fields in."""
        return tuple(q.field for q in self.questions)


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
        questions=(
            Question("date"),
            Question("contributor", among="payers"),
            Question("common", among="commons"),
            Question("need", required=False, among="needs"),
            Question("amount"),
            Question("kind", required=False, among="kinds"),
            Question("pledge", required=False, among="pledges"),
            Question("reference", required=False),
            Question("note", asked=False),
        ),
        by_year=True,
        stem="{date}-{contributor}-{common}",
        help=N_(
            """Money or in-kind given to a common.

Example: cofi new contribution --contributor la-fabrique-du-coin --common dokos --amount 1200.50"""
        ),
    ),
    Kind(
        "pledge",
        "ledger/pledges",
        Pledge,
        nested=True,
        entry=True,
        vouched_by="contributor",
        title="cofi pledge (ledger/pledges/**/<id>.yaml)",
        questions=(
            Question("date"),
            Question("contributor", among="contributors"),
            Question("common", among="commons"),
            Question("amount"),
            Question("due"),
            Question("reference", asked=False),
            Question("note", asked=False),
        ),
        stem="{contributor}-{common}-{year}",
        help=N_(
            """A promise to contribute to a common by a date.

Example: cofi new pledge --contributor reseau-demo --common loot --amount 3000 --due 2027-03-31"""
        ),
    ),
    Kind(
        "disbursement",
        "ledger/disbursements",
        Disbursement,
        nested=True,
        entry=True,
        vouched_by="funder",
        title="cofi disbursement (ledger/disbursements/**/<id>.yaml)",
        questions=(
            Question("date"),
            Question("programme", among="programmes"),
            Question("common", among="commons"),
            Question("amount"),
            Question("reference", required=False),
            Question("note", asked=False),
        ),
        by_year=True,
        stem="{date}-{programme}-{common}",
        help=N_(
            """A public funder paying a common its matched share under a programme.

Example: cofi new disbursement --programme pilote-2026 --common dokos --amount 12000"""
        ),
    ),
    Kind(
        "receipt",
        "ledger/receipts",
        Receipt,
        nested=True,
        entry=True,
        vouched_by="steward",
        title="cofi receipt: a steward confirms a contribution (ledger/receipts/**/<id>.yaml)",
        questions=(Question("date"), Question("contribution"), Question("note", required=False)),
        by_year=True,
        stem="{date}-receipt-{contribution}",
        help=N_(
            """Confirm, as a steward of its common, that a contribution was received.

A programme with requires_receipt: true matches a contribution only once it is
confirmed. The pull request must come from an identity of one of the common's
stewards (or a coordinator).

Example: cofi new receipt 2026-01-15-fabrique-du-coin-dokos --note "virement reçu le 18 mars\""""
        ),
        argument="contribution",
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
