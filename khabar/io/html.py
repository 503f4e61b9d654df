"""Main text of a news page, with the standard library's ``html.parser`` (nothing in the page is ever run).

:func:`extract_html` returns an :class:`HtmlArticle`: the article text (one paragraph a line), its title and the
metadata the page declares (canonical url, site name, publication time, language).

How the built-in extractor finds the article text:

* ``script``, ``style``, ``noscript``, ``template``, ``svg``, ``iframe``, ``form``, ``button``, ``select``,
  ``nav``, ``header``, ``footer``, ``aside`` and elements whose class/id says comment/share/related/menu/
  cookie/ad are dropped with everything inside them;
* the remaining text is cut into blocks at block-level tags (``p``, ``div``, ``h1``–``h6``, ``li``, ``br`` ...),
  each block remembering how much of its text is link text;
* if the page has ``<article>`` (or an element with ``itemprop="articleBody"``), only blocks inside the one with
  the most text are kept; otherwise blocks of at least 25 characters, or paragraphs (``p``) next to other kept
  blocks, are kept;
* blocks whose text is mostly links (link density > 0.5) are dropped.

With ``extractor="trafilatura"`` the trafilatura package (Apache-2.0, not a dependency of khabar: ``pip install
trafilatura``) is used instead when it is installed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import EmptyInputError, InputError

SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select", "nav",
             "header", "footer", "aside", "object", "embed", "canvas", "math", "head"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
             "track", "wbr"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
              "blockquote", "pre", "td", "th", "tr", "table", "dd", "dt", "dl", "figcaption", "figure", "br", "hr",
              "body", "center", "address"}
_BOILER = re.compile(r"(^|[\s_-])(comment|share|social|related|recommend|menu|navbar|breadcrumb|cookie|banner|"
                     r"advert|ads?|promo|sidebar|footer|header|newsletter|subscribe|popup|modal|tags?)($|[\s_-])",
                     re.I)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class HtmlArticle:
    text: str
    title: str | None = None
    meta: dict = field(default_factory=dict)  # url, outlet, published, language (when the page says)


@dataclass
class _Block:
    text: str
    tag: str
    link_chars: int
    container: int | None  # index of the <article> it is in, if any


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipping, opens an article container)
        self.skip_depth = 0
        self.buf: list[str] = []
        self.link_buf = 0
        self.in_link = 0
        self.blocks: list[_Block] = []
        self.block_tag = "div"
        self.title_parts: list[str] = []
        self.in_title = False
        self.h1: list[str] = []
        self.in_h1 = False
        self.meta: dict[str, str] = {}
        self.article_stack: list[int] = []
        self.n_articles = 0
        self.lang: str | None = None

    # blocks ---------------------------------------------------------------------------------------------
    def flush(self):
        text = _WS.sub(" ", "".join(self.buf)).strip()
        if text:
            cont = self.article_stack[-1] if self.article_stack else None
            self.blocks.append(_Block(text, self.block_tag, self.link_buf, cont))
        self.buf = []
        self.link_buf = 0

    # parser callbacks ------------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].split("-")[0].lower()
        if tag == "meta":
            self._meta(a)
            return
        if tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.meta.setdefault("url", a["href"])
            return
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag == "title" and not self.skip_depth:
            self.in_title = True
        if tag in VOID_TAGS:
            if tag in ("br", "hr") and not self.skip_depth:
                self.flush()
            return
        cls = (a.get("class", "") + " " + a.get("id", "")).strip()
        skipping = self.skip_depth > 0 or tag in SKIP_TAGS or (
            tag not in ("body", "html", "article", "main") and bool(cls) and bool(_BOILER.search(cls))
            and a.get("itemprop", "").lower() != "articlebody")
        if tag == "head":
            # the head is skipped as text, but its <title> and <meta> are read above/below
            skipping = False
        container = not skipping and (tag == "article" or a.get("itemprop", "").lower() == "articlebody")
        self.stack.append((tag, skipping, container))
        if skipping:
            self.skip_depth += 1
            return
        if tag in BLOCK_TAGS:
            self.flush()
            self.block_tag = tag
        if container:
            self.flush()
            self.n_articles += 1
            self.article_stack.append(self.n_articles)
        if tag == "a":
            self.in_link += 1
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in VOID_TAGS:
            return
        # pop to the matching open tag (tolerates unclosed tags)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                break
        else:
            return
        while len(self.stack) > i:
            t, skipping, container = self.stack.pop()
            if skipping:
                self.skip_depth -= 1
                continue
            if t in BLOCK_TAGS:
                self.flush()
                self.block_tag = "div"
            if t == "a":
                self.in_link = max(0, self.in_link - 1)
            if t == "h1":
                self.in_h1 = False
            if container and self.article_stack:
                self.flush()
                self.article_stack.pop()

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        self.buf.append(data)
        if self.in_link:
            self.link_buf += len(data.strip())
        if self.in_h1:
            self.h1.append(data)

    def _meta(self, a: dict):
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        val = a.get("content", "").strip()
        if not key or not val:
            return
        if key in ("og:title", "twitter:title"):
            self.meta.setdefault("title", val)
        elif key in ("og:url",):
            self.meta.setdefault("url", val)
        elif key in ("og:site_name", "application-name"):
            self.meta.setdefault("outlet", val)
        elif key in ("article:published_time", "datepublished", "date", "pubdate", "publishdate",
                     "dc.date.issued", "dcterms.created", "og:published_time"):
            self.meta.setdefault("published", val)


def _builtin(html: str) -> HtmlArticle:
    p = _Extractor()
    try:
        p.feed(html)
        p.close()
    except Exception as e:  # html.parser is lenient; anything it still raises means the page is unusable
        raise InputError(f"cannot parse the HTML: {e}") from None
    p.flush()
    blocks = p.blocks
    containers: dict[int, int] = {}
    for b in blocks:
        if b.container is not None:
            containers[b.container] = containers.get(b.container, 0) + len(b.text)
    if containers and max(containers.values()) >= 100:
        best = max(containers, key=containers.get)
        kept = [b for b in blocks if b.container == best]
    else:
        kept = []
        for i, b in enumerate(blocks):
            if len(b.text) >= 25 or (b.tag == "p" and len(b.text) >= 2) or b.tag in ("h1", "h2", "blockquote"):
                kept.append(b)
    kept = [b for b in kept if b.link_chars <= 0.5 * len(b.text)]
    title = p.meta.pop("title", None) or _WS.sub(" ", "".join(p.title_parts)).strip() or \
        _WS.sub(" ", "".join(p.h1)).strip() or None
    lines = [b.text for b in kept]
    # the page title repeated as the first heading is not part of the text
    if lines and title and lines[0] == title:
        lines = lines[1:]
    meta = {k: v for k, v in p.meta.items() if k in ("url", "outlet", "published")}
    if "published" not in meta and "time" in p.meta:
        meta["published"] = p.meta["time"]
    if p.lang:
        meta["language"] = p.lang
    return HtmlArticle("\n".join(lines), title, meta)


def _trafilatura(html: str) -> HtmlArticle:
    try:
        import trafilatura  # type: ignore
    except ImportError:
        raise InputError("the trafilatura extractor is not installed",
                         hint="pip install trafilatura, or use the built-in extractor") from None
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    md = trafilatura.extract_metadata(html)
    meta = {}
    title = None
    if md is not None:
        title = md.title
        for k, attr in (("url", "url"), ("outlet", "sitename"), ("published", "date")):
            v = getattr(md, attr, None)
            if v:
                meta[k] = v
    return HtmlArticle(text, title, meta)


def extract_html(html: str, name: str = "<html>", extractor: str = "builtin") -> HtmlArticle:
    """The main text and metadata of an HTML page; raises :class:`EmptyInputError` if it has no text."""
    if extractor == "trafilatura":
        art = _trafilatura(html)
    elif extractor == "builtin":
        art = _builtin(html)
    else:
        raise InputError(f"unknown HTML extractor {extractor!r}", source=name,
                         hint="use builtin or trafilatura")
    if not art.text.strip():
        raise EmptyInputError("no article text found in the HTML page", source=name,
                              hint="the page may load its text with JavaScript; save the rendered page")
    return art

