"""Pattern scans that skip the text no match can start in."""
from __future__ import annotations


def finditer_from_anchor(pattern, text: str, anchors: tuple[str, ...], back: int):
    """``pattern.finditer(text)`` for a pattern whose every match holds one of ``anchors`` at most ``back``
    characters after its start: the scan starts ``back`` characters before the first anchor in the text (none can
    start earlier; a look-behind still sees the characters before that start), and there is no scan at all without
    an anchor (most articles: a scan of the whole text at every position is saved)."""
    first = min((k for k in map(text.find, anchors) if k >= 0), default=-1)
    if first < 0:
        return ()
    return pattern.finditer(text, max(0, first - back))
