"""The demo corpus's home page: its top 30 actors and speakers are actors a reader can trust.

No outlet's own credit (the dateline agency ``(CNN)``, the article's own outlet, its call to readers), no currency or
unit, no bare common noun (``الشركة``، ``الشرطة``، ``مقطع فيديو``) among them.  The 300 bundled articles are analysed
as the demo loads them (with their outlet), and actors and speakers are counted by articles, as the home page does.
"""
import collections
import gzip
import json

import pytest

import khabar
from khabar.actors.cluster import _UNITS, _outlet_names
from khabar.actors.names import name_key
from khabar.actors.speakers import is_unnamed
from khabar.store.demo import DEMO_FILE

TOP = 30


@pytest.fixture(scope="module")
def demo_counts():
    if not DEMO_FILE.exists():
        pytest.skip("the demo corpus is not installed")
    actors: collections.Counter = collections.Counter()
    speakers: collections.Counter = collections.Counter()
    names: dict = {}
    outlets: set = set()
    with gzip.open(DEMO_FILE, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for r in rows:
        doc = khabar.analyze(r["text"], only=["quotes"], outlet=r.get("src"), title=r.get("title"))
        outlets.add(name_key(r.get("src") or ""))
        by_id = {a["id"]: a for a in doc.layers["actors"]}
        for a in by_id.values():
            names[a["key"]] = a["name"]
        actors.update({a["key"] for a in by_id.values()})
        speakers.update({by_id[q.attrs["speaker_actor"]]["key"] for q in doc.layers["quotes"]
                         if (q.attrs or {}).get("speaker_actor") in by_id})
    for o in list(outlets):
        outlets |= _outlet_names().get(o, frozenset())
    return actors, speakers, names, outlets, len(rows)


def _problems(counter, names, outlets):
    out = []
    for key, n in counter.most_common(TOP):
        name = names[key]
        k = name_key(name)
        words = k.split()
        first = words[0][2:] if words[0].startswith("ال") and len(words[0]) > 3 else words[0]
        if k in outlets or key.partition(":")[2] in outlets:
            out.append((key, n, "the outlet's own credit"))
        elif first in _UNITS:
            out.append((key, n, "a currency or unit"))
        elif "@" not in key and is_unnamed(name):
            out.append((key, n, "a common noun with a cross-document key"))
    return out


def test_demo_corpus_is_analysed(demo_counts):
    actors, speakers, _names, outlets, n = demo_counts
    assert n == 300 and len(actors) > 500 and sum(speakers.values()) > 100
    assert name_key("بي بي سي") in outlets and name_key("CNN") in outlets


def test_top_actors_are_trusted(demo_counts):
    actors, _speakers, names, outlets, _n = demo_counts
    assert _problems(actors, names, outlets) == []


def test_top_speakers_are_trusted(demo_counts):
    _actors, speakers, names, outlets, _n = demo_counts
    assert _problems(speakers, names, outlets) == []
