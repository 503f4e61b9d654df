"""The REST API's response and parameter schemas (pydantic models, published in ``/openapi.json``).

Every 2xx answer of ``/api/...`` has a model here; FastAPI validates each answer against it, so the published
schema is what the server sends (``tests/test_server_schema.py`` checks it with schemathesis' response checks).
Item models allow extra fields (a newer store or pipeline may add one); the fields listed are always there.

Parameters carry the patterns the server enforces, so the schema accepts exactly what the server accepts:

* dates (``since``, ``until``): ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a real month and day number;
* names (``speaker``, ``entity``, ``source``, ``name``, the ``key`` of a speaker or actor): at least one Arabic
  or Latin letter or digit (a name of punctuation only matches nothing and is refused);
* search queries (``q``, ``about``): the query language (format ``khabar-query``), checked by the parser.
"""
from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

# A date filter: the same values Store.parse_date accepts, with real month and day numbers.
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
# A name or key: at least one Arabic or Latin letter or digit somewhere (each of these survives the store's name
# folding, so the store never refuses a value that matches).  Written with explicit ranges so that every
# regex engine reads it alike (pydantic's Rust regex, jsonschema-rs, Python's re in test generators).
NAME_PATTERN = (r"[0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0621-\u063A\u0641-\u064A\u0660-\u0669"
                r"\u0671-\u06D3\u06F0-\u06F9]")
# A country: ISO 3166 alpha-3, letters only (the store upper-cases it)
COUNTRY_PATTERN = r"^[A-Za-z]{3}$"
# the subjects of the topic stage (khabar/topic/subject.py)
Subject = Literal["politics", "economy", "sport", "culture", "technology", "health", "society"]
QUERY_FORMAT = "khabar-query"
ARTICLE_FORMAT = "khabar-article"

HINTS = {
    "since": "since: a date YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2018-06), month 01-12, day 01-31",
    "until": "until: a date YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2018-12), month 01-12, day 01-31",
    "q": "q: a search query (words, \"phrases\", -excluded, prefix*, OR, parentheses), at most 1000 characters",
    "about": "about: a search query over the quotation text (the syntax of /api/search's q)",
    "limit": "limit: a whole number from 1 to 100",
    "offset": "offset: a whole number from 0 to 100000",
    "mode": "mode: stem or exact",
    "kind": "kind: direct or indirect",
    "type": "type: one of PER, ORG, LOC, GPE, MISC",
    "facets": "facets: true or false",
    "snippets": "snippets: true or false",
    "subject": "subject: one of politics, economy, sport, culture, technology, health, society",
    "country": "country: an ISO 3166 alpha-3 code of three letters (SAU, IRN)",
}
for _p in ("speaker", "entity", "source", "name", "key"):
    HINTS[_p] = (f"{_p}: a name or an actor key (such as PER:جبران باسيل) with at least one Arabic or Latin "
                 "letter or digit")


class _Item(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    code: str = Field(description="khabar error code, e.g. E310 (malformed search syntax)")
    message: str
    source: Optional[str] = Field(None, description="the parameter or input the error is about")
    hint: Optional[str] = Field(None, description="what to do")
    position: Optional[int] = Field(None, description="E310: the character position of the problem")


class AnalyzeRequest(BaseModel):
    text: str = Field(description="the article text", min_length=1)
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = Field(None, description="publication date (ISO 8601 or RFC 2822)")


# -- the khabar Document (schema khabar.document/1.x) ---------------------------------------------------------

class Span(_Item):
    start: int = Field(description="code-point offset of the first character")
    end: int = Field(description="code-point offset after the last character")
    text: Optional[str] = Field(None, description="text[start:end]")
    label: Optional[str] = None


class DocumentMeta(_Item):
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    external_id: Optional[str] = None
    topic: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO 8601: 2018-02-26T02:20:10Z (UTC, when the source "
                                                       "gives a zone), 2018-02-26T02:20:10 (no zone given) or "
                                                       "2018-02-26; the value as given when it is no date")
    published_raw: Optional[str] = Field(None, description="the publication date as the source wrote it "
                                                           "(e.g. RFC 822), when it differs from published")


class Document(_Item):
    """An analysed article: its text, metadata and annotation layers, offsets in code points."""
    schema_: str = Field(alias="schema", description="khabar.document/1.x")
    id: str = Field(description="16 hex digits: a hash of the text (the same text has the same id)")
    meta: DocumentMeta
    text: str
    sentences: Optional[List[Span]] = None
    entities: Optional[List[Span]] = None
    actors: Optional[List[Dict[str, Any]]] = None
    dateline: Union[Dict[str, Any], List[Any], None] = None
    dates: Optional[List[Span]] = None
    sources: Optional[List[Span]] = None
    quotes: Optional[List[Span]] = None
    responses: Optional[List[Span]] = None
    events: Optional[List[Span]] = None
    topic: Union[Dict[str, Any], List[Any], None] = None
    subject: Optional[Dict[str, Any]] = Field(None, description="{label, score, scores}: what the article is about")
    geography: Optional[List[Dict[str, Any]]] = Field(None, description="[{country, region, weight, mentions}], "
                                                                       "main country first")
    section: Optional[str] = Field(None, description="the section the input carried, if any")

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ResolvedSpeaker(_Item):
    key: Optional[str] = Field(None, description="the speaker's actor key, when resolved")
    name: Optional[str] = None
    speaker: Optional[str] = Field(None, description="the speaker as written")
    mention: Optional[List[int]] = None


class StoredDocument(Document):
    permalink: str = Field(description="the article's page, /doc/{id} (the id is stable: a hash of the text)")
    speakers: List[ResolvedSpeaker] = Field(description="the resolved speaker of each quotation, in order")


# -- lists ------------------------------------------------------------------------------------------------------

class Page(BaseModel):
    total: int = Field(description="how many items match (all pages)")
    limit: int
    offset: int


class SearchHit(_Item):
    id: str
    external_id: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    topic: Optional[str] = Field(None, description="the section the input filed it under, if any")
    subject: Optional[str] = Field(None, description="what the article is about (politics, economy, sport, "
                                                     "culture, technology, health, society)")
    country: Optional[str] = Field(None, description="the main country of its geography (ISO 3166 alpha-3)")
    score: float
    exact: bool = Field(description="the exact form matched (ranked first)")
    snippet: Optional[str] = Field(None, description="the text around the matches, [marked]")
    snippet_start: Optional[int] = None
    snippet_end: Optional[int] = None
    highlights: Optional[List[List[int]]] = Field(None, description="[start, end] of each match in the snippet")
    permalink: str = Field(description="/doc/{id}")


class Facet(BaseModel):
    value: str
    count: int


class SpeakerFacet(_Item):
    key: str
    name: Optional[str] = None
    quotes: int


class LabeledFacet(Facet):
    label: str = Field(description="the value's Arabic name (سياسة، السعودية)")


class Facets(BaseModel):
    outlet: List[Facet]
    month: List[Facet]
    subject: List[LabeledFacet] = Field(description="subjects of the hits")
    country: List[LabeledFacet] = Field(description="countries of the hits' geography (any, not only the main "
                                                    "one): ISO 3166 alpha-3")
    speaker: List[SpeakerFacet]


class SearchPage(Page):
    query: str
    mode: Literal["stem", "exact"]
    total_exact: bool = Field(description="false when counting stopped at the bound (`count=bounded`, the "
                                          "default): `total` is then a lower bound, more articles match")
    items: List[SearchHit]
    hits: List[SearchHit] = Field(description="deprecated: the same list as items (kept for older clients)",
                                  json_schema_extra={"deprecated": True})
    facets: Optional[Facets] = None


class Quote(_Item):
    doc_id: str
    external_id: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    idx: int = Field(description="the quotation's index in its article (0 = first)")
    start: int
    end: int
    kind: Optional[str] = None
    speaker: Optional[str] = None
    speaker_key: Optional[str] = None
    speaker_name: Optional[str] = Field(None, description="the speaker as khabar shows it: its actor's name (the "
                                                          "speaker as written when no actor)")
    cue_text: Optional[str] = None
    content: Optional[str] = None
    permalink: str = Field(description="/doc/{doc_id}#q{idx+1}: the quotation in its article")


class QuotePage(Page):
    items: List[Quote]


class Speaker(_Item):
    key: str
    name: Optional[str] = None
    type: Optional[str] = None
    is_actor: bool
    quotes: int
    documents: int
    first: Optional[str] = None
    last: Optional[str] = None
    variants: List[Optional[str]]


class SpeakerPage(Page):
    items: List[Speaker]


class MonthCount(_Item):
    month: Optional[str] = None
    n: int


class SpeakerResponse(_Item):
    """A denial, confirmation or reply: who made it, where, and the claim it answers."""
    doc: str = Field(description="the article's id")
    response: int = Field(description="the response's index in its article (0 = first)")
    stance: Optional[str] = Field(None, description="deny, confirm or respond")
    speaker: Optional[str] = Field(None, description="who responded, as the article names them")
    speaker_key: Optional[str] = None
    evidence: Optional[str] = Field(None, description="the passage that carries the response")
    claim_speaker: Optional[str] = Field(None, description="whose claim it answers, as the article names them")
    claim_key: Optional[str] = None
    claim_mention: Optional[str] = Field(None, description="the words that name the claim (المزاعم، التقارير)")
    speaker_name: Optional[str] = Field(None, description="the responder's name as khabar shows it: its actor's "
                                                          "name (the speaker as written when no actor)")
    claim_speaker_name: Optional[str] = Field(None, description="the claim's speaker as khabar shows it")
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    claims: List[int] = Field(description="the stored statements (claims) it answers: /api/claims/{id}")
    permalink: str = Field(description="the article's page, /doc/{doc}")


class SpeakerResponses(BaseModel):
    made: List[SpeakerResponse] = Field(description="the denials, confirmations and replies the speaker made, "
                                                    "newest first")
    made_total: int = Field(description="how many the speaker made (all)")
    received: List[SpeakerResponse] = Field(description="the responses answering the speaker: linked to one of "
                                                        "the speaker's statements, or to a claim the article "
                                                        "attributes to the speaker; newest first")
    received_total: int = Field(description="how many answer the speaker (all)")


class SpeakerDetail(Page):
    speaker: Optional[Speaker] = None
    timeline: List[MonthCount]
    responses: SpeakerResponses
    items: List[Quote]


class Actor(_Item):
    key: str
    name: Optional[str] = None
    type: Optional[str] = None
    documents: int
    mentions: Optional[int] = None
    quotes: int


class ActorPage(Page):
    items: List[Actor]


class ActorMonth(_Item):
    month: Optional[str] = None
    documents: int
    mentions: Optional[int] = None


class CoActor(_Item):
    key: str
    documents: int
    name: Optional[str] = None
    type: Optional[str] = None


class ActorDoc(_Item):
    id: str
    external_id: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    mentions: Optional[int] = None


class ActorDetail(_Item):
    key: str
    name: Optional[str] = None
    type: Optional[str] = None
    documents: int
    mentions: int
    quotes: int
    variants: List[Optional[str]]
    timeline: List[ActorMonth]
    cooccurring: List[CoActor]
    latest: List[ActorDoc]


class Source(_Item):
    norm: Optional[str] = None
    citations: int
    documents: int
    name: Optional[str] = None


class SourcePage(Page):
    items: List[Source]


class DateRow(_Item):
    value: str
    mentions: int
    documents: int
    example: Optional[str] = None


class DatePage(Page):
    items: List[DateRow]


# -- claims across articles (khabar/server/claims.py, khabar.store.statements) -----------------------------------

class ClaimDoc(BaseModel):
    doc: str
    external_id: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None


class ClaimFirst(ClaimDoc):
    quote: Optional[int] = None
    text: Optional[str] = None


class ClaimQuote(BaseModel):
    doc: str
    quote: int
    outlet: Optional[str] = None
    text: Optional[str] = None
    is_copy: bool


class ClaimResponse(BaseModel):
    doc: str
    response: int
    stance: Optional[str] = None
    speaker: Optional[str] = None
    evidence: Optional[str] = None
    claim_speaker: Optional[str] = None
    cross_article: bool


class Claim(BaseModel):
    id: int
    speaker: Optional[str] = None
    speaker_key: Optional[str] = None
    first: ClaimFirst
    n_articles: int
    n_outlets: int
    outlets: List[str]
    articles: List[ClaimDoc]
    copies: List[ClaimDoc]
    variants: List[str]
    quotes: List[ClaimQuote]
    responses: List[ClaimResponse]


class ClaimList(Page):
    items: List[Claim]


class Stats(_Item):
    schema_version: int
    clitic_splitter: Optional[str] = None
    counts: Dict[str, int]
    outlets: Dict[str, int]
    topics: Dict[str, int]
    published: Dict[str, Optional[str]]
    bytes: Optional[int] = None
    wal_bytes: Optional[int] = None
    analysis_skipped_stages: Optional[List[str]] = None


class Export(BaseModel):
    """A whole list (up to the export cap) as one JSON download."""
    list: str = Field(description="which list: quotes, search, actors, speakers, sources or dates")
    filters: Dict[str, Any] = Field(description="the filters it was made with")
    total: int = Field(description="how many items match")
    exported: int = Field(description="how many items are in this file")
    truncated: bool = Field(description="true when total is over the export cap and the file holds the first ones")
    items: List[Dict[str, Any]]
