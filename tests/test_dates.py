"""Dates: values per GUIDELINES (YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD, --MM, weekdays, H-prefixed Hijri)."""
from __future__ import annotations

import pytest

from khabar.dates import find_dates
from _gold_helpers import figures


def values(text):
    spans = find_dates(text)
    for s in spans:
        assert text[s.start:s.end] == text[s.start:s.end].strip() and s.end > s.start
    return [(text[s.start:s.end], s.get("value")) for s in spans]


@pytest.mark.parametrize("text,expected", [
    ("وصل الوفد في 3 آذار/مارس 2017 إلى العاصمة.", "2017-03-03"),
    ("عقد الاجتماع في 12 تشرين الأول الماضي.", "--10-12"),
    ("وقعت الحادثة في 5 يونيو/حزيران الجاري.", "--06-05"),
    ("صدر القرار في الخامس عشر من شهر نوفمبر.", "--11-15"),
    ("تنتهي المهلة في 20 جانفي.", "--01-20"),
    ("افتتح المعرض في فيفري 2016.", "2016-02"),
    ("ولد الكاتب عام 1948 في يافا.", "1948"),
    ("تبدأ الإجازة في ١٥ رمضان ١٤٣٩ هـ.", "H1439-09-15"),
    ("يصرف الراتب في ٢٧ صفر.", "H--02-27"),
    ("أعلن الخبر مساء الثلاثاء.", "tuesday"),
    ("نشر التقرير بتاريخ 2018/05/03 على الموقع.", "2018-05-03"),
    ("سيعقد المؤتمر في أيلول المقبل.", "--09"),
])
def test_values(text, expected):
    vals = [v for _, v in values(text)]
    assert expected in vals, (text, vals)


def test_no_year_inferred_and_no_relative():
    assert [v for _, v in values("جرى التصويت أمس واليوم وفي الأسبوع الماضي.")] == []
    assert [v for _, v in values("وصل 1200 شخص و1900 متظاهر.")] == []


def test_ambiguous_month_words_need_context():
    # مارس is also a verb, رجب and رمضان are also names
    assert values("مارس اللاعب الرياضة منذ صغره.") == []
    assert values("قال رمضان عبد الله إن الوضع صعب.") == []
    assert [v for _, v in values("في شهر رمضان تتغير المواعيد.")] == ["H--09"]


def test_spans_slice_to_their_text():
    text = "في 19 فبراير/ شباط الجاري، وفي عام 2005، ويوم الجمعة."
    got = values(text)
    assert ("19 فبراير/ شباط الجاري", "--02-19") in got
    assert ("عام 2005", "2005") in got
    assert any(v == "friday" for _, v in got)


def test_numeric_year_and_weekday_classes():
    assert [v for _, v in values("صدر في 14-05-2018 البيان.")] == ["2018-05-14"]   # day first
    assert [v for _, v in values("كتب في 1440 هـ ذلك.")] == ["H1440"]               # Hijri suffix
    assert [v for _, v in values("وذلك في 2016م.")] == ["2016"]                      # Gregorian suffix
    assert values("قتل في 2000 هجوم.") == []                                         # a count, not a year
    # the first weekday after بين is no date of its own
    assert [v for _, v in values("وقعت الحادثة بين الخميس والجمعة.")] == ["friday"]


def test_seed_dates():
    f = figures("seed")  # the default pipeline
    assert f["dates"]["tp"] == f["dates"]["pred"] == f["dates"]["gold"] == 3


# dev/dev2 floors of every scorer figure: tests/test_gold_floors.py (tests/gold_floors.json)
