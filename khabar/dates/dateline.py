"""The dateline: the opening ``city، country (AGENCY)--`` of a news article.

Layer value: ``{"city", "country", "agency", "start", "end"}`` (each part a substring of the text, or None when
absent; ``start``/``end`` span the whole dateline) or ``None`` when the text does not open with a dateline.

Forms recognised at the start of the text (first line):

* ``لندن، إنجلترا (CNN)--`` / ``القدس (CNN)--`` / ``دبي، الإمارات العربية المتحدة (CNN) –``: place, then the
  agency in brackets, then a dash or colon;
* ``(أ ف ب) -``: the agency alone in brackets;
* ``الرياض - واس:`` / ``خالد خليل – سبق:`` / a line ``ياسر الحربي – عين اليوم``: a place or a byline, a dash,
  then an agency or outlet; the first part is the city only when it is a known city or capital.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..lexicon import media, places
from ..text.normalize import fold

_DASH = r"(?:-{1,3}|–|—|ـ{1,3})"
_BRACKET = regex.compile(
    rf"""^[ \t\u200f\u200e]*
    (?:(?P<loc>[^()\n:]{{1,70}}?)[ \t]*)?
    \([ \t]*(?P<agency>[^()\n]{{1,40}}?)[ \t]*\)
    [ \t]*(?P<end>{_DASH}|:)""",
    regex.VERBOSE,
)
_DASHED = regex.compile(
    rf"""^[ \t\u200f\u200e]*
    (?P<a>[^\n()\-–—:،,.]{{2,40}}?)[ \t]*{_DASH}[ \t]*
    (?P<b>[^\n()\-–—:،,.]{{2,40}}?)[ \t]*(?P<end>:|\n|$)""",
    regex.VERBOSE,
)


@lru_cache(maxsize=None)
def _known_outlets():
    m = media()
    return m["outlets"] | m["ambiguous"]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "\u200f\u200e"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "\u200f\u200e"):
        b -= 1
    return a, b


def find_dateline(text: str) -> dict | None:
    head = text[:200]
    m = _BRACKET.match(head)
    if m:
        agency = _strip(text, *m.span("agency"))
        city = country = None
        if m.group("loc") is not None:
            ls, le = m.span("loc")
            loc = text[ls:le]
            if len(loc.split()) > 8:
                return None
            parts = regex.split(r"[،,]", loc)
            if len(parts) > 2:
                return None
            city = _strip(text, ls, ls + len(parts[0]))
            if len(parts) == 2:
                country = _strip(text, ls + len(parts[0]) + 1, le)
        res = {"city": text[city[0]:city[1]] if city and city[1] > city[0] else None,
               "country": text[country[0]:country[1]] if country and country[1] > country[0] else None,
               "agency": text[agency[0]:agency[1]] or None,
               "start": m.start("loc") if m.group("loc") is not None else m.start(), "end": m.end()}
        res["start"] = _strip(text, res["start"], res["end"])[0]
        return res
    m = _DASHED.match(head)
    if m:
        a, b = m.group("a").strip(), m.group("b").strip()
        if len(a.split()) > 4 or len(b.split()) > 4:
            return None
        fb = fold(b)
        fa = fold(a)
        line_alone = m.group("end") != ":"
        if fb not in _known_outlets() and not (line_alone or m.group("end") == ":"):
            return None
        if not line_alone and fb not in _known_outlets() and fa not in places()["cities"]:
            return None
        if line_alone and fb not in _known_outlets() and len(b.split()) > 3:
            return None
        bs, be = _strip(text, *m.span("b"))
        city = None
        if fa in places()["cities"] or fa in places()["capitals"]:
            city = _strip(text, *m.span("a"))
        return {"city": text[city[0]:city[1]] if city else None, "country": None,
                "agency": text[bs:be], "start": _strip(text, *m.span("a"))[0], "end": m.end("end")}
    return None
