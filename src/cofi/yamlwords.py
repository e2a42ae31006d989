"""libyaml's words for a syntax error, in the user's language.

libyaml says what went wrong in fixed English phrases (a problem, and the
context it was reading). The phrases a record file can run into are listed
here for translation; any other passes through as libyaml wrote it. A test
holds every phrase to the text of the libyaml that PyYAML ships, so that none
is a phrase libyaml never says.
"""

from __future__ import annotations

from cofi.i18n import N_
from cofi.problems import Msg, msg

PHRASES = frozenset(
    {
        # problems
        N_("mapping values are not allowed in this context"),
        N_("block sequence entries are not allowed in this context"),
        N_("could not find expected ':'"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected comment or line break"),
        N_("did not find expected whitespace or line break"),
        N_("did not find expected hexdecimal number"),
        N_("did not find expected <document start>"),
        N_("found character that cannot start any token"),
        N_("found unexpected end of stream"),
        N_("found unexpected document indicator"),
        N_("found unknown escape character"),
        N_("found invalid Unicode character escape code"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found an indentation indicator equal to 0"),
        N_("did not find expected alphabetic or numeric character"),
        # contexts
        N_("while scanning a simple key"),
        N_("while scanning a plain scalar"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a block scalar"),
        N_("while scanning for the next token"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a block node"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow node"),
        N_("while parsing a quoted scalar"),
        N_("while parsing a node"),
        N_("while scanning an alias"),
        N_("while scanning an anchor"),
    }
)

# Said in other words: every message is a template, and a lone brace would not make one.
_REWORDED = {"did not find expected ',' or '}'": N_("did not find expected ',' or closing brace")}


def say(phrase: str) -> str | Msg:
    """`phrase`, to be put into the user's language when it is one of libyaml's known
    phrases (libyaml's own words otherwise)."""
    if phrase in _REWORDED:
        return msg(_REWORDED[phrase])
    return msg(phrase) if phrase in PHRASES else phrase


KNOWN = PHRASES | _REWORDED.keys()
"""Every phrase of libyaml's that `say` knows."""
