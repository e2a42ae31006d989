"""The French open-data file of public grants: SCDL « subventions » 2.1.1, as CSV.

A grant, in cofi's terms, is what one programme matched on one common as of the day
(the `owed` of the match obligation): its attributant is the programme's funder, its
beneficiaries the common's stewards. One row per grant and steward; with several
stewards the grant is shared equally, the cents left over going one each to the first
stewards listed, so that the rows add up to the grant to the cent. A grant of 0.00 is
no grant and has no row.

Fields from the ledger: the funder's `name` and `siret`, each steward's `name` and
`siret` or `rna`; the programme's `convention_date` (else its `start`: the programme's
rules are the convention), its `decision` (optional) and its `name` (the scheme,
dispositifAide). Payment: the days of the programme's disbursements to the common, and
its due date while something is unmet; `unique` for one day, `échelonné` for several.
pourcentageSubvention: the grant over the project it co-finances, grant + contributed
(the eligible contributions), rounded to the hundredth (at least 0.01). notificationUE
is `non`: the matching schemes cofi keeps are national aids not notified to the EU.

The file's words (objet, nature, conditions) are French whatever the language of the
messages: the format is French. A value the format requires and the ledger lacks is a
`Missing`, returned with every other, never raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from cofi.export.books import money
from cofi.ledger import Ledger
from cofi.matching import ProgrammeResult
from cofi.model import Programme, siret_is_valid
from cofi.obligations import Obligation, match_obligations

COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)
OBJECT_LENGTH = 256
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True, order=True)
class Missing:
    """A value the SCDL requires that the ledger lacks: what, in which file, for whom.

    what: `funder-siret` (the funder has no SIRET), `steward` (the common has no steward),
    `beneficiary-id` (a steward has neither SIRET nor RNA), `bad-siret` (a SIRET fails
    its check digit).
    """

    path: str
    what: str
    record: str
    programme: str
    common: str


def grants(
    ledger: Ledger, results: list[ProgrammeResult]
) -> tuple[list[dict[str, str]], list[Missing]]:
    """The rows of the file, and every value missing to write it (sorted)."""
    rows: list[dict[str, str]] = []
    missing: set[Missing] = set()
    for o in match_obligations(ledger, results):
        if o.owed <= 0:
            continue
        p = ledger.programme[o.id]
        funder = ledger.contributor[p.funder]
        common = ledger.common[o.common]
        if funder.siret is None:
            missing.add(Missing(funder.source.path, "funder-siret", funder.id, p.id, o.common))
        elif not siret_is_valid(funder.siret):
            missing.add(Missing(funder.source.path, "bad-siret", funder.id, p.id, o.common))
        if not common.stewards:
            missing.add(Missing(common.source.path, "steward", common.id, p.id, o.common))
        shares = _shares(o.owed, len(common.stewards))
        for steward_id, share in zip(common.stewards, shares, strict=True):
            steward = ledger.contributor[steward_id]
            where = steward.source.path
            if steward.siret is None and steward.rna is None:
                missing.add(Missing(where, "beneficiary-id", steward.id, p.id, o.common))
            elif steward.siret is not None and not siret_is_valid(steward.siret):
                missing.add(Missing(where, "bad-siret", steward.id, p.id, o.common))
            rows.append(
                {
                    "nomAttribuant": funder.name,
                    "idAttribuant": funder.siret or "",
                    "dateConvention": (p.convention_date or p.start).isoformat(),
                    "referenceDecision": p.decision or "",
                    "nomBeneficiaire": steward.name,
                    "idBeneficiaire": steward.siret or "",
                    "rnaBeneficiaire": steward.rna or "",
                    "objet": _object(p.name, common.name),
                    "montant": money(share),
                    "nature": "aide en numéraire",
                    **_payments(ledger, p, o),
                    "idRAE": "",
                    "notificationUE": "non",
                    "pourcentageSubvention": _percentage(o),
                    "dispositifAide": p.name,
                }
            )
    return rows, sorted(missing)


def _shares(owed: Decimal, stewards: int) -> list[Decimal]:
    """`owed` shared equally in whole cents, the cents left over to the first ones."""
    if stewards == 0:
        return []
    cents = int(owed * 100)
    each, left = divmod(cents, stewards)
    return [Decimal(each + (i < left)).scaleb(-2) for i in range(stewards)]


def _object(programme: str, common: str) -> str:
    text = f"Co-investissement public dans le commun « {common} » (programme « {programme} »)"
    return text if len(text) <= OBJECT_LENGTH else text[: OBJECT_LENGTH - 1] + "…"


def _payments(ledger: Ledger, p: Programme, o: Obligation) -> dict[str, str]:
    """conditionsVersement and datesPeriodeVersement: the days paid, and the due date
    while something is unmet."""
    days: set[date] = {
        d.date
        for d in ledger.disbursements
        if d.programme == p.id
        and d.common == o.common
        and d.date <= o.as_of
        and not ledger.is_reversed(d.id, o.as_of)
    }
    if o.unmet > 0 or not days:
        days.add(o.due)
    first, last = min(days), max(days)
    period = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
    return {
        "conditionsVersement": "unique" if len(days) == 1 else "échelonné",
        "datesPeriodeVersement": period,
    }


def _percentage(o: Obligation) -> str:
    share = Fraction(o.owed) / Fraction(o.owed + o.contributed)
    # round() of a Fraction is exact, halves to even
    value = Decimal(round(share * 100)).scaleb(-2)
    return format(max(value, HUNDREDTH), "f")


def scdl_csv(rows: list[dict[str, str]]) -> str:
    """RFC 4180 CSV: comma-separated UTF-8, a header of the SCDL's column names."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
