"""typer's own words (help panels, usage line, command-line errors) in the user's language.

typer writes a few words through gettext's global domain (`Options`, `[default: {}]`,
`Error`...): cofi.entry points that domain at cofi's catalogue, and their msgids are
listed below so that pybabel extracts them into it like cofi's own messages. The other
words it writes in plain English (the `--help` option's help, `Usage:`, its command-line
parser's errors): the command classes below translate those, by their exact English.

Both depend on typer's exact English: pyproject pins typer's minor version, and
tests/test_i18n.py runs `cofi --help` and a mistyped option in French.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import typer.core
from typer._click.exceptions import UsageError  # typer vendors click: no public name

from cofi.i18n import N_, _

# The msgids typer passes to gettext (typer/rich_utils.py, typer/core.py), exactly as
# typer spells them: translated by typer itself, from cofi's catalogue.
TYPER_GETTEXT = (
    # TRANSLATORS: titles of the panels of `cofi --help`.
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    # TRANSLATORS: the title of the box around a command-line error.
    N_("Error"),
    N_("Aborted."),
    N_("Aborted!"),
    # TRANSLATORS: typer's placeholder is {} (not named): keep it as it is.
    N_("[default: {}]"),
    # TRANSLATORS: typer's placeholder is {} (not named): keep it as it is.
    N_("[env var: {}]"),
    N_("[required]"),
    N_("(deprecated) "),
    N_("(dynamic)"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    # TRANSLATORS: [blue]...[/] is terminal markup (colour): keep it around the command.
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("Missing command."),
    # TRANSLATORS: {name!r} is the mistyped command, quoted; the translation may write
    # « {name} » instead.
    N_("No such command {name!r}."),
)

# The help of options typer adds itself, in its English: translated when shown.
TYPER_HELP = frozenset(
    {
        N_("Show this message and exit."),
        N_("Install completion for the current shell."),
        N_("Show completion for the current shell, to copy it or customize the installation."),
    }
)

_USAGE = "Usage: "
# typer's command-line errors, in its English -> the same error in the user's language
# (in English, the same words, but for pydantic's "Value error, " prefix).
_ERRORS: Sequence[tuple[re.Pattern[str], str]] = (
    (re.compile(r"No such option: (?P<option>\S+)$"), N_("No such option: {option}")),
    (
        re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.*)\)$"),
        N_("No such option: {option} (Possible options: {options})"),
    ),
    (re.compile(r"Missing option (?P<option>.+)\.$"), N_("Missing option {option}.")),
    (re.compile(r"Missing argument (?P<argument>.+)\.$"), N_("Missing argument {argument}.")),
    (
        re.compile(r"Option (?P<option>.+) requires an argument\.$"),
        N_("Option {option} requires an argument."),
    ),
    (
        re.compile(r"Option (?P<option>.+) does not take a value\.$"),
        N_("Option {option} does not take a value."),
    ),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)$"),
        N_("Got unexpected extra argument(s) ({arguments})"),
    ),
    (
        re.compile(
            r"Invalid value for (?P<option>.+?): (?:Value error, )?"
            r"(?P<value>.+) is not one of (?P<choices>.+?)\.?$"
        ),
        N_("Invalid value for {option}: {value} is not one of {choices}."),
    ),
    (
        re.compile(r"(?P<error>.+\.) Did you mean (?P<suggestions>.+)\?$"),
        N_("{error} Did you mean {suggestions}?"),
    ),
)


def translated_error(english: str) -> str | None:
    """One of typer's command-line errors in the user's language; None if it is not one
    cofi knows (it is then shown as typer wrote it)."""
    for pattern, message in _ERRORS:
        found = pattern.match(english)
        if found:
            return _(message).format(**found.groupdict())
    return None


# A line break inside a paragraph of help, as a docstring is written: not before a blank
# line, a list item (`-`, `*`) or an indented line, which keep theirs.
_SOFT_BREAK = re.compile(r"(?<=\S)\n(?=[^\s*-])")


def paragraphs(text: str) -> str:
    """Help as paragraphs that the terminal's width wraps: the line breaks written inside a
    paragraph (to keep the source under 100 columns) become spaces."""
    return _SOFT_BREAK.sub(" ", text)


class _Translating:
    """What cofi's commands and groups add to typer's: its words translated, its help's
    paragraphs wrapped to the terminal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_text = getattr(self, "help", None)
        if help_text:
            # Through __dict__: an assignment here would declare `help` on the mixin, where
            # mypy finds it at odds with click's own.
            self.__dict__["help"] = paragraphs(help_text)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for p in params:
            english = getattr(p, "_cofi_english_help", None) or getattr(p, "help", None)
            if english in TYPER_HELP:
                p._cofi_english_help = english
                p.help = _(english)
            if getattr(p, "is_flag", False) and p.metavar is None:
                p.metavar = ""  # a flag takes no value: no `<bool>` beside it in --help
        return params

    def get_usage(self, ctx: Any) -> str:
        text: str = super().get_usage(ctx)  # type: ignore[misc]
        if text.startswith(_USAGE):
            return _("Usage: {command}").format(command=text[len(_USAGE) :])
        return text

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except UsageError as e:
            raise _in_language(e) from None


def _in_language(e: UsageError) -> UsageError:
    text = translated_error(e.format_message())
    return e if text is None else UsageError(text, e.ctx)


class Command(_Translating, typer.core.TyperCommand):
    """A cofi command: typer's, with typer's words translated."""


class Group(_Translating, typer.core.TyperGroup):
    """cofi and `cofi new`: typer's group, with typer's words translated."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as e:
            raise _in_language(e) from None
