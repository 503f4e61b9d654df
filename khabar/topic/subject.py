"""What an article is about, in words a reader recognises: its **subject** among a small fixed set.

Layer ``subject`` = ``{"label": one of SUBJECTS, "score": float, "scores": {label: float}}``.  Model: one-vs-rest
linear SVM over hashed light-stemmed word unigrams and bigrams (IDF-weighted) and the title's words, text only
(:mod:`khabar.topic.features`; neither the outlet nor the URL is read), trained by ``training/train_subject.py`` on
ANT's sections mapped onto the subjects (internationalNews and middleEast -> politics) and on the sections of the
SaudiNewsNet outlets that have them, shipped as ``resources/topic/subject.npz`` (float16 weights); the score is the
softmax of the margins after temperature scaling.  Run time needs numpy only.
"""
from __future__ import annotations

import threading

import numpy as np

from ..errors import KhabarError
from .features import hashed

# politics (and conflict), economy (and business), sport, culture (and entertainment), technology (and science),
# health, society (local affairs, education, crime, religion, weather, people)
SUBJECTS = ("politics", "economy", "sport", "culture", "technology", "health", "society")


class SubjectModel:
    def __init__(self, path=None):
        from ..npz import load_npz

        z = load_npz("topic", "subject.npz", path=path)
        self.W = z["W"].astype(np.float32)
        self.b = z["b"].astype(np.float32)
        self.T = float(z["T"])
        self.bits = int(z["bits"])
        self.idf = z["idf"].astype(np.float32)
        self.labels = [str(x) for x in z["labels"]]
        # the words of title + text read (train_subject.py --max-words: the lead); without it, 1,500
        self.max_words = int(z["max_words"]) if "max_words" in z else 1500

    def predict(self, text: str, title: str | None = None) -> dict:
        idx, val = hashed(text, self.bits, self.max_words, title=title, idf=self.idf, use_url=False,
                          use_outlet=False)
        z = (val[:, None] * self.W[idx]).sum(0) + self.b if len(idx) else self.b.copy()
        z = z / self.T
        z = z - z.max()
        p = np.exp(z)
        p /= p.sum()
        k = int(p.argmax())
        return {"label": self.labels[k], "score": round(float(p[k]), 4),
                "scores": {label: round(float(v), 4) for label, v in zip(self.labels, p)}}


_MODEL = None
_LOCK = threading.Lock()


def get_subject_model() -> SubjectModel:
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                try:
                    _MODEL = SubjectModel()
                except (FileNotFoundError, OSError, KeyError) as e:
                    raise KhabarError(f"subject model missing or unreadable ({e}); run training/train_subject.py") \
                        from e
    return _MODEL


def classify_subject(text: str, title: str | None = None) -> dict:
    """The subject of a text (and its title, when given)."""
    return get_subject_model().predict(text, title)
