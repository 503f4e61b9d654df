"""``khabar story``: a set of articles analysed together — statements reported by several of them, and responses
in one article to a statement of another (the format of ``shared/gold/score_story.py``).

Works on Document JSON dicts (``Document.to_json()``), so the same functions serve analysed files and stored
documents.  Articles are taken in order of publication (then id), each quote added to a
:class:`~khabar.statements.group.StatementIndex`; then every response is linked (:func:`response_links`).
"""
from __future__ import annotations

from .group import QuoteRef, StatementIndex, continues, days, same_speaker
from ..text.normalize import fold
from .terms import containment, negated, terms

# a response whose claim has no quotes in its article is linked to statements of the claim's speaker first
# reported from this many days before the response's article up to this many days after it
LINK_BEFORE_DAYS = 3.0
LINK_AFTER_DAYS = 0.5
# ... and whose quotes share at least LINK_SHARED content terms with the response (the LINK_TOP best)
LINK_SHARED = 3
LINK_TOP = 3
PLACE_KEY = "GPE:"
# the most words of a name in apposition after a speaker mention (see written_key)
APPOSITION_WORDS = 4


def article_id(doc: dict, fallback: str | None = None) -> str:
    meta = doc.get("meta") or {}
    return str(meta.get("external_id") or meta.get("id") or fallback or doc.get("id"))


def article_time(doc: dict) -> float | None:
    meta = doc.get("meta") or {}
    for k in ("published", "time", "date"):
        t = days(meta.get(k))
        if t is not None:
            return t
    return None


def _name_words(key: str) -> list[str]:
    return key.partition(":")[2].split("@", 1)[0].split()


def _apposition(q: dict, text: str | None) -> list[str]:
    """The folded words of a name in apposition that the speaker mention left out: the words right after the mention
    up to a comma (نفى وزير الخارجية التركي | مولود جاويش أوغلو، الجمعة، أن …), from the article ``text`` by the
    mention's offsets, else the quote's own first clause when it opens with them (the quotes stage put the name in
    the quote: مولود جاويش أوغلو، تقديم أنقرة …); at most APPOSITION_WORDS words, else none."""
    m = q.get("speaker_mention")
    if text and isinstance(m, (list, tuple)) and len(m) == 2 and isinstance(m[1], int):
        after = text[m[1]:m[1] + 80]
    else:
        after = q.get("content") or q.get("text") or ""
    head, comma, _ = after.replace(",", "،").partition("،")
    words = fold(head, search=True).split()
    return words if comma and 2 <= len(words) <= APPOSITION_WORDS else []


def written_key(q: dict, keys, text: str | None = None) -> str:
    """The speaker key of a quote, checked against its speaker mention as written: when the mention ends with the
    name of another person (the two or more words of another person key of the article: وزير الخارجية التركي
    مولود جاويش أوغلو → جاويش اوغلو) and holds no word of the quote's own key (عبد الحميد غل: the actors stage put
    the mention in another person's cluster), the named person is the speaker; so too when that name follows the
    mention in apposition (:func:`_apposition`) and holds no word of the quote's own key (the mention cut before the
    name: a title alone as the key, وزير الخارجية التركية).  ``keys``: the article's actor keys; ``text``: the
    article's text (the mention's offsets are into it)."""
    key = q.get("speaker_key") or ""
    mention = q.get("speaker_mention_text") or ""
    if not key.startswith("PER:") or not mention:
        return key
    own = set(_name_words(key))
    words = fold(mention, search=True).split()
    app = _apposition(q, text)
    if app and not own & set(app):
        words = words + app
    elif own & set(words):
        return key
    best = None
    for other in keys:
        ow = _name_words(other or "")
        if (not other or not other.startswith("PER:") or "@" in other or len(ow) < 2 or other == key
                or (best and len(ow) <= len(_name_words(best)))):
            continue
        # a full name closing the mention (a title and the name in apposition), not a surname after a noun of
        # relation (مستشار ترامب، محامي كوهين: someone else's adviser or lawyer)
        if words[-len(ow):] == ow:
            best = other
    return best or key


def quote_ref(q: dict, aid: str, k: int, time: float | None, outlet: str | None, key: str | None = None) -> QuoteRef:
    """One item of a Document's ``quotes`` as a :class:`QuoteRef` (polarity from its cue and content; ``key``
    the speaker key when not the quote's own, see :func:`written_key`)."""
    text = q.get("content") or q.get("text") or ""
    return QuoteRef(aid, k, key or q.get("speaker_key") or "", q.get("speaker") or "", text, time, outlet,
                    negated=negated(f"{q.get('cue_text') or ''} {text}"))


def quote_refs(doc: dict, aid: str, time: float | None = None) -> list[QuoteRef]:
    """The quotes of one analysed article that have a speaker, as :class:`QuoteRef`."""
    meta = doc.get("meta") or {}
    out = []
    qs = doc.get("quotes") or []
    keys = [a.get("key") for a in doc.get("actors") or [] if isinstance(a, dict)]
    for k, q in enumerate(qs):
        key = q.get("speaker_key")
        if not key:
            continue
        ref = quote_ref(q, aid, k, time, meta.get("outlet"), written_key(q, keys, doc.get("text")))
        if k and continues(qs[k - 1], q):
            ref.follows = k - 1
        out.append(ref)
    return out


def elsewhere(st, own) -> bool:
    """Whether statement ``st`` holds a quote of an article outside ``own`` (an article and its copies)."""
    return any(q.article not in own for q in st.quotes)


def copies(docs: list[tuple[str, dict]]) -> dict[str, set]:
    """Each article's near-duplicates among ``docs`` (itself included): word 4-shingles of the folded text with a
    Jaccard of at least the store's ``COPY_JACCARD`` (an article republished with a new lead), texts of fewer
    than ``MIN_SHINGLES`` shingles apart — as the store's copies, exactly rather than by MinHash."""
    from ..store.statements import COPY_JACCARD, MIN_SHINGLES

    sh = {}
    for aid, d in docs:
        w = fold(d.get("text") or "", search=True).split()
        s = {" ".join(w[i:i + 4]) for i in range(max(1, len(w) - 3))}
        if len(s) >= MIN_SHINGLES:
            sh[aid] = s
    out = {aid: {aid} for aid, _ in docs}
    ids = list(sh)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if len(sh[a] & sh[b]) >= COPY_JACCARD * len(sh[a] | sh[b]):
                out[a].add(b)
                out[b].add(a)
    return out


def actor_keys(doc: dict) -> dict[str, str]:
    return {a.get("id"): a.get("key") for a in doc.get("actors") or [] if a.get("id")}


def response_terms(resp: dict, doc: dict) -> frozenset:
    """What a response says about its claim, as content terms: its evidence, the claim's mention and the carrying
    quote's content."""
    words = [resp.get("text") or "", resp.get("claim_mention") or ""]
    qs = doc.get("quotes") or []
    k = resp.get("quote")
    if isinstance(k, int) and 0 <= k < len(qs):
        words.append(qs[k].get("content") or "")
    return terms(" ".join(words))


def related(statements, rterms: frozenset) -> list:
    """The statements (each with its quotes' term sets) that a response's terms touch: at least LINK_SHARED terms
    shared with one of their quotes; the LINK_TOP best, most shared first."""
    scored = []
    for st in statements:
        best = max((len(rterms & q.terms) for q in st.quotes), default=0)
        if best >= LINK_SHARED:
            scored.append((-best, len(scored), st))
    return [st for *_, st in sorted(scored)[:LINK_TOP]]


# a denial also answers the affirmative statement of another article whose words it repeats (echo_links):
# containment of the denial's terms ≥ ECHO_SCORE with ≥ ECHO_SHARED shared terms
ECHO_SCORE = 0.2
ECHO_SHARED = 4


def echo_terms(resp: dict, doc: dict, aid: str = "", time: float | None = None) -> frozenset:
    """The terms a denial repeats of its claim: its carrying quote's (else its evidence's); empty for other
    stances."""
    if resp.get("stance") != "deny":
        return frozenset()
    qs = doc.get("quotes") or []
    k = resp.get("quote")
    if isinstance(k, int) and 0 <= k < len(qs):
        return quote_ref(qs[k], aid, k, time, None).terms
    return terms(resp.get("text") or "")


def echo_best(rt: frozenset, candidates):
    """Among (statement, quote) candidates, the statement whose affirmative quote the denial's terms ``rt``
    are best contained in (≥ ECHO_SCORE, ≥ ECHO_SHARED shared terms), or None."""
    best, best_sc = None, 0.0
    for st, q in candidates:
        if q.negated or len(rt & q.terms) < ECHO_SHARED:
            continue
        sc = containment(rt, q.terms)
        if sc >= ECHO_SCORE and sc > best_sc:
            best, best_sc = st, sc
    return best


def echo_speaker_ok(skey: str, responder: str | None, named) -> bool:
    """Whether a statement of speaker ``skey`` can be the claim a denial echoes: its speaker is named in the
    denial's article (``named``: the article's actor keys) and is not the responder — in a corpus, four shared
    words also join a denial to unrelated statements of the same days (المملكة العربية السعودية، منطقة المدينة المنورة)."""
    if not skey:
        return False
    return any(same_speaker(skey, k) for k in named)


def echo_links(index: StatementIndex, aid: str, resp: dict, doc: dict, time: float | None,
               shared_only: bool = True, own=None) -> list:
    """The statement a denial negates: a denial repeats the claim's words under a negation (نفى أن يكون قد استمع
    إلى تسجيلات ← استمع إلى تسجيل صوتي).  The denial's terms (:func:`echo_terms`) against the affirmative quotes
    of the statements reported by other articles, first reported from LINK_BEFORE_DAYS before the response's
    article to LINK_AFTER_DAYS after it (:func:`echo_best`).  This reads the claim from the words, not from the
    speakers, so it holds where a speaker was misattributed."""
    rt = echo_terms(resp, doc, aid, time)
    if len(rt) < ECHO_SHARED:
        return []
    named = [a.get("key") for a in doc.get("actors") or [] if isinstance(a, dict) and a.get("key")]

    def cands():
        for st in index.statements:
            if (shared_only and len(st.articles) < 2) or not elsewhere(st, own or {aid}):
                continue
            if not echo_speaker_ok(st.speaker_key, resp.get("speaker_key"), named):
                continue
            t = st.time
            if time is not None and t is not None and not (time - LINK_BEFORE_DAYS <= t <= time + LINK_AFTER_DAYS):
                continue
            for q in st.quotes:
                yield st, q
    best = echo_best(rt, cands())
    return [best] if best is not None else []


def response_links(index: StatementIndex, aid: str, resp: dict, keys: dict, time: float | None,
                   shared_only: bool = True, rterms: frozenset = frozenset(), own=None) -> list:
    """The statements of other articles that one response (a ``responses`` item of article ``aid``) answers.

    * The claim's quotes are in the article: the statements holding them, when another article reports them too.
    * The claim has no quote in the article (only its speaker, and perhaps a mention: تصريحات ماي): the statements
      of the claim speaker's actor key reported by other articles, first reported at most LINK_BEFORE_DAYS before
      the response's article and not after it (a reply cannot precede the claim), and about what the response
      is about (``rterms``, :func:`related`: a speaker says many things in a few days).

    ``own``: the response's article and its near-duplicate copies (:func:`copies`); a statement reported only by
    them is the article's own, not another article's (a republished copy answers nothing across articles)."""
    own = own or {aid}
    claim_q = [k for k in resp.get("claim_quotes") or [] if isinstance(k, int)]
    out = []
    ckey = keys.get(resp.get("claim_actor"))
    if claim_q:
        for k in claim_q:
            st = index.of_quote.get((aid, k))
            if st is None or st in out or (shared_only and not elsewhere(st, own)):
                continue
            # the claimant's statement: not one of another person — the claim quote's speaker as written is another
            # (:func:`written_key`), or the quote joined another person's statement as a copy naming them
            ref = next((q for q in st.quotes if q.article == aid and q.quote == k), None)
            if ckey and ckey.startswith("PER:") and not (same_speaker(st.speaker_key, ckey) and (
                    ref is None or same_speaker(ref.speaker_key, ckey))):
                continue
            out.append(st)
        return out
    key = ckey
    if not key or not rterms:
        return out
    # a country's claim (ادعاءات بريطانيا) is made by its officials, under their own keys: any speaker but the
    # responder, by the words
    pool = index.statements if key.startswith(PLACE_KEY) else index.of_speaker(key)
    for st in pool:
        if key.startswith(PLACE_KEY) and (not st.speaker_key.startswith("PER:") or st.speaker_key == resp.get("speaker_key")):
            continue
        if not elsewhere(st, own) or (shared_only and len(st.articles) < 2):
            continue
        t = st.time
        if time is not None and t is not None and not (time - LINK_BEFORE_DAYS <= t <= time + LINK_AFTER_DAYS):
            continue
        out.append(st)
    return related(out, rterms)


def build_story(docs: list[tuple[str, dict]], *, index: StatementIndex | None = None) -> dict:
    """``docs``: (article id, Document JSON) pairs.  Returns the ``story.json`` dict: ``articles``,
    ``statements`` (reported by two or more articles: ``speaker``, ``speaker_key``, ``first`` appearance,
    ``outlets``, ``quotes`` [{article, quote, text}]) and ``responses`` [{article, response, stance, speaker,
    statements: [index into statements]}]."""
    index = index or StatementIndex()
    times = {aid: article_time(d) for aid, d in docs}
    order = sorted(docs, key=lambda x: (times[x[0]] is None, times[x[0]] or 0.0, x[0]))
    for aid, d in order:
        for ref in quote_refs(d, aid, times[aid]):
            index.add(ref)
    shared = index.shared()
    pos = {id(s): k for k, s in enumerate(shared)}
    statements = []
    for s in shared:
        f = s.first
        statements.append({"id": f"s{len(statements) + 1}", "speaker": s.speaker, "speaker_key": s.speaker_key,
                           "first": {"article": f.article, "quote": f.quote},
                           "outlets": sorted({q.outlet for q in s.quotes if q.outlet}),
                           "quotes": [{"article": q.article, "quote": q.quote, "text": q.text} for q in s.quotes]})
    responses = []
    dup = copies(docs)
    for aid, d in docs:
        keys = actor_keys(d)
        for k, r in enumerate(d.get("responses") or []):
            found = response_links(index, aid, r, keys, times[aid], rterms=response_terms(r, d), own=dup[aid])
            found += [x for x in echo_links(index, aid, r, d, times[aid], own=dup[aid]) if x not in found]
            links = [pos[id(s)] for s in found if id(s) in pos]
            if links:
                responses.append({"article": aid, "response": k, "stance": r.get("stance"),
                                  "speaker": r.get("speaker"), "statements": links})
    return {"articles": [aid for aid, _ in docs], "statements": statements, "responses": responses}
