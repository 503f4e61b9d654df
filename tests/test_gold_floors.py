"""Gold floors that guard what ships (tests/gold_floors.json, measured by tests/_gold_helpers.py).

For every gold set (the seed/dev/dev2 gold articles through the default pipeline, the entity scorer on dev/dev2,
the NER, segmenter, topic and protest evaluations) and every figure it reports: the gold data is the one the floors
were pinned on (SHA-256 digest), the figure is at or above its floor (measured - epsilon) and not above measured +
margin (an improvement: re-pin to raise the floor), and every figure measured is pinned.  Skipped when ../shared is
absent.  Re-pin with ``python tests/pin_gold_floors.py`` (``--allow-lower`` to lower a floor on purpose).
"""
from __future__ import annotations

import json

import pytest

import _gold_helpers as G

FLOORS = G.load_floors()
CASES = [(s, f) for s, entry in FLOORS["sets"].items() for f in entry["figures"]]


def _measured(set_name: str) -> tuple[tuple[str, int], dict[str, float]]:
    try:
        return G.digest(set_name), G.measure(set_name)
    except G.GoldMissing as e:
        pytest.skip(str(e))


@pytest.mark.parametrize("set_name", sorted(FLOORS["sets"]))
def test_gold_data_unchanged(set_name):
    try:
        now = G.digest(set_name)
    except G.GoldMissing as e:
        pytest.skip(str(e))
    msg = G.check_digest(set_name, FLOORS["sets"][set_name], now)
    if msg:
        pytest.fail(msg, pytrace=False)


@pytest.mark.parametrize("set_name,figure", CASES, ids=[f"{s}:{f}" for s, f in CASES])
def test_gold_floor(set_name, figure):
    entry = FLOORS["sets"][set_name]
    now, figs = _measured(set_name)
    if G.check_digest(set_name, entry, now):
        pytest.skip(f"the gold data of {set_name} changed: test_gold_data_unchanged[{set_name}] fails and says how "
                    "to re-pin")
    msg = None
    if figure not in figs:
        msg = f"{set_name} {figure} is pinned but no longer measured: re-pin with {G.PIN_COMMAND} --allow-lower"
    if msg is None:
        msg = G.check_figure(set_name, figure, figs[figure], entry["figures"][figure], FLOORS["margin"])
    if msg:
        pytest.fail(msg, pytrace=False)


@pytest.mark.parametrize("set_name", sorted(G.GOLD_SETS))
def test_every_figure_is_pinned(set_name):
    assert set_name in FLOORS["sets"], f"gold set {set_name} has no floors: run {G.PIN_COMMAND} --set {set_name}"
    _, figs = _measured(set_name)
    missing = sorted(set(figs) - set(FLOORS["sets"][set_name]["figures"]))
    assert not missing, f"{set_name}: figures {missing} are measured but not pinned: run {G.PIN_COMMAND}"


def test_floors_file_is_consistent():
    eps = FLOORS["epsilon"]
    assert 0 < eps <= 0.01 and 0 < FLOORS["margin"] <= 0.01
    assert set(FLOORS["sets"]) == set(G.GOLD_SETS)
    for name, entry in FLOORS["sets"].items():
        assert entry["digest"].startswith("sha256:") and len(entry["digest"]) == 7 + 64
        for fig, p in entry["figures"].items():
            assert 0 <= p["floor"] <= p["measured"] <= 1, (name, fig, p)
            assert p["floor"] == G.floor_of(p["measured"], eps), (name, fig, p)


# ---- the guard itself, on fake figures -----------------------------------------------------------------------
PIN = {"measured": 0.9372, "floor": 0.9322}


@pytest.mark.parametrize("value,verdict", [
    (0.9372, None), (0.9322, None), (0.9400, None), (0.9422, None),  # within [floor, measured + margin]
    (0.9321, "fell to 0.9321, below its floor 0.9322"), (0.8372, "fell to 0.8372"),
    (0.9423, "figure dev quotes.f1 improved from 0.9372 to 0.9423: run python tests/pin_gold_floors.py to raise "
             "its floor"),
])
def test_check_figure(value, verdict):
    msg = G.check_figure("dev", "quotes.f1", value, PIN, margin=0.005)
    assert (msg is None) if verdict is None else (verdict in msg), msg


def _doc(**figs):
    return {"epsilon": 0.005, "margin": 0.005,
            "sets": {"dev": {"about": "", "digest": "sha256:a", "files": 2,
                             "figures": {k: {"measured": v, "floor": G.floor_of(v, 0.005)} for k, v in figs.items()}}}}


def test_repin_raises_freely_and_refuses_to_lower():
    doc = _doc(**{"quotes.f1": 0.9, "dates.f1": 0.8, "sources.f1": 0.7})
    new, refused, changes = G.repin(doc, {"dev": (("sha256:a", 2), {"quotes.f1": 0.95, "dates.f1": 0.798,
                                                                     "sources.f1": 0.6, "events.f1": 0.5})})
    assert refused == ["dev sources.f1: 0.6000 is below its floor 0.6950 (pinned 0.7000); lowering needs "
                       "--allow-lower"]
    f = new["sets"]["dev"]["figures"]
    assert f["quotes.f1"] == {"measured": 0.95, "floor": 0.945}          # raised
    assert f["dates.f1"] == doc["sets"]["dev"]["figures"]["dates.f1"]    # fell within epsilon: kept
    assert f["events.f1"] == {"measured": 0.5, "floor": 0.495}           # new
    assert any("raised" in c for c in changes) and any("kept" in c for c in changes)
    new, refused, changes = G.repin(doc, {"dev": (("sha256:a", 2), {"quotes.f1": 0.9, "dates.f1": 0.8,
                                                                     "sources.f1": 0.6})}, allow_lower=True)
    assert not refused and new["sets"]["dev"]["figures"]["sources.f1"] == {"measured": 0.6, "floor": 0.595}
    assert any("LOWERED" in c for c in changes)


def test_repin_refuses_to_drop_a_floor_and_records_a_new_digest():
    doc = _doc(**{"quotes.f1": 0.9, "dates.f1": 0.8})
    new, refused, _ = G.repin(doc, {"dev": (("sha256:b", 3), {"quotes.f1": 0.9})})
    assert refused and "dates.f1: pinned but no longer measured" in refused[0]
    new, refused, changes = G.repin(doc, {"dev": (("sha256:b", 3), {"quotes.f1": 0.9})}, allow_lower=True)
    assert not refused and list(new["sets"]["dev"]["figures"]) == ["quotes.f1"]
    assert new["sets"]["dev"]["digest"] == "sha256:b" and new["sets"]["dev"]["files"] == 3
    assert any("gold data changed" in c for c in changes)


def test_changed_gold_data_fails_with_how_to_repin():
    msg = G.check_digest("dev", {"digest": "sha256:" + "a" * 64, "files": 48}, ("sha256:" + "b" * 64, 49))
    assert "gold data of dev changed" in msg and "python tests/pin_gold_floors.py --set dev" in msg
    assert G.check_digest("dev", {"digest": "sha256:x", "files": 1}, ("sha256:x", 1)) is None


def test_dropping_half_the_quotes_breaks_the_dev_floors(tmp_path):
    """End to end on the real dev predictions: remove every second quote, re-score, and the floors catch it."""
    from khabar.evaluate import score_dir

    try:
        g, pred = G.gold_dir("dev"), G.predictions("dev")
    except G.GoldMissing as e:
        pytest.skip(str(e))
    for f in pred.glob("*.json"):
        d = json.loads(f.read_text(encoding="utf-8"))
        d["quotes"] = d.get("quotes", [])[::2]
        (tmp_path / f.name).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    figs = G.flat_figures(score_dir(g, tmp_path))
    pinned = FLOORS["sets"]["dev"]["figures"]
    failing = {k for k in pinned if G.check_figure("dev", k, figs[k], pinned[k], FLOORS["margin"])}
    assert {"quotes.f1", "quotes_with_speaker.f1", "quote_recall_direct", "quote_recall_indirect"} <= failing
    assert "dates.f1" not in failing and "sources.f1" not in failing
