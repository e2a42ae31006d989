"""Parts of a page stored compressed in it, which report.js unpacks in the browser.

A national ledger (a hundred thousand contributions) would publish hundreds of megabytes
of plain HTML: a row per contribution and programme, a few kilobytes of sentences per
explanation. Its tables and explanations are highly repetitive, so a page of a large
report holds them deflated (zlib, what the browsers' DecompressionStream("deflate")
reads) and base64-encoded in a data block: a fifteenth of the size, in the same file, so
that it opens from disk (file://) with no server and nothing fetched.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable

from cofi.html.markup import esc, ticks
from cofi.i18n import N_, _

TEXT = {
    "noscript": N_(
        "A large ledger's report stores this part of the page compressed: it needs "
        "JavaScript to show it. `cofi match --by contribution --all`, `cofi obligations` "
        "and `cofi explain ID` print the same."
    ),
    # TRANSLATORS: shown by a browser too old to unpack a page of a large report.
    "old": N_(
        "This browser cannot unpack this page (it has no DecompressionStream): open it in "
        "a recent browser, or use `cofi explain ID`."
    ),
    # TRANSLATORS: {id} is a contribution's id, asked for in the page's address.
    "missing": N_("No contribution {id} is explained on this page."),
    "pick": N_("The contributions explained on this page"),
}
TYPE = "application/x-cofi-deflate"
"""The type of a packed data block: not JavaScript, so the browser runs none of it."""
# zlib's fastest: the national benchmark's site is 35.8 MB against 30.4 at the default
# level (6), and deflates its explanations in 38 % of the time.
LEVEL = 1


def unpack(data: str) -> str:
    """The text a data block holds (the tests read the pages with it)."""
    return zlib.decompress(base64.b64decode(data)).decode("utf-8")


def block(key: str, kind: str, deflated: bytes) -> str:
    """A data block of `kind` holding `deflated` (zlib format), and the place it goes."""
    data = base64.b64encode(deflated).decode("ascii")
    words = {k: _(v) for k, v in TEXT.items()}
    text = json.dumps(words, ensure_ascii=False)
    return (
        f'<div class="packed" id="{esc(key)}"></div>\n'
        f'<noscript><p class="note">{ticks(esc(_(TEXT["noscript"])))}</p></noscript>\n'
        f'<script type="{TYPE}" data-kind="{kind}" data-into="{esc(key)}" '
        f'data-text="{esc(text)}">\n{data}\n</script>\n'
    )


def packed_html(key: str, html: str | Iterable[str]) -> str:
    """`html` (a page's tables), or its parts one after the other, unpacked by the script
    into a <div id=key>."""
    return block(key, "html", deflated([html] if isinstance(html, str) else html))


def deflated(parts: Iterable[str]) -> bytes:
    """`parts` one after the other, deflated (zlib format) as they come: a large page's
    data are megabytes, never held whole."""
    z = zlib.compressobj(LEVEL)
    return b"".join([*(z.compress(part.encode("utf-8")) for part in parts), z.flush()])
