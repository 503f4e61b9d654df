"""Denials, confirmations and replies to a claim, found by rules over the folded text and the quotes layer.

Each linguistic class is one pattern below (the folded text: harakat and tatweel removed, alef forms → ا, ى → ي,
ؤ → و, ئ → ي; every pattern is written in that form):

* stance cues — verbs and verbal nouns of denial (نفى، أنكر، كذّب، شكك في، اعترض على، دفع ببراءته), fixed
  denial phrases (لا صحة لـ، عار عن الصحة، لا أساس له من الصحة), confirmation (اعترف بـ، أقر بـ، أكد صحة، اتفق مع
  الرأي) and reply (رد، ردا على، علق على، تعقيبا على);
* cues that count only with a claim noun as their object: رفض / وصف / أدان / تفاعل مع + التصريحات، الاتهامات،
  المزاعم، التقارير، البيان ... (rejecting a plan or condemning an attack is not a response);
* the speaker's own naming of another's claim as a lie inside a quote (المزاعم، الادعاءات، الأكاذيب، يزعمون);
* relative denials after the claim (وهو ما نفته X، وهي تهم تنفيها X): the claim noun precedes the cue;
* a reply whose description of the claim names it untrue (ووصفت موسكو هذه المزاعم بأنها "لا أساس لها من الصحة"، وصفها
  بأنها "هراء"، ردت بالنفي) is a denial;
* a denial restated: the denier's next quotes, one after the other, that hold a negation (وقال: "لم أستمع ...").

Nobody answers himself: a claim is never a quote of the responder (the same actor, or the same name as written:
السبسي / الرئيس التونسي الباجي قائد السبسي); when every other quote is the carrying quote's speaker's, the subject
the reply cue names (علق أحد المغردين على ذلك) is the responder and that speaker the claimant.

The carrying quote is the quote whose cue is the response's cue, whose content holds it, or which follows it in
the same clause.  The claim is chosen by a scored rule: an actor named inside the claim mention (ادعاءات أوغلو,
البيان الصادر عن ...) wins; otherwise the subject of an accusation verb in the sentence (تتهم X ...); otherwise
the nearest quote of another speaker, earlier quotes preferred (score = distance in quotes, later ones + 2).
``claim_quotes`` are all the quotes of the chosen speaker.
"""
from __future__ import annotations

import bisect
import re

import numpy as np

from ..document import Span
from ..text.normalize import fold

_P = r"(?<![\w\u0621-\u064a])"              # a word start
_C = r"(?:[وف])?"                          # the conjunction clitic
_S = r"(?:ه|ها|هم|هما|ا|ي)?"               # an object pronoun / tanween alef
_E = r"(?=[\s\"'»).,،:؛!?]|$)"              # a word end

CLAIM_NOUN = (r"(?:(?:هذه|هذا|تلك|ذلك|هاتين)\s+)?(?:ال)?(?:تصريحات|اتهامات|مزاعم|ادعاءات|تقارير|انباء|اخبار|خبر|"
              r"شايعات|اشاعات|تهم|تهمه|تهمة|اتهام|بيان|روايه|رواية|راي|تهديدات|اشاده|اشادة|كلام|انتقادات|"
              r"اكاذيب|افتراءات|دعاوي|دعاوى|نتايج|مخاوف)(?:ه|ها|هم)?" + _E +
              r"|ما\s+(?:تم\s+|يتم\s+)?(?:تداولته|تداوله|يتداول|تداول|نشر|نشرته|اوردته|ذكرته|قاله|قالته|اعلنه|جاء|روجته|"
              r"تناقلته|زعمه|زعمته|ادعاه|ادعته)" + _E)
_CN = re.compile(_P + r"(?:[وب]|لل|ل)?(?:" + CLAIM_NOUN + ")")

# رد as a noun qualified by an adjective (حذرت روسيا من رد قوي إذا ثبت أن ...، رد فعل): a response to come or a
# reaction, not a reply to a claim
_NOUN_RD = (r"(?!\s+(?:فعل|قوي|قويا|حازم|حازما|حاسم|حاسما|مناسب|مناسبا|سريع|سريعا|فوري|فوريا|عسكري|عسكريا|"
            r"قاس|قاسيا|صارم|صارما|مماثل|مماثلا)" + _E + ")")

# (pattern, stance, needs a claim noun after it within the clause)
CUES = [
    (_C + r"(?:نفي|نفت|ينفي|تنفي|ينفون|نفوا|نافيا|نافيه|نافية|نافين|تنفيان|ينفيان)" + _S + _E, "deny", False),
    (_C + r"(?:انكر|انكرت|ينكر|تنكر|منكرا|انكروا)" + _S + _E, "deny", False),
    (_C + r"(?:كذب|كذبت|يكذب|تكذب|مكذبا)" + _S + r"(?=\s+(?:ال|هذه|ما|تلك))", "deny", True),
    (_C + r"(?:شكك|شككت|يشكك|تشكك|مشككا|شككوا)\s+(?:\S+\s+){0,3}?(?:في|ب)", "deny", False),
    (_C + r"(?:اعترض|اعترضت|يعترض|تعترض|معترضا)\s+علي", "deny", False),
    (_C + r"(?:دفع|دفعت|دفعوا|دفعتا)\s+(?:\S+\s+){0,6}?ببراءت", "deny", False),
    (_C + r"(?:لا|ليس)\s+(?:هناك\s+)?(?:اي\s+)?(?:صحه|صحة)\s+ل", "deny", False),
    (r"عار(?:يه|ية|ي|ه|ة)?\s+(?:تماما\s+)?عن\s+(?:ال)?(?:صحه|صحة)", "deny", False),
    (_C + r"لا\s+اساس\s+(?:له|لها|لهم)\s+من\s+(?:ال)?(?:صحه|صحة)", "deny", False),
    (_C + r"(?:رفض|رفضت|يرفض|ترفض|رافضا|رافضه|رافضة|رفضوا)" + _S + _E, "deny", True),
    (_C + r"(?:اعترف|اعترفت|يعترف|تعترف|معترفا|اعترفوا)\s+(?:ب|بان)", "confirm", False),
    (_C + r"(?:اقر|اقرت|يقر|تقر|مقرا|اقروا)\s+(?:ب|بان)", "confirm", False),
    # a subject or adverbial between the verb and its object: counts only when an earlier quote of another speaker
    # says what is conceded (content-word overlap, see _overlap)
    (_C + r"(?:اعترف|اعترفت|يعترف|تعترف|اقر|اقرت|يقر|تقر)\s+(?:\S+\s+){1,6}?(?:ب|بان)", "confirm", "far"),
    (_C + r"(?:اكد|اكدت|يوكد|توكد|موكدا|موكده|موكدة)\s+(?:علي\s+)?(?:صحه|صحة)", "confirm", False),
    (_C + r"(?:اتفق|اتفقت|يتفق|تتفق|متفقا)\s+مع(?=\s+(?:هذا\s+|ذلك\s+)?(?:الراي|ما\s))", "confirm", False),
    (_C + r"(?:رد|ردت|يرد|ترد|ردا|ردوا)" + _E + _NOUN_RD + r"(?=(?:\s+\S+){0,4}?\s+(?:علي|ب)\s)", "respond", True),
    (_C + r"(?:رد|ردت|ردوا)" + _E + _NOUN_RD + r"(?=(?:\s+\S+){0,6}?\s+(?:ان|بان)\s)", "respond", False),
    (r"(?:في\s+)?(?:رده|ردها|ردهم)\s+علي", "respond", True),
    (_C + r"(?:علق|علقت|يعلق|معلقا|علقوا)\s+(?:\S+\s+){0,3}?علي", "respond", True),
    (r"(?:تعقيبا|تعليقا)\s+علي", "respond", True),
    (_C + r"(?:وصف|وصفت|يصف|تصف|واصفا|واصفه|واصفة)" + _S + _E, "respond", True),
    (_C + r"(?:ادان|ادانت|يدين|تدين|مدينا)" + _S + _E, "respond", True),
    (_C + r"(?:تفاعل|تفاعلت|يتفاعل|تفاعلوا)\s+(?:\S+\s+){0,6}?مع", "respond", True),
]
_CUES = [(re.compile(_P + "(?:" + p + ")"), st, need) for p, st, need in CUES]
# where a cue can start (every pattern above opens with one of these, after an optional و/ف): one scan finds them
_CONTRAST = re.compile(r"(?:بينما|في\s+حين|فيما|حين)\s+$")
_DEMONSTRATIVE = re.compile(r"[وبل]?(?:هذه|هذا|تلك|ذلك)\s")
_CN_OPEN = re.compile(r"[\s\"«]*(?:(?:\S+\s+){0,2}?)((?=ال|هذه|هذا|تلك)(?:" + CLAIM_NOUN + "))")
_CAND = re.compile(_P + r"[وف]?(?=نف|ينف|تنف|ناف|انكر|ينكر|تنكر|منكر|كذب|يكذب|تكذب|مكذب|شكك|يشكك|تشكك|مشكك|اعترض|يعترض|تعترض|"
                   r"معترض|دفع|لا\s|ليس|عار|رفض|يرفض|ترفض|رافض|اعترف|يعترف|تعترف|معترف|اقر|يقر|تقر|مقر|اكد|يوكد|"
                   r"توكد|موكد|اتفق|يتفق|تتفق|متفق|رد|يرد|ترد|في\s+رد|علق|يعلق|معلق|تعقيب|تعليق|وصف|يصف|تصف|واصف|"
                   r"ادان|يدين|تدين|مدين|تفاعل|يتفاعل)")
_LIE_WORDS = ("زعم", "زاعم", "ادعاء", "اكاذيب", "افتراء", "غالط", "بري", "براء", "غير صحيح", "غير دقيق")
# _LIE_WORDS without بري (in بريطانيا, البريد, ... it lets most articles through): where بري is the only one of
# them in a text, _LIE can match only as بري[يء] or غير + a space other than one blank + صحيح / دقيق
_LIE_WORDS_STRICT = tuple(w for w in _LIE_WORDS if w != "بري")
_LIE_LOOSE = re.compile(r"بري[يء]|غير\s+(?:صحيح|دقيق)")


def _may_lie(f: str) -> bool:
    """Whether _LIE may match in ``f``: the same as ``any(w in f for w in _LIE_WORDS)`` for every text where _LIE
    matches (so the same hits), false for more of those where it does not."""
    return any(w in f for w in _LIE_WORDS_STRICT) or ("بري" in f and _LIE_LOOSE.search(f) is not None)
# a speaker names another's claim as a lie (inside a quote of theirs)
_LIE = re.compile(_P + r"(?:[وب]|لل|ل)?(?:(?:تغالط|يغالط|مغالطات|مغالطه|مغالطة|بري[يء](?:ه|ة|ان|تان|ون|ين|ا)?|براءت\S*)"
                  r"|غير\s+(?:صحيح|صحيحه|صحيحة|دقيق|دقيقه|دقيقة)|(?:هذه|تلك)\s+(?:ال)?(?:مزاعم|ادعاءات|اكاذيب|افتراءات)"
                  r"|(?:ال)?(?:مزاعم|ادعاءات|اكاذيب|افتراءات)\s+(?:ال)?(?:واهيه|واهية|كاذبه|كاذبة|باطله|باطلة|مزعومه|مزعومة))" + _E
                  + r"|" + _P + r"(?:الذين\s+)?(?:يزعمون|يزعم|تزعم|زعموا)" + _E)
_ACCUSE = re.compile(_P + _C + r"(?:اتهم|اتهمت|يتهم|تتهم|يتهمون|تتهمان|يتهمان)" + _E)
_REL = re.compile(r"(?:(?:وهو|وهي)\s+(?:ما|الامر\s+الذي|\S+)|الامر\s+الذي|وهو\s+امر)\s+$")
_PRONOUN_OBJ = re.compile(r"\s*(?:ذلك|هذا|هذه)" + _E)
_LINK = re.compile(r"^\s*(?:\S+\s+)?(?:(?:الصادر|الصادره|الصادرة)\s+عن|(?:التي|الذي)\s+(?:ادلي|ادلت)\s+بها|"
                   r"(?:التي|الذي)\s+(?:نشرته|نشرتها|اوردته|اوردتها|بثته|بثتها|تداولته|تداولتها)|"
                   r"(?:المنشور|المنشوره|المنشورة)\s+(?:في|علي)|عن|من|ل|في)?\s*$")
# a reply's description of the claim, or its own content, that names the claim untrue (ووصفت موسكو هذه المزاعم
# بأنها "لا أساس لها من الصحة"، وصف لافروف الادعاءات بأنها "هراء"، ردت بالنفي): the response is a denial
# (GUIDELINES: "وصف … بالمزاعم أو الأكاذيب أو الادعاءات" is deny); searched from the cue's end to its clause end
_DENIAL_PRED = re.compile(
    _P + r"(?:[وبك]|بال|كال|ال)?(?:هراء|اكاذيب|اكذوبه|اكذوبة|كذب|كاذب|كاذبه|كاذبة|مزاعم|ادعاءات|افتراءات|افتراء|"
    r"مفبرك|مفبركه|مفبركة|ملفق|ملفقه|ملفقة|تلفيق|باطل|باطله|باطلة|سخيف|سخيفه|سخيفة|مهزله|مهزلة|نفي)" + _E
    + r"|" + _P + r"(?:لا|ليس)\s+(?:لها|له|لهم\s+)?(?:هناك\s+)?(?:اي\s+)?(?:صحه|صحة|اساس)" + _E
    + r"|" + _P + r"عار(?:يه|ية|ي|ه|ة)?\s+(?:تماما\s+)?(?:عن|من)\s+(?:ال)?(?:صحه|صحة)"
    + r"|" + _P + r"غير\s+(?:صحيح|صحيحه|صحيحة|دقيق|دقيقه|دقيقة)" + _E)
_DENIAL_PRED_SPAN = 160
_CLAUSE_END = re.compile(r"[.!?؟؛\n]|،\s+(?:و|ف)?(?:قال|[اأ]ضاف|تابع|[اأ]شار|ال[اأ]مر)")  # on the text, not the view


_CONJ = re.compile(r"\s+و(?:ال)?[\u0621-\u064a]{2,}(?=[\s،.]|$)")


def _with_conjunct(text, s, e):
    """A name as written, with a conjunct that follows it (كييف والغرب): the claim's speaker as the article says."""
    m = _CONJ.match(text, e)
    return text[s:m.end()] if m else text[s:e]


# the weights of the claim choice (see _choose_claim); training/responses_cv.py reports them by cross-validation
W = {"later": 1.0, "count": 1.0, "overlap": 0.0, "far_overlap": 1}
_WORD = re.compile(r"[\u0621-\u064a]{3,}")
_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و|ب|ف|ل)(?=[\u0621-\u064a]{3})")
_STOP = frozenset("""ان انه انها الي علي في من عن مع التي الذي الذين هذه هذا ذلك تلك كان كانت يكون تكون قال قالت
ما لا لم لن قد بعد قبل بين حول خلال عند منذ كل بعض اي او ثم حتي اذا لكن غير دون ايضا هناك هنا وقال واضاف اضاف
يوم امس اليوم عام سنه سنة""".split())


def _words(s):
    out = set()
    for w in _WORD.findall(s):
        w = _PREFIX.sub("", w)
        if len(w) >= 3 and w not in _STOP:
            out.add(w)
    return out


def _name_words(name):
    w = fold(name or "").split()
    if w and w[0].startswith("و") and len(w[0]) > 3:     # a conjunction glued to the name (وجامعة حائل)
        w[0] = w[0][1:]
    return w


def _same_name(a, b) -> bool:
    """Two speaker names as written name one speaker: the same words, or one is the last words of the other (السبسي /
    الرئيس التونسي الباجي قائد السبسي) — one person resolved to two actors; a speaker does not answer himself."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[-len(short):] == short and len(short[-1]) >= 3


_CUE_PREP = frozenset(("علي", "على", "في", "مع"))
_ADVERBS = frozenset(fold(w) for w in "امس أمس اليوم ايضا أيضا بدوره بدورها بدورهم كذلك مجددا سابقا لاحقا سريعا "
                     "الاثنين الثلاثاء الاربعاء الخميس الجمعة السبت الاحد عليه عليها بشدة".split())


def _choose_claim(quotes, qkey, me_key, qi, s, words, qwords, earlier_only=False, me_name=None):
    """The quote whose speaker made the claim answered at ``s``: a scored rule over the quotes of other speakers —
    the nearest earlier one (distance counted in quotes of other speakers), a later one only at a cost
    (``W["later"]`` + its distance), less ``W["count"]`` per quote its speaker has (up to 5) and ``W["overlap"]``
    per content word it shares with the response (up to 5); only earlier quotes when the claim is named with a
    demonstrative (هذا الرأي، هذه المزاعم).  Returns (index, overlap) or None."""
    best = None
    for k, q in enumerate(quotes):
        if k == qi or qkey[k] is None or qkey[k] == me_key or _same_name(q.get("speaker"), me_name):
            continue
        if earlier_only and q.end > s:
            continue
        if q.end <= s:
            d = sum(1 for j in range(k + 1, len(quotes)) if quotes[j].end <= s and qkey[j] != me_key)
        else:
            d = W["later"] + sum(1 for j in range(len(quotes)) if s < quotes[j].start < q.start)
        cnt = sum(1 for j in range(len(quotes)) if qkey[j] == qkey[k])
        ov = len(words & qwords(k))
        score = d - W["count"] * min(cnt, 5) - W["overlap"] * min(ov, 5)
        if best is None or score < best[0]:
            best = (score, k, ov)
    return None if best is None else (best[1], best[2])


def _sentence_of(starts, sentences, pos, n):
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0 and sentences[k].start <= pos < sentences[k].end:
        return sentences[k].start, sentences[k].end
    return max(0, pos - 200), min(n, pos + 300)


def find_responses(text: str, view, quotes, actors, sentences) -> tuple[Span, ...]:
    """The responses of one article as Spans over their evidence (see the module docstring for the rules)."""
    if not view.text:
        return ()
    fd = _Finder(text, view, quotes)
    hits = fd.hits()
    if not hits:
        return ()
    fd.index(hits, actors, sentences)
    out = [sp for sp in map(fd.respond, hits) if sp is not None]
    out += fd.restated(out)
    out.sort(key=lambda sp: (sp.start, sp.end))
    return tuple(out)


# a negation in a quote's cue or content (لم أستمع، لن نقبل، ليس لنا أي خلاف، غير صحيح، عدم)
_NEGATION = re.compile(_P + r"[وف]?(?:لم|لن|ليس|ليست|لسنا|لست|غير|عدم|لا)" + _E)


class _Finder:
    """One article's responses, in passes: the cue hits (:meth:`hits`), the article's indexes (:meth:`index`), then
    per hit (:meth:`respond`) the claim's mention, the carrying quote, the speaker, the claimant and the claim."""

    def __init__(self, text: str, view, quotes):
        self.text, self.view, self.f = text, view, view.text
        self.offsets = view.offsets
        self.quotes = tuple(quotes)
        self.used_q: set = set()
        self.used_spans: list = []
        self.qcache: dict = {}

    def hits(self) -> list:
        """(orig start, orig end, stance, kind, view start, view end) of every cue: the cue patterns tried at the
        word starts one cheap scan finds; lie words inside quotes; a quote that opens by naming another's
        statements (التصريحات التي أدلى بها X ...: a reply to them)."""
        f, view, quotes = self.f, self.view, self.quotes
        hits, seen = [], set()
        for c in _CAND.finditer(f):
            pos = c.start()
            for rx, stance, need in _CUES:
                m = rx.match(f, pos)
                if m and (m.start(), m.end()) not in seen:
                    seen.add((m.start(), m.end()))
                    s, e = view.to_original(m.start(), m.end())
                    hits.append((s, e, stance, need if isinstance(need, str) else "noun" if need else "cue",
                                 m.start(), m.end()))
        if _may_lie(f):
            for m in _LIE.finditer(f):
                s, e = view.to_original(m.start(), m.end())
                if any(q.start <= s < q.end for q in quotes):
                    hits.append((s, e, "deny", "lie", m.start(), m.end()))
        for q in quotes:
            lo = int(np.searchsorted(self.offsets, q.start))
            m = _CN_OPEN.match(f, lo)
            if m:
                s, e = view.to_original(m.start(1), m.end(1))
                if s < q.end:
                    hits.append((s, e, "respond", "about", m.start(1), m.end(1)))
        hits.sort()
        return hits

    def index(self, hits, actors, sentences) -> None:
        """Sentences, actor mentions, the quotes' speaker keys, and the claim nouns and accusation verbs of the
        sentences that hold a cue."""
        text, f, view, offsets = self.text, self.f, self.view, self.offsets
        n = self.n = len(text)
        self.sentences = tuple(sentences) or (Span(0, n, "sent"),)
        self.starts = [s.start for s in self.sentences]
        self.actor_by_id = {a.get("id"): a for a in actors or () if isinstance(a, dict)}
        self.mentions = sorted((m["start"], m["end"], a.get("id")) for a in self.actor_by_id.values()
                               for m in a.get("mentions", ()) if isinstance(m, dict))
        self.m_starts = [m[0] for m in self.mentions]
        self.qkey = [q.get("speaker_actor") or q.get("speaker_key") or q.get("speaker") for q in self.quotes]
        claim_nouns, accusations, done = [], [], set()
        for s, *_ in hits:
            ss, se = _sentence_of(self.starts, self.sentences, s, n)
            if (ss, se) in done:
                continue
            done.add((ss, se))
            lo, hi = int(np.searchsorted(offsets, ss)), int(np.searchsorted(offsets, se))
            claim_nouns.extend(view.to_original(m.start(), m.end()) for m in _CN.finditer(f, lo, hi))
            accusations.extend(view.to_original(m.start(), m.end()) for m in _ACCUSE.finditer(f, lo, hi))
        self.claim_nouns = sorted(claim_nouns)
        self.accusations = sorted(accusations)

    def qwords(self, k):
        if k not in self.qcache:
            q = self.quotes[k]
            offsets = self.offsets
            self.qcache[k] = _words(self.f[int(np.searchsorted(offsets, q.start)):int(np.searchsorted(offsets, q.end))])
        return self.qcache[k]

    def mention(self, s, e, stance, kind, vs, ve, ss, se, ce):
        """(the claim's mention or None, the relative pronoun before the cue or None): a claim noun after the cue
        in its clause, an object pronoun of a reply, or (a relative denial) the claim noun or relative before."""
        f, view, text = self.f, self.view, self.text
        vs_lo = max(0, vs - 24)
        mention = None
        limit = min(ce, e + 50) if kind == "noun" else min(se, e + 150)
        after = [c for c in self.claim_nouns if s < c[0] and c[1] > e and c[0] < limit]
        rel = _REL.search(f, vs_lo, vs) if vs_lo < vs else None
        if after and (after[0][0] < ce or not rel):
            mention = after[0]
        elif stance == "respond" and _PRONOUN_OBJ.match(f, ve):
            m2 = _PRONOUN_OBJ.match(f, ve)
            mention = view.to_original(m2.start() + len(m2.group()) - len(m2.group().lstrip()), m2.end())
        elif rel:
            before = [c for c in self.claim_nouns if ss <= c[0] and c[1] <= s]
            if before:
                mention = before[-1]
            else:
                mention = view.to_original(rel.start(), rel.end())
                mention = (mention[0], mention[0] + len(text[mention[0]:mention[1]].rstrip()))
        return mention, rel

    def carrying_quote(self, s, e, kind, vs, rel, ce):
        """The index of the quote that carries the response (its cue or content holds the cue, or it follows the
        cue in its clause), or None."""
        quotes = self.quotes
        for k, q in enumerate(quotes):
            cue = q.get("cue")
            if cue and cue[0] <= s < cue[1] or q.start <= s < q.end:
                # a contrast opens a new clause that the quote's span ran over (... في تركيا، بينما شككت المعارضة)
                if kind != "lie" and q.start < s and _CONTRAST.search(self.f, max(0, vs - 16), vs):
                    continue
                return k
        for k, q in enumerate(quotes):
            cue = q.get("cue")
            qs = cue[0] if cue else q.start
            if not rel and (s <= qs < ce and qs - e < 50 or s <= q.start < ce and q.start - e < 50):
                return k
        return None

    def speaker(self, s, e, qi, mention, ss, ce):
        """(evidence start, end, speaker, speaker actor, speaker key): the carrying quote's, or the actor named
        right after the cue (or just before it in its sentence)."""
        text, mentions, m_starts = self.text, self.mentions, self.m_starts
        if qi is not None:
            q = self.quotes[qi]
            es, ee = min(s, q.start), q.end if q.end > s else max(e, ce)
            return es, ee, q.get("speaker"), q.get("speaker_actor"), q.get("speaker_key")
        es, ee = (mention[0] if mention and mention[0] < s else s), max(e, ce)
        speaker = sp_actor = sp_key = None
        k = bisect.bisect_left(m_starts, e)
        if k < len(mentions) and mentions[k][0] < min(ce, e + 40):
            ms, me, aid = mentions[k]
            speaker, sp_actor = text[ms:me], aid
        else:
            k = bisect.bisect_left(m_starts, s) - 1
            if k >= 0 and mentions[k][0] >= ss and s - mentions[k][1] < 30:
                ms, me, aid = mentions[k]
                speaker, sp_actor = text[ms:me], aid
        if sp_actor in self.actor_by_id:
            sp_key = self.actor_by_id[sp_actor].get("key")
        return es, ee, speaker, sp_actor, sp_key

    def claimant(self, mention, kind, sp_actor, ss, s):
        """(actor id, name as written) of the claimant named with the claim noun (ادعاءات أوغلو، البيان الصادر عن
        X), else of the subject of an accusation verb earlier in the sentence; (None, None) when neither."""
        text, mentions, m_starts = self.text, self.mentions, self.m_starts
        if mention and kind != "lie":
            k = bisect.bisect_left(m_starts, mention[0])
            while k < len(mentions) and mentions[k][0] < mention[1] + 60:
                if mentions[k][2] != sp_actor and mentions[k][0] >= mention[1] and _LINK.match(
                        fold(text[mention[1]:mentions[k][0]])):
                    return mentions[k][2], _with_conjunct(text, mentions[k][0], mentions[k][1])
                k += 1
        acc = [a for a in self.accusations if ss <= a[0] < s]
        if acc:
            k = bisect.bisect_left(m_starts, acc[-1][1])
            if k < len(mentions) and mentions[k][0] < acc[-1][1] + 30:
                return mentions[k][2], _with_conjunct(text, mentions[k][0], mentions[k][1])
        return None, None

    def claim(self, s, kind, qi, mention, es, ee, me_key, me_name=None):
        """(claim quotes, claimant name, claimant actor) by the scored choice among the other speakers' quotes
        (:func:`_choose_claim`); ([], None, None) when none is chosen; None when a distant cue (``far``) has no
        claim that shares enough words with it (the hit is then no response)."""
        quotes, offsets = self.quotes, self.offsets
        words = _words(self.f[int(np.searchsorted(offsets, es)):int(np.searchsorted(offsets, ee))])
        if qi is not None:
            words |= self.qwords(qi)
        anaphoric = mention is not None and _DEMONSTRATIVE.match(self.text, mention[0]) is not None
        best = _choose_claim(quotes, self.qkey, me_key, qi, s, words, self.qwords, earlier_only=anaphoric,
                             me_name=me_name)
        if kind == "far" and (best is None or best[1] < W["far_overlap"]):
            return None
        if best is None:
            return [], None, None
        ck = self.qkey[best[0]]
        return ([k for k in range(len(quotes)) if self.qkey[k] == ck and k != qi], quotes[best[0]].get("speaker"),
                quotes[best[0]].get("speaker_actor"))

    def restated(self, found) -> list:
        """A denial restated: the quotes that follow a denial's carrying quote, by the same speaker, one after the
        other, and that hold a negation themselves (ونفى أن يكون قد استمع ... وقال: "لم أستمع إلى تسجيل") are
        denials of the same claim (their cue, their quote; the claim of the denial they go on with)."""
        out = []
        for sp in found:
            qi = sp.get("quote")
            if sp.label != "deny" or qi is None:
                continue
            me = self.qkey[qi] if qi < len(self.qkey) else None
            k = qi + 1
            while me is not None and k < len(self.quotes) and self.qkey[k] == me and k not in self.used_q:
                q = self.quotes[k]
                cue = q.get("cue")
                lo = int(np.searchsorted(self.offsets, cue[0] if cue else q.start))
                hi = int(np.searchsorted(self.offsets, q.end))
                if not _NEGATION.search(self.f, lo, hi):
                    break
                es = min(cue[0], q.start) if cue else q.start
                attrs = dict(sp.attrs, cue=list(cue) if cue else [q.start, q.start], cue_text=q.get("cue_text") or "",
                             quote=k, claim_quotes=[j for j in sp.get("claim_quotes") or [] if j != k])
                self.used_q.add(k)
                out.append(Span(es, q.end, "deny", attrs))
                k += 1
        return out

    def cue_subject(self, s, e, speaker):
        """The subject a cue names between its verb and its preposition (علق أحد المغردين على → أحد المغردين), when it
        is not the carrying quote's speaker and not an adverb; else None."""
        words = self.text[s:e].split()
        if len(words) < 3 or fold(words[-1]) not in _CUE_PREP:
            return None
        mid = words[1:-1]
        if all(fold(w) in _ADVERBS for w in mid):
            return None
        sub = " ".join(mid)
        if set(_name_words(sub)) & set(_name_words(speaker)):
            return None
        return sub

    def respond(self, hit):
        """The response of one cue hit as a Span, or None when the hit answers nothing."""
        s, e, stance, kind, vs, ve = hit
        text, quotes = self.text, self.quotes
        ss, se = _sentence_of(self.starts, self.sentences, s, self.n)
        cm = _CLAUSE_END.search(text, e, se)
        ce = cm.start() if cm else se
        mention, rel = self.mention(s, e, stance, kind, vs, ve, ss, se, ce)
        if kind == "noun" and mention is None:
            return None
        if kind in ("lie", "about"):
            mention = (s, e)
        qi = self.carrying_quote(s, e, kind, vs, rel, ce)
        if qi is not None and qi in self.used_q:
            if not rel:
                return None
            qi = None  # a relative clause of its own (الأمر الذي رفضه) inside the quote of another response
        if qi is None and any(a <= s < b for a, b in self.used_spans):
            return None
        es, ee, speaker, sp_actor, sp_key = self.speaker(s, e, qi, mention, ss, ce)
        me_key = sp_actor or sp_key or speaker
        if stance == "respond" and kind in ("cue", "noun"):
            # after the claim's mention when it is the cue's object (the claim noun itself is no description)
            lo = int(np.searchsorted(self.offsets, mention[1])) if mention and mention[0] >= e else ve
            hi = min(int(np.searchsorted(self.offsets, ce)), lo + _DENIAL_PRED_SPAN)
            if hi > lo and _DENIAL_PRED.search(self.f, lo, hi):
                stance = "deny"
        c_actor, c_name = self.claimant(mention, kind, sp_actor, ss, s)
        if kind == "about" and c_actor is None:
            return None
        if c_actor is not None:
            claim_quotes = [k for k, q in enumerate(quotes) if q.get("speaker_actor") == c_actor and k != qi]
        else:
            claim = self.claim(s, kind, qi, mention, es, ee, me_key, speaker)
            if claim is None:
                return None
            claim_quotes, c_name, c_actor = claim
            subj = self.cue_subject(s, e, speaker) if qi is not None and not claim_quotes else None
            if subj:
                # nobody answers himself: every other quote is the carrying quote's speaker's, so that quote's
                # speaker is the claimant and the subject the cue names (علق أحد المغردين على ذلك) the responder
                speaker, sp_actor, sp_key = subj, None, None
                claim = self.claim(s, kind, qi, mention, es, ee, subj, subj)
                claim_quotes, c_name, c_actor = claim or ([], None, None)
        attrs = {"stance": stance, "cue": [s, e], "cue_text": text[s:e], "speaker": speaker,
                 "speaker_actor": sp_actor, "speaker_key": sp_key, "quote": qi, "claim_quotes": claim_quotes,
                 "claim_speaker": c_name, "claim_actor": c_actor,
                 "claim_mention": text[mention[0]:mention[1]] if mention else None,
                 "claim_start": mention[0] if mention else None, "claim_end": mention[1] if mention else None}
        if qi is not None:
            self.used_q.add(qi)
        self.used_spans.append((es, ee))
        return Span(es, ee, stance, attrs)
