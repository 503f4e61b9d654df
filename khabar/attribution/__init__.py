"""Attribution: who said what (quotes) and according to whom (sources).  See :mod:`.sieve`; its word lists are shared (:mod:`khabar.lexicon`)."""
from .sieve import Result, analyze_attribution

__all__ = ["Result", "analyze_attribution"]
