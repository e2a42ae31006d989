"""`cofi simulate`: a programme's figures under rules that are not (or not yet) the
ledger's, on the ledger's contributions (SPEC §2b). Nothing is written.

The scenario is a programme file anywhere on disk, or a ledger's programme with
`--set KEY=VALUE` overrides (or both). It is checked as a ledger's programme is:
read and validated like a file of `ledger/programmes/`, then put in the ledger in
place of the programme of the same id and run through every check of `cofi check`;
the problems about it are returned, located in its file or in the `--set` that
wrote the value.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from cofi import checks, yamlsrc
from cofi.i18n import _
from cofi.kinds import id_of
from cofi.ledger import Ledger
from cofi.loader import validation_problems
from cofi.model import ID, LOADER_KEYS, Programme
from cofi.problems import Problem, Source, sorted_problems
from cofi.yamlsrc import KeyPath

_KEY = re.compile(r"[a-z_]+(\.[a-z_]+)?")


@dataclass(frozen=True)
class Scenario:
    """The programme to simulate (None when it has errors), and the ledger with it in place
    of the programme of the same id."""

    programme: Programme | None
    problems: list[Problem]
    ledger: Ledger


@dataclass(frozen=True)
class Base:
    """Where the scenario starts: a programme's written data, its document, and its id."""

    data: dict[str, Any]
    doc: yamlsrc.Document
    id: str


def from_file(path: str, raw: bytes) -> tuple[Base | None, list[Problem]]:
    """A programme file read from anywhere; `path` is how problems name it."""
    doc = yamlsrc.parse_sized(path, len(raw), lambda: raw)
    problems = list(doc.problems)
    record_id = id_of(path.replace("\\", "/"))
    if not ID.match(record_id):
        text = _("'{name}' is not a valid file name for a record: the name is the record's id")
        problems.append(
            Problem(
                "F001",
                text.format(name=record_id),
                Source(path),
                _(
                    "use lowercase letters, digits and hyphens, at most 64 characters, "
                    "like 2026-03-14-la-ruche-dokos.yaml"
                ),
            )
        )
        return None, problems
    if doc.data is None:
        return None, problems
    return Base(doc.data, doc, record_id), problems


def from_ledger(programme: Programme, raw: bytes) -> Base:
    """A ledger's programme, from its file's bytes `raw` (already checked)."""
    doc = yamlsrc.parse_sized(programme.source.path, len(raw), lambda: raw)
    return Base(doc.data or {}, doc, programme.id)


def scenario(ledger: Ledger, base: Base, overrides: Sequence[str], today: date) -> Scenario:
    """`base` with `overrides` (`KEY=VALUE`, values read as YAML), validated and checked."""
    problems: list[Problem] = []
    data = copy.deepcopy(base.data)
    written: dict[KeyPath, Source] = {}
    for item in overrides:
        found = _override(item, problems)
        if found is not None:
            path, value, source = found
            target = data
            for key in path[:-1]:
                inner = target.get(key)
                target[key] = inner = dict(inner) if isinstance(inner, dict) else {}
                target = inner
            target[path[-1]] = value
            written[path] = source
    doc = _Overridden(base.doc, written)
    for key in LOADER_KEYS.intersection(data):
        problems.append(
            Problem(
                "S001",
                _("unknown key '{name}'").format(name=key),
                doc.at((key,), key=True),
                _("the id is the file's name; remove this line")
                if key == "id"
                else _("remove this line"),
            )
        )
    data = {k: v for k, v in data.items() if k not in LOADER_KEYS}
    try:
        programme = Programme.model_validate(
            {**data, "id": base.id, "source": Source(base.doc.path)}
        )
    except ValidationError as e:
        return Scenario(None, problems + validation_problems(e, doc, Programme), ledger)
    if problems:  # a malformed --set: the others are validated all the same
        return Scenario(None, problems, ledger)
    return _checked(ledger, programme, doc, today)


def _checked(ledger: Ledger, p: Programme, doc: _Overridden, today: date) -> Scenario:
    """The ledger with `p` in place of its namesake, and what `cofi check` says of `p`."""
    own = ledger.locator

    def locate(source: Source, path: KeyPath, key: bool) -> Source:
        return doc.at(path, key=key) if source.path == doc.path else own(source, path, key)

    others = tuple(q for q in ledger.programmes if q.id != p.id)
    with_it = replace(ledger, programmes=(*others, p), locator=locate)
    mine = {doc.path, *(s.path for s in doc.written.values())}
    found = [x for x in checks.run(with_it, today) if x.source.path in mine]
    errors = [x for x in found if x.severity == "error"]
    return Scenario(None if errors else p, sorted_problems(found), with_it)


def _override(item: str, problems: list[Problem]) -> tuple[tuple[str, ...], Any, Source] | None:
    """`KEY=VALUE` as a key path and the value YAML reads from VALUE."""
    key, equals, value = item.partition("=")
    source = Source(f"--set {item}", 1, len(key) + 2)
    if not equals or not _KEY.fullmatch(key) or "\n" in value or "\r" in value:
        text = _("'{item}' is not KEY=VALUE, like ratio=2 or caps.per_common=20000")
        problems.append(
            Problem(
                "S001",
                text.format(item=item),
                Source(f"--set {item}", 1, 1),
                _("write --set KEY=VALUE, one key of the programme (a.b for a key inside another)"),
            )
        )
        return None
    path = tuple(key.split("."))
    # Written as the programme file would hold it, then read by the same YAML reader.
    text = "".join(f"{'  ' * i}{part}:\n" for i, part in enumerate(path[:-1]))
    text += f"{'  ' * (len(path) - 1)}{path[-1]}: {value}\n"
    doc = yamlsrc.parse(source.path, text.encode())
    if doc.problems or doc.data is None:
        problems += [replace(x, source=source) for x in doc.problems]
        return None
    found: Any = doc.data
    for part in path:
        found = found.get(part) if isinstance(found, dict) else None
    return path, found, source


class _Overridden(yamlsrc.Document):
    """A programme's document where the keys set by `--set` are located at their `--set`."""

    __slots__ = ("base", "written")

    def __init__(self, base: yamlsrc.Document, written: dict[KeyPath, Source]) -> None:
        super().__init__(base.path)
        self.base = base
        self.written = written

    def at(self, path: KeyPath, *, key: bool = False) -> Source:
        for n in range(len(path), 0, -1):
            if path[:n] in self.written:
                return self.written[path[:n]]
        return self.base.at(path, key=key)
