"""Every annotation layer of a Document, declared once: its name, kind, whether it is exported, what it carries.

A stage may only require and produce declared layers (:class:`khabar.pipeline.Pipeline` checks this when it is
built); :mod:`khabar.schema` exports and imports a Document's layers by their declaration here, never by special
cases.  A plug-in stage declares its own layers with :func:`declare` before it is registered.

Kinds:

* ``spans``: a tuple of :class:`khabar.document.Span` (code-point offsets into the text, label, attributes);
  exported as a list of objects with ``start``, ``end``, ``text``, ``label`` and the attributes (plus ``aliases``).
* ``tokens``: a :class:`khabar.text.tokenize.TokenLayer` (a compact sequence of Spans); exported like ``spans``.
* ``record``: a JSON-ready value (a dict, a list of dicts, or None); exported as it is.
* ``view``: a derived view of the text that any run recomputes (the normalisation view with its offset map);
  never exported.
* ``internal``: an intermediate result one stage hands to others (a stage marker, a shared analysis); never
  exported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("spans", "tokens", "record", "view", "internal")


@dataclass(frozen=True)
class Layer:
    name: str
    kind: str
    carries: str
    # (alias, key) pairs: an exported span item also holds item[key] under the name alias (for the gold scorer)
    aliases: tuple[tuple[str, str], ...] = field(default=())

    @property
    def exported(self) -> bool:
        return self.kind in ("spans", "tokens", "record")

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"layer {self.name!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


LAYERS: dict[str, Layer] = {}


def declare(layer: Layer) -> Layer:
    """Declare a layer (a plug-in stage's own); declaring a name again with another definition is an error."""
    old = LAYERS.get(layer.name)
    if old is not None and old != layer:
        raise ValueError(f"layer {layer.name!r} is already declared differently: {old}")
    LAYERS[layer.name] = layer
    return layer


# layers older versions of khabar wrote and no stage writes any more: documents, stores and Parquet files analysed
# before still read back (and export as they are)
LEGACY: dict[str, Layer] = {}


def get_layer(name: str) -> Layer | None:
    return LAYERS.get(name) or LEGACY.get(name)


for _layer in (
    Layer("normalized", "view",
          "the folded text (harakat, tatweel, hamza/alef forms, ى/ي, ة/ه, digits, presentation forms, zero-width "
          "and bidi controls) with its offset map back to the text (khabar.text.normalize.NormalizedText)"),
    Layer("tokens", "tokens",
          "kind word/num/punct/quote/url/email/hashtag/mention/sym; after the segments stage a word that splits "
          "into clitics carries segments [[start, end, form], ...]"),
    Layer("sentences", "spans", "news sentences"),
    Layer("segments", "internal", "the number of tokens that split into clitics (marks that segments ran)"),
    Layer("entities", "spans", "label PER/ORG/LOC/MISC; after the actors stage, the actor id each belongs to"),
    Layer("actors", "record",
          "list of {id, name, type, key, mentions: [{start, end, text}]}: mentions of one thing merged, with a key "
          "that is the same across documents (PER:باراك اوباما, GPE:IRN); the quotes stage adds the speakers no "
          "entity named"),
    Layer("dateline", "record", "{city, country, agency, start, end, ...} of the article's opening, or None"),
    Layer("dates", "spans", "month, Hijri, numeric and weekday dates with a normalised value"),
    Layer("attribution", "internal",
          "the attribution analysis (khabar.attribution.sieve.Result) that the sources and quotes stages share"),
    Layer("sources", "spans", "a cited outlet, agency or document, with cue and cue_text",
          aliases=(("source", "text"),)),
    Layer("quotes", "spans",
          "the content of a quotation: kind, speaker, speaker_mention, cue, speaker_type, speaker_actor, "
          "speaker_key", aliases=(("content", "text"), ("content_start", "start"), ("content_end", "end"))),
    Layer("responses", "spans",
          "a denial, confirmation or reply to another's claim, over its evidence (label = stance): stance, cue, "
          "cue_text, speaker, speaker_actor, speaker_key, quote (index of the carrying quote or None), claim_quotes "
          "(indices of the quotes that state the claim), claim_speaker, claim_actor, claim_mention, claim_start, "
          "claim_end"),
    Layer("events", "spans",
          "the evidence of a CAMEO event: code, root, quad_class, goldstein, source/target with CAMEO actor "
          "codes and actors (both actors of the article), negated, modality, status (asserted, reported, negated; "
          "a denied act is no row), trigger"),
    Layer("subject", "record",
          "{label, score, scores}: what the article is about, one of politics, economy, sport, culture, technology, "
          "health, society, with a calibrated score (khabar.topic.subject)"),
    Layer("geography", "record",
          "[{country, region, weight, mentions}, ...]: the countries the article is about (ISO 3166 alpha-3), main "
          "first, weights summing to 1 (khabar.topic.geography); [] when it names no place"),
    Layer("section", "record",
          "the section (category) label the input carried in meta (e.g. ANT's middleEast), or None"),
):
    declare(_layer)

LEGACY["topic"] = Layer("topic", "record",
                        "{label, score, scores}: one of ANT's six section labels, predicted by topic stage v3 and "
                        "earlier (replaced by subject, geography and section)")
