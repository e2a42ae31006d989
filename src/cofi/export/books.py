"""The ledger as double-entry books as of a day: the transactions and the balance
assertions that the hledger and beancount journals write, each in its own syntax.

The books are kept from the side of the commons, the ones who receive (all the commons of
the ledger together, each with its own accounts); docs/fr/comptabilite.md describes the
chart of accounts for accountants. An account is a tuple of components; the first is its
type (assets, income, expenses, equity), ids follow as written (lowercase, `-`).

- A contribution in money: `assets:commons:<common>:contributions` receives it from
  `income:contributions:<common>:<contributor>`.
- In kind: `expenses:in-kind:<common>` against `income:in-kind:<common>:<contributor>`
  (valued goods or work, used as soon as given, like the French classes 86/87).
- What a programme matched on a contribution is booked in the contribution's transaction:
  `assets:receivable:match:<funder>:<programme>:<common>` against
  `income:match:<funder>:<programme>:<common>`. These are cofi's figures as of the day
  of the books, on the contribution's date (pro-rata figures are provisional until the
  programme's end).
- A disbursement: `assets:commons:<common>:programmes:<programme>` receives it, and the
  receivable shrinks by as much.
- A pledge: `assets:receivable:pledges:<contributor>:<pledge>` against
  `equity:pledged:<contributor>:<pledge>` (a promise, not money yet); each contribution
  that honours a pledge in force brings both back by its amount.
- A reversal: the opposite of the transaction it cancels, on its own date.

So, as of the day, for each programme and common: owed = −`income:match:…`, paid =
`assets:commons:<common>:programmes:<programme>`, unmet = `assets:receivable:match:…`;
for each pledge in force, unmet = `assets:receivable:pledges:…`. The assertions state
those figures as cofi computed them (`cofi.obligations`), and the tools check that the
postings add up to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from cofi.ledger import Ledger
from cofi.matching import ProgrammeResult
from cofi.model import Contribution, Disbursement, Pledge
from cofi.obligations import match_obligations, pledge_obligations

Account = tuple[str, ...]
CENT = Decimal("0.01")

TYPES = {"assets": "A", "liabilities": "L", "equity": "E", "income": "R", "expenses": "X"}
"""The type of an account, by its first component (hledger's one-letter types)."""


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    amount: Decimal
    programme: str | None = None  # the programme of a match posting


@dataclass(frozen=True, slots=True)
class Transaction:
    """One entry of the ledger: its id is the transaction's code."""

    date: date
    code: str
    kind: str  # contribution | pledge | disbursement | reversal
    description: str  # ids and fixed words only: nothing to escape in either syntax
    tags: tuple[tuple[str, str], ...]
    postings: tuple[Posting, ...]


@dataclass(frozen=True, slots=True)
class Assertion:
    """`account` holds `amount` at the end of the day of the books."""

    account: Account
    amount: Decimal
    figure: str  # owed | paid | unmet
    of: str  # the programme and common, or the pledge


@dataclass(frozen=True, slots=True)
class Books:
    as_of: date
    currency: str
    title: str | None
    accounts: tuple[Account, ...]
    transactions: Transactions
    assertions: tuple[Assertion, ...]
    provisional: tuple[str, ...]  # the programmes whose figures may still fall


def header(b: Books, tool: str) -> list[str]:
    """The comment lines both journals open with (`;` starts a comment in each)."""
    return [
        f"; cofi export {tool}" + (f": {b.title}" if b.title else ""),
        f"; as of {b.as_of.isoformat()}: entries dated later are left out",
        "; chart of accounts: docs/fr/comptabilite.md",
        *(f"; provisional (pro-rata, not ended): {p}" for p in b.provisional),
    ]


def money(amount: Decimal) -> str:
    """`1234.50`, `-12.00`: exactly two decimals (amounts are whole cents)."""
    return format(amount.quantize(CENT), "f")


def match_account(kind: str, funder: str, programme: str, common: str) -> Account:
    if kind == "income":
        return ("income", "match", funder, programme, common)
    return ("assets", "receivable", "match", funder, programme, common)


def paid_account(common: str, programme: str) -> Account:
    return ("assets", "commons", common, "programmes", programme)


def pledge_account(contributor: str, pledge: str) -> Account:
    return ("assets", "receivable", "pledges", contributor, pledge)


def books(
    ledger: Ledger, as_of: date, results: list[ProgrammeResult], *, pledges: bool = True
) -> Books:
    """The books of `ledger` as of `as_of`, with the matches of `results` (one programme or
    all); `pledges` adds the pledges and their assertions (left out for one programme)."""
    programmes = {r.programme.id for r in results}
    in_force = _pledges_in_force(ledger, as_of) if pledges else {}
    matched = _matches(results)
    made: dict[str, Entry] = {}  # by id: each record's transaction, to be made
    for c in ledger.contributions:
        if c.date <= as_of:
            made[c.id] = Entry(
                c.date, c.id, partial(_contribution, c, matched.get(c.id, ()), in_force)
            )
    for p in ledger.pledges if pledges else ():
        if p.date <= as_of:  # reversed ones too: their reversal is booked
            made[p.id] = Entry(p.date, p.id, partial(_pledge, p))
    for d in ledger.disbursements:
        if d.date <= as_of and d.programme in programmes:
            made[d.id] = Entry(d.date, d.id, partial(_disbursement, ledger, d))
    reversals = [
        Entry(r.date, r.id, partial(_reversal, r.id, r.date, r.reverses, made[r.reverses].make))
        for r in ledger.reversals
        if r.date <= as_of and r.reverses in made
    ]
    # By date, a reversal after the entries of its day, then by id.
    order = [(e, False) for e in made.values()] + [(e, True) for e in reversals]
    order.sort(key=lambda x: (x[0].date, x[1], x[0].code))
    transactions = Transactions([e for e, _ in order])
    assertions = _assertions(ledger, as_of, results, pledges)
    accounts = {p.account for t in transactions for p in t.postings}
    accounts |= {a.account for a in assertions}
    return Books(
        as_of=as_of,
        currency=ledger.settings.currency,
        title=ledger.settings.name,
        accounts=tuple(sorted(accounts)),
        transactions=transactions,
        assertions=tuple(assertions),
        provisional=tuple(r.programme.id for r in results if r.provisional),
    )


class Entry(NamedTuple):
    """A transaction to be made."""

    date: date
    code: str
    make: Callable[[], Transaction]


class Transactions:
    """The books' transactions, each made as it is read, as often as they are read: a
    national ledger's 100,000, held at once, took 150 MiB."""

    def __init__(self, order: list[Entry]) -> None:
        self._order = order

    def __iter__(self) -> Iterator[Transaction]:
        return (e.make() for e in self._order)

    def __len__(self) -> int:
        return len(self._order)

    @property
    def first(self) -> date | None:
        """The day of the earliest."""
        return self._order[0].date if self._order else None


def _pledges_in_force(ledger: Ledger, as_of: date) -> dict[str, Pledge]:
    """The pledges cofi counts as of `as_of` (dated on or before it, not reversed)."""
    return {
        p.id: p for p in ledger.pledges if p.date <= as_of and not ledger.is_reversed(p.id, as_of)
    }


def _matches(results: Iterable[ProgrammeResult]) -> dict[str, list[tuple[str, str, Decimal]]]:
    """Contribution id -> (funder, programme, matched) for each match above zero."""
    out: dict[str, list[tuple[str, str, Decimal]]] = defaultdict(list)
    for r in results:
        for m in r.eligible:
            if m.matched > 0:
                out[m.contribution.id].append((r.programme.funder, r.programme.id, m.matched))
    return out


def _contribution(
    c: Contribution, matches: Iterable[tuple[str, str, Decimal]], pledges: dict[str, Pledge]
) -> Transaction:
    m, k = c.common, c.contributor
    if c.kind == "money":
        postings = [
            Posting(("assets", "commons", m, "contributions"), c.amount),
            Posting(("income", "contributions", m, k), -c.amount),
        ]
    else:
        postings = [
            Posting(("expenses", "in-kind", m), c.amount),
            Posting(("income", "in-kind", m, k), -c.amount),
        ]
    tags = [("id", c.id), ("type", "contribution"), ("contributor", k), ("common", m)]
    tags.append(("kind", c.kind))
    if c.pledge is not None and c.pledge in pledges:
        p = pledges[c.pledge]
        tags.append(("pledge", p.id))
        postings += [
            Posting(pledge_account(p.contributor, p.id), -c.amount),
            Posting(("equity", "pledged", p.contributor, p.id), c.amount),
        ]
    for funder, programme, matched in matches:
        postings += [
            Posting(match_account("assets", funder, programme, m), matched, programme),
            Posting(match_account("income", funder, programme, m), -matched, programme),
        ]
    description = f"contribution {k} → {m}"
    return Transaction(c.date, c.id, "contribution", description, tuple(tags), tuple(postings))


def _pledge(p: Pledge) -> Transaction:
    postings = (
        Posting(pledge_account(p.contributor, p.id), p.amount),
        Posting(("equity", "pledged", p.contributor, p.id), -p.amount),
    )
    tags = (("id", p.id), ("type", "pledge"), ("contributor", p.contributor), ("common", p.common))
    description = f"pledge {p.contributor} → {p.common}, due {p.due.isoformat()}"
    return Transaction(p.date, p.id, "pledge", description, tags, postings)


def _disbursement(ledger: Ledger, d: Disbursement) -> Transaction:
    funder = ledger.programme[d.programme].funder
    postings = (
        Posting(paid_account(d.common, d.programme), d.amount, d.programme),
        Posting(match_account("assets", funder, d.programme, d.common), -d.amount, d.programme),
    )
    tags = (
        ("id", d.id),
        ("type", "disbursement"),
        ("programme", d.programme),
        ("common", d.common),
    )
    description = f"disbursement {funder} ({d.programme}) → {d.common}"
    return Transaction(d.date, d.id, "disbursement", description, tags, postings)


def _reversal(code: str, day: date, target: str, made: Callable[[], Transaction]) -> Transaction:
    cancelled = made()
    postings = tuple(Posting(p.account, -p.amount, p.programme) for p in cancelled.postings)
    tags = (("id", code), ("type", "reversal"), ("reverses", target))
    description = f"reversal of {cancelled.kind} {target}"
    return Transaction(day, code, "reversal", description, tags, postings)


def _assertions(
    ledger: Ledger, as_of: date, results: list[ProgrammeResult], pledges: bool
) -> list[Assertion]:
    out = []
    for o in match_obligations(ledger, results):
        funder, programme, common = o.debtor, o.id, o.common
        of = f"{programme} {common}"
        out += [
            Assertion(match_account("income", funder, programme, common), -o.owed, "owed", of),
            Assertion(paid_account(common, programme), o.paid, "paid", of),
            Assertion(match_account("assets", funder, programme, common), o.unmet, "unmet", of),
        ]
    if pledges:
        for o in pledge_obligations(ledger, as_of):
            out.append(Assertion(pledge_account(o.debtor, o.id), o.unmet, "unmet", o.id))
    return out
