"""The report's two forms: declare a contribution (declare.html), and confirm, as a steward
of its common, that one was received (receipt.html).

Static and offline like the rest of the report. The page holds the ledger's choices and
the words `cofi check` uses; declare.js checks each field as `cofi check` would check that
one file, writes the file as `cofi new` would, and opens the forge's "new file" page with
its name and content filled in (docs/declare.md gives each forge's link and its source).
Without JavaScript the page still shows where the file goes and a file to copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic_core import PydanticCustomError

from cofi import fmt
from cofi.chars import FORMAT
from cofi.checks.entries import FUTURE, FUTURE_HINT
from cofi.checks.receipts import EARLY, EARLY_HINT
from cofi.html.markup import Site, esc, page, ticks
from cofi.i18n import N_, _, language
from cofi.kinds import BY_NAME, CONTRIBUTION_KINDS, PAYERS
from cofi.ledger import Ledger
from cofi.loader import BY_ERROR
from cofi.model import (
    FIRST_YEAR,
    LAST_YEAR,
    MONEY_DIGITS,
    TEMPLATE,
    Bare,
    Contribution,
    Forge,
    parse_date,
    parse_money,
    parse_text,
)
from cofi.newrecord import left_to_pay, render, stem_of
from cofi.obligations import Obligation
from cofi.yamlsrc import INVISIBLE, INVISIBLE_HINT, RAW_INVISIBLE

TEXT = {
    "declare": N_("Declare a contribution"),
    "declare_lead": N_(
        "Gave money or work to a common? This form prepares the file that records it, "
        "checked as `cofi check` will check it, then opens the new-file page of the "
        "ledger's repository on {forge} with the file filled in: propose it there (a pull "
        "request); the ledger's coordinators review it and the check runs on it."
    ),
    "declare_lead_no_forge": N_(
        "Gave money or work to a common? This form prepares the file that records it, "
        "checked as `cofi check` will check it. Copy or download it, and add it to the "
        "ledger's repository by a pull request; the coordinators review it."
    ),
    "receipt": N_("Confirm a contribution received"),
    "receipt_lead": N_(
        "For a common's stewards: a programme that requires receipts matches a contribution "
        "only once a steward of its common confirms it was received. Choose the "
        "contribution, the day you confirm it, and propose the file."
    ),
    "receipt_none": N_("No contribution awaits a receipt as of {date}."),
    "receipt_who": N_("To be confirmed by a steward of {common}: {stewards}."),
    "receipt_link": N_("Confirm that it was received"),
    "date": N_("Date"),
    "date_help": N_("The day the money was paid or the work given."),
    "receipt_date_help": N_("The day you confirm it was received, on or after its date."),
    "contributor": N_("Contributor"),
    "contributor_help": N_("Who gave: your tiers-lieu, network or organisation."),
    "common": N_("Common"),
    "need": N_("Need"),
    "need_help": N_("Optional: the need of the common it funds."),
    "amount": N_("Amount"),
    "amount_help": N_("In {currency}, like 1200 or 1200.50."),
    "amount_help_fr": N_("In {currency}, like 1200 or 1200,50."),
    "kind": N_("Kind"),
    "pledge": N_("Pledge"),
    "pledge_help": N_("Optional: the promise this payment keeps, if any."),
    "reference": N_("Reference"),
    "reference_help": N_("Optional: an invoice or transfer number."),
    "note": N_("Note"),
    "note_help": N_("Optional: what it was for."),
    "contribution": N_("Contribution"),
    "prepare": N_("Prepare the file"),
    "problems": N_("The file would not pass cofi check:"),
    # TRANSLATORS: a line of the list of a form's problems: a field's label, then why.
    "said_of": N_("{field}: {problem}"),
    "required": N_("fill in this field"),
    "file": N_("The file"),
    "path": N_("Its path in the repository:"),
    "open": N_("Propose it on {forge}"),
    "open_help": N_(
        "Opens the forge's new-file page with the name and the content filled in; sign in, "
        "then choose to propose the change (a new branch and a pull request)."
    ),
    "too_long": N_(
        "This file is too long for a link: copy it or download it, then add it on the "
        "forge's new-file page under the path above."
    ),
    "copy": N_("Copy the file"),
    "copied": N_("Copied."),
    "download": N_("Download the file"),
    "by_hand": N_("By hand"),
    "by_hand_lead": N_(
        "Without this form (or without JavaScript): create a file named after its date, "
        "contributor and common in {folder}, like this one, on the forge's new-file page "
        "or in your copy of the repository."
    ),
    "by_hand_receipt": N_(
        "Without this form (or without JavaScript): create a file like this one in {folder}."
    ),
    "new_file_page": N_("The repository's new-file page on {forge}"),
    "ids": N_("Ids to write in the file"),
    "contributors": N_("Contributors"),
    "commons": N_("Commons and their needs"),
    "github": N_("GitHub"),
    "gitlab": N_("GitLab"),
    "gitea": N_("Gitea or Forgejo"),
}

MAX_URL = 2000
"""Past about this many characters, a link may be refused (HTTP 414) or cut by a browser,
a proxy or the forge: the form offers copy and download instead."""


class _Keep(dict[str, Any]):
    """Fills what it knows of a template and leaves the other `{fields}` for the script."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_SCRIPT_FILLS = ("value", "position", "code")


def _words_of(call: Callable[[], object]) -> str:
    """The message a model validator gives for a bad value, in the language of the moment,
    with what the script knows (the value, a character's position and code) left as
    fields: the form says what `cofi check` says, from the same template."""
    try:
        call()
    except PydanticCustomError as e:
        ctx = dict(e.context or {})
        template = str(ctx.pop(TEMPLATE))
        known = {k: v for k, v in ctx.items() if k not in _SCRIPT_FILLS}
        return _(template).format_map(_Keep(known))
    raise AssertionError("the validator accepted a value chosen to be refused")


def _hint(error: str) -> str:
    return _(BY_ERROR[error][1])


def _messages() -> dict[str, list[str]]:
    """cofi check's words for what the form refuses, as [code, message, hint]."""
    amount, day, unsafe = _hint("cofi_amount"), _hint("cofi_date"), _hint("cofi_unsafe")
    return {
        "amount_format": ["S003", _words_of(lambda: parse_money(Bare("x"))), amount],
        "amount_large": ["S003", _words_of(lambda: parse_money(Bare("9" * 13))), amount],
        "amount_zero": ["S003", _words_of(lambda: parse_money(Bare("0"))), amount],
        "date_format": ["S004", _words_of(lambda: parse_date("x")), day],
        "date_calendar": ["S004", _words_of(lambda: parse_date("2026-02-30")), day],
        "date_range": ["S004", _words_of(lambda: parse_date(f"{FIRST_YEAR - 1}-01-01")), day],
        "future": ["L007", _(FUTURE), _(FUTURE_HINT)],
        "early": ["L014", _(EARLY), _(EARLY_HINT)],
        "line": ["S013", _words_of(lambda: parse_text("a\tb")), unsafe],
        "bidi": ["S013", _words_of(lambda: parse_text("a\u202eb")), unsafe],
        "format": ["S013", _words_of(lambda: parse_text("a\u200bb")), unsafe],
        "control": ["S013", _words_of(lambda: parse_text("a\x1bb", multiline=True)), unsafe],
        "surrogate": ["S013", _words_of(lambda: parse_text("a\ud800b")), unsafe],
        "invisible": ["Y004", _(INVISIBLE), _(INVISIBLE_HINT)],
    }


def _js_class(chars: str) -> str:
    """A regular-expression class body as JavaScript reads it with the `u` flag."""
    return "".join("-" if ch == "-" else f"\\u{{{ord(ch):x}}}" for ch in chars)


def new_file_link(forge: Forge, directory: str) -> str:
    """The forge's page to create a file in `directory` (a path in the repository), without
    a name or content: what the page offers when its script does not run."""
    return _link(forge, directory, "", "")


def _link(forge: Forge, directory: str, name: str, content: str) -> str:
    where = "/".join(
        quote(part, safe="") for part in [*forge.branch.split("/"), *directory.split("/")]
    )
    new, name_key, content_key = {
        "github": ("new", "filename", "value"),
        "gitlab": ("-/new", "file_name", "content"),
        "gitea": ("_new", "filename", "value"),
    }[forge.software]
    link = f"{forge.repository}/{new}/{where}"
    if name or content:
        link += f"?{name_key}={quote(name, safe='')}&{content_key}={quote(content, safe='')}"
    return link


def _in_repository(forge: Forge | None, path: str) -> str:
    return f"{forge.folder}/{path}" if forge and forge.folder else path


_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
"""What Python's str.strip() takes away (none is above U+3000): not quite JavaScript's
trim(), which keeps U+001C-U+001F and U+0085 and takes U+FEFF."""


def _data(ledger: Ledger, kind: str, **extra: Any) -> str:
    """What declare.js needs, as JSON safe inside a <script> element."""
    home = BY_NAME[kind]
    forge = ledger.settings.forge
    data = {
        "kind": kind,
        "folder": home.folder,
        "fields": list(home.fields),
        "stem": home.stem,
        "forge": None
        if forge is None
        else {
            "software": forge.software,
            "repository": forge.repository,
            "branch": forge.branch,
            "folder": forge.folder or "",
        },
        "maxUrl": MAX_URL,
        "comma": language() == "fr",
        "digits": MONEY_DIGITS,
        "firstYear": FIRST_YEAR,
        "lastYear": LAST_YEAR,
        "months": _months(),
        "unsafe": _js_class("\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + FORMAT),
        "surrogates": _js_class("\ud800-\udfff"),
        "raw": _js_class(RAW_INVISIBLE),
        # cofi new strips what it asks for, as typed at its prompt (str.strip's spaces).
        "stripped": [q.field for q in home.questions if q.asked],
        "spaces": _js_class(_SPACES),
        "bidi": _js_class("\u202a-\u202e\u2066-\u2069"),
        "formatChars": _js_class(FORMAT),
        "messages": _messages(),
        "text": {k: _(TEXT[k]) for k in ("required", "said_of", "copied")},
        **extra,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _months() -> list[str] | None:
    """French dates are written `14 mars 2026` (fmt.day); English ones stay ISO."""
    if language() != "fr":
        return None
    return [fmt.day(date(2026, m, 2)).split(" ")[1] for m in range(1, 13)]


def _field(
    name: str,
    label: str,
    control: str,
    help_: str = "",
    *,
    required: bool = False,
    said_by_script: bool = False,
) -> str:
    """A labelled control, its help and the place of its error, tied by aria-describedby;
    `said_by_script`, its help is written by declare.js (what is chosen)."""
    said = f'<p class="help" id="f-{name}-help">{esc(help_)}</p>' if help_ or said_by_script else ""
    mark = ' <span class="required" aria-hidden="true">*</span>' if required else ""
    return (
        f'<div class="field" data-field="{name}">'
        f'<label for="f-{name}">{esc(label)}{mark}</label>{said}{control}'
        # Always there, empty when the field is fine: a live region that appears with its
        # text is often not read out; one whose text changes is.
        f'<p class="error" id="f-{name}-error" aria-live="polite"></p></div>\n'
    )


def _form(kind: str, fields: str) -> str:
    """The form around its fields: hidden until declare.js runs, since it cannot work
    without it (the page's "by hand" section can)."""
    return (
        f'<form id="entry-form" class="entry-form" data-kind="{kind}" novalidate hidden>\n'
        + _problems()
        + fields
        + f'<p><button type="submit">{esc(_(TEXT["prepare"]))}</button></p>\n</form>\n'
    )


def _date(help_: str) -> str:
    control = f'<input type="date" {_described("date", True)} required>'
    return _field("date", _(TEXT["date"]), control, _(TEXT[help_]), required=True)


def _note(help_: str = "") -> str:
    control = f'<textarea rows="3" {_described("note", bool(help_))}></textarea>'
    return _field("note", _(TEXT["note"]), control, _(TEXT[help_]) if help_ else "")


def _described(name: str, help_: bool) -> str:
    ids = f"f-{name}-help f-{name}-error" if help_ else f"f-{name}-error"
    return f'id="f-{name}" name="{name}" aria-describedby="{ids}"'


def _select(
    name: str,
    choices: Sequence[tuple[str, str]],
    extra: Sequence[Mapping[str, str]] = (),
    *,
    helped: bool,
    required: bool = False,
) -> str:
    """A <select> of `choices` (value, shown), `extra` the data attributes of each option,
    described by its help (`helped`) and its error."""
    attrs = _described(name, helped) + (" required" if required else "")
    return f"<select {attrs}>" + _options(choices, extra) + "</select>"


NONE = ("", "—")
"""The first choice of a select a person has not chosen in yet."""


def _options(choices: Sequence[tuple[str, str]], extra: Sequence[Mapping[str, str]] = ()) -> str:
    out = []
    for n, (value, shown) in enumerate(choices):
        attrs = "".join(f' data-{k}="{esc(v)}"' for k, v in (extra[n] if extra else {}).items())
        out.append(f'<option value="{esc(value)}"{attrs}>{esc(shown)}</option>')
    return "".join(out)


def _result(forge: Forge | None) -> str:
    """Where the script shows the file, its path, and the ways to propose it."""
    link = (
        f'<p><a id="out-open" class="button" href="#" target="_blank" rel="noopener">'
        f"{esc(_(TEXT['open']).format(forge=_(TEXT[forge.software])))}</a></p>"
        f'<p class="help">{esc(_(TEXT["open_help"]))}</p>'
        if forge
        else ""
    )
    return (
        '<section id="out" class="form-out" hidden aria-live="polite">'
        f'<h2 id="out-title" tabindex="-1">{esc(_(TEXT["file"]))}</h2>'
        f'<p>{esc(_(TEXT["path"]))} <code id="out-path"></code></p>'
        f'<textarea id="out-text" class="file" readonly rows="10" '
        f'aria-label="{esc(_(TEXT["file"]))}"></textarea>'
        f"{link}"
        f'<p id="out-long" class="note" hidden>{esc(_(TEXT["too_long"]))}</p>'
        f'<p class="actions"><button type="button" id="out-copy">{esc(_(TEXT["copy"]))}</button> '
        f'<a id="out-download" class="button" href="#" download="">{esc(_(TEXT["download"]))}</a>'
        ' <span id="out-copied" role="status"></span></p>'
        "</section>\n"
    )


def _problems() -> str:
    return (
        '<div id="form-problems" class="problems" role="alert" tabindex="-1" hidden>'
        f"<p>{esc(_(TEXT['problems']))}</p><ul></ul></div>\n"
    )


def _forge_name(forge: Forge | None) -> str:
    return _(TEXT[forge.software]) if forge else ""


def _by_hand(forge: Forge | None, folder: str, lead: str, example: tuple[str, str]) -> str:
    path, content = example
    link = ""
    if forge:
        where = _in_repository(forge, path.rsplit("/", 1)[0])
        href = new_file_link(forge, where)
        label = _(TEXT["new_file_page"]).format(forge=_forge_name(forge))
        link = f'<p><a href="{esc(href)}" rel="noopener">{esc(label)}</a></p>'
    return (
        f'<section id="by-hand"><h2>{esc(_(TEXT["by_hand"]))}</h2>'
        f"<p>{_ticked(lead.format(folder=f'`{_in_repository(forge, folder)}/`'))}</p>"
        f"<p><code>{esc(_in_repository(forge, path))}</code></p>"
        f'<pre class="file">{esc(content)}</pre>{link}</section>\n'
    )


def _ticked(sentence: str) -> str:
    return ticks(esc(sentence))


def _example(kind: str, fields: dict[str, str | None]) -> tuple[str, str]:
    """A file of `kind` as `cofi new` would write it, and its path from the ledger root."""
    home = BY_NAME[kind]
    year = (fields.get("date") or "")[:4]
    folder = f"{home.folder}/{year}" if home.by_year else home.folder
    return f"{folder}/{stem_of(kind, fields)}.yaml", render(kind, fields, folder.count("/") + 1)


def _pledge(o: Obligation) -> str:
    # TRANSLATORS: a pledge in a form's list: its id, then what is left to pay of it.
    return _("{pledge}: {left}").format(pledge=o.id, left=left_to_pay(o))


def declare_page(site: Site, ledger: Ledger, obligations: Sequence[Obligation]) -> str:
    """declare.html: the form, its result, and the same by hand."""
    forge = ledger.settings.forge
    payers = sorted(
        (c for c in ledger.contributors if c.kind in PAYERS), key=lambda c: c.name.casefold()
    )
    commons = sorted(ledger.commons, key=lambda c: c.name.casefold())
    needs = [(c.id, n) for c in commons for n in c.needs]
    pledges = [o for o in obligations if o.kind == "pledge" and o.unmet > 0]
    with fmt.amounts_in(ledger.settings.currency):
        pledge_choices = [(o.id, _pledge(o)) for o in pledges]
    amount_help = TEXT["amount_help_fr" if language() == "fr" else "amount_help"]
    form = _form(
        "contribution",
        _date("date_help")
        + _field(
            "contributor",
            _(TEXT["contributor"]),
            _select(
                "contributor",
                [NONE, *((c.id, fmt.labelled(c.name, c.id)) for c in payers)],
                helped=True,
                required=True,
            ),
            _(TEXT["contributor_help"]),
            required=True,
        )
        + _field(
            "common",
            _(TEXT["common"]),
            _select(
                "common",
                [NONE, *((c.id, fmt.labelled(c.name, c.id)) for c in commons)],
                helped=False,
                required=True,
            ),
            required=True,
        )
        + _field(
            "need",
            _(TEXT["need"]),
            _select(
                "need",
                [NONE, *((n.id, fmt.labelled(n.title, n.id)) for _c, n in needs)],
                [{}, *({"common": c} for c, _n in needs)],
                helped=True,
            ),
            _(TEXT["need_help"]),
        )
        + _field(
            "amount",
            _(TEXT["amount"]),
            f'<input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" '
            f"{_described('amount', True)} required>",
            _(amount_help).format(currency=ledger.settings.currency),
            required=True,
        )
        + _field(
            "kind",
            _(TEXT["kind"]),
            _select(
                "kind", [(value, _(words)) for value, words in CONTRIBUTION_KINDS], helped=False
            ),
        )
        + _field(
            "pledge",
            _(TEXT["pledge"]),
            _select(
                "pledge",
                [NONE, *pledge_choices],
                [{}, *({"contributor": o.debtor, "common": o.common} for o in pledges)],
                helped=True,
            ),
            _(TEXT["pledge_help"]),
        )
        + _field(
            "reference",
            _(TEXT["reference"]),
            f'<input type="text" autocomplete="off" {_described("reference", True)}>',
            _(TEXT["reference_help"]),
        )
        + _note("note_help"),
    )
    tiers_lieux = [c for c in payers if c.kind == "tiers-lieu"] or payers
    who = tiers_lieux[0].id if tiers_lieux else "la-ruche"
    what = commons[0].id if commons else "dokos"
    example = _example(
        "contribution",
        {
            "date": site.as_of.isoformat(),
            "contributor": who,
            "common": what,
            "amount": "1200.50",
            "reference": "FAC-2026-001",
        },
    )
    ids = _ids(payers, commons)
    lead = TEXT["declare_lead"] if forge else TEXT["declare_lead_no_forge"]
    body = (
        f"<h1>{esc(_(TEXT['declare']))}</h1>\n"
        f'<p class="lead">{_ticked(_(lead).format(forge=_forge_name(forge)))}</p>\n'
        + form
        + _result(forge)
        + _by_hand(forge, "ledger/contributions", _(TEXT["by_hand_lead"]), example)
        + ids
        + _script(_data(ledger, "contribution", taken=_taken(ledger)))
    )
    return page(site, title=_(TEXT["declare"]), body=body, current="declare")


TAKEN_UP_TO = 5000
"""Up to this many entries the page lists their ids, so that the form names a new file
`-2` rather than reuse an id; beyond, the list would outweigh the page, and the pull
request's `cofi check` reports a reused id (L001)."""


def _taken(ledger: Ledger) -> list[str] | None:
    """The ids of the ledger's entries, which share one space: a receipt's id, cut at 64
    characters, may be another's as much as a contribution's may."""
    ids = [e.id for e in ledger.entries()]
    return sorted(ids) if len(ids) <= TAKEN_UP_TO else None


def _ids(payers: Sequence[Any], commons: Sequence[Any]) -> str:
    who = "".join(f"<li><code>{esc(c.id)}</code> {esc(c.name)}</li>" for c in payers)
    what = "".join(
        f"<li><code>{esc(c.id)}</code> {esc(c.name)}"
        + (
            "<ul>"
            + "".join(f"<li><code>{esc(n.id)}</code> {esc(n.title)}</li>" for n in c.needs)
            + "</ul>"
            if c.needs
            else ""
        )
        + "</li>"
        for c in commons
    )
    return (
        f'<details class="ids"><summary>{esc(_(TEXT["ids"]))}</summary>'
        f"<h3>{esc(_(TEXT['contributors']))}</h3><ul>{who}</ul>"
        f"<h3>{esc(_(TEXT['commons']))}</h3><ul>{what}</ul></details>\n"
    )


def _script(data: str) -> str:
    return (
        f'<script type="application/json" id="cofi-form">{data}</script>\n'
        '<script src="declare.js" defer></script>\n'
    )


def awaiting(obligations: Sequence[Obligation]) -> list[Obligation]:
    """The contributions whose receipt a programme waits for (obligations of kind receipt)."""
    return [o for o in obligations if o.kind == "receipt"]


def receipt_page(site: Site, ledger: Ledger, obligations: Sequence[Obligation]) -> str:
    """receipt.html: a steward's confirmation that a contribution was received."""
    forge = ledger.settings.forge
    waiting = awaiting(obligations)
    choices, extra = [], []
    with fmt.amounts_in(ledger.settings.currency):
        for o in waiting:
            c = ledger.entry[o.id]
            assert isinstance(c, Contribution)
            who = ledger.contributor.get(c.contributor)
            common = ledger.common[c.common]
            stewards = ", ".join(
                fmt.labelled(s.name, s.id) if (s := ledger.contributor.get(i)) else i
                for i in common.stewards
            )
            choices.append(
                (c.id, f"{c.id} — {fmt.exact(c.amount)}, {who.name if who else c.contributor}")
            )
            extra.append(
                {
                    "date": c.date.isoformat(),
                    "who": _(TEXT["receipt_who"]).format(
                        common=fmt.labelled(common.name, common.id), stewards=stewards or "—"
                    ),
                }
            )
    if not waiting:
        form = (
            f'<p class="note">{esc(_(TEXT["receipt_none"]).format(date=fmt.day(site.as_of)))}</p>\n'
        )
    else:
        choice = _select("contribution", [NONE, *choices], [{}, *extra], helped=True, required=True)
        form = _form(
            "receipt",
            _field(
                "contribution",
                _(TEXT["contribution"]),
                choice,
                required=True,
                said_by_script=True,
            )
            + _date("receipt_date_help")
            + _note(),
        )
    first = waiting[0].id if waiting else "2026-01-15-la-ruche-dokos"
    example = _example(
        "receipt",
        {"date": site.as_of.isoformat(), "contribution": first, "note": None},
    )
    body = (
        f"<h1>{esc(_(TEXT['receipt']))}</h1>\n"
        f'<p class="lead">{esc(_(TEXT["receipt_lead"]))}</p>\n'
        + form
        + (_result(forge) if waiting else "")
        + _by_hand(forge, "ledger/receipts", _(TEXT["by_hand_receipt"]), example)
        + (_script(_data(ledger, "receipt", taken=_taken(ledger))) if waiting else "")
    )
    return page(site, title=_(TEXT["receipt"]), body=body, current="declare")


def receipt_link(contribution_id: str, depth: int) -> str:
    """From an explanation page, the receipt form with this contribution chosen."""
    href = f"{'../' * depth}receipt.html?contribution={quote(contribution_id, safe='')}"
    return f'<a href="{esc(href)}">{esc(_(TEXT["receipt_link"]))}</a>'


__all__ = ["MAX_URL", "awaiting", "declare_page", "new_file_link", "receipt_link", "receipt_page"]
