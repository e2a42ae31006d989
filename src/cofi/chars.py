"""Characters that do not show what they are: refused in the ledger's text, escaped in output.

`FORMAT` is the body of a regular-expression class holding Unicode's format characters
(general category Cf): invisible, they make two different texts look the same (a
zero-width space inside a name, a direction mark inside an id, a soft hyphen U+00AD, an
inner byte-order mark U+FEFF, the tag characters U+E0000-U+E007F). Written out rather
than computed: scanning Unicode for them would cost every run 75 ms at start. Listed
for Unicode 15 (U+13439-U+1343F became Cf in 15.0, and are refused on older Pythons
too); a test compares the list with the running Python's `unicodedata`.
"""

from __future__ import annotations

FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
