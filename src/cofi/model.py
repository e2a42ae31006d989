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

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from cofi.i18n import _
from cofi.problems import Source


class Bare(str):
    """The text of a YAML scalar written without quotes: a number or a word, not yet read."""

    __slots__ = ()


ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
# No leading zeros: YAML 1.1 reads `010` as octal 8, so `01200` is refused, not guessed.
_MONEY = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?\Z")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
_INTEGER = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_CURRENCY = re.compile(r"[A-Z]{3}\Z")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


def _fail(kind: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A validation error; `message` is a translated template that pydantic fills from `ctx`."""
    return PydanticCustomError(f"cofi_{kind}", message, ctx)


def _shown(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("nothing") if value is None else str(value)


def parse_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """An amount written like `1200` or `1200.50`: positive, at most 2 decimals."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif type(value) is Bare:
        text = value
    elif isinstance(value, str):
        raise _fail(
            "amount",
            _("amount '{value}' is written in quotes; write it as a plain number like 1200.50"),
            value=value,
        )
    else:
        raise _fail(
            "amount", _("expected an amount like 1200.50, found {value}"), value=_shown(value)
        )
    if not _MONEY.match(text):
        raise _fail(
            "amount",
            _(
                "'{value}' is not an amount: write digits with a dot and at most 2 decimals, "
                "like 1200 or 1200.50 (no spaces, commas, signs, exponents or leading zeros)"
            ),
            value=text,
        )
    amount = Decimal(text)
    if amount == 0 and not allow_zero:
        raise _fail("amount", _("amount must be greater than 0, found {value}"), value=text)
    return amount


def _non_negative_money(value: object) -> Decimal:
    return parse_money(value, allow_zero=True)


def _ratio(value: object) -> Decimal:
    if isinstance(value, Decimal) and value >= 0 and value.is_finite():
        return value
    if type(value) is Bare and _DECIMAL.match(value):
        return Decimal(value)
    raise _fail(
        "number",
        _("'{value}' is not a ratio: write a number of 0 or more like 1 or 0.5"),
        value=_shown(value),
    )


def _count(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if type(value) is Bare and _INTEGER.match(value):
        return int(value)
    raise _fail("number", _("'{value}' is not a whole number of days like 60"), value=_shown(value))


def parse_date(value: object) -> date:
    """An ISO date `YYYY-MM-DD` that exists in the calendar."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(
                "date", _("{value} is not a day of the calendar"), value=str(value)
            ) from None
    raise _fail(
        "date",
        _("'{value}' is not a date: write it as YYYY-MM-DD, like 2026-03-14"),
        value=_shown(value),
    )


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if type(value) is Bare and value in _TRUE:
        return True
    if type(value) is Bare and value in _FALSE:
        return False
    raise _fail("boolean", _("'{value}' is not true or false"), value=_shown(value))


def _text(value: object) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise _fail("empty", _("this text is empty"))
        return str(value)
    raise _fail("text", _("expected text, found {value}"), value=_shown(value))


def _id(value: object) -> str:
    if isinstance(value, str) and _ID.match(value):
        # The same few hundred ids recur across 100,000 records: keep one copy of each.
        return sys.intern(str(value))
    raise _fail(
        "id",
        _(
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
        _("expected `all` or a list of common ids like [dokos, movilab], found {value}"),
        value=_shown(value),
    )


def _currency(value: object) -> str:
    if isinstance(value, str) and _CURRENCY.match(value):
        return str(value)
    raise _fail("currency", _("'{value}' is not a currency code like EUR"), value=_shown(value))


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
    text = value if isinstance(value, str) else _shown(value)
    if not siret_is_valid(text):
        raise _fail(
            "siret",
            _(
                "'{value}' is not a valid SIRET: it must be 14 digits and pass the Luhn check; "
                "copy it from the INSEE directory (annuaire-entreprises.data.gouv.fr)"
            ),
            value=text,
        )
    return str(text)


# No `multipleOf: 0.01`: validators test it in binary floating point, where
# 1200.5 is not a multiple of 0.01. cofi itself checks the written decimals.
_MONEY_SCHEMA = {
    "type": "number",
    "exclusiveMinimum": 0,
    "description": "an amount like 1200 or 1200.50: at most 2 decimals, no quotes",
}
Money = Annotated[Decimal, PlainValidator(parse_money), WithJsonSchema(_MONEY_SCHEMA)]
NonNegativeMoney = Annotated[
    Decimal,
    PlainValidator(_non_negative_money),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
Ratio = Annotated[Decimal, PlainValidator(_ratio), WithJsonSchema({"type": "number", "minimum": 0})]
Days = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0})]
Day = Annotated[
    date, PlainValidator(parse_date), WithJsonSchema({"type": "string", "format": "date"})
]
Flag = Annotated[bool, PlainValidator(_boolean), WithJsonSchema({"type": "boolean"})]
# Numbers and booleans are text too (`reference: 2026031`): cofi keeps what was written.
Text = Annotated[
    str,
    PlainValidator(_text),
    WithJsonSchema({"type": ["string", "number", "boolean"], "minLength": 1}),
]
Id = Annotated[str, PlainValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Currency = Annotated[
    str, PlainValidator(_currency), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})
]
Siret = Annotated[
    str, PlainValidator(_siret), WithJsonSchema({"type": "string", "pattern": "^[0-9]{14}$"})
]

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
Allocation = Literal["pro-rata", "first-come"]
EntryKind = Literal["contribution", "pledge", "disbursement"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Record(_Value):
    """A record read from one file: its id is the file name, its source the file."""

    id: SkipJsonSchema[str] = Field(exclude=True)
    source: SkipJsonSchema[Source] = Field(exclude=True, repr=False)


class Settings(_Value):
    name: Text | None = None
    currency: Currency = "EUR"
    coordinators: list[Text] = []


class Contributor(Record):
    name: Text
    kind: ContributorKind
    siret: Siret | None = None
    region: Text | None = None
    identities: list[Text] = []


class Need(_Value):
    id: Id
    title: Text
    amount: Money
    due: Day | None = None


class Common(Record):
    name: Text
    description: Text | None = None
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


class Entry(Record):
    """Contributions, pledges, disbursements and reversals: dated, and one id space."""

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
    note: Text | None = None


class Pledge(Entry):
    contributor: Id
    common: Id
    amount: Money
    due: Day
    currency: Currency | None = None
    reference: Text | None = None
    note: Text | None = None


class Disbursement(Entry):
    programme: Id
    common: Id
    amount: Money
    currency: Currency | None = None
    reference: Text | None = None
    note: Text | None = None


class Reversal(Entry):
    """Cancels entry `reverses` (of its own kind) from this reversal's date on."""

    entry_kind: SkipJsonSchema[EntryKind] = Field(exclude=True)
    reverses: Id
    note: Text | None = None


LOADER_KEYS = frozenset({"id", "source", "entry_kind"})
"""Fields the loader sets from the file's name and place; a file may not write them."""
