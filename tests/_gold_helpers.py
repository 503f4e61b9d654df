"""Helpers for gold-floor tests: run the attribution/date stages on a gold set and score it in-process."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"

# importing a stage module directly registers that stage alone; make sure the whole registry is loaded
from khabar import pipeline as _pipeline  # noqa: E402

_pipeline._load_builtin_stages()


def gold_dir(name: str) -> Path:
    p = SHARED / "gold" / name
    if not (p / "articles").is_dir() or not (SHARED / "gold" / "score.py").is_file():
        pytest.skip(f"{p} not found: gold-floor tests need ../shared/gold beside the repository (CI has it)")
    return p


@functools.lru_cache(maxsize=None)
def figures(name: str) -> dict:
    """Scorer figures for the dateline, dates, sources and quotes stages on gold set ``name`` (seed | dev)."""
    import json
    import tempfile

    from khabar.document import Document
    from khabar.evaluate import score_dir
    from khabar.pipeline import Pipeline

    g = gold_dir(name)
    pipe = Pipeline(only=["dateline", "dates", "sources", "quotes"])
    with tempfile.TemporaryDirectory() as out:
        for f in sorted((g / "articles").glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            doc = pipe(Document.from_text(d["text"]))
            (Path(out) / f.name).write_text(json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8")
        return score_dir(g, out)
