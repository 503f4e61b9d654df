"""Search query language: parsed by us, compiled to an FTS5 MATCH string we build ourselves.

User syntax never reaches SQLite: every word becomes a double-quoted FTS5 string of folded letters and digits,
so no FTS5 operator, column filter or quote can be injected.

Grammar::

    query   := or_expr
    or_expr := and_expr ( ("OR" | "|") and_expr )*
    and_expr:= unary+                      (juxtaposition = AND)
    unary   := "-" atom | atom             (-word, -"phrase", -(group): exclude)
    atom    := WORD | WORD "*" | '"' words '"' | "(" or_expr ")"

* a bare word matches, in ``stem`` mode (the default), its folded surface form, its clitic-split form or its light
  stem (``إيران`` finds ايران، لإيران، وإيران، إيرانَ، الإيرانية); in ``exact`` mode only the folded surface form
  (hamza, harakat and ة/ه still folded: an "exact" search is not fooled by spelling variants of one form);
* ``"..."`` is an exact phrase of folded surface forms, in either mode;
* ``word*`` is a prefix search (at least two letters before the ``*``);
* ``-word`` excludes articles that contain that exact (folded) form; its other forms do not exclude.

Malformed queries raise :class:`~khabar.store.errors.QuerySyntaxError` (code E310) with the position.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import QuerySyntaxError
from .views import (VIEW_COLUMNS, analyse, get_clitic_splitter, light_stem, ranked_surface_variants, readings,
                    surface_form, surface_variants, ta_final)

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MODES = ("stem", "exact")
# weight of a form by its distance from the typed word: typed, less a clitic, a core as written, the core column
CLOSENESS = (1.0, 0.9, 0.8, 0.75)


# --------------------------------------------------------------------------------------------------------------
# AST

@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]      # folded surface sub-words (usually one)
    raw: str
    prefix: bool = False
    phrase: bool = False         # from "..." : exact surface phrase
    originals: tuple[str, ...] = ()  # the sub-words as typed (for the clitic splitter), aligned with words


@dataclass(frozen=True)
class And:
    items: tuple                 # positive nodes
    excluded: tuple = ()         # negated nodes


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass
class ParsedQuery:
    text: str
    root: object
    terms: list[Term] = field(default_factory=list)  # positive terms (for highlighting)


# --------------------------------------------------------------------------------------------------------------
# lexer

_SPECIAL = set('"()|')


def _lex(q: str):
    """Yield ``(kind, value, position)``: WORD, PHRASE, LP, RP, OR, NOT."""
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == '"' or c in "«»“”":
            close = {'"': '"', "«": "»", "“": "”", "”": "”", "»": "»"}[c]
            j = q.find(close, i + 1)
            if close == '"' and j < 0:
                raise QuerySyntaxError(f"unbalanced double quote at position {i}: a phrase needs a closing \"",
                                       query=q, position=i)
            if j < 0:
                raise QuerySyntaxError(f"unbalanced quotation mark {c} at position {i}", query=q, position=i)
            yield "PHRASE", q[i + 1:j], i
            i = j + 1
            continue
        if c == "(":
            yield "LP", c, i
            i += 1
            continue
        if c == ")":
            yield "RP", c, i
            i += 1
            continue
        if c == "|":
            yield "OR", c, i
            i += 1
            continue
        if c in "-\u2212" and (i == 0 or q[i - 1].isspace() or q[i - 1] in "(") and i + 1 < n \
                and not q[i + 1].isspace():
            yield "NOT", c, i
            i += 1
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in _SPECIAL and q[j] not in "«»“”":
            j += 1
        word = q[i:j]
        if word == "OR":
            yield "OR", word, i
        else:
            yield "WORD", word, i
        i = j


# --------------------------------------------------------------------------------------------------------------
# parser

class _Parser:
    def __init__(self, q: str):
        self.q = q
        self.toks = list(_lex(q))
        self.i = 0
        self.terms: list[Term] = []
        self.n_terms = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def error(self, msg: str, pos: int | None):
        raise QuerySyntaxError(msg, query=self.q, position=pos)

    def parse(self):
        if not self.toks:
            self.error("empty query: nothing to search for", 0)
        node = self.or_expr(positive=True)
        t = self.peek()
        if t is not None:
            if t[0] == "RP":
                self.error(f"unbalanced parenthesis: ')' at position {t[2]} has no matching '('", t[2])
            self.error(f"unexpected {t[1]!r} at position {t[2]}", t[2])
        if node is None:
            self.error("the query has no letters or digits to search for", 0)
        return node

    def or_expr(self, positive: bool):
        items = []
        t = self.peek()
        if t is not None and t[0] == "OR":
            self.error(f"'OR' at position {t[2]} needs a term before it", t[2])
        node = self.and_expr(positive)
        if node is not None:
            items.append(node)
        while (t := self.peek()) is not None and t[0] == "OR":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt[0] in ("OR", "RP"):
                self.error(f"'{t[1]}' at position {t[2]} needs a term after it", t[2])
            node = self.and_expr(positive)
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, positive: bool):
        pos_items, neg_items = [], []
        start = self.peek()
        while (t := self.peek()) is not None and t[0] not in ("OR", "RP"):
            if t[0] == "NOT":
                self.i += 1
                nxt = self.peek()
                if nxt is None or nxt[0] in ("OR", "RP", "NOT"):
                    self.error(f"'-' at position {t[2]} must be followed by a word, a phrase or a group", t[2])
                node = self.atom(positive=False)
                if node is not None:
                    neg_items.append(node)
            else:
                node = self.atom(positive)
                if node is not None:
                    pos_items.append(node)
        if not pos_items and neg_items:
            p = start[2] if start else 0
            self.error("a query (or group) cannot only exclude: add at least one word to search for", p)
        if not pos_items:
            return None
        if len(pos_items) == 1 and not neg_items:
            return pos_items[0]
        return And(tuple(pos_items), tuple(neg_items))

    def atom(self, positive: bool):
        t = self.peek()
        kind, val, pos = t
        self.i += 1
        if kind == "LP":
            node = self.or_expr(positive)
            close = self.peek()
            if close is None or close[0] != "RP":
                self.error(f"unbalanced parenthesis: '(' at position {pos} is never closed", pos)
            self.i += 1
            return node
        if kind == "PHRASE":
            words = tuple(w for w in (surface_form(x) for x in val.split()) if w)
            words = tuple(" ".join(words).split())
            if not words:
                if not val.strip():
                    self.error(f"empty phrase \"\" at position {pos}", pos)
                return None
            return self._term(Term(words, val, phrase=True), positive, pos)
        if kind == "WORD":
            prefix = val.endswith("*")
            core = val.rstrip("*")
            if "*" in core:
                self.error(f"'*' at position {pos + core.index('*')} is only allowed at the end of a word", pos)
            words = tuple(surface_form(core).split())
            if not words:
                if prefix and not core:
                    self.error(f"'*' at position {pos} must follow at least two letters", pos)
                return None  # punctuation only: nothing to match, ignore
            if prefix and len(words[-1]) < 2:
                self.error(f"a prefix search needs at least two letters before '*' (position {pos})", pos)
            originals = (core,) if len(words) == 1 else words
            return self._term(Term(words, val, prefix=prefix, originals=originals), positive, pos)
        self.error(f"unexpected {val!r} at position {pos}", pos)  # pragma: no cover

    def _term(self, term: Term, positive: bool, pos: int) -> Term:
        self.n_terms += 1
        if self.n_terms > MAX_TERMS:
            self.error(f"too many terms (more than {MAX_TERMS})", pos)
        if positive:
            self.terms.append(term)
        return term


def parse_query(q: str) -> ParsedQuery:
    """Parse a user query; raise :class:`QuerySyntaxError` (E310) if it is malformed."""
    if not isinstance(q, str):
        raise QuerySyntaxError(f"a query must be text, not {type(q).__name__}", query=None, position=None)
    if len(q) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query too long ({len(q)} characters; at most {MAX_QUERY_CHARS})", query=q[:50],
                               position=MAX_QUERY_CHARS)
    if "\x00" in q:
        raise QuerySyntaxError("the query contains a NUL character", query=q, position=q.index("\x00"))
    p = _Parser(q)
    root = p.parse()
    return ParsedQuery(q, root, p.terms)


# --------------------------------------------------------------------------------------------------------------
# compilation to FTS5

def _fts_string(words) -> str:
    s = " ".join(words)
    return '"' + s.replace('"', '""') + '"'


class Compiler:
    """Builds FTS5 MATCH strings for one clitic splitter (the one the database was indexed with)."""

    def __init__(self, splitter_name: str | None = None):
        self.splitter = get_clitic_splitter(splitter_name)

    def term_readings(self, term: Term, article_ta: bool = True) -> list[list[tuple[str, str]]]:
        """Per sub-word of a term, its ``(core, stem)`` readings, the index's own analysis first (see
        :func:`khabar.store.views.readings`; ``article_ta``: there).  A term of several sub-words (a hashtag)
        takes the first reading of each, as a phrase."""
        originals = term.originals if len(term.originals) == len(term.words) else term.words
        if len(term.words) == 1:
            return [readings(originals[0], self.splitter.raw(originals[0]), split=self.splitter.raw,
                             article_ta=article_ta)]
        return [[analyse(o, self.splitter.raw(o))] for o in originals]

    def ta_final(self, term: Term) -> bool:
        """Whether a one-word term's final ه is a ta marbuta typed as ه, not a pronoun: the splitter gives the
        word the article, and the article never comes with a pronoun ending (الحكومه, فالمكانه)."""
        o = term.originals[0] if len(term.originals) == 1 else term.words[0]
        return ta_final(self.splitter.raw(o))

    def term_views(self, term: Term) -> tuple[list[str], list[str], list[str]]:
        """Surface, core and stem of each sub-word (first readings)."""
        rs = self.term_readings(term)
        return list(term.words), [r[0][0] or w for r, w in zip(rs, term.words)], \
            [r[0][1] or w for r, w in zip(rs, term.words)]

    def term_segments(self, term: Term) -> list[tuple[str, ...]]:
        """The clitic segments of each sub-word of a term."""
        originals = term.originals if len(term.originals) == len(term.words) else term.words
        return [self.splitter.split(o) for o in originals]

    def term(self, t: Term, mode: str, merged: bool = False) -> str:
        """The MATCH string of one term.  ``merged``: the same matching rows with fewest phrases (see
        :func:`merge_alternatives`), for counting and for the sets a ranked query is limited to; never to rank
        by (BM25 scores each phrase of a query)."""
        star = " *" if t.prefix else ""
        if t.phrase or mode == "exact":
            return f"surface : {_fts_string(t.words)}{star}"
        surf = list(t.words)
        if t.prefix:
            # a prefix of a word is not a word: stem and clitic-split it would be wrong; use the raw prefix
            # against the surface, and against the core and stem columns (ال/و-prefixed words are indexed
            # without them there)
            alts = [("surface", f"{_fts_string(surf)} *"), ("clitic", f"{_fts_string(surf)} *")]
            if mode != "core":
                alts.append(("stem", f"{_fts_string(surf)} *"))
                st = light_stem(surf[-1]) if len(surf) == 1 else None
                if st and st != surf[-1] and len(st) >= 2:
                    alts.append(("stem", f"{_fts_string([st])} *"))
            return _alternatives(alts, merged)
        rs = self.term_readings(t)
        alts = [("surface", _fts_string(surf))]
        if len(surf) == 1:
            cores = list(dict.fromkeys(c for c, _s in rs[0] if c))
            stems = list(dict.fromkeys(st for _c, st in rs[0] if st))
            alts += [("surface", _fts_string([x])) for x in surface_variants(surf[0], cores, self.ta_final(t))]
            alts += [("clitic", _fts_string([c])) for c in cores]
            if mode != "core":
                alts += [("stem", _fts_string([x])) for x in stems]
        else:
            alts.append(("clitic", _fts_string([r[0][0] or w for r, w in zip(rs, surf)])))
            if mode != "core":
                alts.append(("stem", _fts_string([r[0][1] or w for r, w in zip(rs, surf)])))
        return _alternatives(list(dict.fromkeys(alts)), merged)

    def alternatives(self, t: Term, article_ta: bool = True) -> list[tuple[int, float, str, str]]:
        """The ranked alternatives of one plain word (not a phrase, not a prefix) in ``stem`` mode:
        ``(level, closeness, column, folded token)``.  Level 0: the word's own forms (the typed form, the typed
        form less a clitic, its cores bare or with the article, the core column); level 1: the stem column
        (another inflection).  Closeness: 1.0 for the typed form, lower for forms further from it.
        ``article_ta=False``: a final ه after the article may be a pronoun too (see :meth:`ta_final`)."""
        rs = self.term_readings(t, article_ta)
        surf = t.words[0]
        cores = list(dict.fromkeys(c for c, _s in rs[0] if c))
        stems = list(dict.fromkeys(st for _c, st in rs[0] if st))
        out: list[tuple[int, float, str, str]] = []
        for x, dist in ranked_surface_variants(surf, cores, article_ta and self.ta_final(t)):
            out.append((0, CLOSENESS[dist], "surface", x))
        for c in cores:
            out.append((0, CLOSENESS[3], "clitic", c))
        for x in stems:
            out.append((1, 1.0, "stem", x))
        return out

    def compile(self, node, mode: str, merged: bool = False) -> str:
        """The MATCH string of a parsed query.  ``merged``: one that matches the same rows with fewer phrases
        (each token searched in several columns once, under a column set), for counts and row sets only."""
        if isinstance(node, Term):
            return self.term(node, mode, merged)
        if isinstance(node, Or):
            return "(" + " OR ".join(self.compile(x, mode, merged) for x in node.items) + ")"
        if isinstance(node, And):
            pos = " AND ".join(self.compile(x, mode, merged) for x in node.items)
            if len(node.items) > 1:
                pos = f"({pos})"
            if node.excluded:
                # an excluded word is excluded in its exact (folded surface) form only: `إيران -الإيرانية`
                # keeps the articles about Iran that do not use the adjective
                neg = " OR ".join(self.compile(x, "exact") for x in node.excluded)
                return f"({pos} NOT ({neg}))"
            return pos
        raise TypeError(node)  # pragma: no cover


def _alternatives(alts: list[tuple[str, str]], merged: bool) -> str:
    """``(col : phrase OR ...)`` of ``(column, phrase)`` alternatives, or with ``merged`` its row-set equivalent
    (:func:`merge_alternatives`)."""
    if merged:
        return merge_alternatives(alts)
    return "(" + " OR ".join(f"{col} : {ph}" for col, ph in alts) + ")"


def merge_alternatives(alts) -> str:
    """A MATCH string matching the rows that ``(col1 : p OR col2 : p OR col3 : q ...)`` matches, with each
    phrase once: under the set of its columns (``{surface clitic} : p``), or under none when it is searched in
    every column.  A phrase matches a row when it occurs in one of the row's columns, so the rows are the same;
    FTS5 reads each phrase's list once instead of once per column (a 3-letter prefix searched in all three
    columns: 3.8x less time to count on 57,239 articles).  Not for ranking: BM25 scores each phrase of the
    query as written."""
    cols: dict[str, list[str]] = {}
    for col, ph in alts:
        cs = cols.setdefault(ph, [])
        if col not in cs:
            cs.append(col)
    every = set(VIEW_COLUMNS)
    parts = [ph if set(cs) >= every else (f"{cs[0]} : {ph}" if len(cs) == 1 else "{" + " ".join(cs) + "} : " + ph)
             for ph, cs in cols.items()]
    return "(" + " OR ".join(parts) + ")"


def compile_query(q: str | ParsedQuery, mode: str = "stem", splitter_name: str | None = None) -> str:
    """The FTS5 MATCH string of a query (for tests and for ``--explain``)."""
    pq = parse_query(q) if isinstance(q, str) else q
    return Compiler(splitter_name).compile(pq.root, mode)
