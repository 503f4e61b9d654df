"""Server errors (codes ``E4xx``, defined in the registry :mod:`khabar.errors`) and the HTTP status of every
khabar error: each error class carries its own ``status`` there."""
from __future__ import annotations

from ..errors import (BadRequestError, BusyError, InternalError, KhabarError, MethodNotAllowedError,
                      NoDatabaseError, NotFoundError, PayloadTooLargeError, PortInUseError, RateLimitError,
                      ServerError, TokenRequiredError, UnauthorizedError, UnsupportedMediaTypeError)

__all__ = ["BadRequestError", "BusyError", "InternalError", "MethodNotAllowedError", "NoDatabaseError",
           "NotFoundError", "PayloadTooLargeError", "PortInUseError", "RateLimitError", "ServerError",
           "TokenRequiredError", "UnauthorizedError", "UnsupportedMediaTypeError", "error_body", "status_of"]


def status_of(err: KhabarError) -> int:
    """The HTTP status for a khabar error (its class's ``status`` in :mod:`khabar.errors`)."""
    return int(getattr(err, "status", 500) or 500)


def error_body(err: KhabarError) -> dict:
    d = err.to_json()
    d.setdefault("code", err.code)
    d.setdefault("message", err.message)
    return d
