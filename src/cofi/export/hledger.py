"""The books as an hledger journal that `hledger -f FILE check -s` accepts.

The commodity and every account are declared (each with its type); each entry is one
transaction whose code is its id (`hledger reg code:ID`), with its id, type and
references as tags; a last transaction on the day of the books asserts cofi's figures
(`ACCOUNT  0 EUR = FIGURE EUR`), which hledger checks against the postings.
"""

from __future__ import annotations

from collections.abc import Iterator

from cofi.export.books import TYPES, Account, Books, Transaction, header, money
from cofi.table import chunks


def account(name: Account) -> str:
    return ":".join(name)


def journal(b: Books) -> Iterator[str]:
    """The journal's text, a few thousand lines at a time (a national ledger's is tens of
    megabytes, written as it is made)."""
    return chunks(_lines(b))


def _lines(b: Books) -> Iterator[str]:
    cur = b.currency
    yield from header(b, "hledger")
    yield from ["", "decimal-mark .", f"commodity 1000.00 {cur}", ""]
    for top in sorted({a[0] for a in b.accounts}):
        yield f"account {top}  ; type: {TYPES[top]}"
    for name in b.accounts:
        yield f"account {account(name)}  ; type: {TYPES[name[0]]}"
    for t in b.transactions:
        yield ""
        yield from _transaction(t, cur)
    if b.assertions:
        day = b.as_of.isoformat()
        yield from ["", f"{day} cofi's figures as of {day}  ; type:assertions"]
        for a in b.assertions:
            balance = f"0 {cur} = {money(a.amount)} {cur}"
            yield f"    {account(a.account)}  {balance}  ; {a.figure} {a.of}"


def _transaction(t: Transaction, cur: str) -> list[str]:
    tags = ", ".join(f"{k}:{v}" for k, v in t.tags)
    out = [f"{t.date.isoformat()} ({t.code}) {t.description}  ; {tags}"]
    for p in t.postings:
        comment = f"  ; programme:{p.programme}" if p.programme else ""
        out.append(f"    {account(p.account)}  {money(p.amount)} {cur}{comment}")
    return out
