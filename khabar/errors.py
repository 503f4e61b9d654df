"""Every khabar error, defined once: the error registry.

Every error carries a short code (``E1xx`` input, ``E2xx`` pipeline, ``E3xx`` store, ``E4xx`` server, ``E5xx``
batch and per-article limits), a one-line hint that says what to do, in the manner of spaCy's coded errors, and
the HTTP status the server answers it with.  The CLI prints ``error [E101] <input>: <message> (hint)`` and exits
non-zero; batch and ingest failure records carry the code (see :mod:`khabar.runner`).

This module is the only place a code is written: every class that declares a ``code`` is defined here and is
entered in :data:`REGISTRY` (code → class) as it is created; a second class that claims a code already taken
fails at import (and ``tests/test_errors.py`` checks the table).  Other modules import their classes from here
(``khabar.store.errors``, ``khabar.server.errors`` and the batch modules re-export theirs), and the server's
HTTP mapping is each class's ``status``.  :func:`table` lists the codes with their meaning (README's "Errors").
"""
from __future__ import annotations

REGISTRY: dict[str, type] = {}


class KhabarError(Exception):
    """Any khabar error (the base class; raised with this code only when the topic model file is missing)."""
    code = "E000"
    hint = ""
    status = 500  # the HTTP status the server answers with

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        _register(cls)

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        self.message = message
        self.source = source
        if hint is not None:
            self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"[{self.code}] {where}{self.message}{hint}"

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "source": self.source, "hint": self.hint}


def _register(cls: type) -> None:
    """Enter ``cls`` in :data:`REGISTRY` if it declares its own code; a code claimed twice is an error."""
    code = cls.__dict__.get("code")
    if code is None:
        return  # it keeps its base class's code (a finer kind of the same error)
    old = REGISTRY.get(code)
    if old is not None and old.__qualname__ != cls.__qualname__:
        raise TypeError(f"error code {code} is claimed by both {old.__name__} and {cls.__name__}")
    REGISTRY[code] = cls


_register(KhabarError)


# -- E1xx: input ---------------------------------------------------------------------------------------------

class InputError(KhabarError):
    """The input cannot be read as an article (a file that does not exist or cannot be read, ...)."""
    code = "E100"
    status = 400
    hint = "pass UTF-8, UTF-16 or Windows-1256 text, or a JSON object with a \"text\" field"


class BinaryInputError(InputError):
    """The input is binary (an image, an archive, NUL bytes), not text."""
    code = "E101"
    hint = "this looks like a binary file (image, archive, executable); pass text"


class EncodingError(InputError):
    """The input is not text in an encoding khabar reads, or not Unicode text that can be stored."""
    code = "E102"
    hint = "re-save the file as UTF-8"


class EmptyInputError(InputError):
    """The article has no text."""
    code = "E103"
    hint = "the article has no text to analyse"


class MalformedJSONError(InputError):
    """The JSON cannot be parsed, is nested too deeply, or has no \"text\" string."""
    code = "E104"
    hint = "fix the JSON, or pass the article as plain text"


class InputTooLargeError(InputError):
    """The article is longer than the size limit (`--max-chars`, `$KHABAR_MAX_CHARS`)."""
    code = "E105"
    status = 413
    hint = "split the input, or raise the limit with --max-chars"


# -- E2xx: the pipeline --------------------------------------------------------------------------------------

class PipelineError(KhabarError):
    """The pipeline cannot be built, or a stage failed on an article (a bug: the record says where)."""
    code = "E200"
    hint = "see `khabar analyze --help` for the stage names"


class AnalysisError(PipelineError):
    """A stage raised an unexpected exception on one article (code E200, as any pipeline error)."""
    hint = "this is a bug in khabar; please report it with the article"


class UnknownStageError(PipelineError):
    """A stage name that no stage has."""
    code = "E201"


class MissingLayerError(PipelineError):
    """A stage needs a layer that no earlier stage made."""
    code = "E202"
    hint = "run the stages this one requires first, or use the default pipeline"


class LimitSettingError(PipelineError):
    """A per-article limit that is not a number >= 0 (an option, `$KHABAR_MAX_CHARS` or `$KHABAR_TIMEOUT`)."""
    code = "E203"
    hint = "a limit is a number >= 0 (0: no limit)"


class StageContractError(PipelineError):
    """A stage wrote a layer it does not declare, left out one it declares, or names an undeclared layer."""
    code = "E204"
    hint = "a stage's requires/produces must list every layer it reads and writes (khabar.layers declares them)"


class SchemaError(KhabarError):
    """JSON that does not follow the khabar Document schema."""
    code = "E210"
    status = 400
    hint = "the JSON does not follow the khabar Document schema"


# -- E3xx: the store and search ------------------------------------------------------------------------------

class StoreError(KhabarError):
    """The database cannot be opened, read or written."""
    code = "E300"
    hint = "check the --db path; `khabar ingest` creates a database"


class DatabaseNotFoundError(StoreError):
    """No database at that path."""
    code = "E301"
    hint = "create it first with `khabar ingest PATH --db FILE` or `khabar demo`"


class SchemaVersionError(StoreError):
    """The database was written by a newer khabar, or needs an upgrade before it can be read."""
    code = "E302"
    hint = "this database was written by a newer khabar; upgrade khabar to read it"


class ReadOnlyError(StoreError):
    """A write to a store opened read-only."""
    code = "E303"
    hint = "the store was opened read-only; open it without readonly=True to write"


class NotADatabaseError(StoreError):
    """The file is not a khabar SQLite database."""
    code = "E304"
    hint = "the file is not a khabar SQLite database; pass another --db path"


class DocumentNotFoundError(StoreError):
    """No stored article has that id, external id or url."""
    code = "E305"
    status = 404
    hint = "pass a document id (16 hex digits) or an external id (docno, id or url) that `khabar search` shows"


class QueryTimeoutError(StoreError):
    """A query ran past the store's time limit."""
    code = "E306"
    status = 503
    hint = "narrow the query (more terms, a filter) or raise the time limit"


class DatabaseBusyError(StoreError):
    """Another process holds the database's write lock."""
    code = "E307"
    status = 503
    hint = "another process is writing this database; wait for it to finish (one writer at a time)"


class IndexMismatchError(StoreError):
    """The search index was built with another clitic splitter than the one installed now."""
    code = "E308"
    hint = "run `khabar reindex --db FILE` to rebuild the search index with the clitic splitter installed now"


class QuerySyntaxError(StoreError):
    """A search query that cannot be parsed.

    ``position`` is the character index of the problem, if known."""
    code = "E310"
    status = 400
    hint = ('write words, "exact phrases", -excluded words, word* prefixes, OR between alternatives, '
            'and balanced parentheses')

    def __init__(self, message: str, *, query: str | None = None, position: int | None = None,
                 hint: str | None = None):
        self.query = query
        self.position = position
        super().__init__(message, source="query", hint=hint)

    def to_json(self) -> dict:
        d = super().to_json()
        d["position"] = self.position
        return d


class FilterError(StoreError):
    """A filter value that cannot be used (a date that is not a date, a negative limit ...)."""
    code = "E311"
    status = 400
    hint = "dates are YYYY, YYYY-MM or YYYY-MM-DD; limits and offsets are whole numbers >= 0"


# -- E4xx: the server (the status is the HTTP status of the answer) ------------------------------------------

class ServerError(KhabarError):
    """A request the server cannot answer (a bad parameter, ...)."""
    code = "E400"
    status = 400
    hint = "see /openapi.json for the parameters each route takes"


class BadRequestError(ServerError):
    """A request with a bad parameter or body (code E400)."""


class NotFoundError(ServerError):
    """No such page or route."""
    code = "E404"
    status = 404
    hint = "see /openapi.json for the routes"


class MethodNotAllowedError(ServerError):
    """An HTTP method the route does not accept."""
    code = "E405"
    status = 405
    hint = "see /openapi.json for the methods each route accepts"


class NoDatabaseError(ServerError):
    """A route that needs a database, on a server started without one."""
    code = "E409"
    status = 404
    hint = "start the server with --db FILE (a database made by `khabar ingest` or `khabar demo`)"


class PayloadTooLargeError(ServerError):
    """A request body over 1 MiB."""
    code = "E413"
    status = 413
    hint = "send a smaller request body (one article of at most the server's --max-chars characters)"


class UnsupportedMediaTypeError(ServerError):
    """A posted body that is neither JSON nor plain text."""
    code = "E415"
    status = 415
    hint = "post application/json ({\"text\": ...}) or text/plain"


class BusyError(ServerError):
    """The server is analysing too many articles at once."""
    code = "E429"
    status = 503
    hint = "the server is busy analysing other articles; try again in a moment"


class UnauthorizedError(ServerError):
    """A request without the server's access token (or with a wrong one), on a server started with a token."""
    code = "E401"
    status = 401
    hint = ("send the token: `Authorization: Bearer TOKEN` to the API, or open a page once with ?token=TOKEN "
            "(a cookie keeps it)")


class RateLimitError(ServerError):
    """Too many analyses or searches from one client in a minute (the server's per-client rate limit)."""
    code = "E430"
    status = 429
    hint = "wait the seconds the Retry-After header gives, then try again"


class TokenRequiredError(ServerError):
    """`khabar serve` on an address other than loopback without an access token (and without --public)."""
    code = "E450"
    status = 500
    hint = ("set a token (--token TOKEN or the KHABAR_TOKEN environment variable), or pass --public if the "
            "corpus may be read by anyone who reaches the port")


class PortInUseError(ServerError):
    """`khabar serve` (or `khabar demo --serve`) cannot listen: the address or port is taken or not available."""
    code = "E451"
    status = 500
    hint = "choose another port with --port N (e.g. --port 8001), or stop the program that holds this one"


class InternalError(ServerError):
    """An unexpected error in the server (a bug; E500 before this version, now the batch error's alone)."""
    code = "E490"
    status = 500
    hint = "this is a bug in khabar; please report it with the request that caused it"


# -- E5xx: batch runs and per-article limits -----------------------------------------------------------------

class BatchError(KhabarError):
    """A batch run cannot start or go on (bad options, an input that does not exist, workers that die ...)."""
    code = "E500"
    hint = "see `khabar batch --help`"


class MissingDependencyError(KhabarError):
    """Parquet output or Dask needs a package that is not installed."""
    code = "E501"
    hint = 'install the batch extra: pip install "khabar[batch]"  (or: pip install "dask[distributed]" pyarrow)'


class WorkerDiedError(BatchError):
    """A batch worker process died on every attempt at a partition: its articles are failure records."""
    code = "E502"


class ArticleTimeoutError(KhabarError):
    """The analysis of one article ran past its time limit (`--timeout`, `$KHABAR_TIMEOUT`)."""
    code = "E503"
    status = 422
    hint = "raise the limit with --timeout (or KHABAR_TIMEOUT), or split the article"


class ArticleMemoryError(KhabarError):
    """The analysis of one article ran out of memory."""
    code = "E504"
    hint = "split the article, or give the process more memory"


class OutputExistsError(BatchError):
    """The batch output folder holds another run's output."""
    code = "E505"
    hint = "pass --resume to finish that run, or choose another --out folder"


class NotBatchOutputError(KhabarError):
    """`khabar ingest --from-parquet DIR` was given a folder that is not the output of a batch run."""
    code = "E506"
    hint = "pass the --out folder of a `khabar batch` run (it holds documents/part-*.parquet)"


class WorkerSetupError(KhabarError):
    """The pipeline could not be built or its models loaded on a worker: no article can be analysed there."""
    code = "E507"
    hint = "check that khabar and its model files are installed on every worker (`khabar stages` runs there)"

    def __reduce__(self):  # travels back from a worker process intact
        return (_setup_error, (self.message, self.source))


def _setup_error(message, source):
    return WorkerSetupError(message, source=source)


def table() -> list[tuple[str, str, int, str]]:
    """(code, class name, HTTP status, meaning: the first paragraph of its docstring) of every code, in code
    order: the table of README's "Errors" (a test compares them)."""
    out = []
    for code in sorted(REGISTRY):
        cls = REGISTRY[code]
        meaning = " ".join((cls.__doc__ or "").split("\n\n")[0].split())
        out.append((code, cls.__name__, cls.status, meaning))
    return out


def by_code(code: str) -> type:
    """The class of a code (KeyError for an unknown code)."""
    return REGISTRY[code]
