"""Tokenizer for Arabic news text.

One compiled ``regex`` pattern, tried left to right at each position:

==========  ========================================================================
``url``     ``https://…``, ``www.…``
``email``   ``name@host.tld``
``hashtag`` ``#وسم`` / ``#tag`` (also underscores), ``mention`` ``@user``
``num``     numbers with separators: ``1,000.5``, ``٣٫٥``, ``2018/5/3``, ``19-20``
``word``    letters with their combining marks, tatweel and joiners (Arabic, Latin, any script);
            an apostrophe or hyphen inside a Latin word is kept
``punct``   punctuation, runs of the same mark (``..``, ``--``, ``!!``) as one token;
            every quotation mark (" « » “ ” ‘ ’ „ ‹ › ') is a token of its own (label ``quote``)
``sym``     any other visible character
==========  ========================================================================

Whitespace and standalone format characters (zero-width, bidi controls) separate tokens; every other character
belongs to exactly one token.  Offsets are code points into the text given.
"""
from __future__ import annotations

import regex

from ..document import Span

QUOTE_MARKS = "\"«»“”‘’„‟‹›'`"

_PATTERN = regex.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>"«»“”]+[^\s<>"«»“”.,;:!?،؛؟)\]])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<hashtag>\#[\p{L}\p{M}\p{N}_\u0640]+)
  | (?P<mention>@[\p{L}\p{N}_]+)
  | (?P<num>\p{Nd}+(?:[.,٫٬/:-]\p{Nd}+)*(?:%|٪)?)
  | (?P<word>[\p{L}\p{M}](?:[\p{L}\p{M}\p{Nd}\u0640\u200c\u200d]|['’\-](?=\p{Latin}))*)
  | (?P<quote>["«»“”‘’„‟‹›'`])
  | (?P<punct>(?P<p>[.!?؟،؛,;:\-–—_…*/\\|~=+])(?P=p)*|[()\[\]{}<>])
  | (?P<sym>[^\s\p{Cf}])
    """,
    regex.VERBOSE,
)

KINDS = ("url", "email", "hashtag", "mention", "num", "word", "quote", "punct", "sym")


def iter_tokens(text: str, offset: int = 0):
    """Yield ``(start, end, kind)`` for every token of ``text``."""
    for m in _PATTERN.finditer(text):
        yield m.start() + offset, m.end() + offset, m.lastgroup if m.lastgroup != "p" else "punct"


def tokenize(text: str) -> tuple[Span, ...]:
    """Spans labelled with the token kind (``word``, ``num``, ``punct``, ``quote``, ``url`` …)."""
    out = []
    append = out.append
    for m in _PATTERN.finditer(text):
        kind = m.lastgroup
        if kind == "p":
            kind = "punct"
        append(Span(m.start(), m.end(), kind))
    return tuple(out)


def words(text: str) -> list[str]:
    """The token strings alone (a convenience for quick scripts and baselines)."""
    return [m.group() for m in _PATTERN.finditer(text)]
