"""Charts as inline SVG, written by hand: a stacked horizontal bar and its legend.

No plotting library. Each chart is `role="img"` with an `aria-label` and a `<title>` that
say in words what the bar shows; the same figures are in a table or legend next to it,
so the chart is never the only place a figure is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cofi.html.markup import esc
from cofi.i18n import N_, _
from cofi.render import human_cell

# Every user-visible string of this module: marked here, translated where used (the
# language is chosen after the modules are imported).
TEXT = {
    # TRANSLATORS: one part of a bar chart, e.g. "Paid by funders: 1,200.00".
    "part": N_("{label}: {amount}"),
    # TRANSLATORS: what a bar chart shows, for screen readers: its title, then its parts
    # (each a "{label}: {amount}"), separated by semicolons.
    "chart": N_("{title} — {parts}"),
    # TRANSLATORS: the separator between the parts of a chart's description, after
    # "{label}: {amount}" (French: " ; ", with a no-break space before the semicolon).
    "separator": N_("; "),
    "mark": N_("the whole of {amount} ends here"),
}

WIDTH = 1000  # viewBox units; the bar stretches to its container's width


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a bar: a CSS class (its colour), an amount and what it is."""

    css: str
    amount: Decimal
    label: str


def money(value: Decimal) -> str:
    return human_cell(value, "money")


def stacked_bar(segments: Sequence[Segment], total: Decimal, title: str, height: int = 24) -> str:
    """One horizontal bar: each segment's width is its share of `total` (or of the sum of the
    segments when they exceed it, with a mark where `total` ends). Negative amounts count
    as nothing."""
    amounts = [max(s.amount, Decimal(0)) for s in segments]
    scale = max(total, sum(amounts, Decimal(0)))
    part = _(TEXT["part"])
    words = _(TEXT["separator"]).join(
        part.format(label=s.label, amount=money(s.amount)) for s in segments
    )
    label = _(TEXT["chart"]).format(title=title, parts=words)
    rects, x = [], Decimal(0)
    for s, amount in zip(segments, amounts, strict=True):
        if amount <= 0 or scale <= 0:
            continue
        width = amount / scale * WIDTH
        tip = part.format(label=s.label, amount=money(s.amount))
        rects.append(
            f'<rect class="seg {esc(s.css)}" x="{x:.2f}" y="0" width="{width:.2f}" '
            f'height="{height}"><title>{esc(tip)}</title></rect>'
        )
        x += width
    if scale > total > 0:  # over the total: mark where the total ends
        at = total / scale * WIDTH
        rects.append(
            f'<line class="mark" x1="{at:.2f}" x2="{at:.2f}" y1="0" y2="{height}">'
            f"<title>{esc(_(TEXT['mark']).format(amount=money(total)))}</title></line>"
        )
    return (
        f'<svg class="bar" viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="none" '
        f'role="img" aria-label="{esc(label)}" focusable="false">'
        f'<title>{esc(label)}</title><rect class="track" x="0" y="0" width="{WIDTH}" '
        f'height="{height}"></rect>{"".join(rects)}</svg>'
    )


def legend(segments: Sequence[Segment], total: tuple[str, Decimal] | None = None) -> str:
    """The figures of a bar in words, each with its colour swatch (hidden from screen readers,
    which read the text)."""
    items = [
        f'<li><span class="swatch {esc(s.css)}" aria-hidden="true"></span>'
        f'{esc(s.label)} <span class="num">{esc(money(s.amount))}</span></li>'
        for s in segments
    ]
    if total is not None:
        items.append(
            f'<li class="legend-total">{esc(total[0])} '
            f'<span class="num">{esc(money(total[1]))}</span></li>'
        )
    return f'<ul class="legend">{"".join(items)}</ul>'
