"""Shared runner of the fuzz targets: atheris (coverage-guided, libFuzzer) when installed, else a random fallback.

``python fuzz/fuzz_X.py -runs=N [-max_total_time=S] [libFuzzer flags] [CORPUS_DIR ...]`` runs N inputs (or S
seconds).  Without a corpus folder, the seeds in ``fuzz/seeds/<target>/`` are copied to a temporary folder first,
so a run never writes into the repository.  ``--fallback`` (or no atheris) feeds random and mutated-seed byte
strings to the same target instead, for the same ``-runs`` / ``-max_total_time``.

Exit status 0: no crash; non-zero: a crash (atheris writes ``crash-<sha1>`` with the input that caused it, in the
working folder or ``-artifact_prefix=``; the fallback prints the input as a Python literal).  At the end
libFuzzer prints ``Done N runs in S second(s)``; the fallback prints ``fuzz <target>: N inputs in S s (random
fallback)``, both on standard error.
"""
from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _flag(argv, name, default=None):
    for a in argv:
        if a.startswith(f"-{name}="):
            return a.split("=", 1)[1]
    return default


def scratch_dir() -> str:
    """A folder for a target's own files (a database ...), removed after the run when the runner made it."""
    d = os.environ.get("KHABAR_FUZZ_SCRATCH")
    if d:
        return d
    d = tempfile.mkdtemp(prefix="khabar-fuzz-scratch-")
    import atexit
    atexit.register(shutil.rmtree, d, True)
    return d


def _seeds(target: str) -> list[bytes]:
    d = HERE / "seeds" / target
    return [p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()] if d.is_dir() else []


class Counter:
    n = 0


def main(target: str, test_one_input, *, instrument=None, setup=None) -> int:
    argv = list(sys.argv)
    fallback = "--fallback" in argv
    argv = [a for a in argv if a != "--fallback"]
    atheris = None
    if not fallback:
        try:
            import atheris  # noqa: F811
        except ImportError:
            sys.stderr.write(f"fuzz {target}: atheris is not installed; using the random fallback\n")
    if atheris is not None and not any(not a.startswith("-") for a in argv[1:]):
        ctx = None  # the parent of the fuzzing child (below) needs no set-up
    elif atheris is not None and instrument:
        with atheris.instrument_imports(include=list(instrument)):
            ctx = setup() if setup else None
    else:
        ctx = setup() if setup else None

    def one(data: bytes) -> None:
        Counter.n += 1
        test_one_input(data, ctx)

    t0 = time.monotonic()

    def report():
        el = time.monotonic() - t0
        sys.stderr.write(f"fuzz {target}: {Counter.n} inputs in {el:.1f} s "
                         f"({'atheris' if atheris is not None else 'random fallback'})\n")
        sys.stderr.flush()

    if atheris is not None:
        if not any(not a.startswith("-") for a in argv[1:]):
            # libFuzzer writes new inputs into the first corpus folder and ends the process with exit(): run it
            # in a child on a temporary copy of the seeds, and remove that copy afterwards
            import subprocess

            tmp = tempfile.mkdtemp(prefix=f"khabar-fuzz-{target}-")
            try:
                corpus, scratch = Path(tmp) / "corpus", Path(tmp) / "scratch"
                corpus.mkdir()
                scratch.mkdir()
                for i, s in enumerate(_seeds(target)):
                    (corpus / f"seed{i:03d}").write_bytes(s)
                env = dict(os.environ, KHABAR_FUZZ_SCRATCH=str(scratch))
                return subprocess.call([sys.executable, argv[0], *argv[1:], str(corpus)], env=env)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        atheris.Setup(argv, one)
        atheris.Fuzz()  # exits the process
        return 0
    runs = int(_flag(argv, "runs", "10000"))
    max_time = float(_flag(argv, "max_total_time", "0"))
    rng = random.Random(int(_flag(argv, "seed", "1")))
    seeds = _seeds(target) or [b""]
    for i in range(runs if runs >= 0 else 1 << 62):
        if max_time and time.monotonic() - t0 > max_time:
            break
        data = _mutate(rng, seeds) if i >= len(seeds) else seeds[i]
        try:
            one(data)
        except BaseException:
            sys.stderr.write(f"fuzz {target}: crash on input {data!r}\n")
            raise
    report()
    return 0


def _mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    r = rng.random()
    if r < 0.3:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
    b = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        pos = rng.randint(0, len(b)) if b else 0
        if op < 0.4 and b:
            b[min(pos, len(b) - 1)] = rng.getrandbits(8)
        elif op < 0.7:
            b[pos:pos] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 6)))
        elif op < 0.85 and b:
            del b[pos:pos + rng.randint(1, 8)]
        else:
            other = rng.choice(seeds)
            a = rng.randint(0, len(other))
            b[pos:pos] = other[a:a + rng.randint(1, 40)]
    return bytes(b)
