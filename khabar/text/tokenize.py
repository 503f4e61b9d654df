"""Tokenizer for Arabic news text.

Token kinds (the ``label`` of each token Span):

==========  ========================================================================
``url``     ``https://…``, ``www.…``
``email``   ``name@host.tld``
``hashtag`` ``#وسم`` / ``#tag`` (also underscores), ``mention`` ``@user``
``num``     numbers with separators: ``1,000.5``, ``٣٫٥``, ``2018/5/3``, ``19-20``, ``50%``
``word``    letters with their combining marks, tatweel and joiners (Arabic, Latin, any script);
            an apostrophe or hyphen between Latin letters is kept (``Jean-Marc``, ``O'Neill``)
``quote``   every quotation mark (" « » “ ” ‘ ’ „ ‟ ‹ › ' `), one token each
``punct``   punctuation; a run of the same mark (``..``, ``--``, ``!!``) is one token
``sym``     any other visible character
==========  ========================================================================

Whitespace and standalone format characters (zero-width, bidi controls) separate tokens; every other character
belongs to exactly one token.  Offsets are code points into the text given.

Speed: the text is cut by one ``regex.split`` (C), offsets come from a numpy cumulative sum of the part lengths,
and the kind of a token is worked out only when someone asks for it.  URLs, e-mails, hashtags and mentions are
looked for in a first pass only when the text contains ``://``, ``www.``, ``@`` or ``#``.
"""
from __future__ import annotations

from typing import Iterator, Mapping, Sequence

from itertools import accumulate

import regex

from ..document import Span

QUOTE_MARKS = "\"«»“”‘’„‟‹›'`"
_PUNCT_CHARS = ".!?؟،؛,;:-–—_…*/\\|~=+()[]{}<>"

_PUNCT = "|".join(regex.escape(c) + "+" for c in ".!?؟،؛,;:-–—_…*/\\|~=+")
_CORE = regex.compile(
    r"([\p{L}\p{M}][\p{L}\p{M}\p{Nd}\u0640\u200c\u200d]*(?:['’\-](?=\p{Latin})[\p{L}\p{M}\p{Nd}]+)*"
    r"|\p{Nd}+(?:[.,٫٬/:-]\p{Nd}+)*(?:%|٪)?"
    r"|" + _PUNCT + r"|[^\s\p{Cf}])"
)
_URL_HASH = regex.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?،؛؟)\]'])"
    r"|(?P<hashtag>(?<![\p{L}\p{N}_])\#[\p{L}\p{M}\p{N}_\u0640]+)"
)
_AT = regex.compile(r"@[\w-]+(?:\.[\w-]+)*")
_EMAIL_LOCAL = regex.compile(r"[\w.+-]+$")
_HAS_SPECIAL = regex.compile(r"://|www\.|@|#")


def _specials(text: str) -> list[tuple[int, int, str]]:
    """URLs, hashtags, e-mails and mentions: (start, end, kind), sorted, not overlapping."""
    found = [(m.start(), m.end(), m.lastgroup) for m in _URL_HASH.finditer(text)] if (
        "://" in text or "www." in text or "#" in text) else []
    if "@" in text:
        for m in _AT.finditer(text):
            s, e = m.start(), m.end()
            local = _EMAIL_LOCAL.search(text, max(0, s - 64), s)
            if local and "." in m.group():
                found.append((local.start(), e, "email"))
            elif not local:
                m2 = regex.match(r"@[\p{L}\p{N}_]+", text[s:e])
                if m2:
                    found.append((s, s + m2.end(), "mention"))
    found.sort()
    out: list[tuple[int, int, str]] = []
    last = 0
    for s, e, k in found:
        if s >= last:
            out.append((s, e, k))
            last = e
    return out


_NUM_START = regex.compile(r"\p{Nd}")
_LETTER_START = regex.compile(r"[\p{L}\p{M}]")


def _kind(tok: str) -> str:
    c = tok[0]
    if c in QUOTE_MARKS:
        return "quote"
    if c in _PUNCT_CHARS:
        return "punct"
    if _LETTER_START.match(c):
        return "word"
    if _NUM_START.match(c):
        return "num"
    return "sym"


class SegmentMap(Mapping):
    """Token index → ``[[start, end, form], ...]`` in document offsets, built on access from the segmenter's
    per-word analysis ``((rel_start, rel_end, form), ...)`` (shared by every occurrence of the word)."""

    __slots__ = ("_rel", "_starts")

    def __init__(self, rel: dict, starts: list[int]):
        self._rel = rel
        self._starts = starts

    def __getitem__(self, i: int) -> list[list]:
        an = self._rel[i]
        st = self._starts[i]
        return [[st + s, st + e, f] for s, e, f in an]

    def get(self, i, default=None):
        an = self._rel.get(i)
        if an is None:
            return default
        st = self._starts[i]
        return [[st + s, st + e, f] for s, e, f in an]

    def __contains__(self, i) -> bool:
        return i in self._rel

    def __iter__(self):
        return iter(self._rel)

    def __len__(self) -> int:
        return len(self._rel)

    def __eq__(self, other) -> bool:
        if isinstance(other, Mapping):
            return len(self) == len(other) and all(self[k] == other.get(k) for k in self)
        return NotImplemented

    __hash__ = None


class TokenLayer(Sequence):
    """The tokens of a text, stored as parallel lists; behaves as a sequence of :class:`Span`.

    ``strings[i]`` is the token text, ``starts[i]``/``ends[i]`` its offsets, ``kinds`` its labels (computed on
    first use), ``segments`` maps a token index to its clitic segments ``[[start, end, form], ...]`` (only for
    tokens of two or more segments).
    """

    __slots__ = ("strings", "starts", "ends", "_kinds", "segments", "_special")

    def __init__(self, strings, starts, ends, kinds=None, segments=None, special=None):
        self.strings = strings
        self.starts = starts
        self.ends = ends
        self._kinds = kinds
        self.segments = segments or {}
        self._special = special or {}

    @property
    def kinds(self) -> list[str]:
        if self._kinds is None:
            ks = [_kind(t) for t in self.strings]
            for i, k in self._special.items():
                ks[i] = k
            self._kinds = ks
        return self._kinds

    def __len__(self) -> int:
        return len(self.starts)

    def _span(self, i: int) -> Span:
        seg = self.segments.get(i)
        return Span(self.starts[i], self.ends[i], self.kinds[i], {"segments": seg} if seg else None)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._span(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("token index out of range")
        return self._span(i)

    def __iter__(self) -> Iterator[Span]:
        segs = self.segments
        if not segs:
            for s, e, k in zip(self.starts, self.ends, self.kinds):
                yield Span(s, e, k)
        else:
            for i, (s, e, k) in enumerate(zip(self.starts, self.ends, self.kinds)):
                yield Span(s, e, k, {"segments": segs[i]} if i in segs else None)

    def __eq__(self, other) -> bool:
        if isinstance(other, TokenLayer):
            return (self.starts == other.starts and self.ends == other.ends and self.kinds == other.kinds
                    and self.segments == other.segments)
        if isinstance(other, (tuple, list)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self):  # pragma: no cover - layers are not hashed
        return id(self)

    def __repr__(self) -> str:
        return f"<TokenLayer {len(self)} tokens>"

    def with_segments(self, segments: Mapping) -> "TokenLayer":
        """A copy with clitic segments: a mapping index → [[start, end, form], ...] (e.g. a SegmentMap)."""
        return TokenLayer(self.strings, self.starts, self.ends, self._kinds, segments, self._special)

    def index_at(self, offset: int) -> int:
        """Index of the token containing (or first starting after) ``offset``."""
        import bisect
        i = bisect.bisect_right(self.ends, offset)
        return i

    def to_json(self, text: str | None = None) -> list[dict]:
        return [sp.to_json(text) for sp in self]

    @classmethod
    def from_spans(cls, text: str, spans) -> "TokenLayer":
        spans = list(spans)
        segs = {i: sp.attrs["segments"] for i, sp in enumerate(spans) if sp.attrs and sp.attrs.get("segments")}
        return cls([text[s.start:s.end] for s in spans], [s.start for s in spans], [s.end for s in spans],
                   [s.label for s in spans], segs)


def _core_split(text: str, offset: int, strings: list, starts: list, ends: list) -> None:
    parts = _CORE.split(text)
    if len(parts) < 2:
        return
    cum = list(accumulate(map(len, parts), initial=offset))
    strings.extend(parts[1::2])
    starts.extend(cum[1:-1:2])
    ends.extend(cum[2::2])


def tokenize(text: str) -> TokenLayer:
    strings: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    special: dict[int, str] = {}
    found = _specials(text) if _HAS_SPECIAL.search(text) is not None else ()
    if not found:
        _core_split(text, 0, strings, starts, ends)
    else:
        pos = 0
        for s, e, kind in found:
            if s > pos:
                _core_split(text[pos:s], pos, strings, starts, ends)
            special[len(strings)] = kind
            strings.append(text[s:e])
            starts.append(s)
            ends.append(e)
            pos = e
        if pos < len(text):
            _core_split(text[pos:], pos, strings, starts, ends)
    return TokenLayer(strings, starts, ends, None, None, special)


def iter_tokens(text: str):
    """Yield ``(start, end, kind)`` for every token of ``text``."""
    layer = tokenize(text)
    yield from zip(layer.starts, layer.ends, layer.kinds)


def words(text: str) -> list[str]:
    """The token strings alone (a convenience for quick scripts and baselines)."""
    return tokenize(text).strings
