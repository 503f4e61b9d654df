"""Pass 5 of the sieve (:mod:`khabar.attribution.sieve`), sources: prepositional attributions (بحسب الجيش، وفقا
لصحيفة X) and media (``وذكرت وكالة رويترز``, GUIDELINES decision 1)."""
from __future__ import annotations

import regex

from ...lexicon import media
from ..marks import ALL_MARKS
from .base import Reading
from .words import _AFFILIATION, _is_media_np, REL, _SRC_CUE, STOP_PREP, _WORD, _word_kind


class SourceReading(Reading):
    """Sources: prepositional attributions and media."""

    def prepositional_sources(self):
        """Pass 5, prepositional attributions (بحسب الجيش، وفقا لصحيفة X، نقلا عن Y): sources, as dicts of folded
        offsets with the cue's span."""
        tk = self.tk
        t = tk.t
        out = []
        for m in _SRC_CUE.finditer(self.ft):
            i = self.tok_at(m.end() - 1)
            j = i + 1
            if j >= len(tk):
                continue
            if t[j] in ("ما", "لما") or m.group("cue").endswith("ما"):
                out.extend(self._what_sources(m, j))
                continue
            if tk.in_pair[i] >= 0 and tk.pair_of.get(tk.in_pair[i], -1) - tk.in_pair[i] > 6:
                continue
            src = self._prepositional_source(m, j)
            if src is not None:
                out.append(src)
        return out

    def _what_sources(self, m, j: int) -> list:
        """``بحسب ما نقلته وكالة X``: the medium after the verb is a source (``وفق ما أفاد المرصد`` is a quote,
        handled with its verb: :meth:`_backward_quote`)."""
        tk = self.tk
        t = tk.t
        v = j + 1 if t[j] in ("ما", "لما") else j
        if v < len(tk) and _WORD.fullmatch(t[v]):
            parts = self._np_after(v + 1, min(len(tk), v + 12))
            if parts:
                x, y = parts[0]
                if _is_media_np([t[q] for q in range(x, y)]):
                    return self._media_sources(x, y, (m.start(), tk.e[v]))
        return []

    def _prepositional_source(self, m, j: int):
        """The source after the prepositional cue ``m`` (its noun phrase from token j: :meth:`_source_np`), or
        None when it is not plausibly one."""
        tk = self.tk
        t = tk.t
        a, b = self._source_np(j)
        if b <= a:
            return None
        words = [t[q] for q in range(a, b) if _WORD.fullmatch(t[q])]
        if not words:
            return None
        quoted = a > j or (a > 0 and t[a - 1] in ALL_MARKS)
        if not self._plausible_source(words, quoted):
            return None
        s_off = tk.s[a]
        w0 = t[a]
        # وفقا لصحيفة ...: the attached ل is the cue's, not the source's (but للأناضول keeps its لل)
        if m.group("cue").rstrip().endswith(("وفقا", "طبقا")) or m.group("cue").endswith("ل"):
            if w0.startswith("ل") and not w0.startswith("لل") and len(w0) > 2:
                s_off += 1
        return {"s": s_off, "e": tk.e[b - 1], "cue": (m.start(), m.end())}

    def _source_np(self, j: int) -> tuple[int, int]:
        """Token range of a source noun phrase from token j: at most 7 tokens, up to punctuation, a relative, a
        preposition (but من) or the sentence end; quoted names read whole; marks and punctuation around it
        left out."""
        tk = self.tk
        t = tk.t
        k = j
        if k < len(tk) and t[k] in ALL_MARKS:
            k += 1
        a = k
        while k < len(tk) and self.sent_id[k] == self.sent_id[j] and k - a < 7:
            w = t[k]
            if w in ("،", ",", ".", "؛", ":", ")", "(") or w in REL or tk.sent_end[k]:
                break
            if w in ALL_MARKS:
                if tk.close_of.get(k) is not None:
                    k += 1
                    continue
                if k in tk.pair_of:
                    k = (tk.pair_of[k] + 1) if tk.pair_of[k] > 0 else k + 1
                    continue
                break
            if k > a and (w in STOP_PREP and w not in ("من",)):
                break
            k += 1
        b = k
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            b -= 1
        while a < b and t[a] in ALL_MARKS:
            a += 1
        return a, b

    def _plausible_source(self, words, quoted) -> bool:
        m = media()
        w0 = words[0]
        w0b = w0[1:] if w0.startswith("ل") and not w0.startswith("لل") else w0
        w0c = "ال" + w0[2:] if w0.startswith("لل") else w0b
        if quoted:
            return True
        for w in (w0, w0b, w0c):
            if w in m["nouns"] or w in m["outlets"]:
                return True
            k = _word_kind(w)
            if k and k[0] in ("org", "doc", "title", "group") and w not in ("النظام", "القرار", "قرار"):
                return True
        if any(regex.fullmatch(r"[a-z][a-z0-9.&-]*", w) for w in words):
            return True
        for ent in self.entities:
            pass
        return False

    def _media_sources(self, a, b, cue_span):
        """The media noun phrase at tokens [a, b) and its coordinated media (قناة "X" وموقع "Y")."""
        tk = self.tk
        t = tk.t
        nouns = media()["nouns"]
        # a phrase read as one (قناة "X" وموقع "Y" التابعان لـ...): each medium apart, without the trailing
        # affiliation (التابع/التابعة/التابعان ... ل...)
        for q in range(a + 1, b):
            if t[q] in _AFFILIATION:
                b = q
                break
        for q in range(a + 1, b):
            if t[q].startswith("و") and t[q][1:] in nouns and (q + 1 >= b or t[q + 1] not in nouns):
                return [self._span_src(a, q, None, cue_span)] + self._media_sources(q, b, cue_span)
        out = [self._span_src(a, b, None, cue_span)]
        k = b
        while k < len(tk) and t[k].startswith("و") and t[k][1:] in nouns:
            parts = self._np_after(k, min(len(tk), k + 8))
            if not parts:
                break
            x, y = parts[0]
            out.append(self._span_src(x, y, None, cue_span))
            k = y
        return out

    def _span_src(self, a, b, c, cue_span=None):
        tk = self.tk
        t = tk.t
        while b > a + 1 and t[b - 1].startswith("قول"):
            b -= 1
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            if tk.close_of.get(b - 1, -1) >= a:
                break  # the closing mark of a quoted name inside the span (قناة "المسيرة")
            b -= 1
        s = tk.s[a]
        w0 = t[a]
        if w0.startswith("و") and w0[1:] in media()["nouns"]:
            s += 1
        return {"s": s, "e": tk.e[b - 1], "cue": cue_span or (c.s, c.e)}
