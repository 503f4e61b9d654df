"""Explicit dates and weekdays with a normalised value (see shared/gold/GUIDELINES.md, "dates").

Values: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``--MM-DD`` (day and month, no year), ``--MM`` (a month alone), an
English lower-case weekday (``saturday``), and the same with an ``H`` prefix for Hijri dates (``H1439-09-01``,
``H--01-30``).  The year is never inferred (``الجاري``/``الماضي``/``المقبل`` add nothing).  Relative expressions
(أمس، اليوم، الأسبوع الماضي) are left out.

Table-driven: the month names of every family (transliterated, Syriac/Levantine, Maghrebi, Egyptian variants,
Hijri) and the weekdays come from ``resources/lexicon``; one compiled pattern runs over the folded view of the
text (Arabic-Indic digits are ASCII there), and each hit is mapped back to the original text.
"""
from __future__ import annotations

from functools import lru_cache
import re

import regex

from ..document import Span
from ..lexicon import alternation, months, weekdays
from ..text.normalize import normalize

_UNITS = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_UNITS_COMPOUND = ["الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]


def _ordinals() -> dict[str, int]:
    out = {w: i + 1 for i, w in enumerate(_UNITS)}
    out["العاشر"] = 10
    for i, w in enumerate(_UNITS_COMPOUND):
        out[f"{w} عشر"] = 11 + i
    out["العشرين"] = 20
    for i, w in enumerate(_UNITS_COMPOUND):
        out[f"{w} والعشرين"] = 21 + i
    out["الثلاثين"] = 30
    out["الحادي والثلاثين"] = 31
    out["الواحد والثلاثين"] = 31
    return out


ORDINALS = _ordinals()
YEAR_CUES = ("عام", "العام", "سنة", "السنة", "عامي", "لعام", "منذ", "في", "حتى", "بحلول", "مطلع", "أواخر", "اواخر",
             "أوائل", "اوائل", "نهاية", "بداية", "منتصف", "خلال", "قبل", "بعد", "موسم", "ميزانية", "انتخابات",
             "لسنة", "ولعام", "وعام", "العامين", "عامَي")


@lru_cache(maxsize=None)
def _pattern():
    ms = months()
    month_alt = alternation(name for name, *_ in ms)
    wd_alt = alternation(w[2:] for w in weekdays())  # without the article
    ord_alt = alternation(ORDINALS)
    p = rf"""
    (?P<numdate>(?<![\d/.-])(?:(?P<y1>\d{{4}})[/.-](?P<m1>\d{{1,2}})[/.-](?P<d1>\d{{1,2}})
                 |(?P<d2>\d{{1,2}})[/.-](?P<m2>\d{{1,2}})[/.-](?P<y2>\d{{4}}))(?![\d/.-])
                 (?:\s*(?P<nh>هـ|ه)(?!\w))?)
  | (?P<mdate>
        (?:(?:(?P<dnum>(?<![\d.,])\d{{1,2}})|(?P<dord>{ord_alt})\s+من)\s+(?:(?:من\s+)?شهر\s+)?)?
        (?P<shahr>(?:شهر|لشهر|بشهر)\s+)?
        (?<![\p{{L}}])(?P<pre>[وبل]|ال)?(?P<mon>{month_alt})(?![\p{{L}}])
        (?:\s*(?:/|\\|-|–|\()\s*(?P<mon2>{month_alt})(?:\s*\))?)?
        (?:\s+(?:الجاري|الحالي|الماضي|المقبل|القادم|المنصرم|الفائت))?
        (?:\s*،?\s*(?:من\s+)?(?:عام|العام|سنة|لعام)?\s*(?P<year>(?<!\d)\d{{4}}(?!\d)))?
        (?:\s*(?P<hsuf>هـ|ه)(?!\w))?
    )
  | (?P<ydate>(?<![\p{{L}}])[وبل]?(?P<ycue>{alternation(YEAR_CUES)})\s+(?P<yw>(?:عام|سنة|العام)\s+)?(?P<yy>(?<!\d)(?:1[89]|20|14|13)\d\d(?!\d))
        (?:\s*(?P<ysuf>هـ|ه|م)(?!\w))?
      | (?P<yy2>(?<![\d.,])(?:19|20)\d\d)\s*(?:م|ميلادية|ميلادي)(?![\p{{L}}])
      | (?P<yy3>(?<![\d.,])1[34]\d\d)\s*(?:هـ|ه)(?![\p{{L}}]))
  | (?P<wday>(?<![\p{{L}}])(?:يوم\s+|(?P<wpre>[وبل]|ف)?)(?:ال)(?P<wd>{wd_alt})(?![\p{{L}}])(?!\s+عشر))
    """
    # Every branch starts at a digit, at an ordinal (all begin with ال), at شهر / لشهر / بشهر, or after its own
    # (?<![\p{L}]): a leading test of that (implied by each branch, so the matches are the same) lets the scan
    # pass over a position inside a word without trying every branch there (~15% less time in the windows).
    if not all(w.startswith("ال") for w in ORDINALS):  # the leading test below relies on it
        raise ValueError("dates: an ordinal that does not begin with ال")
    return regex.compile(r"(?:(?=\d|ال|[لب]?شهر)|(?<!\p{L}))(?:" + p + ")", regex.VERBOSE)


@lru_cache(maxsize=None)
def _anchor():
    """Every date match holds four digits in a row (a year: in a numeric date too), or a month or weekday name as
    a word (with و ب ل ال before it): find those first in one fast pass, then run the full pattern only in windows
    around them (a day number before a month name lies in the month's window)."""
    import re

    words = sorted({name for name, *_ in months()} | {w[2:] for w in weekdays()}, key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(r"\d{4}|(?<![^\W\d_])(?:[وبلف]|ال|وال|بال|لل)?(?:" + alt + r")(?![^\W\d_])")


_BEFORE, _AFTER = 48, 64  # characters a date reaches before / after its digit, month or weekday


_WORD_END = re.compile("[ \n]")


def _candidates(ft: str):
    pat = _pattern()
    ranges: list[list[int]] = []
    n = len(ft)
    ws_from, ws_at = -1, -1  # the last look-up: the first space/newline at or after ws_from is at ws_at
    for m in _anchor().finditer(ft):
        a, b = max(0, m.start() - _BEFORE), min(n, m.end() + _AFTER)
        if a:  # start a window at a word's start: the pattern's look-behinds do not see before it
            # (searched back only to the previous window's end: a start before it merges with that window anyway)
            lo = ranges[-1][1] if ranges else 0
            k = max(ft.rfind(" ", lo, a), ft.rfind("\n", lo, a))
            if k < 0 and lo:
                a = lo
            else:
                a = k + 1 if k >= 0 else 0
        if b < n:  # and end it at a word's end: nor do its look-aheads see past the window
            if not (ws_from <= b <= ws_at):
                w = _WORD_END.search(ft, b)
                ws_from, ws_at = b, (w.start() if w else n)
            b = ws_at
        if ranges and a <= ranges[-1][1]:
            ranges[-1][1] = b
        else:
            ranges.append([a, b])
    for a, b in ranges:
        yield from pat.finditer(ft, a, b)


@lru_cache(maxsize=None)
def _month_table():
    return {name: (num, cal, amb) for name, num, cal, amb in months()}


@lru_cache(maxsize=None)
def _weekday_table():
    return {w[2:]: v for w, v in weekdays().items()}


def _value_mdate(m) -> str | None:
    table = _month_table()
    mon = m.group("mon")
    num, cal, amb = table[mon]
    day = None
    if m.group("dnum"):
        day = int(m.group("dnum"))
    elif m.group("dord"):
        day = ORDINALS.get(m.group("dord"))
    year = m.group("year")
    if m.group("pre") == "ال":
        return None  # الجمعة/المحرم... an article on a month name: a noun, not a date
    if amb and not (day or year or m.group("shahr") or m.group("mon2")):
        return None
    if day is not None and not 1 <= day <= 31:
        day = None
    hijri = cal == "h" or bool(m.group("hsuf"))
    if year:
        y = int(year)
        if cal == "g" and not 1800 <= y <= 2100:
            year = None
        if cal == "h" and not 1300 <= y <= 1500:
            year = None
    pre = "H" if hijri else ""
    if year and day:
        return f"{pre}{int(year):04d}-{num:02d}-{day:02d}"
    if year:
        return f"{pre}{int(year):04d}-{num:02d}"
    if day:
        return f"{pre}--{num:02d}-{day:02d}"
    return f"{pre}--{num:02d}"


def find_dates(text: str, view=None) -> list[Span]:
    """DATE spans (original offsets) with ``attrs["value"]``.  ``view``: the normalised view of ``text``."""
    if view is None:
        view = normalize(text)
    ft = view.text
    out: list[Span] = []
    for m in _candidates(ft):
        s, value = _match_value(m, ft)
        if value is None:
            continue
        out.append(_date_span(text, view, s, m.end(), value))
    return out


def _match_value(m, ft: str) -> tuple[int, str | None]:
    """(start in the folded text, normalised value or None) of one pattern match, by its class: numeric date,
    month name (with day / year), year, weekday."""
    s = m.start()
    if m.group("numdate"):
        return s, _value_numdate(m)
    if m.group("mdate"):
        value = _value_mdate(m)
        if value is not None and m.group("pre") in ("و", "ب", "ل") and not m.group("dnum") and not m.group("dord"):
            s = m.start("mon")  # keep the span on the month name, not its clitic
        return s, value
    if m.group("ydate"):
        if m.group("yw"):
            s = m.start("yw")
        return s, _value_year(m, ft)
    if m.group("wday"):
        return s, _value_weekday(m, ft)
    return s, None


def _value_numdate(m) -> str | None:
    """A numeric date (2018/05/14, 14-5-2018, with هـ: Hijri; a year 1300-1500 is Hijri too)."""
    if m.group("y1"):
        y, mo, d = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
    else:
        y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        pre = "H" if m.group("nh") or 1300 <= y <= 1500 else ""
        return f"{pre}{y:04d}-{mo:02d}-{d:02d}"
    return None


def _value_year(m, ft: str) -> str | None:
    """A year: after a cue word (عام 2015, في 2015; Hijri with هـ or between 1300 and 1500 after عام/سنة), or with
    م/ميلادية or هـ after it."""
    if m.group("yy"):
        return _value_cued_year(m, ft)
    if m.group("yy2"):
        return m.group("yy2")
    if m.group("yy3"):
        return "H" + m.group("yy3")
    return None


def _value_cued_year(m, ft: str) -> str | None:
    """A year after a cue word; after a preposition (في, منذ ...) without عام or a suffix, not when a noun follows
    ("في 2015" is a year; "في 2000 موقع" is a count)."""
    value = None
    y = int(m.group("yy"))
    suf = m.group("ysuf")
    if suf in ("هـ", "ه") or (1300 <= y <= 1500):
        if suf in ("هـ", "ه") or m.group("ycue") in ("عام", "العام", "سنة", "لعام"):
            value = f"H{y}"
    elif 1800 <= y <= 2100:
        value = f"{y}"
    if value and m.group("ycue") in ("في", "قبل", "بعد", "خلال", "حتي", "منذ") and not suf and not m.group("yw"):
        nxt = regex.match(r"\s+(\p{L}+)", ft[m.end():m.end() + 20])
        if nxt and nxt.group(1) not in ("و", "م") and not nxt.group(1).startswith(("و", "ال", "م", "حين", "حتي", "عندما")):
            value = None
    return value


def _value_weekday(m, ft: str) -> str | None:
    """A weekday (يوم السبت, الجمعة), not after بين/كلا (بين الخميس والجمعة names no date)."""
    value = _weekday_table().get(m.group("wd"))
    before = ft[max(0, m.start() - 8):m.start()]
    if regex.search(r"(?:بين|كلا)\s+$", before):
        value = None
    return value


def _date_span(text: str, view, s: int, e: int, value: str) -> Span:
    """The DATE span of folded offsets s..e in the original text, whitespace at the edges trimmed."""
    a, b = view.to_original(s, e)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span(a, b, "DATE", {"value": value})
