"""Which phrase speaks: a logistic-regression scorer over speaker candidates (pass 6 of :mod:`.sieve`).

The rules of :mod:`.passes.speakers` *propose* candidates for a quote's speaker -- the subject after the verb
(whole, its head, its first words), the subject before it (after a clause opener, فإن / لأن / حتى, or the noun a
relative clause opened by the verb describes), the name after ما يسمى, the subject of an earlier cue of the sentence,
agreeing actors of the sentence, the last (agreeing) speaker, named entities of the sentence and of the one before -- each
described by a dictionary of features (:meth:`SpeakerReading._cand_features`).  This module *chooses*: the
candidate with the highest linear score.  The weights are trained on the project's gold annotations by
``training/train_speaker.py`` and shipped as ``khabar/resources/attribution/speaker_model.json`` (see its
PROVENANCE.md); they are read once per process, lazily, with the standard library only (no sklearn at run time).

Without the resource file the first candidate -- the rules' own choice -- wins.
"""
from __future__ import annotations

import json
from itertools import repeat
from pathlib import Path

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "attribution" / "speaker_model.json"

_UNSET = object()
_ZEROS = repeat(0.0)
_model = _UNSET
# training hook: a list that receives one record per speaker decision (None at run time)
RECORD: list | None = None


def get_model():
    """The weights ({"bias": float, "weights": {feature: float}}), read once; None when the file is absent."""
    global _model
    if _model is _UNSET:
        try:
            _model = json.loads(RESOURCE.read_text(encoding="utf-8"))
        except FileNotFoundError:
            _model = None
    return _model


def set_model(model) -> None:
    """Use ``model`` (a weights dict, or None for the rules' own choice) instead of the shipped file; training
    and cross-validation call this.  ``reset_model()`` goes back to the file."""
    global _model
    _model = model


def reset_model() -> None:
    global _model
    _model = _UNSET


def score(feats: dict, model) -> float:
    """The linear score of a candidate; its features are binary (every value 1.0), so the weights of its
    feature names are summed."""
    return model["bias"] + sum(map(model["weights"].get, feats, _ZEROS))


def choose(feature_dicts: list) -> int:
    """Index of the best candidate (0, the rules' choice, without a model)."""
    model = get_model()
    if model is None or len(feature_dicts) < 2:
        return 0
    best, best_s = 0, None
    for k, f in enumerate(feature_dicts):
        s = score(f, model)
        if best_s is None or s > best_s:
            best, best_s = k, s
    return best
