"""Sentence splitter for Arabic news text.

Rules, in order:

* a line break ends a paragraph and so a sentence (news text is one paragraph a line);
* ``.`` ``!`` ``?`` ``؟`` ``…`` (and runs of them) end a sentence when followed by whitespace or the end of the
  text, with closing quotation marks and brackets right after them kept in the sentence;
* the Arabic comma ``،`` and semicolon ``؛`` never end a sentence;
* a full stop does not end a sentence after a one-letter abbreviation (``د.``, ``أ.``, ``U.``), a known
  abbreviation (``م.``, ``ص.``, ``Mr.``, ``Dr.``, ``No.``), or inside a number (``3.5``: no space follows);
* ``..`` (two dots) is a pause inside a sentence in Arabic news writing, not an end;
* inside an open pair of guillemets or curly quotes (« », “ ”) no sentence ends, so a quotation over several
  sentences stays whole, unless the paragraph ends first.

Empty stretches (only whitespace) make no sentence.  Spans are trimmed of surrounding whitespace.
"""
from __future__ import annotations

import regex

from ..document import Span

_END = regex.compile(r"(?:[.!?؟…]+|\.\.)[\"»”’'\)\]]*(?=\s|$)|\n")
_OPEN = "«“"
_CLOSE = "»”"
_ABBREV = {"د", "م", "ص", "ق", "هـ", "ه", "ج", "ب", "ت", "أ", "mr", "dr", "no", "st", "vs", "jr", "sr", "inc",
           "ltd", "co", "prof", "gen", "col", "etc"}
_PREV_WORD = regex.compile(r"(\w+)$")


def split_sentences(text: str) -> tuple[Span, ...]:
    out: list[Span] = []
    start = 0
    depth = 0
    scan = 0
    n = len(text)
    for m in _END.finditer(text):
        s, e = m.start(), m.end()
        seg = text[scan:s]
        # track open/close curly quotes and guillemets between the last boundary candidate and this one
        if "«" in seg or "“" in seg or "»" in seg or "”" in seg:
            for ch in seg:
                if ch in _OPEN:
                    depth += 1
                elif ch in _CLOSE and depth:
                    depth -= 1
        scan = s
        mark = m.group()
        if mark != "\n":
            # closing marks inside the match count too
            for ch in mark:
                if ch in _CLOSE and depth:
                    depth -= 1
            scan = e
            if depth:
                continue
            if mark.startswith("..") and not mark.startswith("...") and mark.rstrip("\"»”’')]") == "..":
                continue
            if mark[0] == ".":
                pw = _PREV_WORD.search(text, max(0, s - 12), s)
                if pw and (len(pw.group(1)) == 1 or pw.group(1).lower() in _ABBREV) and not pw.group(1).isdigit():
                    continue
        else:
            depth = 0
            scan = e
        _emit(text, start, e if mark != "\n" else s, out)
        start = e
    if start < n:
        _emit(text, start, n, out)
    return tuple(out)


def _emit(text: str, s: int, e: int, out: list) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Span(s, e, "sent"))
