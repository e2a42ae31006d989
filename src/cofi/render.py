"""Problems -> text | GitHub annotations | JSON. Pure: returns strings, never prints."""

from __future__ import annotations

import json

from cofi.problems import Problem


def problems_text(problems: list[Problem]) -> str:
    """`PATH:LINE:COL: CODE message`, each followed by an indented hint."""
    lines = []
    for p in problems:
        level = "" if p.severity == "error" else "warning: "
        lines.append(f"{p.source}: {p.code} {level}{p.message}")
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def problems_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    out = []
    for p in problems:
        s = p.source
        props = (
            f"file={_gh_escape(s.path, prop=True)},line={s.line},col={s.col},"
            f"title={_gh_escape(f'{p.code} {p.title}', prop=True)}"
        )
        body = p.message + (f"\n{p.hint}" if p.hint else "")
        out.append(f"::{p.severity} {props}::{_gh_escape(body)}")
    return "\n".join(out) + ("\n" if out else "")


def problem_dict(p: Problem) -> dict[str, object]:
    s = p.source
    return {
        "path": s.path,
        "line": s.line,
        "col": s.col,
        "code": p.code,
        "name": p.title,
        "severity": p.severity,
        "message": p.message,
        "hint": p.hint,
    }


def problems_json(problems: list[Problem]) -> str:
    return json.dumps([problem_dict(p) for p in problems], ensure_ascii=False, indent=2) + "\n"


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not problems:
        return f"ok: {checked}, no problems"

    def n(k: int, word: str) -> str:
        return f"{k} {word}{'s' if k != 1 else ''}"

    return f"{n(errors, 'error')}, {n(warnings, 'warning')} ({checked})"
