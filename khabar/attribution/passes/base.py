"""The token view every pass reads: folded tokens with sentence ids, offsets mapped back to the original text, and
the NER entities over them (pass 1 of :mod:`khabar.attribution.sieve`)."""
from __future__ import annotations

import bisect

from ...text.normalize import normalize
from ..marks import Toks, tokenize_folded
from .words import _corpus_rank, _WORD


# "known as / called / described as (passive)" before بـ and a name in marks (folded)
_KNOWN_AS = frozenset({"يعرف", "تعرف", "المعروف", "المعروفه", "المعروفة", "معروف", "معروفة", "يسمي", "تسمي",
                       "المسمي", "المسماه", "المسماة", "يوصف", "توصف", "ويعرف", "وتعرف", "ويسمي", "وتسمي"})


def _outlets() -> frozenset:
    from ...lexicon import media

    return frozenset(media()["outlets"])


class Reading:
    """The folded token view of one text that the passes read (a base of
    :class:`~khabar.attribution.sieve.Analyzer`)."""

    def __init__(self, text: str, view=None, entities=None):
        self.text = text
        self.view = view if view is not None else normalize(text)
        self.ft = self.view.text
        self.tk: Toks = tokenize_folded(self.ft)
        self.entities = entities or ()
        self.start_index = dict(zip(self.tk.s, range(len(self.tk.s))))
        self._part_starts: set = set()
        self._part_toks: set = set()
        self._conj_cues: set = set()
        self._cue_nouns: set = set()  # a noun spelled like a present verb after a past cue (passes/cues.py)
        self._cue_toks: frozenset = frozenset()
        self.sent_id = self._sentence_ids()

    def _sentence_ids(self):
        tk = self.tk
        para = tk.para
        out = [0] * len(tk)
        sid = 0
        # token i starts a new sentence after a sentence end or at a new paragraph
        for i, (p0, p1, end0) in enumerate(zip(para, para[1:], tk.sent_end), 1):
            if end0 or p1 != p0:
                sid += 1
            out[i] = sid
        return out

    def tok_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.tk.s, pos) - 1)

    def orig(self, a: int, b: int) -> tuple[int, int]:
        return self.view.to_original(a, b)

    def _orig_word(self, k: int) -> str:
        a, b = self.orig(self.tk.s[k], self.tk.e[k])
        return self.text[a:b]

    def _key(self, span):
        tk = self.tk
        return " ".join(tk.t[k] for k in range(*span) if _WORD.fullmatch(tk.t[k]))

    def _entity_starting(self, k: int, labels=("PER", "ORG", "LOC", "MISC")):
        """The NER entity of one of ``labels`` that starts in token k (after at most a one-letter proclitic)."""
        s0, e0 = self.orig(self.tk.s[k], self.tk.e[k])
        for ent in self.entities:
            if ent.label in labels and s0 <= ent.start < e0 and ent.start - s0 <= 1:
                return ent
        return None

    def _entity_end(self, ent, k: int, limit: int) -> int:
        """The first token at or after k (and before ``limit``) that starts at or after the entity's end."""
        tk = self.tk
        while k < limit and self.orig(tk.s[k], tk.e[k])[0] < ent.end:
            k += 1
        return k

    def _marked_name(self, o: int, after_head: bool = False) -> bool:
        """The quotation marks opening at token o enclose a name, a title, a hashtag or a word used as a name,
        not a speaker's words (error class 4): up to four words after a name head (``شركة "X"``, ``لـ"عكاظ"``,
        ``after_head``), a hashtag, or words that one entity of the tagger covers whole (``"العربية"``,
        ``"تويتر"``, ``"الشيخة مزنة"``)."""
        tk = self.tk
        close = tk.pair_of.get(o, -1)
        if close <= o + 1:
            return False
        inner = [k for k in range(o + 1, close) if _WORD.fullmatch(tk.t[k])]
        if not inner or len(inner) > 4:
            return False
        if after_head or tk.t[o + 1] == "#":
            return True
        if " ".join(tk.t[k] for k in inner) in _outlets():
            return True  # a news outlet's name ("سكاي نيوز"، "الأهرام")
        s0, _ = self.orig(tk.s[inner[0]], tk.e[inner[0]])
        _, e0 = self.orig(tk.s[inner[-1]], tk.e[inner[-1]])
        return any(ent.start <= s0 and e0 <= ent.end for ent in self.entities
                   if ent.label in ("PER", "ORG", "LOC", "MISC"))

    def _marked_alias(self, c, k: int) -> bool:
        """The one word in the marks opening at token k names what the word before it names (error class 4): an
        acronym or second name right after an organisation's name the tagger found (منظمة الأغذية والزراعة للأمم
        المتحدة "الفاو"), or a word the news vocabulary does not hold right after a noun, not after the verb or a
        preposition (الصاروخ الباليستي "سارمات": a proper name).  The marks in the subject are skipped before
        (وأكدت "الوزارة"، تنصح “فورشن”: the speaker, not its words)."""
        tk = self.tk
        t = tk.t
        close = tk.pair_of.get(k, -1)
        inner = [x for x in range(k + 1, close) if _WORD.fullmatch(t[x])]
        if 0 < len(inner) <= 4 and k >= 2 and t[k - 1] in ("ب", "بـ") and t[k - 2] in _KNOWN_AS:
            return True   # a name after "known as / called" (ما يعرف بـ"صفقة القرن"، المعروفة بـ«النواة المشتركة»)
        if len(inner) != 1 or k - 1 <= c.tok or t[k - 1] in ("ب", "ل", "من", "في", "الي", "علي", "عن") \
                or not _WORD.fullmatch(t[k - 1]) or t[inner[0]].startswith(("ب", "ل")):
            return False
        ends = self.__dict__.get("_org_end_toks")
        if ends is None:
            ends = self.__dict__["_org_end_toks"] = self._org_end_tokens()
        if k - 1 in ends:
            return True
        from ...ner.features import normalize as ner_norm

        rank = _corpus_rank()
        w = ner_norm(t[inner[0]])
        return bool(rank) and rank.get(w) is None and (not w.startswith("ال") or rank.get(w[2:]) is None)

    def _org_end_tokens(self) -> frozenset:
        """The last token of each organisation's name the tagger found in the article."""
        tk = self.tk
        ends = sorted(e.end for e in self.entities if e.label == "ORG")
        out = set()
        j = 0
        for x in range(len(tk)):   # tokens and ends both in text order: one sweep
            a, b = self.orig(tk.s[x], tk.e[x])
            while j < len(ends) and ends[j] <= a:
                j += 1
            if j < len(ends) and ends[j] <= b:
                out.add(x)
        return frozenset(out)
