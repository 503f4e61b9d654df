"""``topic`` stage: the article's topic among ANT's six labels, with a calibrated probability.

Layer ``topic`` = ``{"label": str, "score": float, "scores": {label: float}}``.  Model: multinomial logistic
regression over hashed light-stemmed word unigrams and bigrams (:mod:`khabar.events.topic_features`), trained on
the ANT corpus v2.1 by ``training/train_topic.py`` and shipped as ``resources/topic/model.npz`` (float16
weights); the score is the softmax probability after temperature scaling fitted on a later-in-time slice.
Run time needs numpy only.
"""
from __future__ import annotations

import threading

import numpy as np

from ..document import Document
from ..errors import KhabarError
from ..events.topic_features import hashed
from ..pipeline import Stage, register


class TopicModel:
    def __init__(self, path=None):
        from importlib import resources
        if path is None:
            path = resources.files("khabar").joinpath("resources", "topic", "model.npz")
        with path.open("rb") if hasattr(path, "open") else open(path, "rb") as f:
            z = np.load(f, allow_pickle=False)
            self.W = z["W"].astype(np.float32)
            self.b = z["b"].astype(np.float32)
            self.T = float(z["T"])
            self.bits = int(z["bits"])
            self.labels = [str(x) for x in z["labels"]]

    def predict(self, text: str) -> dict:
        idx, val = hashed(text, self.bits)
        z = (val[:, None] * self.W[idx]).sum(0) + self.b if len(idx) else self.b.copy()
        z = z / self.T
        z = z - z.max()
        p = np.exp(z)
        p /= p.sum()
        k = int(p.argmax())
        return {"label": self.labels[k], "score": round(float(p[k]), 4),
                "scores": {l: round(float(v), 4) for l, v in zip(self.labels, p)}}


_MODEL = None
_LOCK = threading.Lock()


def get_model() -> TopicModel:
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                try:
                    _MODEL = TopicModel()
                except (FileNotFoundError, OSError, KeyError) as e:
                    raise KhabarError(f"topic model missing or unreadable ({e}); run training/train_topic.py") from e
    return _MODEL


def classify(text: str, title: str | None = None) -> dict:
    return get_model().predict(((title or "") + "\n" + text) if title else text)


@register
class TopicStage(Stage):
    name = "topic"
    version = "1"
    requires = ()
    produces = ("topic",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(topic=classify(doc.text, doc.meta.get("title")))
