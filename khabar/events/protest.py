"""Sentence-level PROTEST (CAMEO 14) detector: logistic regression over hashed folded word stems, protest-vocabulary
stems and trigger features (the rule detector of :func:`khabar.events.extract.detect_event`, CAMEO roots of the
trigger lexicon), trained on the arabic_event_gsr PROTEST sentences by
``training/train_protest.py`` (weights in ``resources/events/protest.npz``; numpy only at run time).

``protest_score(text)`` is the model's probability that the sentence reports a protest; ``is_protest(text)``
compares it with the threshold chosen by cross-validation at training time.
"""
from __future__ import annotations

import threading
import zlib

import numpy as np

from .topic_features import words

BITS = 15
_MODEL = None
_LOCK = threading.Lock()


# stems of protest vocabulary, searched as substrings of the folded sentence (one feature each, plus their count)
_ROOTS = ("ظاهر", "حتج", "عتصم", "حتشد", "تجمهر", "مسير", "هتف", "هتاف", "شعار", "اضراب", "مضرب", "شغب", "عصيان",
          "غاضب", "اطار", "قطع", "تجمع", "حشود", "جماهير", "انتفاض", "تنديد", "منددين", "لافت", "اغلق", "حجار",
          "مناهض", "ثور", "معارض", "مطالب", "الشارع", "الشوارع", "مواجه")
_CROWD = ("الاف", "مئات", "عشرات", "حشود", "جماهير")


def features(text: str, bits: int = BITS) -> tuple[np.ndarray, np.ndarray]:
    """(bucket indices, values) of one sentence: binary features, unit L2 norm."""
    from ..text.normalize import fold
    from .extract import detect_event, trigger_roots

    feats = {"w:" + w for w in words(text)}
    if detect_event(text, "protest"):
        feats.add("x:detect")
    for r in trigger_roots(text):
        feats.add("x:root" + r)
    ft = fold(text, search=True)
    n = 0
    for r in _ROOTS:
        if r in ft:
            feats.add("r:" + r)
            n += 1
    feats.add("r:n%d" % min(n, 4))
    if n and any(c in ft for c in _CROWD):
        feats.add("r:crowd+")
    feats.add("x:bias")
    mask = (1 << bits) - 1
    idx = np.array(sorted({zlib.crc32(f.encode()) & mask for f in feats}), dtype=np.int64)
    val = np.full(len(idx), 1 / np.sqrt(len(idx)), dtype=np.float32)
    return idx, val


class ProtestModel:
    def __init__(self, path=None):
        from importlib import resources
        if path is None:
            path = resources.files("khabar").joinpath("resources", "events", "protest.npz")
        with path.open("rb") if hasattr(path, "open") else open(path, "rb") as f:
            z = np.load(f, allow_pickle=False)
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
