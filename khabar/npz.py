"""Loading the numpy weight files shipped in ``khabar/resources`` (topic, protest models)."""
from __future__ import annotations

import numpy as np


def load_npz(*parts: str, path=None) -> dict:
    """The arrays of ``resources/<parts...>`` (or of ``path``), read into memory, no pickles."""
    if path is None:
        from importlib import resources
        path = resources.files("khabar").joinpath("resources", *parts)
    with path.open("rb") if hasattr(path, "open") else open(path, "rb") as f:
        with np.load(f, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
