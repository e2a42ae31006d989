"""`cofi new contribution|pledge|disbursement|receipt|reversal`: a valid entry at its usual
path.

Flags give the fields; on a terminal, what is missing is asked for, with the
choices taken from the ledger. Nothing is written unless `cofi check` would
accept the new file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cofi.cli.options import Root, fail, reason, resolve_root
from cofi.cli.typerwords import Command, Group
from cofi.i18n import N_, _

if TYPE_CHECKING:
    from cofi.ledger import Ledger

app = typer.Typer(
    help=_(
        "Write a new entry, correctly named and checked, ready to commit.\n\n"
        "Example: cofi new contribution --contributor la-ruche --common dokos --amount 1200"
    ),
    no_args_is_help=True,
    cls=Group,
)

Date = Annotated[
    str | None,
    typer.Option(
        "--date", help=_("YYYY-MM-DD (default: today)."), show_default=False, metavar="YYYY-MM-DD"
    ),
]
Contributor = Annotated[
    str | None,
    typer.Option("--contributor", help=_("Contributor id."), show_default=False, metavar=_("ID")),
]
Common = Annotated[
    str | None,
    typer.Option("--common", help=_("Common id."), show_default=False, metavar=_("ID")),
]
Amount = Annotated[
    str | None,
    typer.Option(
        "--amount", help=_("Like 1200 or 1200.50."), show_default=False, metavar=_("AMOUNT")
    ),
]
Reference = Annotated[
    str | None,
    typer.Option(
        "--reference",
        help=_("Invoice or transfer reference."),
        show_default=False,
        metavar=_("TEXT"),
    ),
]
Note = Annotated[
    str | None,
    typer.Option("--note", help=_("Free text."), show_default=False, metavar=_("TEXT")),
]


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(
    label: str,
    value: str | None,
    choices: Sequence[tuple[str, str]] = (),
    default: str | None = None,
    required: bool = True,
    valid: Callable[[str], object] | None = None,
) -> str | None:
    """`value` if given; else, on a terminal, ask (offering `choices` by number or id), and
    ask again while `valid` refuses the answer (raising ValueError with the reason): a
    typo is best fixed where it is typed, not after every other question."""
    if value is not None:
        return value.strip()  # as an answer typed at the prompt: ` 12 ` is 12
    if not _interactive():
        if required and default is None:
            text = _("missing --{option} (or run cofi new on a terminal to be asked)")
            raise fail(text.format(option=label))
        return default
    ids = [c[0] for c in choices]
    if choices:
        typer.echo(f"{label}:")
        for i, (cid, name) in enumerate(choices, 1):
            typer.echo(f"  {i:>3}. {cid}  {name}")
    while True:
        answer = str(
            typer.prompt(
                label,
                default=default or ("" if not required else None),
                show_default=bool(default),
            )
        ).strip()
        if not answer and not required:
            return None
        if answer.isdigit() and choices and 1 <= int(answer) <= len(choices):
            return ids[int(answer) - 1]
        if choices and answer not in ids:
            text = _("'{answer}' is not one of the choices; type its number or its id.")
            typer.echo(text.format(answer=answer))
            continue
        refused = _refusal(valid, answer)
        if refused is None:
            return answer
        typer.echo(refused)


def _refusal(valid: Callable[[str], object] | None, answer: str) -> str | None:
    """Why `valid` refuses `answer`, or None."""
    from pydantic import ValidationError

    try:
        if valid is not None:
            valid(answer)
        return None
    except ValidationError as e:  # from a TypeAdapter: its first error says it all
        first = e.errors()[0]
        return _said(first.get("ctx"), str(first["msg"]))
    except ValueError as e:  # PydanticCustomError is one
        return _said(getattr(e, "context", None), str(e))


def _said(context: dict[str, object] | None, fallback: str) -> str:
    """A refusal of cofi's model in the user's language (its context keeps the message as
    written in the code); `fallback` for any other."""
    from cofi.model import TEMPLATE
    from cofi.problems import msg

    if not context or not isinstance(template := context.get(TEMPLATE), str):
        return fallback
    return str(msg(template, **{k: v for k, v in context.items() if k != TEMPLATE}))


def _amount(answer: str) -> object:
    from cofi.model import Bare, parse_money

    return parse_money(Bare(answer))  # typed as it would be written in the file: unquoted


def _day(answer: str) -> object:
    from cofi.model import parse_date

    return parse_date(answer)


def _line(answer: str) -> object:
    """A reference: text on one line, without control or invisible characters."""
    from pydantic import TypeAdapter

    from cofi.model import Text

    return TypeAdapter(Text).validate_python(answer)


def _lines(answer: str) -> object:
    """A note: like a reference, but it may hold tabs."""
    from pydantic import TypeAdapter

    from cofi.model import LongText

    return TypeAdapter(LongText).validate_python(answer)


def _write(root: Path, kind: str, fields: dict[str, str | None], stem: str, of: str = "") -> None:
    """Write an entry of `kind` (or a reversal of an entry of kind `of`) where that kind
    lives, under the year of its date where that kind is filed by year."""
    from cofi import render
    from cofi.kinds import BY_NAME
    from cofi.newrecord import draft, problems_with

    home = BY_NAME[of or kind]
    year = (fields.get("date") or "")[:4] or None if home.by_year else None
    new = draft(root, kind, home.folder, fields, stem, year)
    problems = problems_with(root, new, date.today())
    if problems:
        typer.echo(render.problems_text(problems), err=True, nl=False)
        text = _("cofi: nothing written: {path} would not pass cofi check.")
        typer.echo(text.format(path=new.path), err=True)
        raise typer.Exit(1)
    target = root / new.path
    created = False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite an entry
            created = True
            f.write(new.text)
    except OSError as e:
        if created:  # half an entry would fail every check after it
            target.unlink(missing_ok=True)
        text = _("nothing written: cannot write {path}: {error}")
        raise fail(text.format(path=new.path, error=reason(e))) from None
    typer.echo(_("wrote {path}").format(path=new.path))
    typer.echo(_("next: commit this file and open a pull request; CI runs cofi check on it."))


def _ledger(root: Path) -> Ledger:
    from cofi.loader import load

    return load(root).ledger


def _contributors(ledger: Ledger, kinds: Sequence[str] = ()) -> list[tuple[str, str]]:
    return [(c.id, c.name) for c in ledger.contributors if not kinds or c.kind in kinds]


CONTRIBUTION_HELP = N_(
    """Money or in-kind given to a common.

Example: cofi new contribution --contributor la-ruche --common dokos --amount 1200.50"""
)


@app.command("contribution", help=_(CONTRIBUTION_HELP), cls=Command)
def contribution(
    root: Root = None,
    when: Date = None,
    contributor: Contributor = None,
    common: Common = None,
    need: Annotated[
        str | None,
        typer.Option(
            "--need", help=_("A need id of the common."), show_default=False, metavar=_("ID")
        ),
    ] = None,
    amount: Amount = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help=_("money or in-kind."), show_default=False, metavar="money|in-kind"
        ),
    ] = None,
    pledge: Annotated[
        str | None,
        typer.Option(
            "--pledge", help=_("The pledge this honours."), show_default=False, metavar=_("ID")
        ),
    ] = None,
    reference: Reference = None,
    note: Note = None,
) -> None:
    where = resolve_root(root)
    ledger = _ledger(where)
    day = _ask("date", when, default=date.today().isoformat(), valid=_day)
    who = _ask(
        "contributor",
        contributor,
        _contributors(ledger, ("tiers-lieu", "network", "private", "individual")),
    )
    what = _ask("common", common, [(c.id, c.name) for c in ledger.commons])
    target = ledger.common.get(what or "")
    needs = [(n.id, n.title) for n in target.needs] if target else []
    if needs:
        need = _ask("need", need, needs, required=False)
    fields = {
        "date": day,
        "contributor": who,
        "common": what,
        "need": need,
        "amount": _ask("amount", amount, valid=_amount),
        "kind": kind,
        "pledge": pledge,
        "reference": _ask("reference", reference, required=False, valid=_line),
        "note": note,
    }
    _write(where, "contribution", fields, _stem(day, who, what))


PLEDGE_HELP = N_(
    """A promise to contribute to a common by a date.

Example: cofi new pledge --contributor la-ruche --common dokos --amount 3000 --due 2026-09-30"""
)


@app.command("pledge", help=_(PLEDGE_HELP), cls=Command)
def pledge(
    root: Root = None,
    when: Date = None,
    contributor: Contributor = None,
    common: Common = None,
    amount: Amount = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due",
            help=_("YYYY-MM-DD: paid in full by then."),
            show_default=False,
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    reference: Reference = None,
    note: Note = None,
) -> None:
    from cofi.newrecord import slug

    where = resolve_root(root)
    ledger = _ledger(where)
    day = _ask("date", when, default=date.today().isoformat(), valid=_day)
    who = _ask("contributor", contributor, _contributors(ledger))
    what = _ask("common", common, [(c.id, c.name) for c in ledger.commons])
    fields = {
        "date": day,
        "contributor": who,
        "common": what,
        "amount": _ask("amount", amount, valid=_amount),
        "due": _ask("due", due, valid=_day),
        "reference": reference,
        "note": note,
    }
    _write(where, "pledge", fields, slug(who or "", what or "", (day or "")[:4]))


DISBURSEMENT_HELP = N_(
    """A public funder paying a common its matched share under a programme.

Example: cofi new disbursement --programme pilote-2026 --common dokos --amount 12000"""
)


@app.command("disbursement", help=_(DISBURSEMENT_HELP), cls=Command)
def disbursement(
    root: Root = None,
    when: Date = None,
    programme: Annotated[
        str | None,
        typer.Option("--programme", help=_("Programme id."), show_default=False, metavar=_("ID")),
    ] = None,
    common: Common = None,
    amount: Amount = None,
    reference: Reference = None,
    note: Note = None,
) -> None:
    where = resolve_root(root)
    ledger = _ledger(where)
    day = _ask("date", when, default=date.today().isoformat(), valid=_day)
    prog = _ask("programme", programme, [(p.id, p.name) for p in ledger.programmes])
    what = _ask("common", common, [(c.id, c.name) for c in ledger.commons])
    fields = {
        "date": day,
        "programme": prog,
        "common": what,
        "amount": _ask("amount", amount, valid=_amount),
        "reference": _ask("reference", reference, required=False, valid=_line),
        "note": note,
    }
    _write(where, "disbursement", fields, _stem(day, prog, what))


REVERSAL_HELP = N_(
    """Cancel an entry from a date on (entries are never edited or deleted).

Example: cofi new reversal 2026-03-14-la-ruche-dokos --note \"wrong amount\""""
)


@app.command("reversal", help=_(REVERSAL_HELP), cls=Command)
def reversal(
    entry: Annotated[str, typer.Argument(help=_("The id of the entry to cancel."))],
    root: Root = None,
    when: Date = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", help=_("Why it is cancelled."), show_default=False, metavar=_("TEXT")
        ),
    ] = None,
) -> None:
    from cofi.kinds import KIND_OF
    from cofi.newrecord import slug

    where = resolve_root(root)
    target = _ledger(where).entry.get(entry)
    kind = KIND_OF[type(target)] if target is not None else "reversal"
    if kind == "reversal":
        text = _("no contribution, pledge, disbursement or receipt '{entry}' in this ledger")
        raise fail(text.format(entry=entry))
    day = _ask("date", when, default=date.today().isoformat(), valid=_day)
    fields = {
        "date": day,
        "reverses": entry,
        "note": _ask("note", note, required=False, valid=_lines),
    }
    _write(where, "reversal", fields, slug(day or "", "reverses", entry), of=kind)


RECEIPT_HELP = N_(
    """Confirm, as a steward of its common, that a contribution was received.

A programme with requires_receipt: true matches a contribution only once it is
confirmed. The pull request must come from an identity of one of the common's
stewards (or a coordinator).

Example: cofi new receipt 2026-01-15-fabrique-du-coin-dokos --note "virement reçu le 18 mars\""""
)


@app.command("receipt", help=_(RECEIPT_HELP), cls=Command)
def receipt(
    contribution: Annotated[
        str, typer.Argument(help=_("The id of the contribution received."), metavar=_("ID"))
    ],
    root: Root = None,
    when: Date = None,
    note: Note = None,
) -> None:
    from cofi.checks.receipts import NOT_A_CONTRIBUTION
    from cofi.kinds import KIND_OF

    where = resolve_root(root)
    target = _ledger(where).entry.get(contribution)
    if target is None:
        text = _("no contribution '{entry}' in this ledger; a receipt confirms a contribution")
        raise fail(text.format(entry=contribution))
    if (kind := KIND_OF[type(target)]) != "contribution":
        raise fail(_(NOT_A_CONTRIBUTION[kind]).format(target=contribution))
    day = _ask("date", when, default=date.today().isoformat(), valid=_day)
    fields = {
        "date": day,
        "contribution": contribution,
        "note": _ask("note", note, required=False, valid=_lines),
    }
    _write(where, "receipt", fields, _stem(day, "receipt", contribution))


def _stem(day: str | None, *parts: str | None) -> str:
    from cofi.newrecord import slug

    return slug(day or "", *(p or "" for p in parts))
