"""CoNLL-style reading and conlleval-style entity-level evaluation."""
from __future__ import annotations

from collections import Counter
from os import PathLike
from typing import Iterable

TYPE_MAP = {"PERS": "PER", "PER": "PER", "PERSON": "PER",
            "ORG": "ORG", "ORGANIZATION": "ORG",
            "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC",
            "MIS": "MISC", "MISC": "MISC", "MISC.": "MISC"}


def map_tag(tag: str) -> str:
    """Normalise a BIO tag: PERS->PER, MIS->MISC; unknown types are kept as-is."""
    tag = tag.strip()
    if not tag or tag.upper() == "O" or tag == "0":
        return "O"
    if "-" in tag:
        prefix, typ = tag.split("-", 1)
        prefix = prefix.upper()
        if prefix in ("B", "I", "E", "S"):
            # E-/S- (BIOES) folded to BIO
            prefix = {"E": "I", "S": "B"}.get(prefix, prefix)
            return f"{prefix}-{TYPE_MAP.get(typ.upper(), typ.upper())}"
    # bare type without prefix: treat as I- (starts an entity if needed)
    return f"I-{TYPE_MAP.get(tag.upper(), tag.upper())}"


def read_conll(path_or_lines: str | PathLike | Iterable[str], map_tags: bool = True) -> list[list[tuple[str, str]]]:
    """Read a CoNLL file (token first, tag last, 2+ whitespace-separated columns,
    blank line between sentences). Accepts a path or an iterable of lines."""
    if isinstance(path_or_lines, (str, PathLike)) and not (isinstance(path_or_lines, str) and "\n" in path_or_lines):
        with open(path_or_lines, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    elif isinstance(path_or_lines, str):
        lines = path_or_lines.splitlines()
    else:
        lines = list(path_or_lines)
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in lines:
        line = line.rstrip("\r\n")
        parts = line.split()
        if not parts or line.startswith("-DOCSTART-"):
            if cur:
                sents.append(cur)
                cur = []
            continue
        if len(parts) < 2:
            # a token with no tag: treat as O
            tok, tag = parts[0], "O"
        else:
            tok, tag = parts[0], parts[-1]
        cur.append((tok, map_tag(tag) if map_tags else tag))
    if cur:
        sents.append(cur)
    return sents


def get_entities(tags: list[str]) -> list[tuple[str, int, int]]:
    """Entities (type, start, end_exclusive) from a BIO sequence, conlleval
    semantics: an I- whose type differs from the running entity (or that follows O)
    starts a new entity."""
    ents = []
    typ, start = None, 0
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or not t:
            p, ty = "O", None
        elif "-" in t:
            p, ty = t.split("-", 1)
        else:
            p, ty = "I", t
        end_here = typ is not None and (p in ("O", "B", "S") or ty != typ)
        if end_here:
            ents.append((typ, start, i))
            typ = None
        if p != "O" and (typ is None):
            typ, start = ty, i
    return ents


def _prf(tp: int, np_: int, ng: int) -> dict:
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": np_, "gold": ng}


def _tags_of(sent) -> list[str]:
    if sent and isinstance(sent[0], (tuple, list)):
        return [x[-1] for x in sent]
    return list(sent)


def evaluate(gold_sents, pred_sents, types: Iterable[str] | None = None) -> dict:
    """Entity-level exact-match evaluation.

    gold_sents / pred_sents: lists of sentences, each either a list of tags or a
    list of (token, tag) tuples. Returns {"micro": {precision, recall, f1, ...},
    "per_type": {TYPE: {...}}} (scores in 0..1). If `types` is given, only
    those entity types are counted."""
    if len(gold_sents) != len(pred_sents):
        raise ValueError(f"{len(gold_sents)} gold vs {len(pred_sents)} predicted sentences")
    tp, npred, ngold = Counter(), Counter(), Counter()
    keep = set(types) if types is not None else None
    for g, p in zip(gold_sents, pred_sents):
        gt, pt = _tags_of(g), _tags_of(p)
        if len(gt) != len(pt):
            raise ValueError("sentence length mismatch")
        ge = set(get_entities(gt))
        pe = set(get_entities(pt))
        if keep is not None:
            ge = {e for e in ge if e[0] in keep}
            pe = {e for e in pe if e[0] in keep}
        for e in ge:
            ngold[e[0]] += 1
        for e in pe:
            npred[e[0]] += 1
        for e in ge & pe:
            tp[e[0]] += 1
    all_types = sorted(set(ngold) | set(npred))
    per_type = {t: _prf(tp[t], npred[t], ngold[t]) for t in all_types}
    micro = _prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    return {"micro": micro, "per_type": per_type}


def format_report(res: dict, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'type':6s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>6s} {'pred':>6s}")
    for t, m in res["per_type"].items():
        lines.append(f"{t:6s} {100*m['precision']:6.2f} {100*m['recall']:6.2f} {100*m['f1']:6.2f} {m['gold']:6d} {m['pred']:6d}")
    m = res["micro"]
    lines.append(f"{'micro':6s} {100*m['precision']:6.2f} {100*m['recall']:6.2f} {100*m['f1']:6.2f} {m['gold']:6d} {m['pred']:6d}")
    return "\n".join(lines)
