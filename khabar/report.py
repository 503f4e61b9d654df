"""A readable text report of an analysed Document: who said what, according to whom, where, when, about whom."""
from __future__ import annotations

from typing import Any, Mapping

from .document import Document


def shown_name(actor: Mapping | None, written: Any = None) -> str | None:
    """The one name khabar shows for a speaker (the text report, the web pages, the API's ``speaker_name``): its
    actor's name — the fullest name the article gives a person (``تيريزا ماي`` for ``ماي``), a state's name for
    its capital or another of its names (``إيران`` for ``طهران``, ``الجمهورية الإسلامية``) — else the speaker as
    the article writes it (a speaker no actor holds)."""
    name = actor.get("name") if isinstance(actor, Mapping) else None
    if isinstance(name, str) and name.strip():
        return name
    return written if isinstance(written, str) and written.strip() else None


def speaker_names(doc: Document | Mapping) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """For an analysed document (a :class:`Document` or its JSON): the shown name (:func:`shown_name`) of each
    quotation's speaker, of each response's speaker and of each response's claim speaker, in order."""
    from .actors.speakers import SpeakerIndex

    if isinstance(doc, Mapping):
        text, layer = doc.get("text") or "", doc.get
    else:
        text, layer = doc.text, doc.layers.get
    idx = SpeakerIndex([a for a in (layer("actors") or []) if isinstance(a, Mapping)], text)

    def get(item, k):
        return item.get(k) if isinstance(item, Mapping) else (getattr(item, "attrs", None) or {}).get(k)

    quotes = [shown_name(idx.actor(idx.resolve(q)), get(q, "speaker")) for q in layer("quotes") or []]
    resp, claim = [], []
    for r in layer("responses") or []:
        resp.append(shown_name(idx.actor(idx.resolve(r)), get(r, "speaker")))
        ca = get(r, "claim_actor")
        pos = idx.by_id.get(str(ca)) if ca is not None else None
        claim.append(shown_name(idx.actor(pos), get(r, "claim_speaker")))
    return quotes, resp, claim


def _clip(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def text_report(doc: Document) -> str:
    t = doc.text
    lines: list[str] = []
    title = doc.meta.get("title")
    lines.append(f"khabar report  id={doc.id}" + (f"  «{_clip(title, 80)}»" if title else ""))
    n_words = sum(1 for tk in doc.tokens if tk.label == "word")
    lines.append(f"{len(t)} characters, {len(doc.sentences)} sentences, {len(doc.tokens)} tokens ({n_words} words)")
    dl = doc.layers.get("dateline")
    if dl is not None:
        parts = [f"{k}: {dl.get(k)}" for k in ("city", "country", "agency") if dl.get(k)]
        lines.append("")
        lines.append("Dateline: " + ("; ".join(parts) if parts else "none"))
    quotes = doc.layers.get("quotes")
    q_names, r_names, c_names = speaker_names(doc)
    if quotes is not None:
        lines.append("")
        lines.append(f"Who said what ({len(quotes)} quotations)")
        for i, q in enumerate(quotes, 1):
            who = q_names[i - 1] or "?"
            cue = q.get("cue_text") or ""
            lines.append(f"  {i:>2}. [{q.get('kind', '?')}] {who}  ({cue})  @{q.start}-{q.end}")
            lines.append(f"      «{_clip(doc.span_text(q))}»")
    responses = doc.layers.get("responses")
    if responses is not None and quotes is not None:
        lines.append("")
        lines.append(f"Who denied, confirmed or answered what ({len(responses)} responses)")
        for k, r in enumerate(responses):
            claim = ""
            cq = r.get("claim_quotes") or []
            if cq and 0 <= cq[0] < len(quotes):
                claim = "«" + _clip(doc.span_text(quotes[cq[0]]), 80) + "»"
            elif r.get("claim_mention"):
                claim = r.get("claim_mention")
            by = f"claim by {c_names[k]}" if c_names[k] else "claim"
            lines.append(f"  - [{r.get('stance')}] {r_names[k] or '?'} ({r.get('cue_text')}): "
                         f"«{_clip(doc.span_text(r), 100)}» ← {by}" + (f": {claim}" if claim else ""))
    sources = doc.layers.get("sources")
    if sources is not None:
        lines.append("")
        lines.append(f"According to ({len(sources)} sources)")
        for s in sources:
            lines.append(f"  - {doc.span_text(s)}  ({s.get('cue_text', '')})")
    dates = doc.layers.get("dates")
    if dates is not None:
        lines.append("")
        lines.append(f"When ({len(dates)} dates)")
        for d in dates:
            lines.append(f"  - {doc.span_text(d)}  → {d.get('value')}")
    actors = doc.layers.get("actors")
    if actors is not None:
        lines.append("")
        lines.append(f"About whom ({len(actors)} actors)")
        for a in actors:
            mentions = a.get("mentions", []) if isinstance(a, dict) else []
            names = sorted({m.get("text", "") for m in mentions if isinstance(m, dict)})
            lines.append(f"  - {a.get('name')} [{a.get('type')}] ×{len(mentions)}"
                         + (f"  ({' / '.join(names[:6])})" if len(names) > 1 else ""))
    elif doc.layers.get("entities") is not None:
        ents = doc.layers["entities"]
        lines.append("")
        lines.append(f"Entities ({len(ents)})")
        for e in ents:
            lines.append(f"  - {doc.span_text(e)} [{e.label}]")
    events = doc.layers.get("events")
    if events is not None:
        lines.append("")
        lines.append(f"Who did what to whom ({len(events)} events)")
        for ev in events:
            lines.append(f"  - {ev.get('source')} —{ev.get('code')}→ {ev.get('target')}: «{_clip(doc.span_text(ev), 100)}»")
    subject = doc.layers.get("subject")
    if subject is not None:
        lines.append("")
        lines.append(f"Subject: {subject.get('label')} ({subject.get('score', 0):.2f})")
    if doc.layers.get("section"):
        lines.append(f"Section (as the input filed it): {doc.layers['section']}")
    geo = doc.layers.get("geography")
    if geo is not None:
        lines.append("Where: " + (", ".join(f"{g.get('country')} ({g.get('region')}, {g.get('weight', 0):.2f})"
                                           for g in geo) if geo else "no place named"))
    return "\n".join(lines) + "\n"
