"""Every reference names a record that exists, of the right kind."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from cofi.checks.context import Context
from cofi.i18n import N_
from cofi.ledger import Ledger, Partial
from cofi.model import Record
from cofi.problems import Msg, Problem, msg
from cofi.table import WORDS

# what is unknown -> (message, message with a suggestion): whole sentences, as N_ templates
# filled with the unknown `value`, the suggestion `close` and the need's `common`.
_UNKNOWN = {
    "contributor": (
        N_("unknown contributor '{value}'"),
        N_("unknown contributor '{value}': did you mean '{close}'?"),
    ),
    "common": (
        N_("unknown common '{value}'"),
        N_("unknown common '{value}': did you mean '{close}'?"),
    ),
    "need": (
        N_("unknown need of {common} '{value}'"),
        N_("unknown need of {common} '{value}': did you mean '{close}'?"),
    ),
    "programme": (
        N_("unknown programme '{value}'"),
        N_("unknown programme '{value}': did you mean '{close}'?"),
    ),
    "pledge": (
        N_("unknown pledge '{value}'"),
        N_("unknown pledge '{value}': did you mean '{close}'?"),
    ),
    "contribution": (
        N_("unknown contribution '{value}'"),
        N_("unknown contribution '{value}': did you mean '{close}'?"),
    ),
}


def _unknown(
    code: str,
    what: str,
    value: str,
    known: Collection[str],
    ledger: Ledger,
    record: Holder,
    *path: str | int,
    hint: Msg,
    common: str = "",
) -> Problem:
    """Unknown `value` (a `what` of _UNKNOWN), with the nearest known id suggested."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    plain, suggesting = _UNKNOWN[what]
    message = (
        msg(suggesting, value=value, close=close[0], common=common)
        if close
        else msg(plain, value=value, common=common)
    )
    return Problem(code, message, ledger.locate(record, *path), hint)


Holder = Record | Partial


def _refs(
    ledger: Ledger, records: Iterable[Any], field: str, *partial_kinds: str
) -> Iterator[tuple[Holder, str]]:
    """(record, id) for each `field` the records name, then the same for the files of
    `partial_kinds` that failed to load: their references are checked all the same."""
    for r in records:
        value = getattr(r, field)
        if value is not None:
            yield r, value
    for p in ledger.partials:
        if p.kind in partial_kinds and (value := p.refs.get(field)) is not None:
            yield p, value


def _missing(ledger: Ledger, kind: str) -> Callable[[str], bool]:
    """A test for ids that name no record of `kind`, not even one that failed to load."""
    index: Mapping[str, object] = {
        "contributor": ledger.contributor,
        "common": ledger.common,
        "programme": ledger.programme,
    }[kind]
    broken = ledger.broken
    return lambda value: value not in index and (kind, value) not in broken


_CONTRIBUTOR_HINT = N_(
    "contributors are the files of ledger/contributors/: fix the id or add that file"
)
_COMMON_HINT = N_("commons are the files of commons/: fix the id or add that file")


def contributors_exist(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    known = ledger.contributor
    missing = _missing(ledger, "contributor")
    promised = (*ledger.contributions, *ledger.pledges)
    for r, value in _refs(ledger, promised, "contributor", "contribution", "pledge"):
        if missing(value):
            yield _unknown(
                "R001",
                "contributor",
                value,
                known,
                ledger,
                r,
                "contributor",
                hint=msg(_CONTRIBUTOR_HINT),
            )
    for p, funder in _refs(ledger, ledger.programmes, "funder", "programme"):
        if missing(funder):
            yield _unknown(
                "R001",
                "contributor",
                funder,
                known,
                ledger,
                p,
                "funder",
                hint=msg(_CONTRIBUTOR_HINT),
            )
    for c in ledger.commons:
        for i, steward in enumerate(c.stewards):
            if missing(steward):
                yield _unknown(
                    "R001",
                    "contributor",
                    steward,
                    known,
                    ledger,
                    c,
                    "stewards",
                    i,
                    hint=msg(_CONTRIBUTOR_HINT),
                )


def commons_exist(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    known = ledger.common
    missing = _missing(ledger, "common")
    entries = _refs(ledger, ledger.amounts(), "common", "contribution", "pledge", "disbursement")
    for r, value in entries:
        if missing(value):
            yield _unknown(
                "R002", "common", value, known, ledger, r, "common", hint=msg(_COMMON_HINT)
            )
    for p in ledger.programmes:
        if p.eligible.commons != "all":
            for i, common in enumerate(p.eligible.commons):
                if missing(common):
                    yield _unknown(
                        "R002",
                        "common",
                        common,
                        known,
                        ledger,
                        p,
                        "eligible",
                        "commons",
                        i,
                        hint=msg(_COMMON_HINT),
                    )


def needs_exist(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for c, need in _refs(ledger, ledger.contributions, "need", "contribution"):
        named = c.refs.get("common", "") if isinstance(c, Partial) else getattr(c, "common", "")
        common = ledger.common.get(named)
        if common is None:
            continue
        needs = [n.id for n in common.needs]
        if need not in needs:
            if needs:
                hint = msg(
                    N_("the needs of {common} are: {needs}; fix the id or remove the `need:` line"),
                    common=named,
                    needs=", ".join(needs),
                )
            else:
                hint = msg(
                    N_("the needs of {common} are: none; fix the id or remove the `need:` line"),
                    common=named,
                )
            yield _unknown("R003", "need", need, needs, ledger, c, "need", hint=hint, common=named)


def programmes_exist(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    known = ledger.programme
    missing = _missing(ledger, "programme")
    for d, value in _refs(ledger, ledger.disbursements, "programme", "disbursement"):
        if missing(value):
            yield _unknown(
                "R004",
                "programme",
                value,
                known,
                ledger,
                d,
                "programme",
                hint=msg(N_("programmes are the files of ledger/programmes/")),
            )


def pledges_exist(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    known = ledger.pledge
    for c, pledge in _refs(ledger, ledger.contributions, "pledge", "contribution"):
        if pledge not in known and ("entry", pledge) not in ledger.broken:
            yield _unknown(
                "R005",
                "pledge",
                pledge,
                known,
                ledger,
                c,
                "pledge",
                hint=msg(
                    N_(
                        "pledges are the files of ledger/pledges/: fix the id "
                        "or remove the `pledge:` line"
                    )
                ),
            )


def funders_are_public(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for p in ledger.programmes:
        funder = ledger.contributor.get(p.funder)
        if funder is not None and funder.kind != "public":
            yield Problem(
                "L002",
                msg(
                    N_("the funder '{funder}' is of kind '{kind}', not 'public'"),
                    funder=p.funder,
                    kind=msg(WORDS[funder.kind]),
                ),
                ledger.locate(p, "funder"),
                msg(N_("a programme's funder is a public body: name a contributor of kind public")),
            )


# The fields a contribution shares with the pledge it honours, and L006's message for each.
_MISMATCH = (
    (
        "contributor",
        N_(
            "this contribution's contributor is '{mine}' but pledge '{pledge}' is by/for '{theirs}'"
        ),
    ),
    (
        "common",
        N_("this contribution's common is '{mine}' but pledge '{pledge}' is by/for '{theirs}'"),
    ),
)


def pledge_payments_match(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for c in ledger.contributions:
        pledge = ledger.pledge.get(c.pledge) if c.pledge else None
        if pledge is None:
            continue
        for name, message in _MISMATCH:
            mine, theirs = getattr(c, name), getattr(pledge, name)
            if mine != theirs:
                yield Problem(
                    "L006",
                    msg(message, mine=mine, pledge=pledge.id, theirs=theirs),
                    ledger.locate(c, name),
                    msg(
                        N_(
                            "a contribution honours a pledge of its own contributor "
                            "to the same common"
                        )
                    ),
                )
