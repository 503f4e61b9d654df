"""Shared fixtures: the path of ../shared (present in CI, absent in a user's fresh clone)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not found: tests on shared data and gold need ../shared beside the repository (CI has it)")
    return p


@pytest.fixture
def seed_text() -> str:
    p = shared_path("seed")
    return next(p.glob("*.txt")).read_text(encoding="utf-8")
