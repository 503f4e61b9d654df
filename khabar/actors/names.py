"""Name keys and the country index that actors are matched on."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..text.normalize import fold

TYPE_KEY = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "GPE": "GPE"}


@dataclass
class PlaceIndex:
    names: dict            # folded alias → (iso3, canonical, is_capital)
    first: dict            # folded first word → sorted lengths (in words), longest first


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """Every alias and spelling of a state and its capitals (``resources/actors/countries.tsv``), folded."""
    names: dict[str, tuple[str, str, bool]] = {}
    text = resources.files("khabar").joinpath("resources", "actors", "countries.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + ["", "", "", ""])[:5]
        iso3, canon, aliases, capitals = cols[0], cols[1], cols[2], cols[3]
        for a in [canon] + [x for x in aliases.split("|") if x]:
            names.setdefault(fold(a, search=True), (iso3, canon, False))
        for c in (x for x in capitals.split("|") if x):
            names.setdefault(fold(c, search=True), (iso3, canon, True))
    first: dict[str, list[int]] = {}
    for k in names:
        w = k.split()
        first.setdefault(w[0], set()).add(len(w))
    return PlaceIndex(names, {k: sorted(v, reverse=True) for k, v in first.items()})


_KEY_CACHE: dict[str, str] = {}  # name -> name_key(name), bounded (emptied when full)


def name_key(text: str) -> str:
    """A name folded for matching (hamza forms, ى/ي, ة/ه, diacritics, tatweel) with single spaces."""
    k = _KEY_CACHE.get(text)
    if k is None:
        k = " ".join(fold(text, search=True).split())
        if len(text) <= 64:
            if len(_KEY_CACHE) >= 200_000:
                _KEY_CACHE.clear()
            _KEY_CACHE[text] = k
    return k
