"""Attribution: who said what (quotes) and according to whom (sources).  See :mod:`.attribution`."""
from .attribution import Result, analyze_attribution, for_document

__all__ = ["Result", "analyze_attribution", "for_document"]
