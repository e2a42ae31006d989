"""`cofi new`: a new entry's text and conventional path, checked against the whole ledger
before anything is written."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cofi import fmt
from cofi.checks import checked
from cofi.i18n import _
from cofi.kinds import BY_NAME, KINDS, REVERSAL_FIELDS
from cofi.loader import FileRef, RecordCache, discover, load_files
from cofi.obligations import Obligation
from cofi.problems import Problem
from cofi.schema import comment

# Values of free-text fields are quoted.
_FREE_TEXT = frozenset({"reference", "note"})


@dataclass(frozen=True)
class Draft:
    """A record about to be written: its path from the ledger root, and its text."""

    path: str
    text: str


def render(kind: str, fields: dict[str, str | None], depth: int) -> str:
    """The file's text: the schema comment, then `key: value` lines in the usual order."""
    lines = [comment(kind, depth)]
    for key in REVERSAL_FIELDS if kind == "reversal" else BY_NAME[kind].fields:
        value = fields.get(key)
        if value is None or value == "":
            continue
        if key in _FREE_TEXT:
            value = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
        lines.append(f"{key}: {value}\n")
    return "".join(lines)


def slug(*parts: str) -> str:
    """An id from its parts: lowercase letters, digits and hyphens, at most 64 characters."""
    text = "-".join(p for p in parts if p).lower()
    text = re.sub(r"[^a-z0-9-]+", "-", text).strip("-")
    return re.sub(r"-{2,}", "-", text)[:64].rstrip("-") or "entry"


def stem_of(kind: str, fields: dict[str, str | None]) -> str:
    """A new entry's id before any `-2`: its kind's pattern (`{date}-{contributor}-{common}`)
    filled in from its fields, as a slug."""
    day = fields.get("date") or ""
    pattern = BY_NAME[kind].stem
    return slug(pattern.format(**{k: v or "" for k, v in fields.items()}, year=day[:4]))


def left_to_pay(o: Obligation) -> str:
    """An open pledge as `cofi new` and the report's form offer it: what is left to pay of
    it, and by when (amounts as the caller's fmt.amounts_in says)."""
    return _("{unmet} still to pay of {owed}, due {due}").format(
        unmet=fmt.exact(o.unmet), owed=fmt.exact(o.owed), due=fmt.day(o.due)
    )


def draft(
    root: Path, kind: str, folder: str, fields: dict[str, str | None], stem: str, year: str | None
) -> Draft:
    """Where the new record goes: folder[/year]/<stem>.yaml, with -2, -3 … when taken."""
    base = f"{folder}/{year}" if year else folder
    depth = base.count("/") + 1
    candidate = stem
    n = 1
    while (root / base / f"{candidate}.yaml").exists() or _id_taken(root, candidate):
        n += 1
        suffix = f"-{n}"
        candidate = stem[: 64 - len(suffix)].rstrip("-") + suffix
    return Draft(f"{base}/{candidate}.yaml", render(kind, fields, depth))


def _id_taken(root: Path, entry_id: str) -> bool:
    """Entries share one id space across folders and years."""
    return any(
        (root / k.folder).is_dir() and any((root / k.folder).rglob(f"{entry_id}.yaml"))
        for k in KINDS
        if k.entry
    )


def problems_with(
    root: Path, new: Draft, today: date, cache: RecordCache | None = None
) -> list[Problem]:
    """The problems `cofi check` would report once the new file is written and not
    before: its own, and those it causes elsewhere (a second reversal of an entry
    is reported on the first). The ledger is read twice, through `cache` if given (a
    national ledger's 100,000 files are otherwise read and parsed twice)."""
    files, problems = discover(root)
    before = Counter(checked(load_files(str(root), files, list(problems), cache), today).problems)
    # A command-line argument that was not UTF-8 holds lone surrogates: put its bytes back,
    # so that the check reports the file as not UTF-8 (Y001), where it is, like any other.
    data = new.text.encode("utf-8", "surrogateescape")
    with_new = [*files, FileRef(new.path, len(data), lambda: data)]
    after = checked(load_files(str(root), with_new, list(problems), cache), today).problems
    added = []
    for p in after:
        if before[p]:
            before[p] -= 1
        else:
            added.append(p)
    return added
