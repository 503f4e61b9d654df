"""One exception hierarchy for khabar.

Every error carries a short code (``E1xx`` input, ``E2xx`` pipeline, ``E3xx`` store, ``E4xx`` server, ``E5xx``
batch and per-article time limit) and a one-line hint that says what to do, in the manner of spaCy's coded
errors.  The CLI prints
``error [E101] <input>: <message> (hint)`` and exits non-zero.
"""
from __future__ import annotations


class KhabarError(Exception):
    code = "E000"
    hint = ""

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


class InputError(KhabarError):
    """The input cannot be read as an article."""
    code = "E100"
    hint = "pass UTF-8, UTF-16 or Windows-1256 text, or a JSON object with a \"text\" field"


class BinaryInputError(InputError):
    code = "E101"
    hint = "this looks like a binary file (image, archive, executable); pass text"


class EncodingError(InputError):
    code = "E102"
    hint = "re-save the file as UTF-8"


class EmptyInputError(InputError):
    code = "E103"
    hint = "the article has no text to analyse"


class MalformedJSONError(InputError):
    code = "E104"
    hint = "fix the JSON, or pass the article as plain text"


class InputTooLargeError(InputError):
    code = "E105"
    hint = "split the input, or raise the limit with --max-chars"


class ArticleTimeoutError(KhabarError):
    """The analysis of one article ran past its time limit (see :mod:`khabar.limits`)."""
    code = "E503"
    hint = "raise the limit with --timeout (or KHABAR_TIMEOUT), or split the article"


class PipelineError(KhabarError):
    code = "E200"
    hint = "see `khabar analyze --help` for the stage names"


class UnknownStageError(PipelineError):
    code = "E201"


class MissingLayerError(PipelineError):
    code = "E202"
    hint = "run the stages this one requires first, or use the default pipeline"


class StageContractError(PipelineError):
    """A stage wrote a layer it does not declare, left out one it declares, or names an undeclared layer."""
    code = "E203"
    hint = "a stage's requires/produces must list every layer it reads and writes (khabar.layers declares them)"


class SchemaError(KhabarError):
    code = "E210"
    hint = "the JSON does not follow the khabar Document schema"
