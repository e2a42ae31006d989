"""Translations: every message has its French, messages are built only through `_`, and
the language is picked as POSIX does.

docs/i18n.md describes the workflow (extract, update, translate, compile).
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from string import Formatter

import pytest

import cofi
from cofi import i18n
from cofi.checks import validate
from cofi.cli.typerwords import TYPER_GETTEXT

SRC = Path(cofi.__file__).parent
ROOT = Path(__file__).parent.parent
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "cofi.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as in docs/i18n.md
FIXTURE = Path(__file__).parent / "fixtures" / "twenty-mistakes"

Msgid = str | tuple[str, ...]


def extracted() -> dict[Msgid, list[str]]:
    """Every message of the package, as pybabel extracts it -> where it is written."""
    extract = pytest.importorskip("babel.messages.extract")
    frontend = pytest.importorskip("babel.messages.frontend")
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = frontend.parse_mapping_cfg(f)
    found: dict[Msgid, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract.extract_from_dir(
        str(SRC), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def fields(text: str) -> list[str]:
    """The replacement fields of a str.format template (ValueError if it is malformed)."""
    return [name for _, name, _, _ in Formatter().parse(text) if name is not None]


def _forms(message: Msgid) -> tuple[str, ...]:
    return (message,) if isinstance(message, str) else message


def test_messages_are_found_and_use_named_placeholders() -> None:
    messages = extracted()
    assert "unknown key '{name}'" in messages  # loader
    assert "this file is empty" in messages  # yamlsrc
    bad = [
        f"{where[0]}: {message!r}"
        for message, where in messages.items()
        for form in _forms(message)
        if message not in TYPER_GETTEXT  # typer's own msgids, as typer spells them
        if "%s" in form or "%d" in form or any(not f.isidentifier() for f in fields(form))
    ]
    assert bad == [], "use named placeholders like {value}, never {} or %s:\n" + "\n".join(bad)


def test_every_message_has_a_french_translation() -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    with open(PO, "rb") as f:
        catalog = pofile.read_po(f)
    problems = []
    for message, where in extracted().items():
        found = catalog.get(message)
        english = set().union(*(fields(form) for form in _forms(message)))
        if found is None:
            problems.append((where[0], message, "not in cofi.po: run pybabel update"))
            continue
        if found.fuzzy:
            problems.append((where[0], message, "fuzzy"))
        for form in _forms(found.string):
            if not form:
                problems.append((where[0], message, "not translated"))
                continue
            try:
                french = set(fields(form))
            except ValueError as e:
                problems.append((where[0], message, f"malformed {{placeholder}}: {e}"))
                continue
            if french != english:
                problems.append((where[0], message, f"placeholders {french} != {english}"))
    assert problems == [], f"{len(problems)} messages lack their French:\n" + "\n".join(
        f"{w}: {m!r}: {why}" for w, m, why in problems
    )


# --- Messages reach users only through `_` --------------------------------------------

# Callables whose arguments are shown to users -> positions of the text arguments.
TEXT_ARGS = {
    "Problem": (1, 3),  # Problem(code, message, source, hint)
    "problem": (1, 3),  # yamlsrc.Document.problem(code, message, mark, hint)
    "_fail": (1,),  # model._fail(kind, message, **ctx): marked with N_, put into words later
    "GitError": (0,),
    "NoLedger": (0,),
    "fail": (0,),  # cli.options.fail(message)
    "_unexpected": (1, 2),  # loader._unexpected(path, message, hint)
}
TEXT_KEYWORDS = {"message", "hint"}
TRANSLATORS = {"_", "ngettext"}
LAZY = {"_fail"}
"""Callables whose text is kept as written (marked with N_) and put into words when printed."""


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Scope:
    """Where a name's text comes from: assignments in the function, else in the module."""

    def __init__(self, module: ast.Module, function: ast.AST | None) -> None:
        self.module = module
        self.function = function

    @staticmethod
    def _assigned(tree: ast.AST, name: str, top_only: bool) -> list[ast.expr]:
        nodes = tree.body if top_only and isinstance(tree, ast.Module) else ast.walk(tree)
        values: list[ast.expr] = []
        for node in nodes:
            if isinstance(node, ast.Assign):
                if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                    values.append(node.value)
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
                and node.value is not None
            ):
                values.append(node.value)
        return values

    def values(self, name: str) -> tuple[list[ast.expr], bool]:
        """The values assigned to `name`, and whether they are module-level constants."""
        if self.function is not None:
            found = self._assigned(self.function, name, top_only=False)
            if found:
                return found, False
        return self._assigned(self.module, name, top_only=True), True


def untranslated(expr: ast.expr, scope: _Scope, depth: int = 0, lazy: bool = False) -> str | None:
    """Why `expr`, shown to a user, may not have gone through `_` (or, `lazy`, not be marked
    with N_ to be put into words when printed); None if it did (or if it comes from
    somewhere this simple reading cannot follow, like a parameter). `msg(N_(...), ...)` is
    a message put into words when printed."""
    if depth > 5:
        return None
    if isinstance(expr, ast.Constant):
        return f"bare string {expr.value!r}" if isinstance(expr.value, str) and expr.value else None
    if isinstance(expr, ast.JoinedStr):
        return "f-string"
    if isinstance(expr, ast.BinOp):
        return untranslated(expr.left, scope, depth + 1, lazy) or untranslated(
            expr.right, scope, depth + 1, lazy
        )
    if isinstance(expr, ast.IfExp):
        return untranslated(expr.body, scope, depth + 1, lazy) or untranslated(
            expr.orelse, scope, depth + 1, lazy
        )
    if isinstance(expr, ast.Call):
        name = _name(expr.func)
        if lazy:
            if name == "N_":
                return None
            if name in TRANSLATORS:
                return "translated too early: mark it with N_(), it is put into words when printed"
        if name in TRANSLATORS:
            return None
        if name == "msg":
            first = expr.args[0] if expr.args else None
            if first is None:
                return "msg() without a message"
            return untranslated(first, scope, depth + 1, lazy=True)
        if name == "N_":
            return "N_() only marks a message: translate it with _() where it is used"
        if name == "format" and isinstance(expr.func, ast.Attribute):
            template = expr.func.value
            if isinstance(template, ast.Call) and _name(template.func) in TRANSLATORS:
                return None
            why = untranslated(template, scope, depth + 1)
            return f".format() on {why}" if why else None
        return None
    if isinstance(expr, ast.Name):
        values, module_level = scope.values(expr.id)
        for value in values:
            why = untranslated(value, scope, depth + 1, lazy)
            if why:
                where = "module constant" if module_level else "variable"
                return f"{where} {expr.id}: {why}"
    return None


def unwrapped_messages(source: str, filename: str = "<source>") -> Iterator[str]:
    """`file:line: why` for each text argument of TEXT_ARGS calls not translated."""
    module = ast.parse(source)
    functions = [
        n for n in ast.walk(module) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    owner: dict[ast.AST, ast.AST] = {}
    for function in functions:  # outer functions first: inner ones overwrite
        for node in ast.walk(function):
            owner[node] = function
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        scope = _Scope(module, owner.get(node))
        name = _name(node.func)
        texts = [node.args[i] for i in TEXT_ARGS.get(name, ()) if i < len(node.args)]
        texts += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for text in texts:
            if isinstance(text, ast.Starred):
                continue
            why = untranslated(text, scope, lazy=name in LAZY)
            if why:
                yield f"{filename}:{text.lineno}: {name}(): {why}"


def test_the_scanner_sees_untranslated_messages() -> None:
    bad = """
HINT = N_("a hint")
def f(x):
    Problem("S001", f"unknown key '{x}'", where, "remove it")
    Problem("S001", "unknown key '{x}'".format(x=x), where)
    message = "unknown " + x
    doc.problem("Y001", message, mark, HINT)
    raise GitError(f"{x} is not a repository")
    raise _fail("amount", "not an amount {value}", value=x)
    fail(_("ok") if x else "not ok")
    _unknown("R001", x, hint=f"hint {x}")
    raise _fail("amount", _("translated too early {value}"), value=x)
    Problem("S001", msg("a bare string"), where, msg(f"hint {x}"))
"""
    found = list(unwrapped_messages(bad))
    assert len(found) == 12, "\n".join(found)
    good = """
HINT = N_("a hint")
def f(x, given):
    Problem("S001", _("unknown key '{x}'").format(x=x), where, _("remove it"))
    text = _("unknown key '{x}'")
    doc.problem("Y001", text.format(x=x), mark, _(HINT))
    doc.problem("Y001", given, mark, given.format(x=x))
    raise GitError(ngettext("{n} file", "{n} files", x).format(n=x))
    raise _fail("amount", N_("not an amount {value}"), value=x)
    Problem("S001", msg(N_("unknown key '{x}'"), x=x), where, msg(HINT))
    fail(_("ok") if x else _("not ok"))
    fail(str(x))
    Problem("S001", message, where, "")
"""
    assert list(unwrapped_messages(good)) == []


def test_every_message_goes_through_the_translation() -> None:
    found = [
        line
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "i18n.py"
        for line in unwrapped_messages(
            path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent))
        )
    ]
    assert found == [], "wrap user-facing text in _():\n" + "\n".join(found)


class _Marked(gettext.NullTranslations):
    """A 'language' that brackets every message it translates."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"


def test_the_problems_of_a_ledger_come_out_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture's ~40 kinds of problem, in a language that brackets what it translates:
    each message and hint is translated as a whole when it is printed, not when it is
    found, and reads the same in English once the brackets are gone. What is found does
    not depend on the language at all (so caches and fingerprints do not)."""
    today = date(2026, 11, 28)
    found = validate(FIXTURE, today).problems
    english = [(p.message, p.hint) for p in found]
    monkeypatch.setattr(i18n, "_translation", _Marked())
    assert validate(FIXTURE, today).problems == found
    marked = [(p.message, p.hint) for p in found]
    assert len(marked) == len(english) > 30
    for p, m, e in zip(found, marked, english, strict=True):
        for text, original in zip(m, e, strict=True):
            if original:
                assert text.startswith("⟦") and text.endswith("⟧"), (p.code, text)
            assert text.replace("⟦", "").replace("⟧", "") == original, (p.code, text)


# --- The language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (None, {}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "fr"),
        (None, {"LANG": "de_DE"}, "en"),
        (None, {"LANG": "C"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LANG": "POSIX"}, "en"),
        (None, {"LANG": "fr-CA"}, "fr"),
        (None, {"LANG": "fr"}, "fr"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        # LC_ALL, then LC_MESSAGES, then LANG; an empty variable counts as unset
        (None, {"LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "en_US", "LANG": "en_US"}, "fr"),
        (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "fr_FR", "LANG": "fr_FR"}, "en"),
        (None, {"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US"}, "fr"),
        (None, {"LC_MESSAGES": "C", "LANG": "fr_FR"}, "en"),
        (None, {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}, "fr"),
        # --lang comes before the environment
        ("fr", {"LC_ALL": "en_US.UTF-8"}, "fr"),
        ("en", {"LC_ALL": "fr_FR.UTF-8"}, "en"),
        ("de", {"LC_ALL": "fr_FR.UTF-8"}, "en"),
        ("FR", {}, "fr"),
    ],
)
def test_the_language_is_picked_like_posix(
    explicit: str | None, env: dict[str, str], expected: str
) -> None:
    assert i18n.pick(explicit, env) == expected


def test_english_needs_no_catalogue() -> None:
    i18n.use("en")
    assert i18n.language() == "en"
    assert i18n._("this file is empty") == "this file is empty"
    assert i18n.ngettext("{n} error", "{n} errors", 2) == "{n} errors"


# --- The compiled catalogue and the program in French -----------------------------------


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    """cofi reads cofi.mo: it must say what cofi.po says (after editing cofi.po, run
    `pybabel compile`, docs/i18n.md)."""
    pofile = pytest.importorskip("babel.messages.pofile")
    mofile = pytest.importorskip("babel.messages.mofile")
    with open(PO, "rb") as f:
        catalog = pofile.read_po(f)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, catalog)  # as `pybabel compile` does: fuzzy entries left out
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(MO, "rb") as f:
        shipped = gettext.GNUTranslations(f)
    stale = [
        message.id
        for message in catalog
        if message.id
        and (
            [shipped.ngettext(*message.id, n) for n in (0, 1, 2)]
            != [fresh.ngettext(*message.id, n) for n in (0, 1, 2)]
            if isinstance(message.id, tuple)
            else shipped.gettext(message.id) != fresh.gettext(message.id)
        )
    ]
    assert stale == [], f"cofi.mo is older than cofi.po: run pybabel compile ({stale[:3]})"
    assert len(shipped._catalog) == len(fresh._catalog), "cofi.mo has messages cofi.po lacks"
    # French's plural rule: 0 and 1 are singular.
    assert shipped.ngettext("{n} error", "{n} errors", 0) == "{n} erreur"
    assert shipped.ngettext("{n} error", "{n} errors", 2) == "{n} erreurs"


def cofi_run(*args: str, lang: str = "fr_FR.UTF-8") -> subprocess.CompletedProcess[str]:
    """`cofi ARGS` in a new process, with LANG=`lang` and no other locale variable."""
    locale = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    env = {k: v for k, v in os.environ.items() if k not in locale}
    env.update(LANG=lang, COLUMNS="120", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "cofi", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


MISTAKES = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
    "ledger/contributions/2026-03-14-la-ruche-dokos.yaml": """
        date: 2026-03-14
        contributor: la-ruche
        common: dokos
        amount: 1200,50
        """,
    "ledger/contributions/2026-03-15-la-ruche-dokos.yaml": """
        date: 2026-03-15
        contributor: la-ruche
        common: dokos
        amount: 300
        montant: 300
        """,
    "ledger/contributions/2026-03-16-la-rushe-dokos.yaml": """
        date: 2026-03-16
        contributor: la-rushe
        common: dokos
        amount: 300
        """,
    "ledger/contributions/2026-03-17-la-ruche-dokos.yaml": """
        date: 2026-02-30
        contributor: la-ruche
        common: dokos
        amount: "300"
        """,
}
NBSP = "\u00a0"


def _problems(text: str) -> list[tuple[str, str]]:
    """(path:line:col, code) of each problem line of `cofi check`'s text output."""
    found = []
    for line in text.splitlines():
        if line.startswith("ledger/"):
            where, _, rest = line.partition(": ")
            found.append((where, rest.split()[0]))
    return found


def test_cofi_check_in_french_has_the_same_codes_and_places(ledger_dir) -> None:
    root = str(ledger_dir(MISTAKES))
    args = ("check", "--root", root, "--as-of", "2026-11-28")
    english, french = cofi_run(*args, lang="C"), cofi_run(*args)
    assert english.returncode == french.returncode == 1, french.stderr
    assert _problems(french.stdout) == _problems(english.stdout)
    assert {code for _, code in _problems(french.stdout)} == {"S001", "S003", "S004", "R001"}
    text = french.stdout
    assert f"contributeur inconnu «{NBSP}la-rushe{NBSP}»{NBSP}: vouliez-vous dire" in text
    assert f"vouliez-vous dire «{NBSP}la-ruche{NBSP}»{NBSP}?" in text
    assert f"clé inconnue «{NBSP}montant{NBSP}»" in text
    assert f"    conseil{NBSP}: écrivez les montants comme 1200 ou 1200.50" in text
    assert "5 erreurs, 0 avertissement (6 fichiers vérifiés)" in text + french.stderr
    assert "unknown" not in text and "hint:" not in text


def test_cofi_help_in_french() -> None:
    done = cofi_run("--help")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for words in (
        f"Utilisation{NBSP}: cofi",
        "Options",
        "Commandes",
        "Afficher cette aide et quitter.",
        "cofi tient le registre ouvert du co-investissement",
    ):
        assert words in out, words
    assert "Show this message" not in out and "Commands" not in out


def test_typer_errors_in_french() -> None:
    done = cofi_run("report", "--as-of", "2026-11-28")
    assert done.returncode == 2
    assert f"Option manquante{NBSP}: '--html'." in done.stderr
    assert "Erreur" in done.stderr and "cofi report --help" in done.stderr
    done = cofi_run("match", "--bogus")
    assert f"Option inconnue{NBSP}: --bogus" in done.stderr


def test_cofi_match_in_french_writes_french_figures() -> None:
    args = ("match", "--root", str(ROOT), "--as-of", "2026-11-28")
    done = cofi_run("--lang", "fr", *args, lang="C")
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header[:4] == ["Programme", "Commun", "Financeur", "Apporté"]
    assert "Restant" in header and "Échéance" in header and "Provisoire" in header
    nnbsp = "\u202f"
    assert f"19{nnbsp}500,00{NBSP}€" in done.stdout
    assert f"11{nnbsp}999,98{NBSP}€" in done.stdout  # pilote-2026, dokos
    assert "1er mars 2026" in done.stdout and "oui" in done.stdout
    assert "au 28 novembre 2026, d'après la copie de travail" in done.stdout


def test_lang_en_wins_over_a_french_environment() -> None:
    args = ("--lang", "en", "match", "--root", str(ROOT), "--as-of", "2026-11-28")
    done = cofi_run(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[:3] == ["Programme", "Common", "Funder"]
    assert "19,500.00" in done.stdout and "2026-03-01" in done.stdout
    assert "€" not in done.stdout
    help_ = cofi_run("--help", "--lang=en")
    assert "Show this message and exit." in help_.stdout and "Commands" in help_.stdout


def test_csv_keeps_machine_figures_in_french() -> None:
    args = ("match", "--root", str(ROOT), "--as-of", "2026-11-28", "--format", "csv")
    done = cofi_run(*args)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert (
        lines[0] == "programme,common,debtor,contributed,matched,paid,unmet,due,overdue,provisional"
    )
    assert "pilote-2025,dokos,etat-demo,19500.00,15000.00,15000.00,0.00,2026-03-01,false,false" in (
        lines
    )
    assert "€" not in done.stdout and "mars" not in done.stdout
    assert f"note{NBSP}: au 28 novembre 2026" in done.stderr  # the notes are for people


def test_the_html_report_in_french(french: None) -> None:
    from cofi.html import render_report
    from cofi.matching import match_all
    from cofi.obligations import match_obligations, pledge_obligations

    today = date(2026, 11, 28)
    ledger = validate(ROOT, today).ledger
    results = match_all(ledger, today)
    debts = match_obligations(ledger, results) + pledge_obligations(ledger, today)
    files = render_report(ledger, results, debts, today, revision="v1.0")
    index = files["index.html"]
    assert '<html lang="fr"' in index
    assert "Vue d&#x27;ensemble" in index and "Abondement public" in index
    assert f"79\u202f999,98{NBSP}€" in index
    assert "Au 28 novembre 2026 · registre à la révision v1.0 · montants en EUR" in index
    assert '<time datetime="2026-03-01">1er mars 2026</time>' in index
    assert "premier arrivé, ratio 0,5 · du <time" in index  # region-2026: a French decimal
    assert "first-come" not in index  # the code, shown as its word
    assert "Trier par {column}" in index.replace("&quot;", '"')  # the script's words
    assert "Sort by" not in index
    dokos = files["commons/dokos.html"]
    # booking-v2: 18,000 + 15,833.32 of 40,000 (84.58 %): the text to the nearest tenth,
    # the bar's CSS width (cofi.html, rounded down) with its decimal point
    assert f'<span style="width:84.5%"></span></span>84,6{NBSP}%</td>' in dokos
    contributions = files["contributions.html"]
    assert "Motifs" in contributions
    assert "apportée par un mainteneur du commun qu&#x27;elle finance" in contributions
    explained = files["explain/2025-09-09-fablab-des-marais-dokos.html"]
    assert (
        "Au titre de pilote-2025" in explained and f"Abondement{NBSP}: 500,00{NBSP}€" in explained
    )
    obligations = files["obligations.html"]
    assert "Pas encore échu" in obligations and "Engagements" in obligations
    assert "31 à 90 jours de retard" in obligations


def _syntax_error(text: str) -> str:
    from cofi import yamlsrc

    (problem,) = yamlsrc.parse("c.yaml", text.encode()).problems
    assert problem.code == "Y004"
    return problem.message


def test_libyaml_words_come_out_in_french(french: None) -> None:
    # libyaml: "found unexpected end of stream" (while scanning a quoted scalar)
    assert _syntax_error('date: 2026-03-14\nnote: "pas fini\n') == (
        f"erreur de syntaxe YAML{NBSP}: le fichier se termine trop tôt "
        "(en lisant un texte entre guillemets)"
    )
    # libyaml: "mapping values are not allowed in this context", without a context
    assert _syntax_error("note: a: b\n") == (
        f"erreur de syntaxe YAML{NBSP}: un «{NBSP}:{NBSP}» suivi d'une valeur n'est pas "
        "permis à cet endroit"
    )


def test_a_windows_path_between_double_quotes_gets_its_own_hint(french: None) -> None:
    from cofi import yamlsrc

    (problem,) = yamlsrc.parse("c.yaml", b'note: "C:\\dossier"\n').problems
    assert problem.message == (
        f"erreur de syntaxe YAML{NBSP}: après «{NBSP}\\{NBSP}» entre guillemets doubles, "
        "ce caractère n'est pas reconnu (en lisant un texte entre guillemets)"
    )
    assert problem.hint.endswith(
        f"écrivez «{NBSP}\\\\{NBSP}» pour une barre oblique inverse, ou mettez le texte "
        "entre guillemets simples"
    )


def test_a_brace_libyaml_says_is_reworded_not_lost(french: None) -> None:
    assert _syntax_error("note: {a: 1\n") == (
        f"erreur de syntaxe YAML{NBSP}: «{NBSP},{NBSP}» ou une accolade fermante était "
        "attendue ici (en lisant un ensemble entre accolades)"
    )


def test_libyaml_words_stay_as_written_in_english() -> None:
    i18n.use("en")
    assert _syntax_error("note: a: b\n") == (
        "YAML syntax error: mapping values are not allowed in this context"
    )


def test_libyaml_words_not_listed_pass_through(french: None) -> None:
    from cofi.yamlwords import say

    assert say("found something libyaml may say one day") == (
        "found something libyaml may say one day"
    )


def test_every_translated_libyaml_phrase_is_one_libyaml_says() -> None:
    """A phrase with a typo would never match: each must be in the libyaml PyYAML uses."""
    import yaml._yaml  # type: ignore[import-not-found]

    from cofi.yamlwords import KNOWN

    binary = Path(yaml._yaml.__file__).read_bytes()
    assert [p for p in sorted(KNOWN) if p.encode() + b"\0" not in binary] == []
