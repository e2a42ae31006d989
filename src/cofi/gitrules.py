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

from cofi.i18n import N_
from cofi.kinds import BY_FOLDER, BY_NAME, KIND_OF, SETTINGS, Voucher, id_of
from cofi.ledger import Ledger
from cofi.loader import classify
from cofi.model import (
    Contribution,
    Disbursement,
    Pledge,
    Programme,
    Receipt,
    Record,
    Reversal,
)
from cofi.problems import Msg, Problem, Source, msg

Status = Literal["added", "modified", "deleted", "renamed"]


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
    """Who speaks for a change (SPEC §5, "Whose word counts").

    With `actor` (the forge login CI passes, which the forge authenticated), that login
    alone speaks: commit emails are self-declared and count for nothing. Without it (a
    local run), the author emails of every commit that touched the file speak, unverified.
    """

    emails: frozenset[str]
    actor: str | None

    def include(self, identities: Iterable[str]) -> bool:
        """True when the actor is one of the logins among `identities`; without an actor,
        when every commit that touched the file was authored by one of the emails among
        them (a stranger's later edit of someone's entry is not covered by that someone's
        first commit). An identity with `@` is an email, one without a login: an email
        field set to a coordinator's login is no login."""
        logins, emails = _split(identities)
        if self.actor is not None:
            return self.actor in logins
        return bool(self.emails) and self.emails <= emails

    def describe(self) -> str | Msg:
        who = [self.actor] if self.actor is not None else sorted(self.emails)
        # TRANSLATORS: stands for {who} in "this entry ... was added by {who}" (G003, G004).
        return ", ".join(w for w in who if w) or msg(
            N_("nobody known (uncommitted, and no --actor)")
        )


def _split(identities: Iterable[str]) -> tuple[set[str], set[str]]:
    """(logins, emails) among `identities`, trimmed and in lower case."""
    logins: set[str] = set()
    emails: set[str] = set()
    for i in identities:
        i = i.strip().lower()
        if i:
            (emails if "@" in i else logins).add(i)
    return logins, emails


def vouchers(emails: Iterable[str], actor: str | None) -> Vouchers:
    """The commit author emails of a file, and the forge login of CI's actor, which when
    given (even empty: then nobody) is all that counts.

    A login is only ever taken from `actor`, which the forge authenticates: never
    read out of an email (anyone can commit as `1+login@users.noreply.github.com`).
    """
    if actor is not None:
        return Vouchers(frozenset(), actor.strip().lower())
    return Vouchers(frozenset(e.strip().lower() for e in emails if e.strip()), None)


@dataclass(frozen=True)
class Review:
    """Everything the rules look at for one pull request."""

    base: Ledger
    head: Ledger
    changes: list[Change]
    authors: Mapping[str, set[str]]  # path -> author emails of the commits that touched it
    actor: str | None  # the forge login CI authenticated: when given, it alone vouches
    today: date
    base_rev: str
    not_plain: frozenset[str] = frozenset()
    """Paths of head that are links or submodules (F006): what lay below them is not
    reported deleted, file by file; the F006 error says what is wrong."""


def run(review: Review) -> list[Problem]:
    """Every problem of the pull request's changes (unsorted)."""
    out: list[Problem] = []
    for change in review.changes:
        if change.status == "deleted" and _below(change.path, review.not_plain):
            continue
        folder = classify(change.old_path or change.path)
        if isinstance(folder, str):
            out += _rule(review, change, folder)
        elif change.status == "renamed" and isinstance(classify(change.path), str):
            out += _rule(review, Change(change.path, "added"), str(classify(change.path)))
    return out


def _rule(r: Review, change: Change, folder: str) -> Iterator[Problem]:
    """The rule for a change of a file of `folder`: an entry is never changed (G001) and
    is vouched for by whom it speaks for (G003); a programme that has started never
    changes (G002); anything else is a coordinator's to change (G004)."""
    if folder != SETTINGS and BY_FOLDER[folder].entry:
        if change.status != "added":
            yield _history_problem(r, change)
        else:
            yield from _vouched_entry(r, change.path)
        return
    started = _started_programme(r, change, folder)
    if started is not None:
        yield started
        return
    yield from _needs_a_coordinator(r, change, folder)


def _started_programme(r: Review, change: Change, folder: str) -> Problem | None:
    """G002: a programme whose start has passed was modified, deleted or renamed."""
    if folder != "ledger/programmes" or change.status == "added":
        return None
    old = r.base.by_path.get(change.old_path or change.path)
    if not isinstance(old, Programme) or old.start > r.today:
        return None
    return Problem(
        "G002",
        msg(_STARTED[change.status], programme=old.id, start=old.start, rev=r.base_rev),
        Source(change.path),
        msg(
            N_(
                "a running programme's rules are what contributors relied on: restore the "
                "file; to change the rules, create a new programme"
            )
        ),
    )


def _needs_a_coordinator(r: Review, change: Change, folder: str) -> Iterator[Problem]:
    """G004: settings, a contributor, a common or a programme changed by someone not
    allowed to: a coordinator, or (for the fields matches do not depend on) a common's
    stewards or the contributor itself."""
    who = _vouchers(r, change)
    allowed = list(r.base.settings.coordinators)
    kind = "settings file" if folder == SETTINGS else BY_FOLDER[folder].name
    message = _ONLY_A_COORDINATOR[kind, change.status]
    guarded: list[str] = []
    if change.status == "modified" and folder in _SELF_EDIT:
        guarded = _guarded_changes(r, change.path, _SELF_EDIT[folder])
        if guarded:
            message = _GUARDED[folder]
        elif folder == "commons":
            for steward in getattr(r.base.by_path.get(change.path), "stewards", ()):
                allowed += _identities(r.base, steward)
            message = N_(
                "this common was modified by {who}; "
                "only a coordinator or a steward of this common may do that"
            )
        else:
            allowed += _identities(r.base, id_of(change.path))
            message = N_(
                "this contributor was modified by {who}; "
                "only a coordinator or the contributor itself may do that"
            )
    if not who.include(allowed):
        yield Problem(
            "G004",
            msg(message, who=who.describe(), fields=", ".join(guarded)),
            Source(change.path),
            msg(
                N_(
                    "ask a coordinator (ledger/settings.yaml: coordinators) to make or approve "
                    "this change from one of their identities"
                )
            ),
        )


# G002: a programme that has started was changed, by how (never "added").
_STARTED = {
    "modified": N_(
        "programme '{programme}' started on {start} and may no longer change (modified since {rev})"
    ),
    "deleted": N_(
        "programme '{programme}' started on {start} and may no longer change (deleted since {rev})"
    ),
    "renamed": N_(
        "programme '{programme}' started on {start} and may no longer change (renamed since {rev})"
    ),
}

# G004: what was changed and how -> who alone may do it. Whole sentences, one per case,
# so that each language can make the words agree.
_ONLY_A_COORDINATOR = {
    ("settings file", "added"): N_(
        "this settings file was added by {who}; only a coordinator may do that"
    ),
    ("settings file", "modified"): N_(
        "this settings file was modified by {who}; only a coordinator may do that"
    ),
    ("settings file", "deleted"): N_(
        "this settings file was deleted by {who}; only a coordinator may do that"
    ),
    ("settings file", "renamed"): N_(
        "this settings file was renamed by {who}; only a coordinator may do that"
    ),
    ("common", "added"): N_("this common was added by {who}; only a coordinator may do that"),
    ("common", "modified"): N_("this common was modified by {who}; only a coordinator may do that"),
    ("common", "deleted"): N_("this common was deleted by {who}; only a coordinator may do that"),
    ("common", "renamed"): N_("this common was renamed by {who}; only a coordinator may do that"),
    ("contributor", "added"): N_(
        "this contributor was added by {who}; only a coordinator may do that"
    ),
    ("contributor", "modified"): N_(
        "this contributor was modified by {who}; only a coordinator may do that"
    ),
    ("contributor", "deleted"): N_(
        "this contributor was deleted by {who}; only a coordinator may do that"
    ),
    ("contributor", "renamed"): N_(
        "this contributor was renamed by {who}; only a coordinator may do that"
    ),
    ("programme", "added"): N_("this programme was added by {who}; only a coordinator may do that"),
    ("programme", "modified"): N_(
        "this programme was modified by {who}; only a coordinator may do that"
    ),
    ("programme", "deleted"): N_(
        "this programme was deleted by {who}; only a coordinator may do that"
    ),
    ("programme", "renamed"): N_(
        "this programme was renamed by {who}; only a coordinator may do that"
    ),
}
# G004 when a steward or a contributor changed a field that matches depend on.
_GUARDED = {
    "commons": N_(
        "this common was modified by {who}; only a coordinator "
        "(it changes {fields}, which matches depend on) may do that"
    ),
    "ledger/contributors": N_(
        "this contributor was modified by {who}; only a coordinator "
        "(it changes {fields}, which matches depend on) may do that"
    ),
}


# Who else may edit a file, and the fields they may not change: matches already
# computed depend on them (a steward's gift is excluded; a kind decides eligibility).
_SELF_EDIT = {"commons": ("stewards",), "ledger/contributors": ("kind", "siret")}


def _guarded_changes(r: Review, path: str, fields: tuple[str, ...]) -> list[str]:
    old, new = r.base.by_path.get(path), r.head.by_path.get(path)
    if old is None or new is None:
        return list(fields)
    return [f for f in fields if getattr(old, f) != getattr(new, f)]


def _history_problem(r: Review, change: Change) -> Problem:
    entry_id = id_of(change.old_path or change.path)
    return Problem(
        "G001",
        msg(
            _CHANGED_ENTRY[change.status], entry=entry_id, rev=r.base_rev, old_path=change.old_path
        ),
        Source(change.path),
        msg(
            N_(
                "restore the file as it was; to correct it, add a new entry with "
                "`reverses: {entry}` and, if needed, the right entry"
            ),
            entry=entry_id,
        ),
    )


# G001: how an entry of the base revision was changed (never "added").
_CHANGED_ENTRY = {
    "modified": N_("entry '{entry}' existed at {rev} and was edited; entries are never changed"),
    "deleted": N_("entry '{entry}' existed at {rev} and was deleted; entries are never changed"),
    "renamed": N_(
        "entry '{entry}' existed at {rev} and was renamed from {old_path}; "
        "entries are never changed"
    ),
}


def _vouched_entry(r: Review, path: str) -> Iterator[Problem]:
    entry = r.head.by_path.get(path)
    if entry is None:
        return  # the file's own problems are reported by the checks
    if isinstance(entry, Contribution):
        yield from _late(r, entry)
    elif isinstance(entry, Reversal):
        yield from _late_reversal(r, entry)
    elif isinstance(entry, Receipt):
        yield from _late_receipt(r, entry)
    found = _speakers(r, entry)
    if found is None:
        return  # it names an unknown entry or programme: the checks say so (R004, R006)
    kind, speakers, field = found
    allowed = list(r.base.settings.coordinators)
    for speaker in speakers:
        allowed += _identities(r.base, speaker)
    who = _vouchers(r, Change(path, "added"))
    if who.include(allowed):
        return
    where = r.head.locate(entry, field) if field else entry.source
    if kind == "steward":
        yield _not_a_steward(r, entry, speakers, who, where)
        return
    yield Problem(
        "G003",
        msg(
            N_(
                "this entry speaks for '{speaker}' but was added by {who}, "
                "who is neither an identity of {speaker} nor a coordinator"
            ),
            speaker=speakers[0],
            who=who.describe(),
        ),
        where,
        msg(
            N_(
                "add it from an identity listed in ledger/contributors/{speaker}.yaml "
                "(commit email or forge login), or ask a coordinator"
            ),
            speaker=speakers[0],
        ),
    )


def _not_a_steward(
    r: Review, entry: Record, stewards: tuple[str, ...], who: Vouchers, where: Source
) -> Problem:
    """G003 for a receipt (or its reversal) added by someone who stewards nothing of it."""
    if stewards:
        message = N_(
            "this receipt speaks for the stewards of the common ({stewards}) but was added by "
            "{who}, who is neither an identity of theirs nor a coordinator"
        )
    else:
        message = N_(
            "this receipt confirms a contribution to a common that has no steward, so only a "
            "coordinator may add it; it was added by {who}"
        )
    return Problem(
        "G003",
        msg(message, stewards=", ".join(stewards), who=who.describe()),
        where,
        msg(
            N_(
                "a steward confirms receiving a contribution from one of the identities listed in "
                "its file in ledger/contributors/ (commit email or forge login); "
                "or ask a coordinator"
            )
        ),
    )


def _ended_with(r: Review, c: Contribution) -> Iterator[Programme]:
    """The programmes (as the base knows them) whose window holds `c`'s date and which
    ended before today: figures already stated, which a late change moves."""
    for p in sorted(r.base.programmes, key=lambda p: p.id):
        if p.start <= c.date <= p.end < r.today:
            yield p


def _late(r: Review, c: Contribution) -> Iterator[Problem]:
    """A warning for a contribution added to a programme that has already ended."""
    for p in _ended_with(r, c):
        yield Problem(
            "G005",
            msg(
                N_(
                    "this contribution falls in programme '{programme}', which ended on {end}: "
                    "adding it now changes figures already stated"
                ),
                programme=p.id,
                end=p.end,
            ),
            r.head.locate(c, "date"),
            msg(
                N_(
                    "check the date; if the payment really was made then, tell the programme's "
                    "funder, whose statements change"
                )
            ),
            severity="warning",
        )


def _late_reversal(r: Review, reversal: Reversal) -> Iterator[Problem]:
    """A warning for a reversal that cancels a contribution of a programme that has already
    ended: whatever its own date, it changes that programme's figures (under first-come,
    others' matches go up)."""
    c = r.head.entry.get(reversal.reverses)
    if not isinstance(c, Contribution):
        return
    for p in _ended_with(r, c):
        yield Problem(
            "G006",
            msg(
                N_(
                    "this reversal cancels contribution '{entry}' of programme '{programme}', "
                    "which ended on {end}: adding it now changes figures already stated"
                ),
                entry=c.id,
                programme=p.id,
                end=p.end,
            ),
            r.head.locate(reversal, "reverses"),
            msg(
                N_(
                    "check that this contribution really is to be cancelled; if so, tell the "
                    "programme's funder, whose statements change"
                )
            ),
            severity="warning",
        )


def _late_receipt(r: Review, receipt: Receipt) -> Iterator[Problem]:
    """A warning for a receipt added after the end of a programme that requires receipts,
    dated so that it still counts for it: the programme's stated figures change."""
    confirmed = r.head.entry.get(receipt.contribution)
    if not isinstance(confirmed, Contribution):
        return
    for p in _ended_with(r, confirmed):
        if p.requires_receipt and receipt.date <= p.end:
            yield Problem(
                "G007",
                msg(
                    N_(
                        "this receipt confirms a contribution for programme '{programme}', which "
                        "ended on {end}: adding it now changes figures already stated"
                    ),
                    programme=p.id,
                    end=p.end,
                ),
                r.head.locate(receipt, "date"),
                msg(
                    N_(
                        "check the date: it is the day the steward confirmed the contribution; "
                        "tell the programme's funder, whose statements change"
                    )
                ),
                severity="warning",
            )


def _speakers(r: Review, entry: Record) -> tuple[Voucher, tuple[str, ...], str] | None:
    """Whose word an entry is, as its kind says (cofi.kinds): the contributor, the funder of
    a disbursement's programme, or the stewards of a receipt's common as the base knew
    them (none: coordinators only); for a reversal, that of the entry it cancels. With
    the field that names them; None when it names nothing known (the checks say so), or
    for reversals that cancel each other or themselves (L005)."""
    field = ""
    seen: set[str] = set()
    while isinstance(entry, Reversal):
        field = "reverses"
        target = r.head.entry.get(entry.reverses)
        if target is None or entry.id in seen:
            return None
        seen.add(entry.id)
        entry = target
    kind = BY_NAME[KIND_OF[type(entry)]].vouched_by
    if isinstance(entry, (Contribution, Pledge)):
        return kind, (entry.contributor,), field or "contributor"
    if isinstance(entry, Disbursement):
        programme = r.head.programme.get(entry.programme)
        return (kind, (programme.funder,), field or "programme") if programme else None
    if isinstance(entry, Receipt):
        confirmed = r.head.entry.get(entry.contribution)
        if not isinstance(confirmed, Contribution):
            return None
        common = r.base.common.get(confirmed.common)
        return kind, tuple(common.stewards) if common else (), field or "contribution"
    return None


def _vouchers(r: Review, change: Change) -> Vouchers:
    return vouchers(r.authors.get(change.path, ()), r.actor)


def _identities(ledger: Ledger, contributor_id: str) -> list[str]:
    """A contributor's identities as the base revision knew them (never as the PR rewrote them)."""
    c = ledger.contributor.get(contributor_id)
    return list(c.identities) if c else []


def _below(path: str, folders: frozenset[str]) -> bool:
    """Whether `path` lies inside one of `folders`."""
    parts = path.split("/")
    return any("/".join(parts[:n]) in folders for n in range(1, len(parts)))
