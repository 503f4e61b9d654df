"""Schemathesis set-up for khabar's API: test-data strategies for the two formats of its OpenAPI document.

``khabar-query`` (the search language of ``q`` and ``about``: words, "phrases", -excluded, prefix*, OR,
parentheses) and ``khabar-article`` (the text of an article to analyse) are defined by a parser and the analyser,
not by a regular expression; these strategies draw well-formed values of each, so the positive-data check sends
requests the API must accept.  Used by ``tests/test_server_schema.py``, and by the command line::

    PYTHONPATH=tests SCHEMATHESIS_HOOKS=st_hooks st --config-file tests/schemathesis.toml \\
        run http://127.0.0.1:8000/openapi.json --checks all
"""
from __future__ import annotations

import schemathesis
from hypothesis import strategies as st

WORDS = ["باسيل", "إيران", "ايران", "الحكومة", "قال", "لبنان", "ظريف", "ماكرون", "وزير", "الخارجية", "رويترز",
         "CNN", "2018", "بيروت", "الاتفاق", "النووي", "مصر"]
ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B) if c != 0x0640]

word = st.sampled_from(WORDS) | st.text(alphabet=ARABIC_LETTERS, min_size=2, max_size=7)
positive = (word
            | st.lists(word, min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"')
            | word.map(lambda w: w[:3] + "*"))


@st.composite
def _query(draw) -> str:
    parts = [draw(positive) for _ in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        parts.append("-" + draw(word))
    q = " ".join(parts)
    if draw(st.booleans()):
        q = f"({q}) OR {draw(positive)}"
    return q


query = _query()
article = st.lists(st.sampled_from(WORDS + ["،", ".", "إن", "\"", "يوم", "الأحد"]), min_size=1, max_size=40).map(
    lambda ws: "قال " + " ".join(ws))

schemathesis.openapi.format("khabar-query", query)
schemathesis.openapi.format("khabar-article", article)
