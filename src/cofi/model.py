"""The records of a ledger, as frozen pydantic models, and the scalar types they are made of.

The YAML layer hands every scalar over as text: `Bare` for a scalar written
without quotes, plain `str` for a quoted one. Each scalar type below decides
from that text what it accepts, so the YAML 1.1 surprises (`no`, `on`, `1:30`,
`010`) never reach a field, and money goes from the written text straight to
`Decimal` without a float in between.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from cofi.chars import FORMAT
from cofi.i18n import N_
from cofi.problems import Msg, Source, msg


class Bare(str):
    """The text of a YAML scalar written without quotes: a number or a word, not yet read."""

    __slots__ = ()


ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
"""What an id may be (a record's file name, a reference to it), for JSON Schema too."""
ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$") + r"\Z")
# No leading zeros: YAML 1.1 reads `010` as octal 8, so `01200` is refused, not guessed.
_MONEY = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?\Z")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
_INTEGER = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CURRENCY = re.compile(r"[A-Z]{3}\Z")
_RNA = re.compile(r"W[0-9]{9}\Z")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

# Upper bounds, so that no total or product cofi computes from a ledger ever needs more
# than the 28 significant digits of Decimal's default context (past them, quantizing a
# total to the cent raises InvalidOperation). An amount below 10^12 has at most 14
# digits; a million of them sum below 10^18, and times a ratio of at most 1000 below
# 10^21: 23 digits with the cents, 5 to spare. A trillion euros is far beyond any budget.
MONEY_DIGITS = 12
"""At most this many digits before the point: amounts up to 999999999999.99."""
MAX_RATIO = Decimal(1000)
"""Public euros per euro contributed: matching rates are about 0.5 to 3."""
RATIO_DECIMALS = 6
"""At most this many decimals in a ratio: 0.333333 is a third to a millionth. A ratio
with thousands of decimals would pass the arithmetic but not the printing of its steps
(Python refuses to write an integer of more than 4300 digits)."""
MAX_DAYS = 3650
"""Ten years: a longer delay of payment is a typo."""
# Years before 1900 or after 2999 are typos (`0226` for 2026, `9999` for "never"); and a
# due date is `end + payment_days`, which past year 9999 is an OverflowError, not a date.
FIRST_YEAR, LAST_YEAR = 1900, 2999

# Characters a text may not hold. Written raw, the YAML layer refuses most of them
# (Y004); written as escapes in double quotes ("\e", "\x07", "\u202e") they arrive
# here. C0 and C1 controls and DEL drive terminals (colours, links, bells, moving the
# cursor); U+202A-U+202E and U+2066-U+2069 reorder the text around them, so what is
# shown is not what is written; U+2028 and U+2029 are line breaks to YAML and browsers.
# Lone surrogates are what Python makes of bytes that are not UTF-8 (command-line
# arguments): they cannot be written to a file. Format characters (Unicode's category Cf,
# see cofi.chars) are invisible: a zero-width space or a direction mark makes a name
# look like another.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + FORMAT + "]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_FORMAT = re.compile(f"[{FORMAT}]")
_MULTILINE = frozenset("\n\t")
"""What `LongText` (notes, descriptions) may hold besides printable text."""


TEMPLATE = "cofi_template"
"""The key under which a validation error's context keeps its message as written in the code,
so that the loader can make it a Msg, put into words when printed."""


def _fail(kind: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A validation error; `message` is a template marked with N_ that `ctx` fills."""
    return PydanticCustomError(f"cofi_{kind}", message, {**ctx, TEMPLATE: message})


def _shown(value: object) -> str | Msg:
    if isinstance(value, str):
        return _visible(value)
    if isinstance(value, list):
        return msg(N_("a list"))
    if isinstance(value, dict):
        return msg(N_("a mapping"))
    return msg(N_("nothing")) if value is None else str(value)


def parse_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """An amount written like `1200` or `1200.50`: positive, at most 2 decimals."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif type(value) is Bare:
        text = value
    elif isinstance(value, str):
        raise _fail(
            "amount",
            N_("amount '{value}' is written in quotes; write it as a plain number like 1200.50"),
            value=_shown(value),
        )
    else:
        raise _fail(
            "amount", N_("expected an amount like 1200.50, found {value}"), value=_shown(value)
        )
    if not _MONEY.match(text):
        raise _fail(
            "amount",
            N_(
                "'{value}' is not an amount: write digits with a dot and at most 2 decimals, "
                "like 1200 or 1200.50 (no spaces, commas, signs, exponents or leading zeros)"
            ),
            value=_shown(text),
        )
    if len(text.partition(".")[0]) > MONEY_DIGITS:
        raise _fail(
            "amount",
            N_(
                "'{value}' is too large: cofi accepts amounts of at most {digits} digits "
                "before the point, up to {largest}"
            ),
            value=text,
            digits=MONEY_DIGITS,
            largest="9" * MONEY_DIGITS + ".99",
        )
    amount = Decimal(text)
    if amount == 0 and not allow_zero:
        raise _fail("amount", N_("amount must be greater than 0, found {value}"), value=text)
    return amount


def _non_negative_money(value: object) -> Decimal:
    return parse_money(value, allow_zero=True)


def _ratio(value: object) -> Decimal:
    if isinstance(value, Decimal) and value >= 0 and value.is_finite():
        ratio = value
    elif type(value) is Bare and _DECIMAL.match(value):
        ratio = Decimal(value)
    else:
        raise _fail(
            "number",
            N_("'{value}' is not a ratio: write a number of 0 or more like 1 or 0.5"),
            value=_shown(value),
        )
    if ratio > MAX_RATIO:
        raise _fail(
            "number",
            N_("'{value}' is too large for a ratio: cofi accepts ratios up to {largest}"),
            value=_shown(value),
            largest=str(MAX_RATIO),
        )
    # The written decimals, trailing zeros included: `1.0000000` is refused like `12.500`
    # is for an amount, so what passes is exactly what may be written.
    exponent = ratio.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) else 0
    if decimals > RATIO_DECIMALS:
        text = _visible(value) if type(value) is Bare else format(ratio, "f")
        raise _fail(
            "number",
            N_(
                "'{value}' has {count} decimals: cofi accepts ratios with at most {most} "
                "decimals, like 0.333333; round it"
            ),
            value=text if len(text) <= 40 else text[:37] + "...",
            count=decimals,
            most=RATIO_DECIMALS,
        )
    return ratio


def _share(value: object) -> Decimal:
    """A share of a need, like 0.70: more than 0, at most 1, at most RATIO_DECIMALS decimals."""
    share = _ratio(value)
    if not 0 < share <= 1:
        raise _fail(
            "number",
            N_("'{value}' is not a share: write a number above 0 and at most 1, like 0.70"),
            value=_shown(value),
        )
    return share


def _count(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        days = value
    elif type(value) is Bare and _INTEGER.match(value):
        # Compared as text first: int() refuses more than 4300 digits with a ValueError.
        days = int(value) if len(value) <= len(str(MAX_DAYS)) else MAX_DAYS + 1
    else:
        raise _fail(
            "number", N_("'{value}' is not a whole number of days like 60"), value=_shown(value)
        )
    if days > MAX_DAYS:
        raise _fail(
            "number",
            N_("'{value}' is too many days: cofi accepts at most {largest} (ten years)"),
            value=_shown(value),
            largest=MAX_DAYS,
        )
    return days


def parse_date(value: object) -> date:
    """An ISO date `YYYY-MM-DD` that exists in the calendar, in the years 1900 to 2999."""
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise _fail(
                "date", N_("{value} is not a day of the calendar"), value=str(value)
            ) from None
    else:
        raise _fail(
            "date",
            N_("'{value}' is not a date: write it as YYYY-MM-DD, like 2026-03-14"),
            value=_shown(value),
        )
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _fail(
            "date",
            N_("{value} is out of range: cofi accepts dates from year {first} to year {last}"),
            value=day.isoformat(),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return day


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if type(value) is Bare and value in _TRUE:
        return True
    if type(value) is Bare and value in _FALSE:
        return False
    raise _fail("boolean", N_("'{value}' is not true or false"), value=_shown(value))


def parse_text(value: object, *, multiline: bool = False) -> str:
    """Text on one line, or, `multiline`, with line breaks and tabs too; never controls."""
    if isinstance(value, str):
        if not multiline:
            # `name: >` folds a long value onto one line but ends it with a line break:
            # YAML's, not the writer's.
            value = value.rstrip("\n")
        # Controls first: Python's strip() takes U+001C-U+001F and U+0085 for spaces.
        for bad in _UNSAFE.finditer(value):
            if not (multiline and bad.group() in _MULTILINE):
                raise _unsafe(bad.group(), bad.start() + 1)
        if not value.strip():
            raise _fail("empty", N_("this text is empty"))
        return str(value)
    raise _fail("text", N_("expected text, found {value}"), value=_shown(value))


def _long_text(value: object) -> str:
    return parse_text(value, multiline=True)


def _unsafe(char: str, position: int) -> PydanticCustomError:
    """Why `char`, the `position`th character of a text, is refused. The message names it
    as U+XXXX, never writes it: it would do on the terminal what it was refused for."""
    code = f"{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        message = N_(
            "this is not valid UTF-8 text: character {position} (U+{code}) is a byte of "
            "another encoding, like Latin-1; retype it, or save the text as UTF-8"
        )
    elif char in _MULTILINE:
        message = N_(
            "this text must be on one line: character {position} is a line break or a tab "
            "(U+{code}); replace it with a space"
        )
    elif _BIDI.match(char):
        message = N_(
            "character {position} of this text is U+{code}, an invisible control that changes "
            "the direction of the text around it; remove it"
        )
    elif _FORMAT.match(char):
        message = N_(
            "character {position} of this text is U+{code}, an invisible formatting character "
            "(like a zero-width space, a direction mark or a soft hyphen) that makes this text "
            "look like another; remove it"
        )
    else:
        message = N_(
            "character {position} of this text is U+{code}, an invisible control character "
            "that terminals act upon; remove it"
        )
    return _fail("unsafe", message, position=position, code=code)


def _visible(text: str) -> str:
    """`text` to quote in a message, with each character `_UNSAFE` written `<U+XXXX>`."""
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _id(value: object) -> str:
    if isinstance(value, str) and ID.match(value):
        # The same few hundred ids recur across 100,000 records: keep one copy of each.
        return sys.intern(str(value))
    raise _fail(
        "id",
        N_(
            "'{value}' is not an id: use lowercase letters, digits and hyphens, "
            "starting with a letter or digit, at most 64 characters"
        ),
        value=_shown(value),
    )


def _commons_choice(value: object) -> str | tuple[str, ...]:
    if value == "all":
        return "all"
    if isinstance(value, list):
        return tuple(_id(v) for v in value)
    raise _fail(
        "choice",
        N_("expected `all` or a list of common ids like [dokos, movilab], found {value}"),
        value=_shown(value),
    )


def _currency(value: object) -> str:
    if isinstance(value, str) and _CURRENCY.match(value):
        return str(value)
    raise _fail("currency", N_("'{value}' is not a currency code like EUR"), value=_shown(value))


def siret_is_valid(digits: str) -> bool:
    """14 digits passing the Luhn check (La Poste's establishments, but not its head office
    35600000000048, use a digit sum instead)."""
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return False
    if digits == "0" * 14:  # passes Luhn, names no one
        return False
    if digits.startswith("356000000") and digits != "35600000000048":
        return sum(map(int, digits)) % 5 == 0
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _siret(value: object) -> str:
    text = value if isinstance(value, str) else str(_shown(value))
    if not siret_is_valid(text):
        raise _fail(
            "siret",
            N_(
                "'{value}' is not a valid SIRET: it must be 14 digits and pass the Luhn check; "
                "copy it from the INSEE directory (annuaire-entreprises.data.gouv.fr)"
            ),
            value=_shown(text),
        )
    return str(text)


def _rna(value: object) -> str:
    if isinstance(value, str) and _RNA.match(value):
        return str(value)
    raise _fail(
        "rna",
        N_(
            "'{value}' is not an RNA number: it is W followed by 9 digits, like W751234567; "
            "copy it from the directory of associations (annuaire-entreprises.data.gouv.fr)"
        ),
        value=_shown(value),
    )


def _escaped_class(chars: str) -> str:
    """A regular-expression class body as `\\uXXXX` escapes, which JSON Schema's (ECMA-262)
    and Python's patterns read alike; characters beyond U+FFFF are left to cofi check (an
    ECMA pattern without the `u` flag would read them as two halves)."""
    out = []
    for ch in chars:
        if ord(ch) > 0xFFFF:
            break  # FORMAT lists its BMP ranges first
        out.append("-" if ch == "-" else f"\\u{ord(ch):04x}")
    return "".join(out).rstrip("-")


# What the schema can say of a text: no control, line or paragraph separator, nor invisible
# format character (a one-line text may end in the line break of YAML's `>`; a long one may
# hold line breaks and tabs). Years 1900-2999 and days 01-31 for dates.
_FORMAT_CLASS = _escaped_class(FORMAT)
TEXT_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029" + _FORMAT_CLASS + "]*\\n*$"
LONG_TEXT_PATTERN = (
    "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029" + _FORMAT_CLASS + "]*$"
)
DATE_PATTERN = "^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


# No `multipleOf: 0.01`: validators test it in binary floating point, where
# 1200.5 is not a multiple of 0.01. cofi itself checks the written decimals.
_MONEY_SCHEMA = {
    "type": "number",
    "exclusiveMinimum": 0,
    "exclusiveMaximum": 10**MONEY_DIGITS,
    "description": "an amount like 1200 or 1200.50: at most 2 decimals, no quotes",
}
Money = Annotated[Decimal, PlainValidator(parse_money), WithJsonSchema(_MONEY_SCHEMA)]
NonNegativeMoney = Annotated[
    Decimal,
    PlainValidator(_non_negative_money),
    WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": 10**MONEY_DIGITS}),
]
Ratio = Annotated[
    Decimal,
    PlainValidator(_ratio),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": int(MAX_RATIO)}),
]
Share = Annotated[
    Decimal,
    PlainValidator(_share),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
]
Days = Annotated[
    int,
    PlainValidator(_count),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_DAYS}),
]
Day = Annotated[
    date,
    PlainValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Flag = Annotated[bool, PlainValidator(_boolean), WithJsonSchema({"type": "boolean"})]
# Numbers and booleans are text too (`reference: 2026031`): cofi keeps what was written.
Text = Annotated[
    str,
    PlainValidator(parse_text),
    WithJsonSchema(
        {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": TEXT_PATTERN}
    ),
]
# Notes and descriptions may run over several lines (`note: |`), and keep their tabs.
LongText = Annotated[
    str,
    PlainValidator(_long_text),
    WithJsonSchema(
        {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": LONG_TEXT_PATTERN}
    ),
]
Id = Annotated[str, PlainValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Currency = Annotated[
    str, PlainValidator(_currency), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})
]
# Quoted or not (`siret: 73282932000074` is a number to an editor, and cofi accepts it).
Siret = Annotated[
    str,
    PlainValidator(_siret),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": "^[0-9]{14}$"},
                {"type": "integer", "minimum": 10**13, "maximum": 10**14 - 1},
            ]
        }
    ),
]
Rna = Annotated[
    str, PlainValidator(_rna), WithJsonSchema({"type": "string", "pattern": "^W[0-9]{9}$"})
]

# The forge the ledger's repository lives on (settings `forge:`), for the report's
# "declare a contribution" form, which opens the forge's page for a new file.
FORGE_HOSTS: dict[str, str] = {
    "github.com": "github",
    "gitlab.com": "gitlab",
    "framagit.org": "gitlab",
    "codeberg.org": "gitea",
}
"""The forges whose software is known from their host name alone (Codeberg runs Forgejo,
which takes Gitea's links)."""
REPOSITORY_PATTERN = r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9_.~-]+){2,}$"
_REPOSITORY = re.compile(REPOSITORY_PATTERN.removeprefix("^").removesuffix("$") + r"\Z")
# A branch or a folder as git accepts it, less what a link would have to escape.
PATH_PATTERN = r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$"
_PATH = re.compile(PATH_PATTERN.removeprefix("^").removesuffix("$") + r"\Z")


def _repository(value: object) -> str:
    text = parse_text(value)
    if _REPOSITORY.match(text) and not text.endswith(".git"):
        return text
    raise _fail(
        "forge",
        N_(
            "'{value}' is not a repository's web address: write it as the forge shows it, "
            "like https://github.com/owner/name, without .git or a trailing slash"
        ),
        value=_shown(text),
    )


def _branch(value: object) -> str:
    text = parse_text(value)
    if _PATH.match(text) and ".." not in text and not text.endswith((".", ".lock")):
        return text
    raise _fail(
        "forge",
        N_("'{value}' is not a branch name like main: letters, digits, '.', '_', '-' and '/'"),
        value=_shown(text),
    )


def _folder(value: object) -> str:
    text = parse_text(value)
    parts = text.split("/")
    if _PATH.match(text) and not {".", ".."} & set(parts):
        return text
    raise _fail(
        "forge",
        N_(
            "'{value}' is not a folder of the repository: write a path like registre/2026, "
            "relative to the repository's top, with '/' between folders"
        ),
        value=_shown(text),
    )


Repository = Annotated[
    str,
    PlainValidator(_repository),
    WithJsonSchema({"type": "string", "pattern": REPOSITORY_PATTERN}),
]
Branch = Annotated[
    str, PlainValidator(_branch), WithJsonSchema({"type": "string", "pattern": PATH_PATTERN})
]
Folder = Annotated[
    str, PlainValidator(_folder), WithJsonSchema({"type": "string", "pattern": PATH_PATTERN})
]
ForgeKind = Literal["github", "gitlab", "gitea"]

CommonsChoice = Annotated[
    str | tuple[str, ...],
    PlainValidator(_commons_choice),
    WithJsonSchema(
        {
            "anyOf": [
                {"const": "all"},
                {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
            ]
        }
    ),
]

ContributorKind = Literal["tiers-lieu", "network", "public", "private", "individual"]
ContributionKind = Literal["money", "in-kind"]
Allocation = Literal["pro-rata", "first-come", "quadratic"]
EntryKind = Literal["contribution", "pledge", "disbursement", "receipt"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Record(_Value):
    """A record read from one file: its id is the file name, its source the file."""

    id: SkipJsonSchema[str] = Field(exclude=True)
    source: SkipJsonSchema[Source] = Field(exclude=True, repr=False)


class Forge(_Value):
    """Where the ledger's repository is published: the report's forms open its pages."""

    repository: Repository
    kind: ForgeKind | None = None
    """github, gitlab (Framagit too) or gitea (Forgejo, Codeberg); known from the host
    name for the forges of FORGE_HOSTS."""
    branch: Branch = "main"
    folder: Folder | None = None
    """The ledger root's folder in the repository, when it is not the repository's top."""

    @model_validator(mode="after")
    def _known_software(self) -> Forge:
        if self.kind is None and self.host not in FORGE_HOSTS:
            raise _fail(
                "forge",
                N_(
                    "cofi cannot tell which software {host} runs: add `kind:` below `forge:`, "
                    "github, gitlab (GitLab, Framagit) or gitea (Gitea, Forgejo)"
                ),
                host=self.host,
            )
        return self

    @property
    def host(self) -> str:
        return self.repository.split("/")[2].split(":")[0].lower()

    @property
    def software(self) -> ForgeKind:
        return self.kind or FORGE_HOSTS[self.host]  # type: ignore[return-value]


class Settings(_Value):
    name: Text | None = None
    currency: Currency = "EUR"
    coordinators: list[Text] = []
    forge: Forge | None = None


class Contributor(Record):
    name: Text
    kind: ContributorKind
    siret: Siret | None = None
    rna: Rna | None = None
    """An association's number in the Répertoire national des associations (SCDL export)."""
    region: Text | None = None
    identities: list[Text] = []


class Need(_Value):
    id: Id
    title: Text
    amount: Money
    due: Day | None = None


class Common(Record):
    name: Text
    description: LongText | None = None
    url: Text | None = None
    license: Text | None = None
    stewards: list[Id] = []
    needs: list[Need] = []


class Eligible(_Value):
    kinds: list[ContributorKind] = ["tiers-lieu"]
    commons: CommonsChoice = "all"
    min_amount: NonNegativeMoney = Decimal("0.01")


class Caps(_Value):
    per_contribution: Money | None = None
    per_contributor: Money | None = None
    per_common: Money | None = None
    per_need_share: Share | None = None
    """At most this share of a need's amount, in matches on the contributions naming it."""


class Programme(Record):
    name: Text
    funder: Id
    ratio: Ratio
    in_kind_ratio: Ratio = Decimal(0)
    start: Day
    end: Day
    envelope: Money
    allocation: Allocation
    eligible: Eligible = Field(default_factory=Eligible)
    exclude_stewards: Flag = True
    caps: Caps = Field(default_factory=Caps)
    payment_days: Days = 60
    requires_receipt: Flag = False
    """Match a contribution only once a steward of its common has confirmed receiving it."""
    convention_date: Day | None = None
    """The day the funder signed the programme's convention (SCDL; default: `start`)."""
    decision: Text | None = None
    """The reference of the funder's decision (deliberation, order) granting it (SCDL)."""
    all_or_nothing: Flag = False
    """Match the contributions naming a need only if the need is reached by the end."""


class Entry(Record):
    """Contributions, pledges, disbursements, receipts and reversals: dated, one id space."""

    date: Day


class Contribution(Entry):
    contributor: Id
    common: Id
    need: Id | None = None
    amount: Money
    kind: ContributionKind = "money"
    pledge: Id | None = None
    currency: Currency | None = None
    reference: Text | None = None
    note: LongText | None = None


class Pledge(Entry):
    contributor: Id
    common: Id
    amount: Money
    due: Day
    currency: Currency | None = None
    reference: Text | None = None
    note: LongText | None = None


class Disbursement(Entry):
    programme: Id
    common: Id
    amount: Money
    currency: Currency | None = None
    reference: Text | None = None
    note: LongText | None = None


class Receipt(Entry):
    """A steward of a common confirming that it received contribution `contribution`."""

    contribution: Id
    note: LongText | None = None


class Reversal(Entry):
    """Cancels entry `reverses` (of its own kind) from this reversal's date on."""

    entry_kind: SkipJsonSchema[EntryKind] = Field(exclude=True)
    reverses: Id
    note: LongText | None = None


LOADER_KEYS = frozenset({"id", "source", "entry_kind"})
"""Fields the loader sets from the file's name and place; a file may not write them."""
