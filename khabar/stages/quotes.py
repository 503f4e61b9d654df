"""``quotes``: reported speech with its speaker (see shared/gold/GUIDELINES.md, "quotes").

Spans over the quote *content* with ``attrs``: ``kind`` (direct|indirect), ``speaker`` (the fullest name the
article gives, or None), ``speaker_mention`` ([start, end] or None) and ``speaker_mention_text``, ``cue``
([start, end]) and ``cue_text``, ``speaker_type`` (PER/ORG/GPE/DOC).  The sieve is in
:mod:`khabar.attribution`; its analysis, made once by the internal ``attribution`` stage, is shared with
the ``sources`` stage.  Each speaker is then tied to an actor of the ``actors`` layer (a speaker no actor holds
becomes one), so this stage also writes ``actors``.
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register


@register
class QuotesStage(Stage):
    name = "quotes"
    version = "1"
    requires = ("attribution", "actors")
    produces = ("quotes", "actors")

    def __call__(self, doc: Document) -> Document:
        quotes, actors = link_speakers(doc, tuple(doc.layers["attribution"].quotes), doc.layers["actors"])
        return doc.with_layers(quotes=quotes, actors=actors)


def link_speakers(doc: Document, quotes, actors):
    """Tie each quote's speaker to an actor of the document (``speaker_actor``, ``speaker_key``).

    The speaker's name, or its mention at the cue, is looked up among the actors' names and mentions (folded);
    a speaker no actor holds (``مسؤولون سابقون``, ``التقرير``) becomes an actor of its own, so every speaker has a
    key that stays the same across documents.  The mention at the cue (``دبلوماسي بريطاني بارز``) joins the actor's
    mentions, so the actor records every way the article names that speaker.
    """
    from ..actors import name_key

    actors = [dict(a, mentions=list(a["mentions"])) for a in actors]
    by_name: dict[str, dict] = {}
    for a in actors:
        by_name.setdefault(name_key(a["name"]), a)
        for m in a["mentions"]:
            by_name.setdefault(name_key(m["text"]), a)
    text = doc.text
    out = []
    next_id = len(actors) + 1
    for q in quotes:
        attrs = dict(q.attrs or {})
        speaker = attrs.get("speaker")
        if not speaker:
            out.append(q)
            continue
        mention = attrs.get("speaker_mention")
        a = by_name.get(name_key(speaker))
        if a is None and mention:
            a = by_name.get(name_key(text[mention[0]:mention[1]]))
        if a is None:
            # "معهد العلوم والأمن الدولي ISIS": the speaker's name starts with an actor's name
            sk = name_key(speaker).split()
            best = 0
            for k, cand in by_name.items():
                kw = k.split()
                if len(kw) >= 2 and len(kw) > best and sk[:len(kw)] == kw:
                    a, best = cand, len(kw)
        if a is None:
            typ = attrs.get("speaker_type") or "PER"
            a = {"id": f"A{next_id}", "name": speaker, "type": typ, "key": f"{typ}:{name_key(speaker)}",
                 "mentions": []}
            next_id += 1
            actors.append(a)
            by_name[name_key(speaker)] = a
        if mention and not any(m["start"] < mention[1] and mention[0] < m["end"] for m in a["mentions"]):
            a["mentions"].append({"start": mention[0], "end": mention[1], "text": text[mention[0]:mention[1]]})
            a["mentions"].sort(key=lambda m: (m["start"], m["end"]))
        attrs["speaker_actor"] = a["id"]
        attrs["speaker_key"] = a["key"]
        out.append(q._replace(attrs=attrs))
    return tuple(out), tuple(actors)
