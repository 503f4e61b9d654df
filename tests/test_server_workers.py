"""`khabar serve --workers N` (issue 18): N server processes on one listening socket.

The option's parsing and its errors; a real server of 2 workers started as a user starts it (`python -m
khabar.cli serve ... --workers 2` in its own process group): both workers answer searches (each opens the
database itself), a worker killed from outside is replaced, Ctrl-C (SIGINT to the process group) stops every
process with status 0, and a server whose parent is killed outright leaves no worker serving.  No timings."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("uvicorn", reason="the web server needs the `server` extra (pip install -e '.[server]')")

from khabar.server.cli import MAX_WORKERS, cpu_cores, parse_workers, serve  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LINUX = sys.platform.startswith("linux") and os.path.isdir("/proc")


@pytest.fixture(scope="module")
def db():
    return sample_db()


# -- the option ----------------------------------------------------------------------------------------------

def test_parse_workers_accepts_whole_numbers_and_auto():
    assert parse_workers("1") == 1 and parse_workers("3") == 3 and parse_workers(2) == 2
    assert parse_workers(str(MAX_WORKERS)) == MAX_WORKERS
    assert parse_workers("auto") == parse_workers(" AUTO ") == min(MAX_WORKERS, cpu_cores()) >= 1


@pytest.mark.parametrize("bad", ["0", "-1", "65", "1.5", "two", "", "٢", 0, -3, 65, 2.0, True, None])
def test_parse_workers_refuses_anything_else_and_says_what_it_takes(bad):
    with pytest.raises(ValueError) as e:
        parse_workers(bad)
    msg = str(e.value)
    assert "--workers" in msg and f"1 to {MAX_WORKERS}" in msg and "auto" in msg and repr(bad) in msg


def test_cli_bad_workers_is_a_usage_error_naming_the_option(db, capsys):
    from khabar.cli import main
    for bad in ("0", "many"):
        with pytest.raises(SystemExit) as e:
            main(["serve", "--db", db, "--workers", bad])
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert "--workers" in err and f"from 1 to {MAX_WORKERS}" in err and "at http://" not in err


def test_cli_default_is_one_process_and_the_help_says_so(capsys):
    from khabar.cli import build_parser
    args = build_parser().parse_args(["serve"])
    assert args.workers == 1
    args = build_parser().parse_args(["serve", "--workers", "auto"])
    assert args.workers == min(MAX_WORKERS, cpu_cores())
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    assert "--workers N" in capsys.readouterr().out


def test_serve_checks_workers_before_binding(db):
    with pytest.raises(ValueError):
        serve(db, "127.0.0.1", 0, workers=0, run=False)
    assert serve(db, "127.0.0.1", 0, workers=2, run=False) == 0
    assert serve(db, "127.0.0.1", 0, workers="auto", run=False) == 0


# -- a real server of 2 workers ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", encoding="ascii") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


def _workers_of(pid: int) -> list[int]:
    out = []
    for c in _children(pid):
        try:
            with open(f"/proc/{c}/cmdline", "rb") as f:
                if b"spawn_main" in f.read():
                    out.append(c)
        except OSError:
            pass
    return sorted(out)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _has_open(pid: int, path: str) -> bool:
    real = os.path.realpath(path)
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == real:
                return True
        except OSError:
            pass
    return False


def _get(port: int, path: str) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Connection": "close"})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.status


def _wait(cond, timeout: float, what: str):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        v = cond()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def _start(db: str, port: int, workers: int = 2) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("KHABAR_TOKEN", None)
    return subprocess.Popen([sys.executable, "-m", "khabar.cli", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers), "--search-rate", "0"], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _up(port: int) -> bool:
    try:
        return _get(port, "/api/stats") == 200
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    return proc.communicate(timeout=30)[0].decode("utf-8", "replace")


def _two_workers_up(proc: subprocess.Popen, port: int) -> list:
    """Wait until the server answers and runs its 2 worker processes; return their pids."""
    _wait(lambda: _up(port), 90, "the server answers")
    return _wait(lambda: (w := _workers_of(proc.pid)) and len(w) == 2 and w, 60, "2 worker processes")


@pytest.mark.skipif(not LINUX, reason="reads the server's processes from Linux /proc")
def test_two_workers_answer_a_killed_one_is_replaced_and_ctrl_c_stops_all(db):
    port = _free_port()
    proc = _start(db, port)
    try:
        workers = _two_workers_up(proc, port)
        # searches over fresh connections, a few at once, until each worker has opened the database itself
        queries = ["/api/search?q=%D8%A5%D9%8A%D8%B1%D8%A7%D9%86", "/api/search?q=%D9%84%D8%A8%D9%86%D8%A7%D9%86",
                   "/api/search?q=%D9%82%D8%A7%D9%84", "/api/stats"]
        with ThreadPoolExecutor(8) as ex:
            for _ in range(40):
                assert set(ex.map(lambda k: _get(port, queries[k % len(queries)]), range(16))) == {200}
                if all(_has_open(w, db) for w in workers):
                    break
        assert all(_has_open(w, db) for w in workers), "each worker answers searches on its own connection"
        # a worker killed from outside is replaced; the server answers meanwhile
        os.kill(workers[0], signal.SIGKILL)
        assert _get(port, "/api/stats") == 200
        now = _wait(lambda: (w := _workers_of(proc.pid)) and len(w) == 2 and workers[0] not in w and w, 60,
                    "a new worker in place of the killed one")
        assert workers[1] in now
        _wait(lambda: _up(port), 30, "the server answers")
        # Ctrl-C: SIGINT to the whole process group, as a terminal sends it
        tree = [proc.pid] + _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(60) == 0
        _wait(lambda: not any(_alive(p) for p in tree), 30, "every process of the server gone")
        out = _stop(proc)
        assert "by 2 processes" in out and "starting another" in out and "Traceback" not in out, out
        assert not _up(port)
    finally:
        _stop(proc)


@pytest.mark.skipif(not LINUX, reason="reads the server's processes from Linux /proc")
def test_workers_stop_when_the_parent_is_killed_outright(db):
    port = _free_port()
    proc = _start(db, port)
    try:
        workers = _two_workers_up(proc, port)
        os.kill(proc.pid, signal.SIGKILL)  # no chance to stop its workers
        proc.wait(30)
        _wait(lambda: not any(_alive(w) for w in workers), 30, "the orphaned workers stop themselves")
        assert not _up(port)
    finally:
        _stop(proc)


def test_a_worker_that_fails_at_start_stops_the_server_with_an_error(tmp_path, capfd):
    """The database gone between the parent's check and the workers' start: each worker fails (its error
    printed); the server stops and says so instead of restarting them for ever."""
    from khabar.errors import KhabarError
    from khabar.server.cli import _supervise

    sock = socket.create_server(("127.0.0.1", 0))
    with pytest.raises(KhabarError) as e:
        _supervise(sock, 2, {"db": str(tmp_path / "gone.db")}, (0, 0), {"log_level": "warning"})
    assert e.value.source == "--workers" and "could not start" in e.value.message and "--workers 1" in e.value.hint
    err = capfd.readouterr().err
    assert "gone.db" in err and "E301" in err and "Traceback" not in err and "starting another" not in err
    assert sock.fileno() == -1  # closed
