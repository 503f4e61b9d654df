"""Dateline: city, country, agency at the opening of an article."""
from __future__ import annotations

import pytest

from khabar.dates import find_dateline
from _gold_helpers import figures


@pytest.mark.parametrize("text,city,country,agency", [
    ("باريس، فرنسا (CNN)-- أعلنت الحكومة", "باريس", "فرنسا", "CNN"),
    ("بيروت (CNN)-- قال", "بيروت", None, "CNN"),
    ("الرياض - واس:\nأعلنت الوزارة", "الرياض", None, "واس"),
    ("(أ ف ب) - أعلن الجيش", None, None, "أ ف ب"),
    ("القاهرة، مصر (رويترز) – قال مسؤول", "القاهرة", "مصر", "رويترز"),
    ("محمد علي – سبق: افتتح الأمير", None, None, "سبق"),
])
def test_datelines(text, city, country, agency):
    d = find_dateline(text)
    assert d is not None
    assert (d["city"], d["country"], d["agency"]) == (city, country, agency)
    assert text[d["start"]:d["end"]].strip()


@pytest.mark.parametrize("text", [
    "قال وزير الخارجية إن المحادثات ستستمر.",
    "أعلنت الحكومة (في بيان مطول) أن الانتخابات ستجري في موعدها وأن الاستعدادات مكتملة تماما.",
])
def test_no_dateline(text):
    assert find_dateline(text) is None


def test_seed_dateline():
    assert figures("seed")["dateline_field_accuracy"] == 1.0  # the default pipeline


# dev/dev2 floors of every scorer figure: tests/test_gold_floors.py (tests/gold_floors.json)
