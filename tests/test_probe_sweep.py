"""bench/probe_sweep.py: its replay of khabar's one-word ranking reproduces the store's ranks, and its BM25 is
FTS5's (so the sweeps it prints are the store's ranking with one weighting changed)."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from khabar.document import Document
from khabar.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import probe_sweep  # noqa: E402

STAGES = ["normalize", "tokens", "sentences", "segments"]
DOCS = {
    "a": "أعلن الوزير عن خطة لإعادة الإعمار في المدينة بعد السقوط.",
    "b": "تحدث التقرير عن سقوط الأمطار الغزيرة وسقوط الأشجار في المدينة يوم الأحد الماضي بعد العاصفة.",
    "c": "حذر الخبراء من السقوط الحر للعملة المحلية.",
    "d": "قالت الحكومة إن الإعمار سيبدأ قريبا في المدن المتضررة من العاصفة والأمطار.",
    "e": "افتتح الوزير معرضا للكتاب في العاصمة.",
    "f": "أكدت الوزارة أن إعادة الإعمار تحتاج إلى سنوات طويلة من العمل الشاق والتمويل الكبير من المانحين.",
}


def test_the_replay_reproduces_the_store_and_fts5_bm25(tmp_path):
    db = tmp_path / "s.db"
    st = Store(db)
    st.ingest_documents([Document.from_text(t, external_id=k, title=f"خبر {k}") for k, t in DOCS.items()],
                        stages=STAGES)
    queries = {"سقوط": "b", "والسقوط": "c", "الاعمار": "d", "اعاده": "f"}
    with open(tmp_path / "dump.jsonl", "w", encoding="utf-8") as f:
        for q, rid in queries.items():
            hits = [h["external_id"] for h in st.search(q, limit=100, snippets=False, count=False).hits]
            assert rid in hits, (q, hits)
            f.write(json.dumps({"engine": "khabar-stem", "rid": rid, "kind": "k", "query": q, "orig": q,
                                "rank": hits.index(rid) + 1, "top": hits[:10]}, ensure_ascii=False) + "\n")
    st.close()
    data, lens, ext, titles = probe_sweep.collect(str(db), str(tmp_path / "dump.jsonl"))
    assert len(data) == len(queries)
    # the docsize blobs decode to the articles' token counts (title + text, each of the three columns)
    assert all(n > 0 for n in lens.values()) and len(lens) == len(DOCS)
    assert set(titles.values()) == {2}
    for r, alts in data:
        order = probe_sweep._store_order(alts)
        assert [ext[d] for d in order][r["rank"] - 1] == r["rid"]
    sw = probe_sweep.Sweep(data, lens, ext, titles, lead=40)
    mrr_store = sw.run()[0]
    # our BM25 with FTS5's parameters orders every form's articles as FTS5's bm25() does
    assert abs(sw.run(sw.bm25(b=0.75), tie=lambda d: d)[0] - mrr_store) < 1e-9
    # the forms re-ordered with the store's own closeness weights give the store's order back
    from khabar.store.query import CLOSENESS
    assert abs(sw.run(data=sw.reorder(CLOSENESS))[0] - mrr_store) < 1e-9
    n = len(lens)
    for _r, alts in data:
        for _lvl, _key, col, _tok, df, docs in alts:
            idf = max(math.log((n - df + 0.5) / (df + 0.5)), 1e-6)
            for d, (tf, _off, bm) in docs.items():
                assert abs(-bm - idf * sw.bm25()(tf, 0, d, col)) < 1e-6 * max(1.0, abs(bm)), (col, d)
