"""HTML fragments built on the server: an article with its annotations highlighted at their offsets, search
snippets with highlighted words, and SVG bar timelines.

Everything that comes from an article (its text, names, titles, attribute values) goes through
:func:`markupsafe.escape`; only tags and attributes written here are emitted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import quote

from markupsafe import Markup, escape

from ..actors.speakers import SpeakerIndex, span_pair
from ..report import shown_name


def url_key(key: str) -> str:
    """A key (``PER:جبران باسيل``) as a URL path segment (``/`` and everything unsafe percent-encoded)."""
    return quote(str(key), safe="")


def speaker_url(key: str) -> str:
    return "/speaker/" + url_key(key)


def actor_url(key: str) -> str:
    return "/actor/" + url_key(key)


def doc_url(ident: str) -> str:
    return "/doc/" + url_key(ident)


_SCHEMES = ("http://", "https://")


def safe_url(url) -> str | None:
    """``url`` if it may be a link (``http``/``https``, after stripping the blanks and control characters that
    browsers ignore), else None: a ``javascript:``, ``data:``, ``vbscript:`` (or any other scheme) URL found in an
    article's metadata is shown as text, never as a link."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    probe = "".join(c for c in u if c > " " and c != "\x7f").lower()
    return u if probe.startswith(_SCHEMES) and "\n" not in u else None


# ---------------------------------------------------------------------------------------------------------------
# an article with its layers

@dataclass
class Mark:
    start: int
    end: int
    cls: str
    href: str | None = None
    attrs: dict = field(default_factory=dict)
    prio: int = 0  # lower = outer when two marks start together with the same end

    def open(self, inside_link: bool, continued: bool = False) -> str:
        a = "".join(f' {k}="{escape(v)}"' for k, v in self.attrs.items()
                    if v is not None and not (continued and k == "id"))
        if self.href and not inside_link:
            return f'<a class="{escape(self.cls)}" href="{escape(self.href)}"{a}>'
        return f'<span class="{escape(self.cls)}"{a}>'

    def close(self, inside_link: bool) -> str:
        return "</a>" if self.href and not inside_link else "</span>"


def highlight(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` with each mark's range wrapped in its tag; overlapping marks are split where they cross, and a link
    inside a link becomes a plain span (HTML forbids nested links)."""
    n = len(text)
    ms = [m for m in marks if isinstance(m.start, int) and isinstance(m.end, int) and 0 <= m.start < m.end <= n]
    points = sorted({0, n, *(m.start for m in ms), *(m.end for m in ms)})
    starts: dict[int, list[Mark]] = defaultdict(list)
    for m in ms:
        starts[m.start].append(m)
    out: list[str] = []
    stack: list[tuple[Mark, bool]] = []  # (mark, opened as a plain span because inside a link)

    def open_(m: Mark, continued: bool = False) -> None:
        inside = any(s.href and not plain for s, plain in stack)
        out.append(m.open(inside, continued))
        stack.append((m, inside))

    for i, p in enumerate(points[:-1]):
        ended = [k for k, (m, _) in enumerate(stack) if m.end <= p]
        if ended:
            # close down to the outermost mark that ends here, then reopen the inner ones that go on
            popped = stack[ended[0]:]
            del stack[ended[0]:]
            for m, plain in reversed(popped):
                out.append(m.close(plain))
            for m, _ in popped:
                if m.end > p:
                    open_(m, continued=True)
        for m in sorted(starts.get(p, ()), key=lambda m: (-m.end, m.prio)):
            open_(m)
        out.append(str(escape(text[p:points[i + 1]])))
    while stack:
        m, plain = stack.pop()
        out.append(m.close(plain))
    return Markup("".join(out))


def resolve_speakers(doc: dict, linkable=None) -> list[dict]:
    """For each quotation of a JSON document, the speaker's actor (key, name), by the one rule of
    :mod:`khabar.actors.speakers` (the link the quotes stage wrote, else the speaker's name or mention); ``name``
    is the name the text report shows too (:func:`khabar.report.shown_name`).

    ``linkable(kind, key) -> bool`` (``kind``: ``speaker`` or ``actor``): whether a page exists for that key; a
    speaker without one gets no ``url`` (an article pasted into /analyze names people the database may not know).
    None: every key has its page (a stored article)."""
    text = doc.get("text") or ""
    speakers = SpeakerIndex([a for a in (doc.get("actors") or []) if isinstance(a, dict)], text)
    out = []
    for q in doc.get("quotes") or []:
        a = speakers.actor(speakers.resolve(q))
        sp = q.get("speaker")
        sp = sp if isinstance(sp, str) else None
        key = a.get("key") if a else None
        name = shown_name(a, sp)
        target = key or sp
        url = speaker_url(target) if target and (linkable is None or linkable("speaker", target)) else None
        out.append({"key": key, "name": name, "speaker": sp if sp is not None else name,
                    "mention": span_pair(q.get("speaker_mention")), "url": url})
    return out


def _quote_marks(quotes: list, speakers: list[dict]) -> list[Mark]:
    """Each quotation, its speaker's mention (a link to the speaker's page) and its cue."""
    marks = []
    for i, (q, sp) in enumerate(zip(quotes, speakers)):
        kind = q.get("kind") or "direct"
        marks.append(Mark(q["start"], q["end"], f"quote quote-{'indirect' if kind == 'indirect' else 'direct'}",
                          attrs={"id": f"q{i + 1}", "title": f"{sp['name'] or '?'} ({kind})", "data-q": str(i + 1)},
                          prio=0))
        sm = sp.get("mention")
        if sm and sp.get("url"):
            marks.append(Mark(sm[0], sm[1], "speaker", href=sp["url"], attrs={"title": sp["name"] or "",
                                                                            "data-q": str(i + 1)}, prio=1))
        cue = span_pair(q.get("cue"))
        if cue:
            marks.append(Mark(cue[0], cue[1], "cue", attrs={"data-q": str(i + 1)}, prio=3))
    return marks


def _entity_marks(doc: dict, linkable=None) -> list[Mark]:
    """Each entity mention, a link to its actor's page when it has one."""
    actors = {str(a.get("id")): a for a in (doc.get("actors") or []) if isinstance(a, dict)}
    marks = []
    for e in doc.get("entities") or []:
        if not isinstance(e, dict) or "start" not in e:
            continue
        a = actors.get(str(e.get("actor")))
        key = a.get("key") if a else None
        label = str(e.get("label") or "")
        marks.append(Mark(e["start"], e["end"], f"ent ent-{label.lower()}",
                          href=actor_url(key) if key and (linkable is None or linkable("actor", key)) else None,
                          attrs={"title": f"{label}" + (f" · {a.get('name')}" if a else "")}, prio=2))
    return marks


def _other_marks(doc: dict) -> list[Mark]:
    """Sources, dates and the dateline."""
    marks = []
    for s in doc.get("sources") or []:
        if isinstance(s, dict) and "start" in s:
            marks.append(Mark(s["start"], s["end"], "source", attrs={"title": "مصدر"}, prio=2))
    for d in doc.get("dates") or []:
        if isinstance(d, dict) and "start" in d:
            marks.append(Mark(d["start"], d["end"], "date", attrs={"title": str(d.get("value") or "")}, prio=2))
    dl = doc.get("dateline")
    if isinstance(dl, dict) and isinstance(dl.get("start"), int) and isinstance(dl.get("end"), int):
        marks.append(Mark(dl["start"], dl["end"], "dateline", attrs={"title": "مكان الخبر"}, prio=-1))
    return marks


def article_marks(doc: dict, speakers: list[dict], linkable=None) -> list[Mark]:
    """Marks for every layer of a JSON document: quotations, speaker mentions, cues, entities, sources, dates."""
    return _quote_marks(doc.get("quotes") or [], speakers) + _entity_marks(doc, linkable) + _other_marks(doc)


def render_article(doc: dict, linkable=None) -> tuple[Markup, list[dict]]:
    """The article's text with its layers highlighted, and its quotations' speakers (see
    :func:`resolve_speakers` for ``linkable``)."""
    sp = resolve_speakers(doc, linkable)
    return highlight(doc.get("text") or "", article_marks(doc, sp, linkable)), sp


# ---------------------------------------------------------------------------------------------------------------
# search snippets

def snippet_html(hit: dict) -> Markup:
    """A search hit's snippet with its highlighted words in ``<mark>``, rebuilt from the offsets the store gives
    (``snippet_start`` and ``highlights``), so brackets in the article text are never taken for highlights."""
    marked = hit.get("snippet")
    if not isinstance(marked, str):
        return Markup("")
    start = hit.get("snippet_start")
    hl = hit.get("highlights") or []
    if not isinstance(start, int):
        return Markup(escape(marked))
    s = marked
    prefix = ""
    if start > 0 and s.startswith("… "):
        prefix, s = "… ", s[2:]
    out = [str(escape(prefix))]
    pos, i = start, 0
    try:
        for a, b in hl:
            if a < pos:
                raise ValueError
            plain = s[i:i + (a - pos)]
            i += a - pos
            if s[i] != "[":
                raise ValueError
            word = s[i + 1:i + 1 + (b - a)]
            i += 1 + (b - a)
            if s[i] != "]":
                raise ValueError
            i += 1
            out.append(str(escape(plain)))
            out.append("<mark>" + str(escape(word)) + "</mark>")
            pos = b
        out.append(str(escape(s[i:])))
    except (ValueError, IndexError, TypeError):
        return Markup(escape(marked))
    return Markup("".join(out))


# ---------------------------------------------------------------------------------------------------------------
# timelines

def _months_between(a: str, b: str) -> list[str]:
    y, m = int(a[:4]), int(a[5:7])
    y2, m2 = int(b[:4]), int(b[5:7])
    out = []
    while (y, m) <= (y2, m2) and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def svg_timeline(rows: list[dict], value: str = "n", *, label: str = "", width: int = 640,
                 height: int = 140) -> Markup:
    """A bar chart (inline SVG) of ``rows`` (``{"month": "YYYY-MM", value: count}``), months without data shown
    empty.  Time runs right to left, as the page reads: the oldest month is at the right edge."""
    data = {r["month"]: int(r.get(value) or 0) for r in rows if isinstance(r.get("month"), str)
            and len(r["month"]) == 7 and r["month"][:4].isdigit() and r["month"][5:7].isdigit()}
    undated = sum(int(r.get(value) or 0) for r in rows if not (isinstance(r.get("month"), str)
                                                             and len(r["month"]) == 7))
    if not data:
        return Markup('<p class="muted">لا تواريخ نشر لرسم خط زمني.</p>')
    months = _months_between(min(data), max(data))
    top = max(data.values()) or 1
    pad_b, pad_t = 28, 16
    bw = max(2.0, (width - 20) / max(1, len(months)))
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'preserveAspectRatio="xMidYMid meet" direction="ltr" aria-label="{escape(label)}">']
    step = max(1, len(months) // 8)
    for i, mo in enumerate(months):
        v = data.get(mo, 0)
        h = (height - pad_b - pad_t) * v / top
        x = width - 10 - (i + 1) * bw
        y = height - pad_b - h
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(1.0, bw - 2):.1f}" height="{h:.1f}">'
                     f'<title>{escape(mo)}: {v}</title></rect>')
        if v:
            parts.append(f'<text class="val" x="{x + bw / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{v}</text>')
        if i % step == 0:
            parts.append(f'<text class="tick" x="{x + bw / 2:.1f}" y="{height - 10}" text-anchor="middle">'
                         f'{escape(mo)}</text>')
    parts.append("</svg>")
    svg = "".join(parts)
    if undated:
        svg += f'<p class="muted">و{undated} بلا تاريخ نشر.</p>'
    return Markup(svg)
