"""The books as an hledger journal that `hledger -f FILE check -s` accepts.

The commodity and every account are declared (each with its type); each entry is one
transaction whose code is its id (`hledger reg code:ID`), with its id, type and
references as tags; a last transaction on the day of the books asserts cofi's figures
(`ACCOUNT  0 EUR = FIGURE EUR`), which hledger checks against the postings.
"""

from __future__ import annotations

from cofi.export.books import TYPES, Account, Books, Transaction, header, money


def account(name: Account) -> str:
    return ":".join(name)


def journal(b: Books) -> str:
    """The whole journal, as text."""
    cur = b.currency
    lines = header(b, "hledger")
    lines += ["", "decimal-mark .", f"commodity 1000.00 {cur}", ""]
    for top in sorted({a[0] for a in b.accounts}):
        lines.append(f"account {top}  ; type: {TYPES[top]}")
    lines += [f"account {account(a)}  ; type: {TYPES[a[0]]}" for a in b.accounts]
    for t in b.transactions:
        lines += ["", *_transaction(t, cur)]
    if b.assertions:
        day = b.as_of.isoformat()
        lines += ["", f"{day} cofi's figures as of {day}  ; type:assertions"]
        for a in b.assertions:
            lines.append(
                f"    {account(a.account)}  0 {cur} = {money(a.amount)} {cur}  ; {a.figure} {a.of}"
            )
    return "\n".join(lines) + "\n"


def _transaction(t: Transaction, cur: str) -> list[str]:
    tags = ", ".join(f"{k}:{v}" for k, v in t.tags)
    out = [f"{t.date.isoformat()} ({t.code}) {t.description}  ; {tags}"]
    for p in t.postings:
        comment = f"  ; programme:{p.programme}" if p.programme else ""
        out.append(f"    {account(p.account)}  {money(p.amount)} {cur}{comment}")
    return out
