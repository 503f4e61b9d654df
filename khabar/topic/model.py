"""The topic model: an article's topic among ANT's six labels, with a calibrated probability.

Layer ``topic`` = ``{"label": str, "score": float, "scores": {label: float}}``.  Model: one-vs-rest linear SVM
over hashed light-stemmed word unigrams and bigrams with IDF weights, the title's words, and -- when the document's
``meta`` names its outlet (or its URL's host does) -- outlet-specific copies of every feature
(:mod:`khabar.topic.features`), trained on the ANT corpus v2.1 by ``training/train_topic.py`` and shipped as
``resources/topic/model.npz`` (float16 weights); the score is the softmax of the margins after temperature scaling
fitted on a later-in-time slice.  The URL's path is never read: ANT's paths spell the section, which is the label.
The model was trained with the outlet randomly hidden, so it serves plain text too.  Run time needs numpy only.
"""
from __future__ import annotations

import threading

import numpy as np

from ..errors import KhabarError
from .features import hashed, outlet_key


class TopicModel:
    def __init__(self, path=None):
        from ..npz import load_npz

        z = load_npz("topic", "model.npz", path=path)
        self.W = z["W"].astype(np.float32)
        self.b = z["b"].astype(np.float32)
        self.T = float(z["T"])
        self.bits = int(z["bits"])
        self.ubits = int(z["ubits"]) if "ubits" in z else 10
        self.url_weight = float(z["url_weight"]) if "url_weight" in z else 1.0
        self.idf = z["idf"].astype(np.float32) if "idf" in z else None
        self.labels = [str(x) for x in z["labels"]]

    def predict(self, text: str, title: str | None = None, outlet: str | None = None, url: str | None = None) -> dict:
        # the URL's path is never read (ANT's paths spell the section, i.e. the label); its host names the outlet
        o = outlet_key(outlet, url)
        idx, val = hashed(text, self.bits, title=title, outlet=o, url=None, idf=self.idf, ubits=self.ubits,
                          url_weight=self.url_weight, use_url=False)
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


def classify(text: str, title: str | None = None, outlet: str | None = None, url: str | None = None) -> dict:
    """Topic of a text; ``outlet`` (name or host) and ``url`` are optional metadata that the model uses when given."""
    return get_model().predict(text, title, outlet, url)
