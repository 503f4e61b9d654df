"""Arabic for the web pages: number agreement of a counted noun, dates (RFC 822 and ISO 8601 inputs) in one Arabic
format, weekdays resolved to their calendar date, topic labels, CAMEO event categories, and the messages of the
errors a reader can meet.

Digits are written as the rest of the interface writes them (ASCII digits, as CNN Arabic and BBC Arabic do);
words agree with the number by the rules of the Arabic numeral phrase (التمييز):

- 0: ``لا`` and the plural (``لا اقتباسات``);
- 1: the singular and ``واحد``/``واحدة`` after it (``اقتباس واحد``);
- 2: the dual (``اقتباسان``, ``اقتباسين`` after a preposition or as an object);
- 3–10: the number and the plural (``5 اقتباسات``);
- 11–99: the number and the singular in the accusative (``24 اقتباسا``);
- 100 and more: by the last two digits (``100 اقتباس``, ``102 اقتباس``, ``103 اقتباسات``, ``111 اقتباسا``);
  a hundred, two hundred ... (last two digits 00, 01, 02) take the genitive singular.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from markupsafe import Markup


# ---------------------------------------------------------------------------------------------------------------
# number agreement

@dataclass(frozen=True)
class Forms:
    """The forms of a counted noun: singular, dual (nominative, and genitive/accusative), plural, accusative
    singular (the tamyiz of 11–99) and gender (of ``واحد``/``واحدة``)."""
    singular: str
    dual: str
    dual_oblique: str
    plural: str
    accusative: str
    feminine: bool = False


NOUNS = {
    "quote": Forms("اقتباس", "اقتباسان", "اقتباسين", "اقتباسات", "اقتباسا"),
    "article": Forms("مقال", "مقالان", "مقالين", "مقالات", "مقالا"),
    "result": Forms("نتيجة", "نتيجتان", "نتيجتين", "نتائج", "نتيجة", feminine=True),
    "mention": Forms("إشارة", "إشارتان", "إشارتين", "إشارات", "إشارة", feminine=True),
    "source": Forms("مصدر", "مصدران", "مصدرين", "مصادر", "مصدرا"),
    "date": Forms("تاريخ", "تاريخان", "تاريخين", "تواريخ", "تاريخا"),
    "page": Forms("صفحة", "صفحتان", "صفحتين", "صفحات", "صفحة", feminine=True),
    "outlet": Forms("منفذ", "منفذان", "منفذين", "منافذ", "منفذا"),
    "response": Forms("رد", "ردان", "ردين", "ردود", "ردا"),
    "copy": Forms("نسخة مكررة", "نسختان مكررتان", "نسختين مكررتين", "نسخ مكررة", "نسخة مكررة", feminine=True),
    "undated": Forms("مقال بلا تاريخ", "مقالان بلا تاريخ", "مقالين بلا تاريخ", "مقالات بلا تاريخ",
                     "مقالا بلا تاريخ"),
}


def count_phrase(n: int, forms: Forms | str, *, case: str = "nominative") -> str:
    """``n`` and the counted noun, in agreement (see the module's doc); ``case``: ``nominative`` or ``oblique``
    (genitive or accusative: after a preposition, or an object), which changes the dual and ``واحد``."""
    f = NOUNS[forms] if isinstance(forms, str) else forms
    n = int(n)
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    oblique = case != "nominative"
    if n == 0:
        return f"لا {f.plural}"
    if n == 1:
        if f.feminine:
            return f"{f.singular} واحدة"
        return f"{f.accusative} واحدا" if case == "accusative" else f"{f.singular} واحد"
    if n == 2:
        return f.dual_oblique if oblique else f.dual
    last = n % 100
    if n < 100 or last >= 3:
        if 3 <= last <= 10:
            return f"{n} {f.plural}"
        if 11 <= last <= 99:
            return f"{n} {f.accusative}"
    return f"{n} {f.singular}"  # 100, 101, 102, 200 ... : genitive singular


# ---------------------------------------------------------------------------------------------------------------
# dates

MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
          "ديسمبر"]
HIJRI_MONTHS = ["محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]
# Monday first, as date.weekday() counts
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
WEEKDAY_VALUES = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                  "sunday": 6}

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(value) -> tuple[date | None, str]:
    """A publication date as given (ISO 8601 ``2018-02-08``, ``2018-02-08T10:49:25Z``, ``2018-02`` or ``2018``;
    RFC 822 ``Thu, 08 Feb 2018 10:49:25 +0000``) → (the calendar date (in UTC when the input has a zone), its
    precision ``day``/``month``/``year``); (None, "") when it is not a date."""
    if value is None:
        return None, ""
    s = str(value).strip()
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            if d is None:
                return date(y, int(mo or 1), 1), "month" if mo else "year"
            if m.group(7):  # a time with a zone: the date in UTC
                dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace(" ", "T"))
                return dt.astimezone(timezone.utc).date(), "day"
            return date(y, int(mo), int(d)), "day"
        except ValueError:
            return None, ""
    try:
        dt = parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None, ""
    if dt is None:
        return None, ""
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.date(), "day"


def date_text(d: date, precision: str = "day", *, weekday: bool = True) -> str:
    """``الخميس 8 فبراير 2018`` (``فبراير 2018``, ``2018`` at a coarser precision)."""
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    day = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]} {day}" if weekday else day


def ar_date(value, *, weekday: bool = True) -> Markup:
    """A publication date as ``<time datetime="2018-02-08">الخميس 8 فبراير 2018</time>`` (never broken across
    lines); an unreadable value is shown as it is, escaped."""
    d, prec = parse_date(value)
    if d is None:
        return Markup('<span class="date-t">{}</span>').format(value or "")
    iso = d.isoformat() if prec == "day" else (d.isoformat()[:7] if prec == "month" else str(d.year))
    return Markup('<time class="date-t" datetime="{}">{}</time>').format(iso, date_text(d, prec, weekday=weekday))


def weekday_date(weekday_value: str, published) -> date | None:
    """The calendar date a weekday of an article names: the last such day on or before its publication date (a
    news report tells of the past week); None without a publication date."""
    wd = WEEKDAY_VALUES.get(str(weekday_value).lower())
    pub, prec = parse_date(published)
    if wd is None or pub is None or prec != "day":
        return None
    return pub - timedelta(days=(pub.weekday() - wd) % 7)



def date_value_text(value, published=None) -> str:
    """A normalised date of the ``dates`` layer in Arabic: ``2018-02-08`` → ``الخميس 8 فبراير 2018``,
    ``2018-02`` → ``فبراير 2018``, ``--02-08`` → ``8 فبراير``, ``--02`` → ``فبراير``, ``tuesday`` →
    ``الثلاثاء 6 فبراير 2018`` (its calendar date from the publication date, when there is one),
    ``H1439-09-01`` → ``1 رمضان 1439 هـ``; anything else as it is."""
    v = str(value or "").strip()
    low = v.lower()
    if low in WEEKDAY_VALUES:
        name = WEEKDAYS[WEEKDAY_VALUES[low]]
        d = weekday_date(low, published)
        return f"{name} {d.day} {MONTHS[d.month - 1]} {d.year}" if d else name
    hijri = v.startswith("H")
    body = v[1:] if hijri else v
    names = HIJRI_MONTHS if hijri else MONTHS
    suffix = " هـ" if hijri else ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", body)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if mo and not 1 <= int(mo) <= 12:
            return v
        if d and not hijri:
            try:
                return date_text(date(y, int(mo), int(d))) + suffix
            except ValueError:
                return v
        if d:
            return f"{int(d)} {names[int(mo) - 1]} {y}{suffix}"
        if mo:
            return f"{names[int(mo) - 1]} {y}{suffix}"
        return f"{y}{suffix}"
    m = re.fullmatch(r"--(\d{2})(?:-(\d{2}))?", body)
    if m and 1 <= int(m.group(1)) <= 12:
        mo = names[int(m.group(1)) - 1]
        return (f"{int(m.group(2))} {mo}" if m.group(2) else mo) + suffix
    return v


def month_text(value: str) -> str:
    """``2018-02`` → ``فبراير 2018`` (facets, timelines); anything else as it is."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(value or ""))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return str(value or "")


# ---------------------------------------------------------------------------------------------------------------
# topics and CAMEO event categories

TOPICS = {"economy": "اقتصاد", "internationalnews": "أخبار دولية", "middleeast": "الشرق الأوسط", "sport": "رياضة",
          "sports": "رياضة", "technology": "تكنولوجيا", "culture": "ثقافة", "politics": "سياسة",
          "health": "صحة", "religion": "دين", "local": "محليات", "science": "علوم", "world": "العالم"}


STANCES = {"deny": "نفي", "confirm": "تأكيد", "respond": "رد"}

# the subjects of the topic stage (khabar/topic/subject.py), as a reader names them
SUBJECTS = {"politics": "سياسة", "economy": "اقتصاد", "sport": "رياضة", "culture": "ثقافة وفنون",
            "technology": "علوم وتكنولوجيا", "health": "صحة", "society": "مجتمع"}
TOPICS.update({k: v for k, v in SUBJECTS.items() if k not in TOPICS})

REGIONS = {"Middle East": "الشرق الأوسط", "North Africa": "شمال أفريقيا", "Sub-Saharan Africa": "أفريقيا جنوب الصحراء",
           "Europe": "أوروبا", "North America": "أمريكا الشمالية", "Latin America": "أمريكا اللاتينية",
           "South Asia": "جنوب آسيا", "Southeast Asia": "جنوب شرق آسيا", "East Asia": "شرق آسيا",
           "Central Asia and Caucasus": "آسيا الوسطى والقوقاز", "Oceania": "أوقيانوسيا"}


def subject_name(label) -> str:
    """A subject label (``economy`` ...) in Arabic; an unknown label as it is."""
    s = str(label or "")
    return SUBJECTS.get(s.lower(), s)


_COUNTRIES: dict[str, str] = {}


def country_name(code) -> str:
    """The Arabic name of a country of the ``geography`` layer (ISO 3166 alpha-3: ``SAU`` → ``السعودية``), the
    canonical name of ``resources/actors/countries.tsv`` (the table the geography and actors stages read); an
    unknown code as it is."""
    if not _COUNTRIES:
        from importlib import resources

        text = resources.files("khabar").joinpath("resources", "actors", "countries.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            cols = line.split("\t")
            if len(cols) > 1 and not line.startswith("#") and cols[0].strip() and cols[1].strip():
                _COUNTRIES.setdefault(cols[0].strip().upper(), cols[1].strip())
    c = str(code or "").strip()
    return _COUNTRIES.get(c.upper(), c)


def countries_by_name() -> list[tuple[str, str]]:
    """Every country of the table as ``(code, Arabic name)``, in Arabic alphabetical order (a form's choices)."""
    country_name("")
    return sorted(_COUNTRIES.items(), key=lambda kv: kv[1])


def region_name(region) -> str:
    """A region of the ``geography`` layer (``Middle East``) in Arabic; an unknown one as it is."""
    return REGIONS.get(str(region or ""), str(region or ""))


def topic_name(label) -> str:
    """A topic label (ANT's ``internationalNews`` ...) in Arabic; an unknown label as it is."""
    s = str(label or "")
    return TOPICS.get(s.lower().replace("_", "").replace("-", ""), s)


# the CAMEO codes of resources/events/codes.tsv, each with its Arabic name; other codes fall back to the name of
# their two-digit root category
CAMEO = {
    "01": "تصريح علني", "010": "إدلاء بتصريح", "02": "مناشدة", "020": "مناشدة أو طلب",
    "03": "إعلان نية التعاون", "030": "إعلان نية التعاون", "036": "إعلان نية اللقاء أو التفاوض",
    "04": "تشاور", "040": "تشاور", "042": "زيارة", "043": "استضافة زيارة",
    "05": "تعاون دبلوماسي", "051": "إشادة أو تأييد", "057": "توقيع اتفاق رسمي",
    "06": "تعاون مادي", "061": "تعاون اقتصادي",
    "07": "تقديم مساعدة", "070": "تقديم مساعدة", "073": "تقديم مساعدة إنسانية",
    "08": "تراجع أو تنازل", "081": "تخفيف عقوبات إدارية", "087": "تهدئة عسكرية",
    "09": "تحقيق", "090": "تحقيق", "10": "مطالبة", "100": "مطالبة",
    "11": "استنكار", "111": "انتقاد أو إدانة", "112": "اتهام",
    "12": "رفض", "120": "رفض", "124": "رفض التنازل",
    "13": "تهديد", "130": "تهديد", "138": "تهديد بالقوة العسكرية",
    "14": "احتجاج", "140": "معارضة سياسية", "141": "تظاهر", "143": "إضراب أو مقاطعة", "145": "احتجاج عنيف أو شغب",
    "15": "استعراض القوة", "150": "استعراض قوة عسكرية أو أمنية",
    "16": "خفض العلاقات", "160": "خفض العلاقات", "161": "خفض العلاقات الدبلوماسية أو قطعها",
    "163": "فرض حظر أو مقاطعة أو عقوبات",
    "17": "إكراه", "172": "فرض عقوبات إدارية", "173": "اعتقال أو احتجاز أو اتهام", "175": "قمع",
    "18": "اعتداء", "180": "عنف غير تقليدي", "181": "خطف أو احتجاز رهائن", "182": "اعتداء جسدي",
    "183": "تفجير", "186": "اغتيال",
    "19": "قتال", "190": "استخدام القوة العسكرية", "191": "فرض حصار", "195": "قصف جوي",
    "20": "عنف جماعي", "200": "عنف جماعي غير تقليدي", "204": "استخدام أسلحة دمار شامل",
}


def cameo_name(code) -> str:
    """The Arabic name of a CAMEO event code (its own, else its root category's); '' for an unknown code."""
    c = str(code or "").strip()
    return CAMEO.get(c) or CAMEO.get(c[:2], "")


# ---------------------------------------------------------------------------------------------------------------
# error messages

_QUERY_MESSAGES = [
    (r"unbalanced double quote", "علامة تنصيص مزدوجة \" بلا علامة تغلقها: العبارة تحتاج إلى علامتين"),
    (r"unbalanced quotation mark", "علامة تنصيص بلا علامة تغلقها"),
    (r"empty query", "عبارة البحث فارغة: لا شيء للبحث عنه"),
    (r"no letters or digits", "عبارة البحث بلا حروف ولا أرقام يُبحث عنها"),
    (r"'\)' .* has no matching", "قوس «)» بلا قوس «(» يقابله"),
    (r"'\(' .* never closed", "قوس «(» لا يُغلق"),
    (r"'OR' .* needs a term before", "OR تحتاج إلى كلمة قبلها"),
    (r"needs a term after", "OR تحتاج إلى كلمة بعدها"),
    (r"'-' .* must be followed", "علامة الاستبعاد «-» يجب أن تتبعها كلمة أو عبارة"),
    (r"cannot only exclude", "لا يكفي الاستبعاد وحده: أضف كلمة واحدة على الأقل للبحث عنها"),
    (r"empty phrase", "عبارة بين علامتي تنصيص فارغة"),
    (r"'\*' .* only allowed at the end", "علامة «*» لا تأتي إلا في آخر الكلمة"),
    (r"'\*' .* at least two letters", "علامة «*» تحتاج إلى حرفين على الأقل قبلها"),
    (r"too long", "عبارة البحث أطول مما يُقبل"),
    (r"NUL character", "عبارة البحث فيها محرف غير مقبول"),
    (r"unexpected", "رمز في غير موضعه"),
]

_FILTER_NAMES = {"since": "«من»", "until": "«إلى»", "speaker": "«المتحدث»", "outlet": "«المنفذ»",
                 "topic": "«القسم»", "subject": "«الموضوع»", "country": "«البلد»", "mode": "«طريقة المطابقة»",
                 "limit": "«العدد»"}

QUERY_HELP = ("اكتب كلمات، و\"عبارات كما هي\" بين علامتي تنصيص، و-كلمة للاستبعاد، وكلمة* للبادئة، وOR بين "
              "البدائل، وأقواسا متوازنة")
DATE_HELP = "التواريخ بصيغة سنة (2018) أو سنة-شهر (2018-06) أو سنة-شهر-يوم (2018-06-15)"

_BY_CODE = {
    "E101": ("النص ليس نصا مقروءا (ملف ثنائي)", "الصق نص المقال نفسه"),
    "E102": ("النص ليس بترميز UTF-8", "الصق نص المقال نفسه"),
    "E103": ("لا نص للتحليل: المقال فارغ", "الصق نص مقال في الخانة"),
    "E105": ("المقال أطول مما يُقبل تحليله دفعة واحدة", "قسّم المقال إلى أجزاء أقصر"),
    "E305": ("لا مقال بهذا المعرّف في قاعدة البيانات", "ابحث عن المقال من صفحة البحث"),
    "E306": ("استغرق الطلب وقتا أطول من المسموح", "ضيّق البحث بكلمات أكثر أو بمرشحات"),
    "E307": ("قاعدة البيانات مشغولة الآن", "أعد المحاولة بعد قليل"),
    "E404": ("لا صفحة بهذا العنوان", "ابدأ من الصفحة الرئيسية أو من البحث"),
    "E405": ("هذه الطريقة غير مسموح بها على هذا العنوان", "افتح الصفحة من روابط الموقع"),
    "E409": ("لم يُشغَّل هذا الخادم على قاعدة بيانات", "حمّل مقالات بالأمر khabar ingest ثم شغّل الخادم عليها"),
    "E413": ("الطلب أكبر مما يُقبل", "أرسل نصا أقصر"),
    "E415": ("صيغة الاستمارة غير مقبولة", "أرسل الاستمارة من صفحة «حلّل مقالا»"),
    "E429": ("مقالات كثيرة قيد التحليل الآن", "أعد المحاولة بعد قليل"),
    "E490": ("خطأ داخلي في الخادم", "أعد المحاولة؛ وإن تكرر فأبلغ عنه"),
    "E503": ("استغرق تحليل المقال وقتا أطول من المسموح", "جرّب مقالا أقصر"),
}


def error_text(err) -> tuple[str, str]:
    """(message, hint) in Arabic for a khabar error shown on a page; the English message of the registry stays in
    the JSON API."""
    code = getattr(err, "code", "")
    msg = str(getattr(err, "message", "") or "")
    bare = re.sub(r"«[^»]*»", "", msg)
    if re.search(r"[\u0600-\u06ff]", bare) and not re.search(r"[A-Za-z]{2,}", bare):  # written in Arabic
        default = _BY_CODE.get(code) or ("", "ابدأ من الصفحة الرئيسية أو من البحث")
        return msg, default[1]
    if code == "E310":
        text = next((ar for pat, ar in _QUERY_MESSAGES if re.search(pat, msg)), "صيغة البحث غير صحيحة")
        pos = getattr(err, "position", None)
        if isinstance(pos, int) and "position" in msg:
            text += f" (عند المحرف {pos + 1})"
        return text, QUERY_HELP
    if code == "E311":
        src = str(getattr(err, "source", "") or "")
        name = _FILTER_NAMES.get(src, "أحد المرشحات")
        if "not a date" in msg:
            return f"قيمة {name} ليست تاريخا صحيحا", DATE_HELP
        if src == "subject":
            return f"قيمة {name} ليست موضوعا معروفا", "اختر الموضوع من قائمة «الموضوع» أو من تضييق النتائج"
        if src == "country":
            return f"قيمة {name} ليست رمز بلد معروفا", "اختر البلد من قائمة «البلد» أو من تضييق النتائج"
        if "no letters" in msg:
            return f"قيمة {name} بلا حروف", "اكتب اسما"
        return f"قيمة {name} غير مقبولة", DATE_HELP
    if code in _BY_CODE:
        return _BY_CODE[code]
    status = int(getattr(err, "status", 500) or 500)
    if status == 404:
        return _BY_CODE["E404"]
    if status >= 500:
        return _BY_CODE["E490"]
    return "تعذّر تنفيذ الطلب", "تحقق من المدخلات وأعد المحاولة"
