#!/usr/bin/env python3
"""Fuzz target: the whole analysis pipeline (``khabar analyze``), coverage-guided by atheris.

Each input is bytes; its first byte picks how they become an article:

* 0: UTF-8 (invalid bytes replaced) — arbitrary Unicode, controls, bidi, astral characters;
* 1: each byte picks a letter, mark or whole word from a table of Arabic news material (letters, harakat,
  tatweel, presentation forms, every kind of quotation mark, reporting verbs, cues, month names, digits of three
  scripts, zero-width and bidi controls, newlines), so the fuzzer reaches the quotation, source, date and event
  rules quickly;
* 2: raw bytes through the reader (encoding detection, binary refusal), then the pipeline — a coded
  :class:`~khabar.errors.InputError` is a correct answer;
* 3: a JSON article object around the text of mode 1 (the ``khabar analyze file.json`` path).

The property: no exception other than a coded input error, and every invariant of :mod:`fuzz._checks` (spans in
the text and slicing to what they claim, the JSON schema, a JSON round trip).

    python fuzz/fuzz_analyze.py -runs=100000            # N inputs (atheris; seeds from fuzz/seeds/analyze)
    python fuzz/fuzz_analyze.py -max_total_time=60      # or a time budget
    python fuzz/fuzz_analyze.py --fallback -runs=2000   # without atheris: random and mutated seeds
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz._runner import main  # noqa: E402

WORDS = ["قال", "وقال", "وأضاف", "وقالت", "مضيفا", "إن", "أن", "بحسب", "وفقا ل", "نقلا عن", "وكالة", "رويترز",
         "ذكرت", "الرئيس", "وزير الخارجية", "الأمريكي", "إيران", "أيران", "طهران", "لندن، إنجلترا (CNN)--",
         "الرياض - واس:", "مارس", "كانون الثاني", "جانفي", "رمضان", "يوم الأحد", "2018", "١٤٣٩", "۱۲", "5",
         "هاجمت", "لم", "لن", "نفى", "يعتزم", "القوات", "سوريا", "جون سورز", "دبلوماسي بريطاني بارز", "للحكومة",
         "والحكومة", "ISIS", "http://x.y/z", "a@b.c", "#وسم", "@حساب", "...", "..", ":", "؛", "؟", "،"]
CHARS = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةؤئ") + [
    "\u064b", "\u064c", "\u064d", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640", "\u0670",
    "ﻻ", "ﻷ", "ﺍ", "ﻟ", "ﺮ", "ﻴ", "ﺲ", "\ufdf2", "\ufefb",
    '"', "«", "»", "“", "”", "„", "‘", "’", "'", "‹", "›", "「", "」", "(", ")", "[", "]", "-", "—", "/",
    ".", "!", "?", " ", " ", " ", " ", "\n", "\n\n", "\t", "\u00a0", "\u2029",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u061c",
    "٠", "١", "٢", "٩", "۴", "۵", "0", "1", "9", "a", "Z", "é", "ж", "中", "😀", "\U0001d400", "\x00", "\x07",
    "\r", "\r\n", "\ufffd", "\u0300", "\u0653", "\u0654", "\u0655"]
TABLE = (WORDS + CHARS) * (256 // len(WORDS + CHARS) + 1)


def to_text(payload: bytes) -> str:
    out = []
    for b in payload:
        t = TABLE[b]
        out.append(t + " " if len(t) > 1 and b % 3 == 0 else t)
    return "".join(out)


def setup():
    from khabar.pipeline import default_pipeline

    pipe = default_pipeline()
    from khabar.document import Document
    pipe(Document.from_text("قال الرئيس إن \"الاجتماع مثمر\"."))
    return pipe


def test_one_input(data: bytes, pipe) -> None:
    from fuzz._checks import check_document
    from khabar.document import Document
    from khabar.errors import InputError
    from khabar.io.readers import decode_bytes, document_from_record

    mode = data[0] % 4 if data else 0
    payload = data[1:]
    if mode == 0:
        doc = Document.from_text(payload.decode("utf-8", "replace"))
    elif mode == 1:
        doc = Document.from_text(to_text(payload))
    elif mode == 2:
        try:
            text, _ = decode_bytes(payload, "fuzz")
        except InputError:
            return
        doc = Document.from_text(text)
    else:
        rec = {"text": to_text(payload), "title": payload[:8].decode("utf-8", "replace"), "id": len(payload)}
        try:
            doc = document_from_record(json.loads(json.dumps(rec)), "fuzz.json")
        except InputError:
            return
    check_document(pipe(doc))


if __name__ == "__main__":
    sys.exit(main("analyze", test_one_input, instrument=["khabar"], setup=setup))
