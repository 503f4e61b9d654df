"""One progress line on a stream, shared by ``khabar ingest`` and ``khabar batch``: throttled updates, an
overwritten line on a terminal (or one line per update in a log), elapsed time and ETA formatting."""
from __future__ import annotations

import sys
import time


def hms(s: float) -> str:
    s = int(max(0, s))
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


class ProgressLine:
    """``due()`` says whether an update is due (and gives the elapsed seconds); ``show(line)`` writes it, over the
    previous one when ``overwrite``; ``close()`` ends an overwritten line."""

    def __init__(self, stream=None, *, enabled: bool, every: float, overwrite: bool):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.every = every
        self.overwrite = overwrite
        self.t0 = time.monotonic()
        self.last = 0.0
        self.shown = False

    def due(self, force: bool = False) -> float | None:
        if not self.enabled:
            return None
        now = time.monotonic()
        if not force and now - self.last < self.every:
            return None
        self.last = now
        return now - self.t0

    def show(self, line: str) -> None:
        self.stream.write("\r" + line + "\x1b[K" if self.overwrite else line + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.enabled and self.shown and self.overwrite:
            self.stream.write("\n")
            self.stream.flush()
