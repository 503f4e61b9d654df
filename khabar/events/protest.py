"""Sentence-level event detector in the style of the arabic_event_gsr gold standard (PROTEST = CAMEO 14; the same
features serve ASSAULT = CAMEO 18 given its own stems): logistic regression over hashed folded word stems,
event-vocabulary stems, the rule detector of :func:`khabar.events.extract.detect_event`, CAMEO roots of the trigger
lexicon, and **trigger-centred features**: for every word that holds an event stem, the words within three tokens
of it (as a bag and by relative position), the stem itself, whether it opens its clause or is negated, and
sentence cues that separate a reported occurrence from talk about one (a time anchor such as أمس, a crowd count,
a verb of saying, a future prefix).  Trained on the arabic_event_gsr PROTEST sentences by
``training/train_protest.py`` (weights in ``resources/events/protest.npz``; numpy only at run time).

``protest_score(text)`` is the model's probability that the sentence reports a protest; ``is_protest(text)``
compares it with the threshold chosen by cross-validation at training time.
"""
from __future__ import annotations

import re
import threading
import zlib

import numpy as np

from ..topic.features import words

BITS = 16
_MODEL = None
_LOCK = threading.Lock()


# stems of protest vocabulary, searched as substrings of the folded sentence (one feature each, plus their count)
_ROOTS = ("ظاهر", "حتج", "عتصم", "حتشد", "تجمهر", "مسير", "هتف", "هتاف", "شعار", "اضراب", "مضرب", "شغب", "عصيان",
          "غاضب", "اطار", "قطع", "تجمع", "حشود", "جماهير", "انتفاض", "تنديد", "منددين", "لافت", "اغلق", "حجار",
          "مناهض", "ثور", "معارض", "مطالب", "الشارع", "الشوارع", "مواجه")
_CROWD = ("الاف", "مئات", "عشرات", "حشود", "جماهير")
# stems that anchor the trigger-centred window features, per event kind (folded, searched as substrings of a word)
WINDOW_STEMS = {
    "protest": ("ظاهر", "حتج", "عتصم", "حتشد", "تجمهر", "مسير", "هتف", "هتاف", "شعار", "اضراب", "مضرب", "شغب",
                "عصيان", "لافت", "تجمع", "حشود", "ندد", "تنديد",
                # the acts that make a protest visible: took to / went out into the streets, marched, chanted, raised
                # banners, blocked roads, burnt tyres, stormed, besieged, flooded (خرجوا، نزلوا، ساروا، رددوا ...)
                "خرج", "نزل", "سار", "ردد", "رفع", "طريق", "اطارات", "غضب", "شوارع", "تدفق", "حاصر", "اقتحم"),
    "assault": ("اغتال", "اغتيال", "خطف", "اختطاف", "عذب", "تعذيب", "طعن", "اعتدا", "اعتدي", "فجر", "تفجير", "ذبح",
                "قتل", "مقتل", "اعدم", "اغتصب", "ضرب", "اصاب", "اصيب", "جرح", "جرحي", "هاجم", "هجوم", "انتحاري",
                "مسلح", "النار", "رصاص", "عبوه", "مفخخ"),
}
WINDOW = 3
_TOK = re.compile(r"[\u0621-\u064a]+|\d+|[^\s\w]")
_SAID = {"قال", "وقال", "قالت", "وقالت", "اكد", "واكد", "اكدت", "واكدت", "اضاف", "واضاف", "اضافت", "واضافت", "اوضح",
         "واوضح", "اعتبر", "واعتبر", "راي", "يري", "يقول", "تقول"}
_TIME = {"امس", "اليوم", "الليله", "صباح", "مساء", "ظهر", "فجر"}
_COUNT = {"الاف", "مئات", "عشرات", "الف", "مئه", "مائه", "نحو", "حوالي", "حوالى"}
_NEG = {"لم", "لن", "لا", "عدم"}


def window_features(ft: str, kind: str = "protest", window: int = WINDOW) -> set[str]:
    """Trigger-centred features of a folded sentence ``ft`` (see the module's doc)."""
    stems = WINDOW_STEMS.get(kind, ())
    toks = _TOK.findall(ft)
    hits = [k for k, w in enumerate(toks) if any(r in w for r in stems)]
    fs = set()
    for k in hits:
        for d in range(-window, window + 1):
            if 0 <= k + d < len(toks):
                w = toks[k + d]
                fs.add("win:" + w[:6])
                fs.add("wd%d:%s" % (d, w[:5]))
        fs.add("hit:" + toks[k][:7])
        if k <= 2:
            fs.add("hit_initial")
        if k > 0 and toks[k - 1] in _NEG:
            fs.add("hit_neg")
    fs.add("nhits%d" % min(len(hits), 4))
    if any(w in _SAID for w in toks):
        fs.add("said")
    if any(w in _TIME for w in toks):
        fs.add("time_anchor")
    if any(c.isdigit() for c in ft) or any(w in _COUNT for w in toks):
        fs.add("count")
    if any(len(w) > 4 and w.startswith(("سي", "ست")) for w in toks[:6]):
        fs.add("future")
    fs.add("len%d" % min(len(toks) // 15, 4))
    return fs


def features(text: str, bits: int = BITS, kind: str = "protest") -> tuple[np.ndarray, np.ndarray]:
    """(bucket indices, values) of one sentence: binary features, unit L2 norm."""
    from ..text.normalize import fold
    from .extract import detect_event, trigger_roots

    feats = {"w:" + w for w in words(text)}
    if detect_event(text, kind):
        feats.add("x:detect")
    for r in trigger_roots(text):
        feats.add("x:root" + r)
    ft = fold(text, search=True)
    n = 0
    for r in (_ROOTS if kind == "protest" else WINDOW_STEMS.get(kind, ())):
        if r in ft:
            feats.add("r:" + r)
            n += 1
    feats.add("r:n%d" % min(n, 4))
    if n and any(c in ft for c in _CROWD):
        feats.add("r:crowd+")
    feats |= {"z:" + f for f in window_features(ft, kind)}
    feats.add("x:bias")
    mask = (1 << bits) - 1
    idx = np.array(sorted({zlib.crc32(f.encode()) & mask for f in feats}), dtype=np.int64)
    val = np.full(len(idx), 1 / np.sqrt(len(idx)), dtype=np.float32)
    return idx, val


class ProtestModel:
    def __init__(self, path=None):
        from ..npz import load_npz

        z = load_npz("events", "protest.npz", path=path)
        self.w = z["w"].astype(np.float32)
        self.b = float(z["b"])
        self.threshold = float(z["threshold"])
        self.bits = int(z["bits"])

    def score(self, text: str) -> float:
        idx, val = features(text, self.bits)
        z = float(val @ self.w[idx]) + self.b
        return float(1 / (1 + np.exp(-z)))


def get_model() -> ProtestModel | None:
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                try:
                    _MODEL = ProtestModel()
                except (FileNotFoundError, OSError, KeyError):
                    _MODEL = False
    return _MODEL or None


def protest_score(text: str) -> float | None:
    m = get_model()
    return m.score(text) if m else None


def is_protest(text: str) -> bool:
    m = get_model()
    if m is None:
        from .extract import detect_event
        return bool(detect_event(text, "protest"))
    return m.score(text) >= m.threshold
