"""Files -> records and problems. Never raises on bad user data.

Which folder a file lies in says what kind of record it holds (SPEC §1); its
name is its id. Each file is parsed by yamlsrc and validated by the model;
pydantic's error paths are mapped back to the line and column they came from.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, ValidationError

from cofi import yamlsrc
from cofi.bulk import bulk
from cofi.i18n import N_, _
from cofi.kinds import BY_FOLDER, ENTRY_KINDS, KIND_OF, KINDS, SETTINGS, Kind, id_of
from cofi.ledger import KeyPath, Ledger, Locator, Partial
from cofi.listing import (
    LINK,
    NO_STAT,
    NOT_A_FILE,
    REPOSITORY,
    UNREADABLE_FOLDER,
    Listing,
    walk,
)
from cofi.model import ID, LOADER_KEYS, TEMPLATE, Record, Reversal, Settings
from cofi.problems import Msg, Problem, Source, msg


class RecordCache(Protocol):
    """What loading needs of a record cache (cofi.cache implements it): the record and
    problems kept for a file still as it was, and a place to keep those of a file read."""

    def get(self, f: FileRef) -> tuple[Any, tuple[Problem, ...]] | None: ...

    def put(self, f: FileRef, content: bytes, result: tuple[Any, tuple[Problem, ...]]) -> None: ...

    def save(self) -> None: ...


class NoLedger(Exception):
    """No ledger root was found: the CLI exits 2 with this message."""


def find_root(start: Path) -> Path:
    """The nearest ancestor of `start` (itself included) that has a `ledger/` folder."""
    start = start.resolve()
    for d in (start, *start.parents):
        if (d / "ledger").is_dir():
            return d
    raise NoLedger(
        _(
            "no ledger found in {folder} or above it (a ledger has a `ledger/` folder); "
            "run cofi inside a ledger repository or pass --root PATH"
        ).format(folder=start)
    )


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file to load: its path relative to the root (POSIX), its size, how to read it."""

    path: str
    size: int
    read: Callable[[], bytes]
    stamp: tuple[int, int, int, int] | None = None
    """(size, mtime in ns, inode, ctime in ns) on disk: what changes when the file changes."""
    folder: str = ""
    """Its kind's folder (or SETTINGS), once `discover` or `select` has classified it."""


def classify(path: str) -> str | Problem | None:
    """The kind's folder (or SETTINGS) of a file, a problem for a file in a record folder
    that cofi would not read (never a silent skip), or None for a file that is not a record."""
    if path == SETTINGS:
        return SETTINGS
    if not path.endswith(".yaml"):
        return _not_read(path)
    folder = _folder_of(path)
    if folder is None:
        return _outside(path)
    if (
        not BY_FOLDER[folder].nested and "/" in path[len(folder) + 1 :]
    ):  # a sub-folder where none is
        return _unexpected(
            path,
            msg(N_("this file lies in a sub-folder of {folder}, so cofi does not read it")),
            msg(N_("move it to {folder}")),
            folder=f"{folder}/",
        )
    return folder


# A name like x.yml, x.YAML or "x.yaml ": meant as a record, yet not one to cofi.
_ALMOST_YAML = re.compile(r"(?P<stem>.*?)(?P<ext>\.(?i:yaml|yml)\s*)\Z", re.DOTALL)


def _not_read(path: str) -> Problem | None:
    """classify, for a path that does not end in .yaml."""
    name = path.rpartition("/")[2]
    if name.startswith("."):
        return None  # hidden, like .gitkeep: the walk does not even list them
    if path in BY_FOLDER:  # with it a file, its records are missing, and nothing would say so
        return _unexpected(
            path,
            msg(N_("this should be a folder of records, but it is a file")),
            msg(N_("remove or rename this file, and keep the records in the folder {folder}")),
            folder=f"{path}/",
        )
    almost = _ALMOST_YAML.match(name)
    folder = _folder_of(path)
    if almost is None:
        if folder is None:
            return None  # a README beside the record folders, say: not cofi's to judge
        return Problem(
            "F004",
            msg(N_("cofi does not read this file: only .yaml files are records")),
            Source(path),
            msg(
                N_("rename it to .yaml if it is a record, or move it out of {folder}"),
                folder=f"{folder}/",
            ),
            severity="warning",
        )
    if folder is None:
        return _outside(path)
    if almost["ext"] == ".yml":  # the common case, said as simply as it can be
        return _unexpected(
            path,
            msg(N_("this file has the extension .yml, so cofi does not read it")),
            msg(N_("rename it to .yaml")),
        )
    return _unexpected(
        path,
        msg(N_("this file's name ends in '{ext}', not '.yaml', so cofi does not read it")),
        msg(N_("rename it to {name}")),
        ext=almost["ext"],
        name=f"{almost['stem']}.yaml",
    )


def _folder_of(path: str) -> str | None:
    """The folder of the kind whose records `path` lies among, at any depth."""
    for folder in BY_FOLDER:
        if path.startswith(folder) and path[len(folder) : len(folder) + 1] == "/":
            return folder
    return None


def _outside(path: str) -> Problem | None:
    """F002 for a YAML file under ledger/ but in no record folder; None elsewhere."""
    if not path.startswith("ledger/"):
        return None
    return _unexpected(
        path,
        msg(N_("this file is not in a folder cofi reads, so cofi does not read it")),
        msg(
            N_("records go in {folders}, and commons in commons/"),
            folders=", ".join(k.folder for k in KINDS if k.folder.startswith("ledger/")),
        ),
    )


def discover(root: Path, listing: Listing | None = None) -> tuple[list[FileRef], list[Problem]]:
    """Every record file under root (as `listing` saw them, else as a new walk sees them),
    and a problem for each file or folder cofi would not read (see `classify`)."""
    found: list[FileRef] = []
    problems: list[Problem] = []
    for rel, size, mtime_ns, inode, ctime_ns in (listing or walk(root)).found:
        if size == UNREADABLE_FOLDER:
            problems.append(_unreadable_folder(rel))
            continue
        if size in _NOT_PLAIN_SIZES:
            problems.append(not_plain(rel, _NOT_PLAIN_SIZES[size]))
            continue
        where = classify(rel)
        if isinstance(where, Problem):
            problems.append(where)
        elif where is None:
            continue
        elif size == NO_STAT:  # no stamp: read, never cached (the OS says what went wrong)
            found.append(FileRef(rel, 0, partial(_read_bytes, root, rel), None, where))
        else:
            read = partial(_read_bytes, root, rel)
            found.append(FileRef(rel, size, read, (size, mtime_ns, inode, ctime_ns), where))
    return found, problems


def _unreadable_folder(rel: str) -> Problem:
    """F003 for a folder the walk could not list."""
    return Problem(
        "F003",
        msg(N_("cannot read this folder, so none of the files in it are checked")),
        Source(rel),
        msg(N_("check that you may read the folder (its permissions) and run cofi again")),
    )


NotPlain = Literal["link", "repository", "special"]
_NOT_PLAIN_SIZES: dict[int, NotPlain] = {
    LINK: "link",
    REPOSITORY: "repository",
    NOT_A_FILE: "special",
}
# F006: what is there instead of a plain file or folder -> (message, hint).
_NOT_PLAIN = {
    "link": (
        N_("this is a symbolic link, and cofi reads only plain files and folders"),
        N_(
            "put the file or folder itself here (a copy of what the link points to), "
            "or remove the link"
        ),
    ),
    "repository": (
        N_(
            "this folder is another git repository (a submodule), and cofi reads only "
            "plain files and folders"
        ),
        N_("remove the submodule, and commit its files into the ledger itself"),
    ),
    "special": (
        N_(
            "this is not a plain file (a pipe, a socket or a device), and cofi reads only "
            "plain files and folders"
        ),
        N_("remove it, and write the record here as a plain file"),
    ),
}


def not_plain(path: str, what: NotPlain) -> Problem:
    """F006 for a link, a submodule or a special file under commons/ or ledger/: git stores
    a link's text and a submodule's commit, not the files they lead to, so what cofi would
    read on disk is not what the repository holds (SPEC §5, "Plain files only")."""
    message, hint = _NOT_PLAIN[what]
    return Problem("F006", msg(message), Source(path), msg(hint))


def select(files: Iterable[FileRef]) -> tuple[list[FileRef], list[Problem]]:
    """The record files among `files`, and a problem for each file cofi would not read."""
    found: list[FileRef] = []
    problems: list[Problem] = []
    for f in files:
        where = classify(f.path)
        if isinstance(where, Problem):
            problems.append(where)
        elif where is not None:
            found.append(replace(f, folder=where))
    return found, problems


def _read_bytes(root: str | Path, rel: str) -> bytes:
    # os.read, not open(): a national ledger is 100,000 small files, which open() reads in
    # twice the time, making a buffered reader for each (0.65 s against 0.32).
    fd = os.open(os.path.join(root, rel), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        while part := os.read(fd, 1 << 16):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def _unexpected(path: str, message: Msg, hint: Msg, **values: str) -> Problem:
    """F002, its `message` and `hint` filled with `values`."""
    return Problem(
        "F002", msg(message.template, **values), Source(path), msg(hint.template, **values)
    )


@dataclass(frozen=True, slots=True)
class Loaded:
    """A ledger, the problems found reading it, and how many files were read."""

    ledger: Ledger
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors, not warnings: nothing is computed while there is one."""
        return [p for p in self.problems if p.severity == "error"]


Progress = Callable[[int, int], None]
"""Told (files done, files in all) now and then during a load, for a progress bar."""


def load(
    root: Path,
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    listing: Listing | None = None,
) -> Loaded:
    """Read every file of the ledger at `root` (those `listing` found, if given); the
    problems are not yet sorted.

    With a cache, files unchanged since the last run are not read again.
    """
    with bulk():
        files, problems = discover(root, listing)
    return load_files(str(root), files, problems, cache, progress)


def load_files(
    root: str,
    files: list[FileRef],
    problems: list[Problem],
    cache: RecordCache | None = None,
    progress: Progress | None = None,
) -> Loaded:
    """Build a ledger from files wherever they come from (disk, a git revision)."""
    files = sorted(files, key=lambda f: f.path)
    records: dict[str, list[Any]] = {kind: [] for kind in KIND_OF.values()}
    settings = Settings()
    broken: set[tuple[str, str]] = set()
    partials: list[Partial] = []
    with bulk():  # see cofi.bulk: no garbage collection while loading
        for n, f in enumerate(files):
            if progress is not None and not n % 1024:
                progress(n, len(files))
            found = read_one(f) if cache is None else cache.get(f) or _read_for_cache(f, cache)
            value, file_problems = found
            problems.extend(file_problems)
            if isinstance(value, Settings):
                settings = value
            elif isinstance(value, Record):
                records[KIND_OF[type(value)]].append(value)
                continue
            if isinstance(value, Partial):
                partials.append(value)
            if (folder := f.folder or classify(f.path)) != SETTINGS:  # what it should have held
                kind = BY_FOLDER[str(folder)].name
                broken.add(("entry" if kind in ENTRY_KINDS else kind, id_of(f.path)))
    ledger = Ledger(
        root=root,
        settings=settings,
        **{f"{kind}s": tuple(found) for kind, found in records.items()},
        broken=frozenset(broken),
        partials=tuple(partials),
        locator=_locator(root, {f.path: f for f in files if f.stamp is None}),
    )
    return Loaded(ledger, problems, len(files))


def _read_for_cache(f: FileRef, cache: RecordCache) -> tuple[Any, tuple[Problem, ...]]:
    """read_one, keeping the bytes it read for the cache's digest."""
    if f.size > yamlsrc.MAX_BYTES:
        return read_one(f)
    try:
        content = f.read()
    except OSError:
        return read_one(f)  # reports the problem
    found = read_one(FileRef(f.path, f.size, lambda: content, f.stamp, f.folder))
    cache.put(f, content, found)
    return found


BROKEN = "broken"
"""What read_one gives for a record file that exists but could not be read or validated."""


def read_one(f: FileRef) -> tuple[Any, tuple[Problem, ...]]:
    """One file's record (Settings for the settings file; BROKEN when unusable) and problems."""
    problems: list[Problem] = []
    folder = f.folder or classify(f.path)
    if folder == SETTINGS:
        return _load_settings(f, problems) or BROKEN, tuple(problems)
    return _load_record(f, BY_FOLDER[str(folder)], problems) or BROKEN, tuple(problems)


def _parse(f: FileRef, problems: list[Problem]) -> yamlsrc.Document | None:
    try:
        return yamlsrc.parse_sized(f.path, f.size, f.read)
    except OSError as e:
        problems.append(
            Problem(
                "F003",
                msg(N_("cannot read this file: {error}"), error=str(e.strerror or e)),
                Source(f.path),
                msg(N_("check that the file exists and that you may read it")),
            )
        )
        return None


def _load_settings(f: FileRef, problems: list[Problem]) -> Settings | None:
    doc = _parse(f, problems)
    if doc is None:
        return None
    problems.extend(doc.problems)
    if doc.data is None:
        return None
    try:
        return Settings.model_validate(doc.data)
    except ValidationError as e:
        problems.extend(_validation_problems(e, doc, Settings))
        return None


def _load_record(f: FileRef, kind: Kind, problems: list[Problem]) -> Any:
    doc = _parse(f, problems)
    if doc is None:
        return None
    problems.extend(doc.problems)
    if doc.data is None:
        return None
    data = doc.data
    record_id = id_of(f.path)
    good_name = ID.match(record_id) is not None
    if not good_name:
        problems.append(
            Problem(
                "F001",
                msg(
                    N_(
                        "'{name}' is not a valid file name for a record: "
                        "the name is the record's id"
                    ),
                    name=record_id,
                ),
                Source(f.path),
                msg(
                    N_(
                        "use lowercase letters, digits and hyphens, at most 64 characters, "
                        "like 2026-03-14-la-ruche-dokos.yaml"
                    )
                ),
            )
        )
    for key in LOADER_KEYS.intersection(data):
        problems.append(
            Problem(
                "S001",
                msg(N_("unknown key '{name}'"), name=key),
                doc.at((key,), key=True),
                msg(N_("the id is the file's name; remove this line"))
                if key == "id"
                else msg(N_("remove this line")),
            )
        )
    data = {k: v for k, v in data.items() if k not in LOADER_KEYS}
    model: type[Record] = kind.model
    if "reverses" in data and kind.entry:
        model = Reversal
        data["entry_kind"] = kind.name
    data["id"] = record_id
    data["source"] = Source(f.path)
    try:
        record = model.model_validate(data)
    except ValidationError as e:
        problems.extend(_validation_problems(e, doc, model))
        failed = {err["loc"][0] for err in e.errors() if err["loc"]}
        refs = {
            k: str(v)
            for k in _REFERENCES
            if k not in failed and isinstance(v := data.get(k), str) and ID.match(v)
        }
        return Partial("reversal" if model is Reversal else kind.name, data["source"], refs)
    _share_fields_set(record)
    return record if good_name else None


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(record: BaseModel) -> None:
    """Give `record` the one set object of the field names it was given that records with
    the same ones share: pydantic keeps such a set per record (some 700 bytes each), and a
    ledger has a handful of distinct ones. Pickling keeps the sharing. Frozen models never
    change the set (a copy gets its own)."""
    given = record.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    object.__setattr__(record, "__pydantic_fields_set__", shared)


_REFERENCES = (
    "contributor",
    "common",
    "need",
    "programme",
    "pledge",
    "funder",
    "reverses",
    "contribution",
)
"""The fields that name another record: checked even in a file that failed to load."""


def validation_problems(
    err: ValidationError, doc: yamlsrc.Document, model: type[BaseModel]
) -> list[Problem]:
    """Pydantic's errors on a record read from `doc`, as located problems (S001-S013)."""
    return _validation_problems(err, doc, model)


def _validation_problems(
    err: ValidationError, doc: yamlsrc.Document, model: type[BaseModel]
) -> list[Problem]:
    out = []
    errors = err.errors(include_url=False, include_context=True)
    suggested: set[KeyPath] = set()  # a misspelt key is one mistake, not also a missing one
    for e in errors:
        loc: KeyPath = tuple(e["loc"])
        if e["type"] == "extra_forbidden":
            name = str(loc[-1])
            valid = _field_names(model, loc[:-1])
            close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
            if close:
                message = msg(
                    N_("unknown key '{name}': did you mean '{close}'?"), name=name, close=close[0]
                )
            else:
                message = msg(N_("unknown key '{name}'"), name=name)
            hint = msg(N_("keys are: {keys}"), keys=", ".join(valid))
            out.append(Problem("S001", message, doc.at(loc, key=True), hint))
            if close:
                suggested.add((*loc[:-1], close[0]))
    for e in errors:
        loc = tuple(e["loc"])
        kind: str = e["type"]
        if kind == "extra_forbidden" or (kind == "missing" and loc in suggested):
            continue
        if kind == "missing":
            name = str(loc[-1])
            out.append(
                Problem(
                    "S002",
                    msg(N_("missing key '{name}'"), name=name),
                    doc.at(loc[:-1]),
                    msg(N_("add a line `{name}: ...` to this record"), name=name),
                )
            )
        else:
            code, what, fix = _describe(kind, e)
            out.append(Problem(code, what, doc.at(loc), fix))
    return out


# error type -> (code, hint); hints are translated where used.
BY_ERROR = {
    "cofi_amount": ("S003", N_("write amounts like 1200 or 1200.50")),
    "cofi_date": ("S004", N_("write dates as YYYY-MM-DD")),
    "cofi_number": ("S009", N_("write a plain number without quotes or sign, like 1, 0.5 or 60")),
    "cofi_boolean": ("S011", N_("write true or false")),
    "cofi_text": (
        "S013",
        N_("put the text after the colon, in quotes if it has special characters"),
    ),
    "cofi_unsafe": (
        "S013",
        N_("retype the text, or edit it in an editor that shows invisible characters"),
    ),
    "cofi_empty": ("S012", N_("write a value, or remove the line")),
    "cofi_id": ("S008", N_("ids are file names without .yaml, like la-ruche")),
    "cofi_currency": ("S010", N_("the ledger's currency, like EUR")),
    "cofi_siret": ("S007", N_('a SIRET has 14 digits; write it in quotes, like "73282932000074"')),
    "cofi_rna": ("S014", N_("an RNA number is W and 9 digits; write it like W751234567")),
    "cofi_forge": (
        "S015",
        N_("see `forge:` in docs/declare.md: the repository's address, its branch, its software"),
    ),
    "cofi_choice": ("S006", N_("write `all`, or a list of common ids like [dokos, movilab]")),
}


def _describe(kind: str, e: Any) -> tuple[str, Msg | str, Msg | str]:
    if kind in BY_ERROR:
        code, hint = BY_ERROR[kind]
        ctx = dict(e.get("ctx") or {})
        return code, msg(ctx.pop(TEMPLATE), **ctx), msg(hint)
    if kind == "literal_error":
        expected = str(e.get("ctx", {}).get("expected", "")).replace("'", "")
        return (
            "S006",
            msg(
                N_("'{value}' is not one of: {expected}"),
                value=_short(e["input"]),
                expected=expected,
            ),
            msg(N_("write one of: {expected}"), expected=expected),
        )
    if kind in ("list_type", "tuple_type"):
        return (
            "S005",
            msg(N_("expected a list, found {value}"), value=_short(e["input"])),
            msg(N_("write a list like [a, b]")),
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (
            "S005",
            msg(N_("expected a mapping of fields, found {value}"), value=_short(e["input"])),
            msg(N_("write the fields indented below this key")),
        )
    # pydantic's own message, in English: the custom types above cover what users write.
    return "S005", str(e["msg"]), ""


def _short(value: object) -> str | Msg:
    if value is None:
        # TRANSLATORS: {value} in "expected a list, found {value}" and the like: no value.
        return msg(N_("nothing"))
    if isinstance(value, list):
        # TRANSLATORS: {value} in "expected text, found {value}" and the like.
        return msg(N_("a list"))
    if isinstance(value, dict):
        # TRANSLATORS: {value} in "expected text, found {value}" and the like.
        return msg(N_("a mapping"))
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_names(model: type[BaseModel] | None, path: KeyPath) -> list[str]:
    """The keys a user may write in the mapping at `path` of a `model` record."""
    for part in path:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        f = model.model_fields.get(part)
        model = _submodel(f.annotation) if f else None
    if model is None:
        return []
    return [n for n in model.model_fields if n not in LOADER_KEYS]


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _submodel(arg)
        if found:
            return found
    return None


def _locator(root: str, unstamped: dict[str, FileRef]) -> Locator:
    """Positions of fields, found again by parsing a record's file only when a check
    reports a problem on it: records do not carry every position in memory.

    Files on disk are read again from `root`; the others (from git) are kept.
    """

    @lru_cache(maxsize=256)
    def document(path: str) -> yamlsrc.Document | None:
        f = unstamped.get(path)
        try:
            if f is None:
                size = os.stat(os.path.join(root, path)).st_size
                f = FileRef(path, size, partial(_read_bytes, root, path))
            return yamlsrc.parse_sized(path, f.size, f.read)
        except OSError:
            return None

    def locate(source: Source, path: KeyPath, key: bool) -> Source:
        doc = document(source.path)
        return doc.at(path, key=key) if doc else source

    return locate
