"""The git rules of a pull request (SPEC §5): history is append-only, and each
addition is vouched for by someone entitled to make it.

Pure: it compares two ledgers and their blob ids, given who authored the
commits and which forge login runs CI; history.py gathers those from git.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from cofi.ledger import Ledger
from cofi.loader import FOLDERS, SETTINGS, classify
from cofi.model import Contribution, Disbursement, Pledge, Programme, Record, Reversal, Source
from cofi.problems import Problem

Status = Literal["added", "modified", "deleted", "renamed"]
_ENTRY_FOLDERS = frozenset({"ledger/contributions", "ledger/pledges", "ledger/disbursements"})


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    status: Status
    old_path: str = ""


def diff(base: Mapping[str, str], head: Mapping[str, str]) -> list[Change]:
    """Changes between two {path: blob id} maps; a path gone whose exact content
    reappears elsewhere is a rename."""
    added = {p for p in head if p not in base}
    gone = sorted(p for p in base if p not in head)
    by_sha: dict[str, list[str]] = {}
    for p in sorted(added):
        by_sha.setdefault(head[p], []).append(p)
    changes = [Change(p, "modified") for p in sorted(head) if p in base and base[p] != head[p]]
    for p in gone:
        twins = by_sha.get(base[p])
        if twins:
            new = twins.pop(0)
            added.discard(new)
            changes.append(Change(new, "renamed", p))
        else:
            changes.append(Change(p, "deleted"))
    changes += [Change(p, "added") for p in sorted(added)]
    return changes


@dataclass(frozen=True, slots=True)
class Vouchers:
    """Who speaks for a change: commit author emails and the forge login of CI's actor."""

    emails: frozenset[str]
    logins: frozenset[str]

    def include(self, identities: Iterable[str]) -> bool:
        """True when the actor is one of `identities`, or else when every commit
        that touched the file was authored by one of them: a stranger's later edit
        of someone's entry is not covered by that someone's first commit."""
        allowed = {i.strip().lower() for i in identities}
        if self.logins & allowed:
            return True
        return bool(self.emails) and self.emails <= allowed

    def describe(self) -> str:
        who = sorted(self.emails | self.logins)
        return ", ".join(who) if who else "nobody known (uncommitted, and no --actor)"


def vouchers(emails: Iterable[str], actor: str | None) -> Vouchers:
    """Commit author emails, and the forge login of CI's actor.

    A login is only ever taken from `actor`, which the forge authenticates: never
    read out of an email (anyone can commit as `1+login@users.noreply.github.com`).
    """
    mails = frozenset(e.strip().lower() for e in emails if e.strip())
    logins = frozenset({actor.strip().lower()} if actor else ())
    return Vouchers(mails, logins)


@dataclass(frozen=True)
class Review:
    """Everything the rules look at for one pull request."""

    base: Ledger
    head: Ledger
    changes: list[Change]
    authors: Mapping[str, set[str]]  # path -> emails of the commits that added or changed it
    actor: str | None
    today: date
    base_rev: str


def run(review: Review) -> list[Problem]:
    """Every problem of the pull request's changes (unsorted)."""
    out: list[Problem] = []
    for change in review.changes:
        folder = classify(change.old_path or change.path)
        if isinstance(folder, str):
            out += _rule(review, change, folder)
        elif change.status == "renamed" and isinstance(classify(change.path), str):
            out += _rule(review, Change(change.path, "added"), str(classify(change.path)))
    return out


def _rule(r: Review, change: Change, folder: str) -> Iterator[Problem]:
    if folder in _ENTRY_FOLDERS:
        if change.status != "added":
            yield _history_problem(r, change)
            return
        yield from _vouched_entry(r, change.path)
        return
    if folder == "ledger/programmes" and change.status != "added":
        old = r.base.by_path.get(change.old_path or change.path)
        if isinstance(old, Programme) and old.start <= r.today:
            yield Problem(
                "G002",
                f"programme '{old.id}' started on {old.start} and may no longer change "
                f"({change.status} since {r.base_rev})",
                Source(change.path),
                "a running programme's rules are what contributors relied on: restore the "
                "file; to change the rules, create a new programme",
            )
            return
    who = _vouchers(r, change)
    allowed = list(r.base.settings.coordinators)
    what = "a coordinator"
    if change.status == "modified" and folder in _SELF_EDIT:
        guarded = _guarded_changes(r, change.path, _SELF_EDIT[folder])
        if guarded:
            what = f"a coordinator (it changes {', '.join(guarded)}, which matches depend on)"
        elif folder == "commons":
            for steward in getattr(r.base.by_path.get(change.path), "stewards", ()):
                allowed += _identities(r.base, steward)
            what = "a coordinator or a steward of this common"
        else:
            allowed += _identities(r.base, _id_of(change.path))
            what = "a coordinator or the contributor itself"
    if not who.include(allowed):
        kind = "settings file" if folder == SETTINGS else FOLDERS[folder][0]
        yield Problem(
            "G004",
            f"this {kind} was {change.status} by {who.describe()}; only {what} may do that",
            Source(change.path),
            "ask a coordinator (ledger/settings.yaml: coordinators) to make or approve "
            "this change from one of their identities",
        )


# Who else may edit a file, and the fields they may not change: matches already
# computed depend on them (a steward's gift is excluded; a kind decides eligibility).
_SELF_EDIT = {"commons": ("stewards",), "ledger/contributors": ("kind", "siret")}


def _guarded_changes(r: Review, path: str, fields: tuple[str, ...]) -> list[str]:
    old, new = r.base.by_path.get(path), r.head.by_path.get(path)
    if old is None or new is None:
        return list(fields)
    return [f for f in fields if getattr(old, f) != getattr(new, f)]


def _history_problem(r: Review, change: Change) -> Problem:
    entry_id = _id_of(change.old_path or change.path)
    done = {
        "modified": "was edited",
        "deleted": "was deleted",
        "renamed": f"was renamed from {change.old_path}",
    }[change.status]
    return Problem(
        "G001",
        f"entry '{entry_id}' existed at {r.base_rev} and {done}; entries are never changed",
        Source(change.path),
        f"restore the file as it was; to correct it, add a new entry with `reverses: {entry_id}` "
        "and, if needed, the right entry",
    )


def _vouched_entry(r: Review, path: str) -> Iterator[Problem]:
    entry = r.head.by_path.get(path)
    if entry is None:
        return  # the file's own problems are reported by the checks
    if isinstance(entry, Contribution):
        yield from _late(r, entry)
    speaker, field = _speaker(r.head, entry)
    if not speaker:
        return  # it names an unknown entry or programme: the checks say so (R004, R006)
    allowed = [*r.base.settings.coordinators, *_identities(r.base, speaker)]
    who = _vouchers(r, Change(path, "added"))
    if who.include(allowed):
        return
    yield Problem(
        "G003",
        f"this entry speaks for '{speaker}' but was added by {who.describe()}, "
        f"who is neither an identity of {speaker} nor a coordinator",
        r.head.locate(entry, field) if field else entry.source,
        f"add it from an identity listed in ledger/contributors/{speaker}.yaml "
        "(commit email or forge login), or ask a coordinator",
    )


def _late(r: Review, c: Contribution) -> Iterator[Problem]:
    """A warning for a contribution added to a programme that has already ended."""
    for p in sorted(r.base.programmes, key=lambda p: p.id):
        if p.start <= c.date <= p.end < r.today:
            yield Problem(
                "G005",
                f"this contribution falls in programme '{p.id}', which ended on {p.end}: "
                "adding it now changes figures already stated",
                r.head.locate(c, "date"),
                "check the date; if the payment really was made then, tell the programme's "
                "funder, whose statements change",
                severity="warning",
            )


def _speaker(ledger: Ledger, entry: Record) -> tuple[str, str]:
    """Whose word an entry is: the contributor, or the funder of a disbursement's programme."""
    if isinstance(entry, Reversal):
        target = ledger.entry.get(entry.reverses)
        speaker, _ = _speaker(ledger, target) if target else ("", "")
        return speaker, "reverses"
    if isinstance(entry, (Contribution, Pledge)):
        return entry.contributor, "contributor"
    if isinstance(entry, Disbursement):
        programme = ledger.programme.get(entry.programme)
        return (programme.funder if programme else ""), "programme"
    return "", ""


def _vouchers(r: Review, change: Change) -> Vouchers:
    return vouchers(r.authors.get(change.path, ()), r.actor)


def _identities(ledger: Ledger, contributor_id: str) -> list[str]:
    """A contributor's identities as the base revision knew them (never as the PR rewrote them)."""
    c = ledger.contributor.get(contributor_id)
    return list(c.identities) if c else []


def _id_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")
