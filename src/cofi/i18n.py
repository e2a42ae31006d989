"""Translations: messages are written in English in the code, other languages come from
the compiled gettext catalogues shipped in cofi/locale.

The language is chosen once, by the CLI (`--lang`, else LC_ALL, LC_MESSAGES, LANG),
before anything builds a message; the core only calls `_`. Error codes, CSV and
JSON keys are never translated.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "cofi"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "fr")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language() -> str:
    """The language messages are being written in: `en` or `fr`."""
    return _language


def pick(explicit: str | None, env: Mapping[str, str]) -> str:
    """The language to use: `explicit` (--lang), else the first of LC_ALL, LC_MESSAGES,
    LANG that is set (as POSIX does), reduced to a language cofi has; else English."""
    value = explicit or next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    found = code(value)
    return found if found in LANGUAGES else "en"


def code(value: str) -> str:
    """The language of a locale name: `fr` for `fr_FR.UTF-8`, `FR` or `fr-CA`."""
    return value.split(".")[0].split("_")[0].split("-")[0].lower()


def use(lang: str) -> None:
    """Write every later message in `lang` (English when there is no catalogue for it)."""
    global _translation, _language
    _language = lang if lang in LANGUAGES else "en"
    if _language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def _(message: str) -> str:
    """`message` in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_` translates it where used."""
    return message
