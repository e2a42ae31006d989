"""`cofi export hledger|beancount|scdl`: the ledger as books other tools read."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from cofi.cli.compute import At, Programme, _results
from cofi.cli.options import AsOf, NoCache, Output, Root, write_file, write_stdout
from cofi.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cofi.export.scdl import Missing
    from cofi.ledger import Ledger
    from cofi.matching import ProgrammeResult


class Book(StrEnum):
    hledger = "hledger"
    beancount = "beancount"
    scdl = "scdl"


EXPORT_HELP = N_(
    """The ledger as books other tools read, as of --as-of.

hledger, beancount: a journal of the contributions, pledges, disbursements,
reversals and matches, whose balance assertions state cofi's figures (owed,
paid, unmet); `hledger -f FILE check -s` and `bean-check FILE` re-check them.
Accounts: docs/fr/comptabilite.md.

scdl: the French open-data file of public grants (SCDL subventions 2.1.1):
one row per programme, common and steward. It needs each funder's SIRET and
each steward's SIRET or RNA number, and names every one missing.

Example: cofi export hledger --as-of 2026-11-28 -o cofi.journal"""
)

# What the SCDL needs and a ledger lacks, by Missing.what: what is wrong and what to add.
MISSING = {
    "funder-siret": N_(
        "{path}: the funder '{record}' has no SIRET, which the SCDL file requires "
        '(idAttribuant) for the grants of {programmes}; add a line `siret: "..."` '
        "(14 digits, from annuaire-entreprises.data.gouv.fr)"
    ),
    "steward": N_(
        "{path}: the common '{record}' has no steward to receive the grants of "
        "{programmes}; add a line `stewards: [ID]` naming the contributor who receives them"
    ),
    "beneficiary-id": N_(
        "{path}: the steward '{record}' has neither a SIRET nor an RNA number, and the SCDL "
        "file requires one (idBeneficiaire or rnaBeneficiaire) for the grants of "
        '{programmes}; add a line `siret: "..."` (14 digits) or `rna: W...` (W and 9 digits)'
    ),
    "bad-siret": N_(
        "{path}: the SIRET of '{record}' does not pass its check digit; copy it from "
        "annuaire-entreprises.data.gouv.fr"
    ),
}


def export(
    book: Annotated[
        Book, typer.Argument(help=_("What to write: hledger, beancount or scdl."), metavar="BOOK")
    ],
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
    programme: Programme = None,
    output: Output = None,
) -> None:
    from cofi import fmt

    ledger, when, results = _results(root, as_of, programme, at, no_cache)
    for r in results:
        if r.provisional:
            note = _(
                "{programme}: provisional — pro-rata until the programme ends on {end}; "
                "later contributions can lower these figures"
            ).format(programme=r.programme.id, end=fmt.day(r.programme.end))
            typer.echo(_("note: {note}").format(note=note), err=True)
    text: str | Iterator[str]
    if book is Book.scdl:
        text = _scdl(ledger, results)
    else:
        # One programme: its matches and disbursements; pledges belong to no programme.
        text = _journal(book, ledger, when, results, pledges=programme is None)
    if output is not None:
        write_file(output, text)
    else:
        write_stdout(text)


def _journal(
    book: Book, ledger: Ledger, when: date, results: list[ProgrammeResult], pledges: bool
) -> Iterator[str]:
    """The journal's text, a part at a time: written as it is made."""
    from cofi.export import beancount, hledger
    from cofi.export.books import books

    kept = books(ledger, when, results, pledges=pledges)
    if book is Book.hledger:
        return hledger.journal(kept)
    return beancount.journal(kept)


def _scdl(ledger: Ledger, results: list[ProgrammeResult]) -> str:
    from cofi.export.scdl import grants, scdl_csv

    rows, missing = grants(ledger, results)
    if missing:
        _refuse(missing)
    return scdl_csv(rows)


def _refuse(missing: list[Missing]) -> None:
    """Name every value missing, then exit 2 (the file could not be written)."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for m in missing:
        programmes = seen.setdefault((m.path, m.what, m.record), [])
        if m.programme not in programmes:
            programmes.append(m.programme)
    for (path, what, record), programmes in seen.items():
        text = _(MISSING[what]).format(path=path, record=record, programmes=", ".join(programmes))
        typer.echo(f"cofi: {text}", err=True)
    summary = ngettext(
        "cofi: no SCDL file written: {n} value is missing from the ledger.",
        "cofi: no SCDL file written: {n} values are missing from the ledger.",
        len(seen),
    )
    typer.echo(summary.format(n=len(seen)), err=True)
    raise typer.Exit(2)
