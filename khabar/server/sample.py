"""A small hand-written sample corpus for the server's tests, the load benchmark and trying the UI.

Seven short Arabic news articles with quotations by recurring speakers (جبران باسيل in three of them, إيمانويل
ماكرون in two), cited sources, datelines and dates, from two outlets over several months; one of them carries
``<script>`` and HTML in its title and text, to check that the web pages escape everything an article says.

``build_sample_db(path)`` analyses them with the pipeline and stores them; ``sample_db()`` builds one database
per process in a temporary folder and returns its path.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

XSS = ('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
       '<b onmouseover="window.__pwned=3">عريض</b>')

ARTICLES = [
    {"external_id": "s1", "outlet": "CNN", "published": "2018-03-04",
     "title": "باسيل: لبنان لن يقبل بأي تدخل خارجي",
     "text": "بيروت (CNN) -- قال وزير الخارجية اللبناني جبران باسيل، الأحد 4 مارس 2018، إن \"لبنان لن يقبل "
             "بأي تدخل خارجي في شؤونه\". وأضاف باسيل أن الحكومة ستعمل على حماية الحدود الجنوبية. "
             "ونقلت وكالة رويترز عن مسؤول في الحكومة قوله إن الانتخابات ستجري في موعدها."},
    {"external_id": "s2", "outlet": "BBC", "published": "2018-05-06",
     "title": "ماكرون يدعو إلى الحوار مع إيران",
     "text": "باريس - قال الرئيس الفرنسي إيمانويل ماكرون يوم السبت 5 مايو 2018 إن \"الاتفاق النووي مع إيران "
             "يجب أن يبقى\". وأكد ماكرون أن فرنسا ستواصل العمل مع شركائها الأوروبيين. وبحسب وكالة الأنباء "
             "الفرنسية، فإن الرئيس سيزور واشنطن الشهر المقبل."},
    {"external_id": "s3", "outlet": "CNN", "published": "2018-06-12",
     "title": "باسيل يلتقي ماكرون في باريس",
     "text": "باريس (CNN) -- التقى وزير الخارجية اللبناني جبران باسيل الرئيس الفرنسي إيمانويل ماكرون في باريس "
             "يوم الاثنين 11 يونيو 2018. وقال باسيل إن \"فرنسا صديقة تاريخية للبنان\". وقال ماكرون "
             "إن بلاده ستدعم الجيش اللبناني."},
    {"external_id": "s4", "outlet": "BBC", "published": "2018-09-20",
     "title": "ظريف: إيران ملتزمة بالاتفاق",
     "text": "طهران - قال وزير الخارجية الإيراني محمد جواد ظريف، الخميس 20 سبتمبر 2018، إن \"إيران ملتزمة "
             "بالاتفاق النووي ما دام الآخرون ملتزمين\". وأضاف ظريف أن العقوبات الأمريكية غير قانونية، "
             "وفقا لما نقلته وكالة رويترز."},
    {"external_id": "s5", "outlet": "CNN", "published": "2018-11-02",
     "title": "باسيل: الحكومة الجديدة قريبا",
     "text": "بيروت (CNN) -- قال وزير الخارجية اللبناني جبران باسيل، يوم الجمعة 2 نوفمبر 2018، إن \"الحكومة "
             "الجديدة ستولد قريبا\". وأشار باسيل إلى أن الخلافات بين الأحزاب تراجعت، بحسب صحيفة النهار."},
    {"external_id": "s6", "outlet": "BBC", "published": "2018-07-15",
     "title": "الاقتصاد المصري ينمو",
     "text": "القاهرة - قال وزير المالية المصري محمد معيط يوم الأحد 15 يوليو 2018 إن \"الاقتصاد المصري حقق "
             "نموا بنسبة خمسة في المئة\". وذكرت وكالة الأنباء الرسمية أن الحكومة تخطط لخفض العجز."},
    {"external_id": "s7-xss", "outlet": "CNN", "published": "2018-08-01",
     "title": "خبر فيه شيفرة " + XSS,
     "text": "بيروت (CNN) -- قال المتحدث باسم الحكومة اللبنانية إن \"" + XSS + " ليس خبرا\". "
             "وجاء في النص أيضا <a href=\"javascript:window.__pwned=4\">رابط</a> و<iframe src=\"/\"></iframe> "
             "و&lt;b&gt; وعبارة \"</textarea><script>window.__pwned=5</script>\" في آخره."},
]

# the section each article was filed under (kept as ``section``; the topic stage gives the subject and countries)
TOPICS = {"s1": "politics", "s2": "politics", "s3": "politics", "s4": "politics", "s5": "politics",
          "s6": "economy", "s7-xss": "politics"}


def sample_documents():
    from ..document import Document

    for a in ARTICLES:
        meta = {k: a[k] for k in ("external_id", "outlet", "published", "title")}
        meta["url"] = f"https://example.org/news/{a['external_id']}"
        meta["topic"] = TOPICS[a["external_id"]]
        yield Document.from_text(a["text"], **meta)


def _stages() -> list[str]:
    from ..pipeline import DEFAULT_ORDER, available_stages

    have = set(available_stages())
    return [s for s in DEFAULT_ORDER if s in have]


def build_sample_db(path: str | os.PathLike) -> str:
    """Analyse and store the sample articles in ``path`` (created or added to); return the path."""
    from ..store import Store

    with Store(path) as st:
        st.ingest_documents(list(sample_documents()), stages=_stages())
    return str(path)


_LOCK = threading.Lock()
_BUILT: dict[str, str] = {}


def sample_db() -> str:
    """The path of a sample database built once per process (in a temporary folder)."""
    with _LOCK:
        if "path" not in _BUILT:
            d = tempfile.mkdtemp(prefix="khabar-sample-")
            _BUILT["path"] = build_sample_db(Path(d) / "sample.db")
        return _BUILT["path"]
