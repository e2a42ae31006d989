"""Dependencies point one way: the import graph of src/cofi, read with `ast`, keeps the layers.

yaml only in yamlsrc, git only in history, typer/rich/click only in cli/ and render, and the
core never reaches up into the command line or the rendering.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cofi

SRC = Path(cofi.__file__).parent
CORE = {
    "cofi.model",
    "cofi.problems",
    "cofi.yamlsrc",
    "cofi.loader",
    "cofi.ledger",
    "cofi.checks",
    "cofi.matching",
    "cofi.obligations",
    "cofi.history",
    "cofi.report",
    "cofi.export",
}
UI = ("typer", "rich", "click")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `source` imports, anywhere in it (functions and TYPE_CHECKING included).

    `from a import b` yields both `a` and `a.b` (b may be a module); relative imports are
    resolved against `module`.
    """
    found: set[str] = set()
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    return {
        module_name(p): imports_of(
            p.read_text(encoding="utf-8"), module_name(p), p.name == "__init__.py"
        )
        for p in sorted(SRC.rglob("*.py"))
    }


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_the_walker_finds_every_kind_of_import():
    source = (
        "import yaml.nodes\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from rich.table import Table\n"
        "def f():\n    from cofi import render\n    from . import ids\n    from ..cli import app\n"
    )
    found = imports_of(source, "cofi.checks.entries")
    assert {"yaml.nodes", "rich.table", "cofi.render", "cofi.checks.ids", "cofi.cli.app"} <= found
    assert "cofi.checks.ids" in imports_of("from . import ids\n", "cofi.checks", is_package=True)


def test_the_walk_sees_the_real_modules():
    g = graph()
    assert {"cofi.model", "cofi.yamlsrc", "cofi.loader", "cofi.cli", "cofi.render"} <= set(g)
    assert "yaml" in g["cofi.yamlsrc"]
    assert "typer" in g["cofi.cli"]


def test_yaml_only_in_yamlsrc():
    bad = [
        (m, i)
        for m, imps in graph().items()
        for i in imps
        if within(i, "yaml") and m != "cofi.yamlsrc"
    ]
    assert bad == []


def test_git_only_in_history():
    bad = [
        (m, i)
        for m, imps in graph().items()
        for i in imps
        if within(i, "git") and m != "cofi.history"
    ]
    assert bad == []


def test_typer_rich_click_only_in_cli_and_render():
    bad = [
        (m, i)
        for m, imps in graph().items()
        for i in imps
        if any(within(i, ui) for ui in UI) and not within(m, "cofi.cli") and m != "cofi.render"
    ]
    assert bad == []


def test_core_never_imports_cli_or_render():
    bad = [
        (m, i)
        for m, imps in graph().items()
        for i in imps
        if any(within(m, core) for core in CORE)
        and (within(i, "cofi.cli") or within(i, "cofi.render"))
    ]
    assert bad == []


def test_only_the_entry_point_imports_the_cli_from_outside_it():
    # cofi.entry chooses the language, then imports the CLI (typer reads help at import).
    bad = [
        (m, i)
        for m, imps in graph().items()
        for i in imps
        if within(i, "cofi.cli") and not within(m, "cofi.cli") and m != "cofi.entry"
    ]
    assert bad == []


# --- The ordered layers ------------------------------------------------------------------
# Lowest first. A module imports only from its own layer or the layers below it; every
# module of src/cofi is in exactly one layer (a new module must be placed). Problems (with
# Source and Msg) sit below the model, which places its records with them; the record cache
# sits above the loader, which asks of it only what the loader.RecordCache protocol says.
LAYERS: list[tuple[str, ...]] = [
    ("cofi.i18n", "cofi.chars", "cofi.bulk", "cofi.listing", "cofi.table", "cofi.__version__"),
    ("cofi.problems", "cofi.fmt"),
    ("cofi.model", "cofi.yamlwords"),
    ("cofi.kinds", "cofi.yamlsrc", "cofi.ledger"),
    ("cofi.loader",),
    ("cofi.cache",),
    # the engine, below the checks that may run it (payments: L017 overpaid); quadratic
    # allocation is a part of matching, in a module of its own
    ("cofi.matching", "cofi.quadratic"),
    ("cofi.obligations",),
    ("cofi.checks", "cofi.history", "cofi.memo", "cofi.schema"),
    ("cofi.gitrules", "cofi.newrecord"),
    ("cofi.revisions", "cofi.simulate", "cofi.explain"),
    ("cofi.report", "cofi.export", "cofi.api"),
    ("cofi.render",),
    ("cofi.html",),
    ("cofi.cli",),
    ("cofi.entry", "cofi.__main__", "cofi"),
]


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the matching name, layer)
    for n, names in enumerate(LAYERS):
        for name in names:
            if within(module, name) and (best is None or len(name) > best[0]):
                best = (len(name), n)
    return None if best is None else best[1]


def test_every_module_has_a_layer():
    assert [m for m in graph() if layer_of(m) is None] == []


def test_no_module_imports_from_a_layer_above_its_own():
    g = graph()
    modules = set(g) | {"cofi.__version__"}
    bad = []
    for m, imps in g.items():
        for i in imps:
            # `from cofi import fmt` names the package too: what counts is what it imports
            if i == "cofi" or not within(i, "cofi") or i not in modules:
                continue
            if layer_of(i) > layer_of(m):  # type: ignore[operator]
                bad.append(f"{m} (layer {layer_of(m)}) imports {i} (layer {layer_of(i)})")
    assert bad == []


def test_from_the_package_itself_only_the_version_is_imported():
    g = graph()
    names = {i for imps in g.values() for i in imps if i.startswith("cofi.")}
    not_modules = {i for i in names if i not in g and i.rsplit(".", 1)[0] == "cofi"}
    assert not_modules <= {"cofi.__version__"}
