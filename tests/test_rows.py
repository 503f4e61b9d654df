"""One home for Document → rows (khabar.io.rows) and for the rule "a quote's speaker → its actor"
(khabar.actors.speakers): the stage, the store's rows, batch's rows and the server's rendering agree."""
from khabar.actors.speakers import SpeakerIndex, link_speakers
from khabar.batch.tables import document_rows
from khabar.document import Document, Span
from khabar.io.rows import table_rows
from khabar.server.render import resolve_speakers
from khabar.actors import name_key
from khabar.store.rows import prepare

TEXT = ("قال وزير الخارجية جبران باسيل إن \"الحل قريب\". وأضاف باسيل أن الحكومة ستجتمع. "
        "وقال معهد العلوم والأمن الدولي ISIS إن \"البرنامج توقف\". وقال مسؤولون سابقون إن \"الوضع صعب\".")
BASSIL = TEXT.index("جبران باسيل")
BASSIL2 = TEXT.index("باسيل أن")
ACTORS = [
    {"id": "A1", "name": "جبران باسيل", "type": "PER", "key": "PER:جبران باسيل",
     "mentions": [{"start": BASSIL, "end": BASSIL + 11, "text": "جبران باسيل"},
                  {"start": BASSIL2, "end": BASSIL2 + 5, "text": "باسيل"}]},
    {"id": "A2", "name": "معهد العلوم والأمن الدولي", "type": "ORG", "key": "ORG:معهد العلوم والأمن الدولي",
     "mentions": []},
]


def _q(**attrs) -> Span:
    return Span(0, 3, "QUOTE", attrs)


def test_the_rule_in_its_order():
    idx = SpeakerIndex(ACTORS, TEXT)
    ids = lambda q: idx.id_of(idx.resolve(q))  # noqa: E731
    assert ids(_q(speaker="جبران باسيل", speaker_actor="A2")) == "A2"   # 1. the stage's link comes first
    assert ids(_q(speaker="جبران باسيل", speaker_actor="A9")) is None   # a link to no actor: nothing
    assert ids(_q(speaker="A1")) == "A1"                                # a speaker given as an actor id
    assert ids(_q(speaker="باسيل")) == "A1"                             # 2. a mention's text, folded
    assert ids(_q(speaker="الوزير", speaker_mention=[BASSIL2, BASSIL2 + 5])) == "A1"  # 3. the mention's words
    assert ids(_q(speaker="معهد العلوم والأمن الدولي ISIS")) == "A2"    # 4. a name that begins the speaker's
    assert ids(_q(speaker="مسؤولون سابقون")) is None
    assert ids({"speaker": "باسيل"}) == "A1"                           # a quote as exported JSON


def test_the_stage_makes_an_unknown_speaker_an_actor():
    m = TEXT.index("مسؤولون سابقون")
    quotes = (_q(speaker="باسيل"), _q(speaker="مسؤولون سابقون", speaker_mention=[m, m + 14], speaker_type="PER"),
              _q(kind="direct"))
    out, actors = link_speakers(TEXT, quotes, ACTORS)
    assert [q.get("speaker_actor") for q in out] == ["A1", "A3", None]
    from khabar.actors.speakers import _text_scope

    # an unnamed speaker (common nouns only): its key is scoped to its document (issue 15)
    key = "PER:" + name_key("مسؤولون سابقون") + "@" + _text_scope(TEXT)  # (folded: مسوولون)
    assert actors[2] == {"id": "A3", "name": "مسؤولون سابقون", "type": "PER", "key": key,
                         "mentions": [{"start": m, "end": m + 14, "text": "مسؤولون سابقون"}]}
    assert out[1].get("speaker_key") == key and len(ACTORS) == 2  # the input is not changed


def _doc_without_links() -> Document:
    """An analysed article from elsewhere: its quotes name their speakers but carry no link to an actor."""
    quotes = []
    for speaker, mention in (("جبران باسيل", None), ("الوزير", (BASSIL2, BASSIL2 + 5)),
                             ("معهد العلوم والأمن الدولي ISIS", None), ("مسؤولون سابقون", None)):
        s = TEXT.index("\"", TEXT.index("\"") + 1) if not quotes else 0
        quotes.append(Span(s, s + 3, "QUOTE", {"kind": "direct", "speaker": speaker,
                                               "speaker_mention": list(mention) if mention else None}))
    return Document.from_text(TEXT).with_layers(actors=ACTORS, quotes=quotes)


def test_store_batch_and_server_resolve_alike():
    doc = _doc_without_links()
    want = ["A1", "A1", "A2", None]
    assert [r["speaker_actor"] for r in table_rows(doc).quotes] == want
    assert [r[7] for r in prepare(doc).quotes] == want
    assert [r[6] for r in prepare(doc).quotes] == ["PER:جبران باسيل", "PER:جبران باسيل",
                                                   "ORG:معهد العلوم والأمن الدولي", None]
    rows = document_rows(doc, seq=0, partition=0, source=None, line=None, pipeline="")
    assert [r["speaker_actor"] for r in rows["quotes"]] == want
    assert [s["key"] for s in resolve_speakers(doc.to_json())] == [
        "PER:جبران باسيل", "PER:جبران باسيل", "ORG:معهد العلوم والأمن الدولي", None]


def test_both_writers_get_the_same_rows():
    doc = _doc_without_links().with_layers(
        entities=(Span(BASSIL, BASSIL + 11, "PER", {"actor": "A1"}),), sources=(), dates=(), events=())
    p = prepare(doc)
    rows = document_rows(doc, seq=0, partition=0, source=None, line=None, pipeline="")
    for table in ("entities", "actors", "quotes", "sources", "dates", "events"):
        assert len(getattr(p, table)) == len(rows[table]), table
    assert [r[1:3] for r in p.quotes] == [(r["start"], r["end"]) for r in rows["quotes"]]
    assert [r[0] for r in p.actors] == [r["actor_id"] for r in rows["actors"]] == ["A1", "A2"]
