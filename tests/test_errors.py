"""The error registry (every code defined once, in khabar/errors.py) and the one runner's failure policy, the same
for analyze, ingest, batch and the server."""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import khabar
from khabar import errors
from khabar.document import Document
from khabar.errors import KhabarError
from khabar.limits import Limits
from khabar.runner import Failure, failure_of, refusal, run_article, run_articles

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _all_modules():
    for m in pkgutil.walk_packages(khabar.__path__, "khabar."):
        try:
            importlib.import_module(m.name)
        except ImportError:  # an optional dependency (dask, pyarrow ...) absent here
            pass


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_code_is_defined_once():
    _all_modules()
    claimed: dict[str, list[str]] = {}
    for cls in [KhabarError, *_subclasses(KhabarError)]:
        if "code" in cls.__dict__ and cls.__module__.startswith("khabar"):  # (not a test's own class)
            claimed.setdefault(cls.__dict__["code"], []).append(f"{cls.__module__}.{cls.__qualname__}")
    dup = {c: names for c, names in claimed.items() if len(names) > 1}
    assert not dup, f"error codes claimed by more than one class: {dup}"
    assert set(claimed) == set(errors.REGISTRY)
    for code, cls in errors.REGISTRY.items():
        assert cls.code == code and cls.__module__ == "khabar.errors", (code, cls)


def test_a_duplicate_code_fails_at_once():
    with pytest.raises(TypeError, match="E105"):
        type("Again", (errors.InputError,), {"code": "E105"})
    assert errors.REGISTRY["E105"] is errors.InputTooLargeError


def test_codes_are_written_only_in_the_registry():
    """No module but khabar/errors.py declares a code (``code = "E..."``) or writes one into a message."""
    bad = []
    for p in sorted((ROOT / "khabar").rglob("*.py")):
        if p.name == "errors.py" and p.parent.name == "khabar":
            continue
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""code\s*=\s*["']E\d{3}|["']\[E\d{3}\]|failure\([^)]*["']E\d{3}["']""", line):
                bad.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_every_code_mentioned_exists():
    """Codes named in the docs, help texts and messages are registered codes."""
    code = re.compile(r"(?<!noqa: )(?<!noqa:)\bE\d{3}\b")  # not a linter's code (# noqa: E402)
    named = set(code.findall(README))
    for p in (ROOT / "khabar").rglob("*.py"):
        named |= set(code.findall(p.read_text(encoding="utf-8")))
    assert named - set(errors.REGISTRY) == set()


def test_readme_table_is_the_registry():
    rows = re.findall(r"^\| `(E\d{3})` \| `(\w+)` \| (\d{3}) \| (.*) \|$", README, re.M)
    assert rows == [(c, n, str(s), m) for c, n, s, m in errors.table()]


def test_http_status_comes_from_the_registry():
    from khabar.server.errors import status_of

    assert status_of(errors.InputTooLargeError("x")) == 413
    assert status_of(errors.ArticleTimeoutError("x")) == 422
    assert status_of(errors.QuerySyntaxError("x")) == 400
    assert status_of(errors.DocumentNotFoundError("x")) == 404
    assert status_of(errors.QueryTimeoutError("x")) == 503
    assert status_of(errors.BusyError("x")) == 503
    assert status_of(errors.MissingLayerError("x")) == 500
    assert errors.InternalError.code == "E490" and errors.BatchError.code == "E500"


def test_old_import_paths_still_work():
    from khabar.batch import BatchError
    from khabar.batch.engine import OutputExistsError
    from khabar.batch.load import NotBatchOutputError
    from khabar.batch.worker import WorkerSetupError
    from khabar.limits import LimitSettingError
    from khabar.server.errors import InternalError
    from khabar.store.errors import QuerySyntaxError
    from khabar.store.store import IndexMismatchError

    for cls in (BatchError, OutputExistsError, NotBatchOutputError, WorkerSetupError, LimitSettingError,
                InternalError, QuerySyntaxError, IndexMismatchError):
        assert errors.REGISTRY[cls.code] is cls


# ------------------------------------------------------------------------------------------------------------
# the runner's policy

def _raise(e):
    try:
        raise e
    except BaseException as x:  # noqa: BLE001 - with its traceback
        return x


def test_failure_policy():
    lim = Limits(None, 2.0)
    f = failure_of(_raise(errors.ArticleTimeoutError("analysis took longer than 1.3 s")), lim)
    assert (f.code, f.stage, f.reason) == ("E503", "limit", "analysis took longer than 2 s (raise the limit with "
                                           "--timeout)")
    f = failure_of(_raise(errors.MissingLayerError("no layer")), lim)
    assert (f.code, f.stage, f.reason) == ("E202", "analyse", "no layer")
    f = failure_of(_raise(RecursionError("maximum recursion depth exceeded")), lim)
    assert (f.code, f.stage, f.reason) == ("E200", "analyse", "analysis failed: recursion too deep")
    assert f.error_for("a.txt").code == "E200"
    f = failure_of(_raise(MemoryError()), lim)
    assert (f.code, f.stage, f.reason) == ("E504", "analyse", "analysis ran out of memory")
    assert f.error_for("a.txt").code == "E504"
    f = failure_of(_raise(ValueError("bad")), lim)
    assert f.code == "E200" and re.fullmatch(r"analysis failed: ValueError: bad at test_errors\.py:\d+", f.reason)
    assert f.text().startswith("[E200] analysis failed: ValueError: bad")


def test_refusal_and_run_article():
    lim = Limits(10, 0)
    f = refusal("ن" * 11, lim, "x")
    assert (f.code, f.stage) == ("E105", "limit") and "limit 10; raise it with --max-chars" in f.reason
    assert f.error_for().source == "x" and f.error_for().code == "E105"
    assert refusal("ن" * 10, lim) is None and refusal("ن" * 99, None) is None

    def pipe(doc):
        if "DEEP" in doc.text:
            raise RecursionError()
        return doc.with_layers(x=())

    ok = run_article(pipe, Document.from_text("نص"), lim, "a")
    assert isinstance(ok, Document) and "x" in ok.layers
    bad = run_article(pipe, Document.from_text("DEEP"), lim, "b")
    assert isinstance(bad, Failure) and bad.text() == "[E200] analysis failed: recursion too deep"
    out = run_articles(pipe, [Document.from_text(t) for t in ("نص", "DEEP", "ن" * 20)], lim, ["a", "b", "c"])
    assert [o.code if isinstance(o, Failure) else "ok" for o in out] == ["ok", "E200", "E105"]


def test_run_articles_over_run_group():
    """With a Pipeline-like object, the group goes through run_group; its exceptions become failures, in order,
    and arm() gets indexes into the whole list (refused articles are skipped, not renumbered)."""
    seen, armed = [], []

    class Pipe:
        def run_group(self, docs, *, max_chars, timeout, sources, arm):
            seen.append((len(docs), max_chars, timeout, list(sources)))
            arm(0)
            arm(-1)
            arm(1)
            return [d if "BAD" not in d.text else _raise(KeyError("k")) for d in docs]

    docs = [Document.from_text(t) for t in ("ن" * 20, "نص", "BAD")]
    out = run_articles(Pipe(), docs, Limits(10, 3.0), ["a", "b", "c"], armed.append)
    assert seen == [(2, 0, 3.0, ["b", "c"])] and armed == [1, -1, 2]
    assert [o.code if isinstance(o, Failure) else "ok" for o in out] == ["E105", "ok", "E200"]
    assert "KeyError" in out[2].reason


class _FailingPipe:
    """A fake pipeline: a recursion, a memory error and a stage bug on marked texts."""
    stages = ()

    def __call__(self, doc):
        if "DEEP" in doc.text:
            raise RecursionError("maximum recursion depth exceeded")
        if "MEM" in doc.text:
            raise MemoryError()
        if "BUG" in doc.text:
            raise ZeroDivisionError("division by zero")
        return doc


TEXTS = ["قال الرئيس إن الاجتماع كان مثمرا", "DEEP نص", "MEM نص", "BUG نص", "ن" * 60]


def test_ingest_and_batch_code_failures_alike(tmp_path, monkeypatch):
    """The same failure gets the same code and reason in ingest's skip lines and batch's failure records (before,
    ingest reported a recursion or a stage bug without a code)."""
    from khabar.batch import worker as W
    from khabar.io import ingest as I
    from khabar.store import Store

    monkeypatch.setattr(I, "_pipeline", lambda stages: _FailingPipe())
    items = [I.Item("mem", k + 1, doc=Document.from_text(t)) for k, t in enumerate(TEXTS)]
    with Store(tmp_path / "x.db") as st:
        rep = I.run_ingest(st, items, max_chars=40, timeout=5)
    ingest = [(w, r) for w, r in rep.skipped]

    monkeypatch.setitem(W._PIPES, ("fake",), _FailingPipe())
    arts = [W.Article(k, "mem", k + 1, t, {}, Document.from_text(t).id) for k, t in enumerate(TEXTS)]
    res = W.run_partition(W.PartitionTask(0, arts, str(tmp_path / "out"), ("fake",),
                                          W.Limits(max_chars=40, timeout=5)))
    batch = [(f["where"], f"[{f['code']}] {f['reason']}") for f in res.failures]
    assert sorted(r[:6] for _, r in ingest) == ["[E105]", "[E200]", "[E200]", "[E504]"]
    assert sorted(ingest) == sorted(batch)
