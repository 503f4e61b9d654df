"""Server errors (codes ``E4xx``) and the mapping of every khabar error to an HTTP status."""
from __future__ import annotations

from ..errors import ArticleTimeoutError, EmptyInputError, InputError, InputTooLargeError, KhabarError, SchemaError


class ServerError(KhabarError):
    """A request the server cannot answer."""
    code = "E400"
    status = 400
    hint = "see /openapi.json for the parameters each route takes"


class BadRequestError(ServerError):
    code = "E400"
    status = 400


class NotFoundError(ServerError):
    code = "E404"
    status = 404
    hint = "see /openapi.json for the routes"


class MethodNotAllowedError(ServerError):
    code = "E405"
    status = 405
    hint = "see /openapi.json for the methods each route accepts"


class PayloadTooLargeError(ServerError):
    code = "E413"
    status = 413
    hint = "send a smaller request body (one article of at most the server's --max-chars characters)"


class UnsupportedMediaTypeError(ServerError):
    code = "E415"
    status = 415
    hint = "post application/json ({\"text\": ...}) or text/plain"


class BusyError(ServerError):
    code = "E429"
    status = 503
    hint = "the server is busy analysing other articles; try again in a moment"


class NoDatabaseError(ServerError):
    code = "E409"
    status = 404
    hint = "start the server with --db FILE (a database made by `khabar ingest` or `khabar demo`)"


class InternalError(ServerError):
    code = "E500"
    status = 500
    hint = "this is a bug in khabar; please report it with the request that caused it"


def status_of(err: KhabarError) -> int:
    """The HTTP status for a khabar error."""
    from ..store.errors import (DatabaseBusyError, DocumentNotFoundError, FilterError, QuerySyntaxError,
                                QueryTimeoutError)

    if isinstance(err, ServerError):
        return err.status
    if isinstance(err, (QuerySyntaxError, FilterError)):
        return 400
    if isinstance(err, DocumentNotFoundError):
        return 404
    if isinstance(err, (QueryTimeoutError, DatabaseBusyError)):
        return 503
    if isinstance(err, InputTooLargeError):
        return 413
    if isinstance(err, ArticleTimeoutError):
        return 422
    if isinstance(err, (InputError, EmptyInputError, SchemaError)):
        return 400
    return 500


def error_body(err: KhabarError) -> dict:
    d = err.to_json()
    d.setdefault("code", err.code)
    d.setdefault("message", err.message)
    return d
