"""The fuzz targets in ``fuzz/`` run, for a bounded number of inputs, in CI.

Each target is run as a separate process (atheris, coverage-guided, when installed; otherwise its random
fallback) for a few hundred inputs and a few seconds at most, starting from the seeds in ``fuzz/seeds/``; a
crash (any exception, any broken invariant) makes a non-zero exit.  The long campaigns are run by hand:
``python fuzz/fuzz_analyze.py -runs=100000`` (README, "Reliability").
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

try:
    import atheris  # noqa: F401
    HAVE_ATHERIS = True
except ImportError:
    HAVE_ATHERIS = False


@pytest.mark.parametrize("target,runs,seconds", [("fuzz_analyze.py", 120, 4), ("fuzz_query.py", 1000, 2)])
def test_fuzz_target_runs_clean(target, runs, seconds, tmp_path):
    args = [sys.executable, str(ROOT / "fuzz" / target), f"-runs={runs}", f"-max_total_time={seconds}"]
    if HAVE_ATHERIS:
        args += [f"-artifact_prefix={tmp_path}/", "-timeout=60"]
    else:
        args.append("--fallback")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    tail = (r.stdout + r.stderr)[-3000:]
    assert r.returncode == 0, tail
    m = re.search(r"Done (\d+) runs" if HAVE_ATHERIS else r"fuzz \w+: (\d+) inputs", r.stderr)
    assert m and int(m.group(1)) > 0, tail
    assert not list(tmp_path.glob("crash-*")), tail
