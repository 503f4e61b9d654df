"""Where and when: explicit dates and weekdays with a normalised value (:mod:`.find`), and the dateline that opens
an article (:mod:`.dateline`)."""
from .dateline import find_dateline
from .find import find_dates

__all__ = ["find_dateline", "find_dates"]
