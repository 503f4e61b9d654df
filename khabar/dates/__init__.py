"""Explicit dates and weekdays with a normalised value (:mod:`.find`)."""
from .find import find_dates

__all__ = ["find_dates"]
