"""YAML text -> plain data and the position of every key and value.

The only module that imports yaml. libyaml (PyYAML's C parser) composes the
node tree; we walk it ourselves, which is both faster than PyYAML's
constructor and the one place to refuse what would make plain text lie:
duplicate keys, anchors and aliases, explicit tags, deep nesting. Scalars stay
text (`Bare` when written without quotes) and the model's types interpret them,
so no YAML 1.1 rule ever turns `no` into False or `1:30` into 90.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cofi.i18n import N_
from cofi.model import Bare
from cofi.problems import Msg, Problem, Source, msg
from cofi.yamlwords import say

MAX_BYTES = 256 * 1024
"""A record is a few lines; a file this large is a mistake (or an attack), not a record."""
MAX_DEPTH = 12

KeyPath = tuple[str | int, ...]
Mark = tuple[int, int]

_PLAIN = "cofi:plain"
_QUOTED = "cofi:quoted"
_SEQ = "cofi:seq"
_MAP = "cofi:map"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SUSPECT = frozenset("&*!")
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Control characters libyaml refuses (without a usable position), and U+0085, U+2028 and
U+2029, which YAML 1.1 reads as line breaks: they would shift every later line number and
fold quoted text."""
INVISIBLE = N_("invisible character U+{code} is not allowed in a record")
INVISIBLE_HINT = N_(
    "delete it (it often comes with text pasted from another program); "
    "where it stood for a line break, start a new line"
)
RAW_INVISIBLE = "\x7f-\x9f\u2028\u2029\ufffe\uffff"
"""Those of `_INVISIBLE` that a JSON string (cofi new's, the report's forms') leaves as
they are: a text that holds one is refused here (Y004), before its field is read."""


class _Composer(yaml.CSafeLoader):
    """The C parser and composer, with every implicit tag replaced by plain/quoted."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return _SEQ if kind is SequenceNode else _MAP


class Document:
    """One file's data, where each key and value was written, and what was wrong with it.

    Positions are looked up in the node tree only when asked for — when a
    problem is reported — not recorded for every field of every file.
    """

    __slots__ = ("_keys", "_root", "_text", "_values", "data", "path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.data: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self._root: Node | None = None
        self._text: str | None = None  # read by the flat reader: composed again if needed
        self._values: dict[KeyPath, Mark] | None = None
        self._keys: dict[KeyPath, Mark] = {}

    @property
    def values(self) -> dict[KeyPath, Mark]:
        """Key path -> (line, column) of the value written there."""
        if self._values is None:
            if self._root is None and self._text is not None:
                self._root = _compose(self._text)
            self._values, self._keys = _positions(self._root)
        return self._values

    @property
    def keys(self) -> dict[KeyPath, Mark]:
        """Key path -> (line, column) of the key itself (the first, if written twice)."""
        _ = self.values
        return self._keys

    def at(self, path: KeyPath, *, key: bool = False) -> Source:
        """The position of the value (or key) at `path`, else of its nearest written parent;
        named by `path` either way."""
        table = self.keys if key else self.values
        named = key_name(path)
        while True:
            mark = table.get(path) or self.values.get(path)
            if mark:
                return Source(self.path, *mark, named)
            if not path:
                return Source(self.path, 1, 1, named)
            path = path[:-1]

    def problem(self, code: str, message: Msg, mark: Mark, hint: Msg | str = "") -> None:
        self.problems.append(Problem(code, message, Source(self.path, *mark), hint))


def key_name(path: KeyPath) -> str:
    """A field's key path as one word: `caps.per_common`, `needs.0.id`."""
    return ".".join(map(str, path))


def parse(path: str, raw: bytes) -> Document:
    """Parse one file's bytes; `path` is how the file is named in problems."""
    doc = Document(path)
    try:
        # Strip the BOM ourselves: utf-8-sig reports error offsets without it.
        raw = raw.removeprefix(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        doc.problem(
            "Y001",
            msg(N_("this file is not valid UTF-8 text")),
            _byte_mark(raw, e.start),
            msg(N_("save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')")),
        )
        return doc
    if not text.strip():
        doc.problem(
            "Y003",
            msg(N_("this file is empty")),
            (1, 1),
            msg(N_("write the record's fields, or remove the file")),
        )
        return doc
    bad = _INVISIBLE.search(text)
    if bad:
        doc.problem(
            "Y004",
            msg(INVISIBLE, code=f"{ord(bad.group()):04X}"),
            _text_mark(text[: bad.start()]),
            msg(INVISIBLE_HINT),
        )
        return doc
    flat = _flat(text)
    if flat is not None:
        doc.data, doc._text = flat, text
        return doc
    if not _SUSPECT.isdisjoint(text) and _refuse_anchors_and_tags(doc, text):
        return doc
    try:
        node = _compose(text)
    except yaml.YAMLError as e:
        _syntax_problem(doc, e, text)
        return doc
    if node is None:
        doc.problem(
            "Y003",
            msg(N_("this file holds only comments")),
            (1, 1),
            msg(N_("write the record's fields")),
        )
        return doc
    if not isinstance(node, MappingNode):
        doc.problem(
            "Y005",
            msg(N_("a record file must hold one mapping of `key: value` lines")),
            _within(text, _mark(node)),
            msg(N_("write one field per line, like `amount: 1200`")),
        )
        return doc
    doc._root = node
    doc.data = _Walker(doc).mapping(node, (), 1)
    return doc


# The flat reader: most records (every contribution, pledge and disbursement) are a few
# `key: value` lines of plain words and numbers. For exactly those, libyaml would give
# the same data as splitting the lines, only ten times slower, so they are split;
# anything else — quotes, lists, indentation, comments after a value, a repeated key,
# a character with a meaning in YAML — goes to libyaml. tests/test_flat.py holds the
# two readers to the same result.
_FLAT_LINE = re.compile(
    r"(?:([a-z][a-z0-9_]*):"
    r"(?: +(?:"
    # a plain scalar: no YAML indicator first, no `:` or `#` anywhere
    r"([^\s\-?:,\[\]{}#&*!|>'\"%@`][^\t:#]*?)"
    # or a quoted one without escapes: double quotes and no backslash, or single quotes
    r"|\"([^\"\\\t]*)\"|'([^'\t]*)'"
    r"))?"
    r"|[ ]*(?:#.*)?) *\Z"
)


def _flat(text: str) -> dict[str, Any] | None:
    """The data of a file of flat `key: value` lines, or None when libyaml must read it."""
    data: dict[str, Any] = {}
    for line in text.splitlines():
        m = _FLAT_LINE.match(line)
        if m is None:
            return None
        key = m.group(1)
        if key is None:
            continue
        if key in data:
            return None  # libyaml reports the repeated key where it stands
        plain, double, single = m.group(2, 3, 4)
        if plain is not None:
            data[key] = None if plain in _NULLS else Bare(plain)
        else:
            data[key] = double if double is not None else single
    return data or None


def _compose(text: str) -> Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_sized(path: str, size: int, read: Callable[[], bytes]) -> Document:
    """Parse a file whose size is known beforehand (from `stat` or git): a file too
    large for a record is refused before it is read."""
    if size > MAX_BYTES:
        doc = Document(path)
        doc.problem(
            "Y002",
            msg(
                N_("this file is {size} bytes; a record is at most {limit}"),
                size=size,
                limit=MAX_BYTES,
            ),
            (1, 1),
            msg(N_("a record file holds one record of a few lines; split or remove it")),
        )
        return doc
    return parse(path, read())


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def value(self, node: Node, path: KeyPath, depth: int) -> Any:
        if type(node) is ScalarNode:
            if node.tag == _PLAIN:
                v = node.value
                return None if v in _NULLS else Bare(v)
            if node.tag == _QUOTED:
                return node.value
            self._tag(node)
            return None
        if depth > MAX_DEPTH:
            self.doc.problem(
                "Y009",
                msg(N_("nested more than {depth} levels deep"), depth=MAX_DEPTH),
                _mark(node),
                msg(N_("records are shallow: check the indentation")),
            )
            return None
        if type(node) is MappingNode:
            return self.mapping(node, path, depth)
        if node.tag != _SEQ:
            self._tag(node)
            return None
        return [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]

    def mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            self._tag(node)
        doc = self.doc
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            if type(knode) is not ScalarNode:
                doc.problem(
                    "Y010",
                    msg(N_("a key must be a single word, not a list or mapping")),
                    _mark(knode),
                    msg(N_("write keys like `amount:`")),
                )
                continue
            key = knode.value
            if key in out:
                first = next(k for k, _v in node.value if k.value == key).start_mark.line + 1
                doc.problem(
                    "Y006",
                    msg(
                        N_("key '{key}' is written twice (first on line {line})"),
                        key=key,
                        line=first,
                    ),
                    _mark(knode),
                    msg(N_("keep one of the two lines: a record says each thing once")),
                )
                continue
            out[key] = self.value(vnode, (*path, key), depth + 1)
        return out

    def _tag(self, node: Node) -> None:
        self.doc.problem(
            "Y008",
            msg(N_("explicit tag '{tag}' is not allowed"), tag=_written(node.tag)),
            _mark(node),
            msg(N_("remove the `!` tag: cofi reads each field by its own rules")),
        )


def _positions(root: Node | None) -> tuple[dict[KeyPath, Mark], dict[KeyPath, Mark]]:
    """Where every value and key of the tree was written; `()` is the top mapping, where
    a missing top-level key is reported."""
    values: dict[KeyPath, Mark] = {}
    keys: dict[KeyPath, Mark] = {}
    if root is None:
        return values, keys
    values[()] = _mark(root)
    todo: list[tuple[Node, KeyPath]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        if type(node) is MappingNode:
            for knode, vnode in node.value:
                if type(knode) is not ScalarNode:
                    continue
                p = (*path, knode.value)
                if p not in keys:  # a repeated key: the first one counts
                    keys[p], values[p] = _mark(knode), _mark(vnode)
                    todo.append((vnode, p))
        elif type(node) is SequenceNode:
            for i, item in enumerate(node.value):
                values[(*path, i)] = _mark(item)
                todo.append((item, (*path, i)))
    return values, keys


def _refuse_anchors_and_tags(doc: Document, text: str) -> bool:
    """Report anchors, aliases and explicit tags from the event stream; True if any.

    Aliases are refused before composing: a small file of nested aliases
    expands to hundreds of millions of nodes for whoever walks it.
    """
    found = False
    try:
        for ev in yaml.parse(text, Loader=yaml.CSafeLoader):
            if not isinstance(ev, NodeEvent):
                continue
            m = ev.start_mark
            mark = (m.line + 1, m.column + 1) if m is not None else (1, 1)
            if isinstance(ev, AliasEvent) or ev.anchor:
                message = (
                    N_("alias '*{name}' is not allowed")
                    if isinstance(ev, AliasEvent)
                    else N_("anchor '&{name}' is not allowed")
                )
                doc.problem(
                    "Y007",
                    msg(message, name=ev.anchor),
                    mark,
                    msg(N_("write the value out in full: each record must read on its own")),
                )
                found = True
            tag = ev.tag if isinstance(ev, (ScalarEvent, CollectionStartEvent)) else None
            if tag:
                doc.problem(
                    "Y008",
                    msg(N_("explicit tag '{tag}' is not allowed"), tag=_written(tag)),
                    mark,
                    msg(N_("remove the `!` tag: cofi reads each field by its own rules")),
                )
                found = True
    except yaml.YAMLError:
        return found  # the composer reports the syntax error with its position
    return found


def _syntax_problem(doc: Document, e: yaml.YAMLError, text: str) -> None:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    where = _within(text, (mark.line + 1, mark.column + 1) if mark is not None else (1, 1))
    problem = getattr(e, "problem", None) or str(e)
    if "expected a single document" in str(e):
        doc.problem(
            "Y004",
            msg(N_("this file holds more than one YAML document")),
            where,
            msg(
                N_(
                    "a record file holds one record: remove the `---` line and what follows, "
                    "or move it to its own file"
                )
            ),
        )
        return
    context = getattr(e, "context", None)
    if context:
        # TRANSLATORS: {problem} and {context} are libyaml's words, translated when known.
        message = msg(
            N_("YAML syntax error: {problem} ({context})"),
            problem=say(problem),
            context=say(context),
        )
    else:
        # TRANSLATORS: {problem} is libyaml's words, translated when known.
        message = msg(N_("YAML syntax error: {problem}"), problem=say(problem))
    lines = text.splitlines()
    line = lines[where[0] - 1] if 0 < where[0] <= len(lines) else ""
    if "\t" in line or "tab" in str(problem):
        hint = msg(N_("YAML does not allow tabs for indentation: indent with spaces"))
    elif problem == "found unknown escape character":  # a Windows path, most likely
        hint = msg(
            N_(
                "between double quotes a backslash starts an escape: write \\\\ for one "
                "backslash, or put the text between single quotes instead"
            )
        )
    else:
        hint = msg(
            N_(
                "check the indentation and that each line reads `key: value`; "
                "put quotes around text containing `: ` or starting with a special character"
            )
        )
    doc.problem("Y004", message, where, hint)


def _written(tag: str) -> str:
    """A tag as the user most likely wrote it: `!!str`, not `tag:yaml.org,2002:str`."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _mark(node: Node) -> Mark:
    m = node.start_mark
    return (m.line + 1, m.column + 1)


def _byte_mark(raw: bytes, offset: int) -> Mark:
    """Line and column (in characters, like libyaml's marks) of the first bad byte."""
    return _text_mark(raw[:offset].decode("utf-8"))


_BREAK = re.compile("\r\n|\r|\n")


def _within(text: str, mark: Mark) -> Mark:
    """`mark`, or the end of the last line when libyaml put it on a line after the last one
    (it does at the end of the stream): a place an editor can show."""
    lines = _BREAK.split(text.rstrip("\r\n"))
    return mark if mark[0] <= len(lines) else (len(lines), len(lines[-1]) + 1)


def _text_mark(before: str) -> Mark:
    """Line and column just after `before`, counting line breaks as libyaml does."""
    lines = _BREAK.split(before)
    return (len(lines), len(lines[-1]) + 1)
