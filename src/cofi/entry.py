"""The `cofi` program: choose the language, then hand over to the typer app.

The language must be set before the CLI modules are imported: typer reads its
help texts, and ours, when they are defined.
"""

from __future__ import annotations

import gettext
import os
import sys


def split_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """`--lang X` (or `--lang=X`) taken out of `args`, wherever it stands."""
    lang = None
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--":
            rest += [arg, *it]
            break
        if arg == "--lang":
            lang = next(it, None)
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return lang, rest


def main(argv: list[str] | None = None) -> None:
    from cofi import i18n

    lang, args = split_lang(sys.argv[1:] if argv is None else argv)
    if lang is not None and i18n.code(lang) not in i18n.LANGUAGES:
        args, lang = ["--lang", lang, *args], None  # for the app to refuse, in the usual words
    chosen = i18n.pick(lang, os.environ)
    i18n.use(chosen)
    # typer's own words ("Options", "Show this message and exit.") go through the
    # global gettext domain and the LANGUAGE variable: point both at ours.
    gettext.bindtextdomain(i18n.DOMAIN, str(i18n.LOCALE_DIR))
    gettext.textdomain(i18n.DOMAIN)
    os.environ["LANGUAGE"] = chosen
    from cofi.bulk import freeze_after_bulk
    from cofi.cli import app

    # A command keeps what it loads until it exits: out of the collector's sight.
    freeze_after_bulk()

    app(args=args, prog_name="cofi")
