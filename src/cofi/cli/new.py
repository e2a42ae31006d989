"""`cofi new contribution|pledge|disbursement|receipt|reversal`: a valid entry at its usual
path.

Flags give the fields; on a terminal, what is missing is asked for, with the
choices taken from the ledger. Nothing is written unless `cofi check` would
accept the new file.
"""

from __future__ import annotations

import difflib
import inspect
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cofi import i18n
from cofi.cli.options import Root, fail, open_cache, reason, resolve_root
from cofi.cli.typerwords import Command, Group
from cofi.i18n import N_, _
from cofi.kinds import CONTRIBUTION_KINDS, KINDS, PAYERS, Kind

if TYPE_CHECKING:
    from cofi.ledger import Ledger
    from cofi.loader import RecordCache

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

# Each field a kind's questions name (cofi.kinds): its flag's help and what it takes.
FLAGS: dict[str, tuple[str, str]] = {
    "date": (N_("YYYY-MM-DD (default: today)."), "YYYY-MM-DD"),
    "contributor": (N_("Contributor id."), N_("ID")),
    "common": (N_("Common id."), N_("ID")),
    "need": (N_("A need id of the common."), N_("ID")),
    "amount": (N_("Like 1200 or 1200.50."), N_("AMOUNT")),
    "kind": (N_("money or in-kind."), "money|in-kind"),
    "pledge": (N_("The pledge this honours."), N_("ID")),
    "due": (N_("YYYY-MM-DD: paid in full by then."), "YYYY-MM-DD"),
    "programme": (N_("Programme id."), N_("ID")),
    "reference": (N_("Invoice or transfer reference."), N_("TEXT")),
    "note": (N_("Free text."), N_("TEXT")),
    "contribution": (N_("The id of the contribution received."), N_("ID")),
}


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
        return _written(label, value.strip())  # as if typed at the prompt: ` 12 ` is 12
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
            chosen = _chosen(answer, choices)
            if chosen is not None:
                return chosen
            close = difflib.get_close_matches(answer.lower(), ids, n=1, cutoff=0.6)
            if close:
                text = _("'{answer}' is not one of the choices: did you mean '{close}'?")
                typer.echo(text.format(answer=answer, close=close[0]))
            else:
                text = _("'{answer}' is not one of the choices; type its number or its id.")
                typer.echo(text.format(answer=answer))
            continue
        answer = _written(label, answer)
        refused = _refusal(valid, answer)
        if refused is None:
            return answer
        typer.echo(refused)


def _chosen(answer: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """The id of the choice `answer` names regardless of case, by its id or by its name as
    the list shows it (`Dokos` for dokos); None when it names none, or more than one."""
    folded = answer.casefold()
    found = {cid for cid, name in choices if folded in (cid.casefold(), name.casefold())}
    return found.pop() if len(found) == 1 else None


_AMOUNT_WITH_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}\Z")


def _written(label: str, answer: str) -> str:
    """An answer as the file must hold it: in French, an amount may be typed with a decimal
    comma (`1200,50`), as French people write it; the file says `1200.50`."""
    if label == "amount" and i18n.language() == "fr" and _AMOUNT_WITH_COMMA.match(answer):
        return answer.replace(",", ".")
    return answer


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


def _past_day(answer: str) -> object:
    """An entry's date: a day of the calendar, and not after today (cofi check's L007)."""
    from cofi.checks.entries import FUTURE, FUTURE_HINT
    from cofi.problems import msg

    day = _day(answer)
    today = date.today()
    if isinstance(day, date) and day > today:
        said = msg(FUTURE, date=day, today=today)
        hint = msg(FUTURE_HINT)
        raise ValueError(f"{said}: {hint}")
    return day


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


def _write(
    root: Path,
    kind: str,
    fields: dict[str, str | None],
    stem: str,
    cache: RecordCache | None,
    of: str = "",
) -> None:
    """Write an entry of `kind` (or a reversal of an entry of kind `of`) where that kind
    lives, under the year of its date where that kind is filed by year."""
    from cofi import render
    from cofi.kinds import BY_NAME
    from cofi.newrecord import draft, problems_with

    home = BY_NAME[of or kind]
    year = (fields.get("date") or "")[:4] or None if home.by_year else None
    new = draft(root, kind, home.folder, fields, stem, year)
    problems = problems_with(root, new, date.today(), cache)
    if cache is not None:
        cache.save()  # what was read, for the next command
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


def _ledger(root: Path, cache: RecordCache | None) -> Ledger:
    from cofi.loader import load

    return load(root, cache).ledger


def _contributors(ledger: Ledger, kinds: Sequence[str] = ()) -> list[tuple[str, str]]:
    return [(c.id, c.name) for c in ledger.contributors if not kinds or c.kind in kinds]


def _question_flags(kind: Kind) -> list[inspect.Parameter]:
    """The parameters of `cofi new KIND`: --root, then the argument and a flag per field."""
    params = [
        inspect.Parameter("root", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Root)
    ]
    for q in kind.questions:
        says, metavar = FLAGS[q.field]
        shown = _(metavar)  # a word (ID, AMOUNT, TEXT) in the user's language; a form as it is
        if q.field == kind.argument:
            where: Any = typer.Argument(help=_(says), metavar=shown, show_default=False)
            annotation: Any = Annotated[str, where]
            params.insert(
                0, inspect.Parameter(q.field, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
            )
            continue
        option = typer.Option(f"--{q.field}", help=_(says), show_default=False, metavar=shown)
        annotation = Annotated[str | None, option]
        params.append(
            inspect.Parameter(
                q.field, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
            )
        )
    return params


def _choices(ledger: Ledger, among: str, fields: dict[str, str | None]) -> list[tuple[str, str]]:
    """What a terminal offers for a field (see cofi.kinds.Among)."""
    if among == "payers":
        return _contributors(ledger, PAYERS)
    if among == "contributors":
        return _contributors(ledger)
    if among == "commons":
        return [(c.id, c.name) for c in ledger.commons]
    if among == "programmes":
        return [(p.id, p.name) for p in ledger.programmes]
    if among == "needs":
        common = ledger.common.get(fields.get("common") or "")
        return [(n.id, n.title) for n in common.needs] if common else []
    if among == "kinds":
        return [(value, _(words)) for value, words in CONTRIBUTION_KINDS]
    if among == "pledges":
        return _open_pledges(ledger, fields.get("contributor"), fields.get("common"))
    return []


def _open_pledges(
    ledger: Ledger, contributor: str | None, common: str | None
) -> list[tuple[str, str]]:
    """The pledges of `contributor` to `common` still partly unpaid today: a payment of one
    names it, so that the pledge is seen as honoured."""
    from cofi.newrecord import left_to_pay
    from cofi.obligations import pledge_obligations

    open_ = [
        o
        for o in pledge_obligations(ledger, date.today())
        if o.debtor == contributor and o.common == common and o.unmet > 0
    ]
    return [(o.id, left_to_pay(o)) for o in open_]


_VALID: dict[str, Callable[[str], object]] = {
    "date": _past_day,
    "due": _day,
    "amount": _amount,
    "reference": _line,
    "note": _lines,
}


def _target(ledger: Ledger, kind: Kind, entry: str) -> None:
    """Refuse (exit 2) an argument that names no entry of the kind it must be."""
    from cofi.checks.receipts import NOT_A_CONTRIBUTION
    from cofi.kinds import KIND_OF

    target = ledger.entry.get(entry)
    if target is None:
        text = _("no contribution '{entry}' in this ledger; a receipt confirms a contribution")
        raise fail(text.format(entry=entry))
    if (found := KIND_OF[type(target)]) != kind.argument:
        raise fail(_(NOT_A_CONTRIBUTION[found]).format(target=entry))


def _command(kind: Kind) -> Callable[..., None]:
    """`cofi new KIND`, as the kinds table describes it: each field from its flag, else
    asked on a terminal, then the file written where that kind lives."""

    def new(**given: Any) -> None:
        from cofi.newrecord import stem_of

        where = resolve_root(given["root"])
        cache = open_cache(where, no_cache=False)
        ledger = _ledger(where, cache)
        if kind.argument:
            _target(ledger, kind, given[kind.argument])
        fields: dict[str, str | None] = {}
        for q in kind.questions:
            value = given.get(q.field)
            if not q.asked or q.field == kind.argument:
                fields[q.field] = value  # as given: a flag only, or the argument
                continue
            asking = value is None and _interactive()
            choices = _choices(ledger, q.among, fields) if asking else []
            if asking and q.among and not choices and not q.required:
                continue  # nothing to choose from (a common without needs, no open pledge)
            default = date.today().isoformat() if q.field == "date" else None
            if q.among == "kinds" and _interactive():
                default = "money"
            fields[q.field] = _ask(
                q.field, value, choices, default, q.required, _VALID.get(q.field)
            )
        del ledger  # read again with the new file: not held twice
        _write(where, kind.name, fields, stem_of(kind.name, fields), cache)

    params = _question_flags(kind)
    new.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    new.__annotations__ = {p.name: p.annotation for p in params}
    new.__name__ = kind.name
    return new


for _kind in KINDS:
    if _kind.questions:
        app.command(_kind.name, help=_(_kind.help), cls=Command)(_command(_kind))


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
    cache = open_cache(where, no_cache=False)
    target = _ledger(where, cache).entry.get(entry)
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
    _write(where, "reversal", fields, slug(day or "", "reverses", entry), cache, of=kind)
