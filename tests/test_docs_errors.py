"""docs/errors.md documents every code of the catalogue, and only those."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from cofi.problems import CODES

DOC = Path(__file__).parents[1] / "docs" / "errors.md"
HEADING = re.compile(r"^## (\S+) (\S+)\s*$", re.MULTILINE)


def sections() -> dict[str, tuple[str, str]]:
    """code -> (name, body) for each `## CODE name` section."""
    text = DOC.read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    out: dict[str, tuple[str, str]] = {}
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        body = text[m.end() : nxt.start() if nxt else len(text)]
        assert m[1] not in out, f"{m[1]} is documented twice"
        out[m[1]] = (m[2], body)
    return out


def test_every_code_has_a_section():
    missing = sorted(set(CODES) - set(sections()))
    assert missing == [], f"codes without a `## CODE name` section in docs/errors.md: {missing}"


def test_every_section_names_a_known_code_by_its_name():
    documented = sections()
    unknown = sorted(set(documented) - set(CODES))
    assert unknown == [], f"docs/errors.md documents codes that do not exist: {unknown}"
    wrong = {c: n for c, (n, _) in documented.items() if c in CODES and CODES[c] != n}
    assert wrong == {}


def test_each_section_shows_the_output():
    for code, (_, body) in sections().items():
        assert re.search(rf"^\S+:\d+:\d+: {code} ", body, re.MULTILINE), code


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())


def test_a_fix_does_not_restate_the_hint():
    """Each hint is stated once, in the sample: a **Fix:** paragraph says what it cannot."""
    for code, (_, body) in sections().items():
        fix = re.search(r"^\*\*Fix:\*\*(.*?)(?:\n\n|\Z)", body, re.MULTILINE | re.DOTALL)
        if fix is None:
            continue
        for hint in re.findall(r"^    hint: (.*)$", body, re.MULTILINE):
            said, printed = _words(fix[1]), _words(hint)
            assert printed not in said, f"{code}: the Fix paragraph restates the hint"
            close = difflib.SequenceMatcher(None, said, printed).ratio()
            assert close < 0.75, f"{code}: the Fix paragraph is the hint again ({close:.2f})"
