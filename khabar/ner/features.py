"""Feature extraction for the khabar CRF NER model.

Shared by training (training/train_ner.py) and run time (khabar.ner.tagger), so
both see exactly the same features. Pure Python, no third-party imports.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources" / "ner"

# --------------------------------------------------------------------------- text
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                       "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
                       "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
                       # Persian / Urdu letter forms (as khabar.text.normalize.PERSIAN): علی → علي, کریم → كريم
                       "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ک": "ك", "ڪ": "ك",
                       "ە": "ه", "ھ": "ه", "ہ": "ه", "ۀ": "ه", "ۂ": "ه", "ۃ": "ه"})
_AR_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN = re.compile("[A-Za-z]")
_DIGIT = re.compile("[0-9\u0660-\u0669]")
# punctuation that may stay glued to a token's edges ("كابول؛", "(د")
_EDGE_PUNCT = "\u061b\u060c\u061f.,;:!?\"'()[]{}<>\u00ab\u00bb-_/\\*\u2018\u2019\u201c\u201d"

# corpus tokeniser (Arabic words with attached clitics, latin words, numbers, single punctuation)
TOKEN_RE = re.compile(
    "[\u0621-\u063a\u0640-\u065f\u0670-\u06d3]+|[A-Za-z]+|[0-9\u0660-\u0669]+(?:[.,][0-9\u0660-\u0669]+)*|\\S")


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def normalize(w: str) -> str:
    """Fold alef variants, ى->ي, ة->ه, Persian letter forms (ی->ي, ک->ك), Arabic-Indic digits->ASCII; drop
    diacritics and tatweel."""
    return _DIACRITICS.sub("", w).translate(_FOLD)


def strip_clitics(n: str, rank: dict[str, int] | None = None) -> tuple[str, str, str]:
    """Conservative proclitic stripping on a *normalised* word.

    Returns (prefix, with_article, bare): e.g. 'وبالمدينه' -> ('وب', 'المدينه', 'مدينه').
    و/ف and ب/ك/ل are removed only before the article, or when `rank` (corpus
    frequency ranks, lower = more frequent) says the remainder is a more frequent
    word than the whole ('ببغداد' -> 'بغداد' but 'لبنان' stays)."""
    def better(stem: str, whole: str) -> bool:
        if rank is None:
            return False
        rs = rank.get(stem)
        return rs is not None and rs < rank.get(whole, 1 << 30)

    pre = ""
    w = n
    if len(w) >= 4 and w[0] in "وف":
        rest = w[1:]
        if (len(rest) >= 4 and rest.startswith(("ال", "بال", "كال", "لل"))) or better(rest, w):
            pre, w = w[0], rest
    if len(w) >= 4 and w[0] in "بكل":
        rest = w[1:]
        if w[0] == "ل" and w[1] == "ل" and len(w) >= 5:
            art = "ال" + w[2:]
            if better(rest, art) or (rank is not None and rest in rank and art not in rank):
                pre, w = pre + w[0], rest
            else:
                pre, w = pre + w[0], art
        elif (len(rest) >= 4 and rest.startswith("ال")) or better(rest, w):
            pre, w = pre + w[0], rest
    bare = w[2:] if (w.startswith("ال") and len(w) >= 5) else w
    return pre, w, bare


def shape(w: str) -> str:
    if _AR_LETTER.search(w):
        if _DIGIT.search(w) or _LATIN.search(w):
            return "armix"
        return "ar"
    if _LATIN.search(w):
        if w.isupper():
            return "LAT"
        if w[0].isupper():
            return "Lat"
        return "lat"
    if _DIGIT.search(w):
        return "num" if all(c.isdigit() or c in ".,/-:" for c in w) else "nummix"
    if len(w) == 1:
        return "p" + w
    return "punct"


# ------------------------------------------------------------------ trigger words
# normalised forms (see normalize); looked up on the clitic-stripped form
TRIGGERS = {
    "PER": """قال اضاف اكد اوضح اعلن صرح ذكر اشار اعتبر اعرب اكدت قالت اضافت اوضحت اعلنت
        السيد السيده الرئيس رئيس الشيخ الامير الملك الملكه الوزير وزير وزيره نائب الدكتور الدكتوره
        المستشار الجنرال العقيد اللواء العميد الرائد المقدم النقيب الفريق المشير القاضي المحامي الامام
        البابا الاب الكاردينال الحاج السفير سفير المبعوث مبعوث المتحدث الناطق اللاعب لاعب المدرب مدرب
        النجم الفنان الفنانه الممثل الممثله المطرب المطربه المخرج الكاتب الشاعر الروائي الزعيم زعيم
        المرشح الامين امين المدير مدير المستشاره السلطان الاستاذ الصحفي المراسل النائب السناتور
        الرئيسه عضو رئيسه بن ابن بنت ابو ام""".split(),
    "ORG": """شركه الشركه وكاله الوكاله حزب الحزب منظمه المنظمه جامعه الجامعه مجلس المجلس هيئه الهيئه
        مؤسسه المؤسسه وزاره الوزاره اتحاد الاتحاد جمعيه الجمعيه حركه الحركه جبهه الجبهه نادي النادي
        فريق الفريق بنك البنك مصرف المصرف صحيفه الصحيفه جريده الجريده مجموعه المجموعه منتخب المنتخب
        محكمه المحكمه لجنه اللجنه قناه القناه تلفزيون اذاعه اذاعة مركز المركز معهد المعهد برلمان البرلمان
        كتله الكتله تحالف التحالف ائتلاف الائتلاف مصنع سوق بورصه البورصه صندوق الصندوق""".split(),
    "LOC": """مدينه المدينه بلده البلده قريه القريه عاصمه العاصمه دوله الدوله محافظه المحافظه ولايه الولايه
        اقليم الاقليم منطقه المنطقه مقاطعه المقاطعه جزيره الجزيره جزر بحر البحر نهر النهر جبل جبال
        شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي ضواحي حي مخيم المخيم ميناء مطار شارع ساحه
        بلاد حدود الحدود قطاع القطاع سواحل ساحل""".split(),
    "IN": """في من الى الي علي على عن مع بين داخل خارج الي الى نحو قرب عبر لدى لدي""".split(),
}


# ------------------------------------------------------------------- resources
class Resources:
    """Cluster table and gazetteers used by the features."""

    def __init__(self, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[tuple[str, ...], str] | None = None,
                 labelprop: dict[str, str] | None = None):
        self.clusters = clusters or {}
        self.labelprop = labelprop or {}
        # frequency rank of each corpus word (the cluster table is written most frequent first)
        self.rank = {w: i for i, w in enumerate(self.clusters)}
        self.gaz = gazetteer or {}
        self.gaz_first: dict[str, int] = {}
        self.gaz_prefixes: set[tuple[str, ...]] = set()  # every entry and its prefixes
        for phrase in self.gaz:
            k = phrase[0]
            if len(phrase) > self.gaz_first.get(k, 0):
                self.gaz_first[k] = len(phrase)
            self.gaz_prefixes.update(phrase[:m] for m in range(1, len(phrase) + 1))
        self.trig: dict[str, str] = {}
        for typ, words in TRIGGERS.items():
            for w in words:
                self.trig.setdefault(normalize(w), typ)

    @classmethod
    def load(cls, directory: str | Path = RESOURCE_DIR) -> "Resources":
        d = Path(directory)
        clusters: dict[str, tuple[str, ...]] = {}
        cp = d / "clusters.tsv.gz"
        if cp.exists():
            with gzip.open(cp, "rt", encoding="utf-8") as fh:
                for line in fh:
                    w, _, ids = line.rstrip("\n").partition("\t")
                    clusters[w] = tuple(ids.split(" "))
        gaz = {}
        gp = d / "gazetteer.tsv.gz"
        if gp.exists():
            with gzip.open(gp, "rt", encoding="utf-8") as fh:
                for line in fh:
                    typ, _, phrase = line.rstrip("\n").partition("\t")
                    gaz[tuple(phrase.split(" "))] = typ
        lp = {}
        lpp = d / "labelprop.tsv.gz"
        if lpp.exists():
            with gzip.open(lpp, "rt", encoding="utf-8") as fh:
                for line in fh:
                    w, _, v = line.rstrip("\n").partition("\t")
                    lp[w] = v
        return cls(clusters, gaz, lp)


# -------------------------------------------------------------------- features
CLUSTER_NAMES = ("ca", "cb", "cc", "cd")  # coarse .. fine
_CL_PRE = tuple(name + "=" for name in CLUSTER_NAMES)
_LEN_FEATS = [f"len={k}" for k in range(8)]
_P_PRE = [f"p{k}=" for k in range(5)]
_S_PRE = [f"s{k}=" for k in range(5)]
_BP_PRE = [f"bp{k}=" for k in range(5)]
_BS_PRE = [f"bs{k}=" for k in range(5)]


class FeatureExtractor:
    """Turns a token sequence into CRFsuite feature lists (lists of strings).

    Per-word features are cached, so repeated words are cheap."""

    def __init__(self, resources: Resources, cache_size: int = 300_000):
        self.res = resources
        self._cache: dict[str, tuple] = {}
        self.cache_size = cache_size

    # -- per word ------------------------------------------------------------
    def _forms(self, w: str) -> tuple[str, bool, str, str, str]:
        """(normalised form, whether punctuation was cut from its edges, proclitics, form with the article, bare
        form) of a word."""
        n = normalize(w)
        core = n.strip(_EDGE_PUNCT)
        punct_edge = bool(core) and core != n
        if punct_edge:
            n = core
        pre, art, bare = strip_clitics(n, self.res.rank)
        return n, punct_edge, pre, art, bare

    def gaz_forms(self, w: str) -> tuple:
        """What _gazetteer reads of a word's _word_info (items 5-7: normalised, with article, bare), without
        making its features (khabar.ner.fastcrf takes a table word's scores from khabar.ner.wordtable)."""
        c = self._cache.get(w)
        if c is not None:
            return c
        n, _edge, _pre, art, bare = self._forms(w)
        return (None, None, None, None, None, n, art, bare)

    def _word_info(self, w: str):
        c = self._cache.get(w)
        if c is not None:
            return c
        res = self.res
        n, punct_edge, pre, art, bare = self._forms(w)
        sh = shape(w)
        cl = res.clusters.get(n)
        cl_src = "n"
        if cl is None:
            cl = res.clusters.get(art)
            cl_src = "a"
            if cl is None:
                cl = res.clusters.get(bare)
                cl_src = "b"
        cl_art = res.clusters.get(art) if art != n else None
        f = ["n=" + n, "a=" + art, "b=" + bare, "sh=" + sh, "pre=" + pre]
        if w != n:
            f.append("w=" + w)
        if punct_edge:
            f.append("pedge")
        L = len(bare)
        f.append(_LEN_FEATS[L] if L < 8 else "len=8+")
        ln = len(n)
        for k in (1, 2, 3, 4):
            if ln > k:
                f.append(_P_PRE[k] + n[:k])
                f.append(_S_PRE[k] + n[-k:])
            if L > k + 1:
                f.append(_BP_PRE[k] + bare[:k])
                f.append(_BS_PRE[k] + bare[-k:])
        if art.startswith("ال"):
            f.append("al")
        if L >= 4:
            if bare.endswith("يه"):
                f.append("nisbaF")
            elif bare.endswith("ي"):
                f.append("nisba")
            elif bare.endswith("يين") or bare.endswith("يون"):
                f.append("nisbaPl")
        if cl is not None:
            f.extend(map(str.__add__, _CL_PRE, cl))
            f.append("clsrc=" + cl_src)
        else:
            f.append("cl=none")
        if cl_art is not None:
            f.append("cacl=" + cl_art[1])
        trig = res.trig
        t = trig.get(art) or trig.get(bare)
        if t:
            f.append("trig=" + t)
        # corpus-lexicon evidence for "proper noun": names rarely take the article
        # or pronoun suffixes, common nouns usually occur with them too
        rank = res.rank
        r = rank.get(n)
        if r is None:
            r = rank.get(art)
        rb = "oov" if r is None else str(r.bit_length())
        f.append("rb=" + rb)
        lex = ""
        if L >= 3 and sh == "ar":
            if art.startswith("\u0627\u0644"):
                lex = "Ay" if bare in rank else "An"
            else:
                lex = "Ny" if ("\u0627\u0644" + bare) in rank else "Nn"
            lex += "p" if (bare + "\u0647" in rank or bare + "\u0647\u0627" in rank or bare + "\u0647\u0645" in rank) else "-"
            f.append("lex=" + lex)
            f.append("lexrb=" + lex + rb)
        lp = res.labelprop
        lpv = lp.get(n) or lp.get(art) or lp.get(bare)
        if lpv:
            f.append("lp=" + lpv)
            f.append("lpt=" + lpv[:-1])
        # context versions (features of this word as seen from a neighbour)
        ctx = ["n=" + n, "b=" + bare, "sh=" + sh]
        if cl is not None:
            ctx.append("ca=" + cl[0])
            ctx.append("cb=" + cl[1])
            ctx.append("cc=" + cl[2])
        else:
            ctx.append("cl=none")
        if t:
            ctx.append("trig=" + t)
        if lex:
            ctx.append("lex=" + lex)
        if lpv:
            ctx.append("lpt=" + lpv[:-1])
        if pre:
            ctx.append("pre=" + pre)
        ctx2 = ["b=" + bare, "sh=" + sh]
        if cl is not None:
            ctx2.append("cb=" + cl[1])
        if t:
            ctx2.append("trig=" + t)
        info = (
            tuple(f),
            tuple(map("-1".__add__, ctx)),
            tuple(map("+1".__add__, ctx)),
            tuple(map("-2".__add__, ctx2)),
            tuple(map("+2".__add__, ctx2)),
            n, art, bare,
        )
        if len(self._cache) >= self.cache_size:
            self._cache.clear()
        self._cache[w] = info
        return info

    # -- gazetteer -------------------------------------------------------------
    def _gazetteer(self, infos, cand=None) -> list[list[str]]:
        """Gazetteer features of each token. `cand`: the (increasing) positions whose
        normalised/article/bare form may start an entry (res.gaz_first), when the caller
        knows them; no other position can start a match, so the result is the same."""
        res = self.res
        n = len(infos)
        out: list[list[str]] = [[] for _ in range(n)]
        if not res.gaz:
            return out
        gf = res.gaz_first
        gaz = res.gaz
        prefixes = res.gaz_prefixes
        norms = [x[5] for x in infos]
        arts = [x[6] for x in infos]
        bares = [x[7] for x in infos]
        for i in (range(n) if cand is None else cand):
            for first in (norms[i], arts[i], bares[i]):
                maxlen = gf.get(first)
                if maxlen is None:
                    continue
                maxlen = min(maxlen, n - i)
                # the longest entry starting here: extend the phrase only while it starts some entry
                hit = None
                phrase = (first,)
                for L in range(1, maxlen + 1):
                    if L > 1:
                        phrase = phrase + (norms[i + L - 1],)
                        if phrase not in prefixes:
                            break
                    typ = gaz.get(phrase)
                    if typ is not None:
                        hit = (L, typ)
                if hit:
                    L, typ = hit
                    for t in typ.split(","):
                        out[i].append("gB=" + t)
                        if L > 1:
                            out[i].append("gM=" + t)
                        for j in range(i + 1, i + L):
                            out[j].append("gI=" + t)
                    break
        return out

    # -- sentence --------------------------------------------------------------
    def sent_features(self, tokens: list[str]) -> list[list[str]]:
        infos = [self._word_info(t) for t in tokens]
        gaz = self._gazetteer(infos)
        n = len(infos)
        feats = []
        for i in range(n):
            inf = infos[i]
            f = ["bias"]
            f.extend(inf[0])
            if i > 0:
                p = infos[i - 1]
                f.extend(p[1])
                f.append("bg-=" + p[7] + "|" + inf[7])
                for g in gaz[i - 1]:
                    f.append("-1" + g)
                if i > 1:
                    f.extend(infos[i - 2][3])
                    f.append("tg-=" + infos[i - 2][7] + "|" + p[7])
                else:
                    f.append("BOS2")
            else:
                f.append("BOS")
            if i < n - 1:
                q = infos[i + 1]
                f.extend(q[2])
                f.append("bg+=" + inf[7] + "|" + q[7])
                for g in gaz[i + 1]:
                    f.append("+1" + g)
                if i < n - 2:
                    f.extend(infos[i + 2][4])
                else:
                    f.append("EOS2")
            else:
                f.append("EOS")
            f.extend(gaz[i])
            feats.append(f)
        return feats
