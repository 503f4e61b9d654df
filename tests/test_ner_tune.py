"""training/tune_ner_features.py: the trial feature groups add features and keep every shipped one."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.features import FeatureExtractor, Resources  # noqa: E402
from tune_ner_features import VariantFeatures  # noqa: E402

TOKENS = "وقال الرئيس الأمريكي باراك أوباما في واشنطن 2015".split()


def test_variants_extend_the_shipped_features():
    res = Resources.load()
    base = FeatureExtractor(res).sent_features(TOKENS)
    for variant in ({"clctx"}, {"affctx", "affctx2"}, {"clbare", "clpair"}):
        got = VariantFeatures(res, variant).sent_features(TOKENS)
        assert len(got) == len(base)
        added = [set(g) - set(b) for g, b in zip(got, base)]
        assert all(set(b) <= set(g) for g, b in zip(got, base))
        assert any(added), variant
    ctx = VariantFeatures(res, {"clctx"}).sent_features(TOKENS)
    assert any(f.startswith("+1cd=") for f in ctx[4])  # أوباما's finest cluster seen from باراك
    aff = VariantFeatures(res, {"affctx"}).sent_features(TOKENS)
    assert "+1bs3=نطن" in aff[5]  # واشنطن's suffix seen from في
    assert not any(f.startswith("+1b") for f in aff[6] if f[2:5] in ("bp1", "bs1"))  # 2015: no affixes
