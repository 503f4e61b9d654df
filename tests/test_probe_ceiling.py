"""bench/probe_ceiling.py: its ceilings are the expected reciprocal rank of the source under random ties, computed
right on a hand-made collection (no ../shared needed)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import probe_ceiling  # noqa: E402


def test_harmonic_rr():
    assert probe_ceiling.harmonic_rr(1) == 1.0
    assert probe_ceiling.harmonic_rr(2) == pytest.approx(0.75)
    assert probe_ceiling.harmonic_rr(4) == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)


def test_fold_is_the_search_folding_of_typed_words():
    assert probe_ceiling.fold("الْمَدِينَة") == "المدينه"
    assert probe_ceiling.fold("أعلن") == probe_ceiling.fold("اعلن")


def test_ceilings_on_a_small_collection():
    rows = [{"docno": "s1", "text": "أعلنت الحكومة الخطة الجديدة"},
            {"docno": "s2", "text": "زار الوفد المدينة القديمة"}]
    extra = [{"docno": "x1", "text": "الحكومة الحكومة قررت"},          # the source's word, twice
             {"docno": "x2", "text": "قالت الحكومة اليوم"},            # the source's word, once, as the source
             {"docno": "x3", "text": "والحكومة أعلنت"}]                 # the typed word only
    probes = [("s1", "clitic", "والحكومة", "الحكومة")]
    res = probe_ceiling.ceilings(rows, extra, probes)
    # alone, the source is the only holder of its word and of the typed word's second tier
    assert res["sample"]["source_form"] == 1.0 and res["sample"]["typed"] == 1.0
    d = res["with_distractors"]
    assert d["source_form"] == round(probe_ceiling.harmonic_rr(3), 3)     # s1, x1, x2 hold الحكومة
    assert d["source_form_tf"] == round(probe_ceiling.harmonic_rr(2), 3)  # only x2 holds it once, as s1 does
    # x3 holds the typed word and ranks above; then s1 among s1, x1, x2 in random order: ranks 2-4
    assert d["typed"] == round((1 / 2 + 1 / 3 + 1 / 4) / 3, 3)
