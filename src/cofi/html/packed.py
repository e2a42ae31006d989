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
LEVEL = 6  # zlib's default: level 9 saves under 1 % more, for about twice the time


def pack(text: str) -> str:
    """`text` deflated (zlib format) and base64-encoded: plain ASCII, safe in a <script>."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), LEVEL)).decode("ascii")


def unpack(data: str) -> str:
    """The text `pack` packed (the tests read the pages with it)."""
    return zlib.decompress(base64.b64decode(data)).decode("utf-8")


def _block(key: str, kind: str, data: str) -> str:
    words = {k: _(v) for k, v in TEXT.items()}
    text = json.dumps(words, ensure_ascii=False)
    return (
        f'<div class="packed" id="{esc(key)}"></div>\n'
        f'<noscript><p class="note">{ticks(esc(_(TEXT["noscript"])))}</p></noscript>\n'
        f'<script type="{TYPE}" data-kind="{kind}" data-into="{esc(key)}" '
        f'data-text="{esc(text)}">\n{data}\n</script>\n'
    )


def packed_html(key: str, html: str) -> str:
    """`html` (a page's tables), unpacked by the script into a <div id=key>."""
    return _block(key, "html", pack(html))


def packed_articles(key: str, articles: Iterable[tuple[str, str]]) -> str:
    """Articles by contribution id: the script shows the one the address names
    (`#c-<id>`, or `#c-<id>--programme-<p>` at that programme), else a list of them.

    A JSON object, deflated as it is written: a month's articles are tens of megabytes of
    text, never held whole."""
    z = zlib.compressobj(LEVEL)
    chunks = [z.compress(b"{")]
    for i, (ident, html) in enumerate(articles):
        item = f"{',' if i else ''}{json.dumps(ident)}:{json.dumps(html, ensure_ascii=False)}"
        chunks.append(z.compress(item.encode("utf-8")))
    chunks += [z.compress(b"}"), z.flush()]
    return _block(key, "articles", base64.b64encode(b"".join(chunks)).decode("ascii"))
