"""The books as a beancount journal that `bean-check` accepts.

Account components are capitalised (`la-ruche` becomes `La-ruche`: ids are lowercase, so
no two ids meet), every account is opened on the first day of the books, metadata keys
are lower-case and each entry is linked by its id (`^ID`). Beancount checks a `balance`
at the start of its day: cofi's figures as of A are asserted on the day after A, with no
tolerance (`~ 0.00`: by default beancount lets a balance off by one cent pass).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from cofi.export.books import Account, Books, Transaction, header, money
from cofi.table import chunks


def account(name: Account) -> str:
    return ":".join(part[:1].upper() + part[1:] for part in name)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def journal(b: Books) -> Iterator[str]:
    """The journal's text, a few thousand lines at a time (a national ledger's is tens of
    megabytes, written as it is made)."""
    return chunks(_lines(b))


def _lines(b: Books) -> Iterator[str]:
    cur = b.currency
    yield from header(b, "beancount")
    if b.title:
        yield f"option {_string('title')} {_string(b.title)}"
    yield from [f'option "operating_currency" {_string(cur)}', ""]
    first = min(b.as_of, b.transactions.first or b.as_of).isoformat()
    yield f"{first} commodity {cur}"
    for name in b.accounts:
        yield f"{first} open {account(name)} {cur}"
    for t in b.transactions:
        yield ""
        yield from _transaction(t, cur)
    if b.assertions:
        day = (b.as_of + timedelta(days=1)).isoformat()
        yield ""
        yield f"; cofi's figures as of {b.as_of.isoformat()}, checked at the start of {day}"
        for a in b.assertions:
            # `~ 0.00`: no tolerance. Beancount's own, inferred from two decimals, lets a
            # balance off by one cent pass.
            amount = f"{money(a.amount)} ~ 0.00 {cur}"
            yield f"{day} balance {account(a.account)}  {amount}"
            yield f"  figure: {_string(a.figure + ' ' + a.of)}"


def _transaction(t: Transaction, cur: str) -> list[str]:
    out = [f"{t.date.isoformat()} * {_string(t.description)} ^{t.code}"]
    out += [f"  {key}: {_string(value)}" for key, value in t.tags]
    for p in t.postings:
        out.append(f"  {account(p.account)}  {money(p.amount)} {cur}")
        if p.programme:
            out.append(f"    programme: {_string(p.programme)}")
    return out
