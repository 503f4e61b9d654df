"""Attribution: who said what (quotes) and according to whom (sources).  See :mod:`.attribution`."""
from .attribution import Result, analyze_attribution

__all__ = ["Result", "analyze_attribution"]
