"""``khabar serve``: the web UI and REST API over a khabar database, opened read-only.

It listens on loopback unless ``--host`` says otherwise; on any other address it refuses to start without an
access token (``--token`` or ``KHABAR_TOKEN``, code E450) unless ``--public`` says the corpus may be read by anyone
who reaches the port.  The port is bound before anything is printed: a busy port is error E451 with a hint to use
``--port``.  ``khabar demo --serve`` takes the same ``--host``, ``--port``, ``--token`` and ``--public``.
"""
from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_ANALYZE_RATE = 30    # analyses a minute per client
DEFAULT_SEARCH_RATE = 300    # searches a minute per client
DEFAULT_WORKERS = 1          # server processes (--workers)
MAX_WORKERS = 64
WORKER_GRACE = 10.0          # seconds stopping workers may take before they are killed
EARLY_DEATH = 5.0            # a worker that dies this soon after its start three times in a row is not restarted
START_FAILED = 3             # the exit status of a worker that could not start (uvicorn's own for that)


def cpu_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system tells it, else all of them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def parse_workers(value) -> int:
    """The number of server processes from ``--workers``: a whole number from 1 to 64, or ``auto`` (one per CPU
    core this process may use); anything else is a :class:`ValueError` saying what is accepted."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return min(MAX_WORKERS, cpu_cores())
    n = None
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        n = int(value)
    if n is None or not 1 <= n <= MAX_WORKERS:
        raise ValueError(f"--workers must be a whole number from 1 to {MAX_WORKERS}, or auto (one per CPU core: "
                         f"{min(MAX_WORKERS, cpu_cores())} here); got {value!r}")
    return n


def _is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or :class:`PortInUseError` (E451) saying why not."""
    from ..errors import PortInUseError

    where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise PortInUseError(f"cannot listen on {where}: the address cannot be resolved ({e.strerror})",
                             source="--host", hint="pass an address of this machine with --host "
                                                   "(127.0.0.1: this machine only; 0.0.0.0: every network)") from None
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            msg = f"cannot listen on {where}: the port {port} is already in use (another server is running there)"
        elif e.errno in (errno.EACCES, errno.EPERM):
            msg = f"cannot listen on {where}: not allowed (ports below 1024 need administrator rights)"
        elif e.errno == errno.EADDRNOTAVAIL:
            raise PortInUseError(f"cannot listen on {where}: {host} is not an address of this machine",
                                 source="--host", hint="pass an address of this machine with --host") from None
        else:
            msg = f"cannot listen on {where}: {e.strerror or e}"
        raise PortInUseError(msg, source="--port") from None
    sock.set_inheritable(True)
    return sock


def serve(db: str = "khabar.db", host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, max_chars: int | None = None,
          timeout: float | None = None, log_level: str = "info", token: str | None = None, public: bool = False,
          analyze_rate: float | None = None, search_rate: float | None = None, run: bool = True,
          search_cache: int = 256, count_bound: int = 1000, workers: int | str = DEFAULT_WORKERS) -> int:
    """Run the server until interrupted.  Binds to loopback unless ``host`` says otherwise.

    ``token`` (default ``$KHABAR_TOKEN``): the access token (see :mod:`khabar.server.auth`); required on a
    non-loopback ``host`` unless ``public``.  ``analyze_rate`` / ``search_rate``: requests a minute per client
    (defaults 30 and 300; 0: no limit).  ``search_cache``: recent search answers kept while the database is
    unchanged (0: none).  ``count_bound``: searches count their matches up to this many ("more than N").
    ``workers``: server processes sharing the listening socket (1 to 64, or ``"auto"``: one per CPU core; a
    :class:`ValueError` otherwise); each has its own database connections, answer cache and rate-limit buckets.
    ``run=False`` checks everything and binds, then returns without serving
    (for tests)."""
    workers = parse_workers(workers)
    try:
        import uvicorn
    except ImportError:
        from ..errors import KhabarError
        raise KhabarError("the web server needs the `server` extra", source="khabar serve",
                          hint='pip install "khabar[server]"') from None
    from ..errors import TokenRequiredError
    from .app import ANALYZE_TIMEOUT, MAX_CHARS, create_app
    from .auth import RateLimits

    token = token if token is not None else (os.environ.get("KHABAR_TOKEN") or None)
    if token is not None and not token.strip():
        token = None
    if not _is_loopback(host) and not token and not public:
        raise TokenRequiredError(f"refusing to serve {db} on {host}, an address other machines can reach, without "
                                 "an access token", source="--host")
    rates = (DEFAULT_ANALYZE_RATE if analyze_rate is None else analyze_rate,
             DEFAULT_SEARCH_RATE if search_rate is None else search_rate)
    app_args = dict(db=db, max_chars=MAX_CHARS if max_chars is None else max_chars,
                    analyze_timeout=ANALYZE_TIMEOUT if timeout is None else timeout, token=token,
                    search_cache=search_cache, count_bound=count_bound)
    app = create_app(rate_limits=RateLimits(*rates), **app_args)  # the checks (the database opens) happen here
    sock = bind(host, port)  # before any "serving at" line: a busy port is a coded error, nothing else printed
    if not run:
        sock.close()
        return 0
    if not _is_loopback(host):
        sys.stderr.write(f"khabar serve: listening on {host}, reachable from other machines; "
                         + ("every request needs the access token\n" if token else
                            "--public: anyone who can reach the port can read the database and make it analyse "
                            "text\n"))
    shown = host if ":" not in host else f"[{host}]"
    sys.stderr.write(f"khabar serve: {db} (read-only) at http://{shown}:{port}/ "
                     + ("(open it once with ?token=… ) " if token else "")
                     + (f"by {workers} processes " if workers > 1 else "") + "— Ctrl-C to stop\n")
    server_args = dict(log_level=log_level, access_log=False, server_header=False, limit_concurrency=256,
                       timeout_keep_alive=5)
    if workers > 1:
        del app
        return _supervise(sock, workers, app_args, rates, server_args)
    uvicorn.Server(uvicorn.Config(app, **server_args)).run(sockets=[sock])
    return 0


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker(sock: socket.socket, app_args: dict, rates: tuple, server_args: dict, parent: int) -> None:
    """One server process of ``--workers N``: the application built here, served on the inherited socket."""
    import threading
    import time

    import uvicorn

    from .app import create_app
    from .auth import RateLimits

    # Ctrl-C or SIGTERM before serving, or re-raised by uvicorn once it has shut down: end quietly.  The parent
    # started this process with both signals blocked (pending ones wait), so none interrupts the imports
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(0))
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    try:  # the database opened once more here: one gone since the parent's check is reported at once
        app = create_app(rate_limits=RateLimits(*rates), **app_args)
        server = uvicorn.Server(uvicorn.Config(app, timeout_graceful_shutdown=WORKER_GRACE / 2, **server_args))
    except Exception as e:  # noqa: BLE001 - any: this worker cannot serve, nor would another
        sys.stderr.write(f"khabar serve: worker process {os.getpid()} cannot start: {e}\n")
        sys.exit(START_FAILED)

    def watch_parent():  # the parent killed without stopping its workers: stop, leave no orphan serving
        while not server.should_exit:
            if os.getppid() != parent:
                server.should_exit = True
                return
            time.sleep(0.5)
    threading.Thread(target=watch_parent, daemon=True, name="khabar-parent-watch").start()
    server.run(sockets=[sock])
    if not server.started and not server.should_exit:  # uvicorn's start-up failed (it said why)
        sys.exit(START_FAILED)


def _supervise(sock: socket.socket, workers: int, app_args: dict, rates: tuple, server_args: dict) -> int:
    """Start ``workers`` processes serving ``sock``, replace one that dies, stop them all on SIGINT/SIGTERM."""
    import multiprocessing
    import multiprocessing.connection
    import time

    from ..errors import KhabarError

    ctx = multiprocessing.get_context("spawn")
    me = os.getpid()

    def start(i: int):
        p = ctx.Process(target=_worker, args=(sock, app_args, rates, server_args, me), name=f"khabar-serve-{i + 1}",
                        daemon=False)
        # the child inherits the blocked signals: a Ctrl-C while it imports waits until it can end cleanly
        masked = hasattr(signal, "pthread_sigmask")
        if masked:
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            p.start()
        finally:
            if masked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        return p, time.monotonic()

    stop = {"signals": 0}

    def on_signal(signum, _frame):
        stop["signals"] += 1
        if stop["signals"] > 1:  # a second Ctrl-C: no more waiting
            for p, _ in procs:
                if p.is_alive():
                    p.kill()

    procs: list = []
    early = [0] * workers  # quick deaths in a row, per worker
    failed = None
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None))
           if s is not None}
    try:
        for i in range(workers):
            procs.append(start(i))
        while not stop["signals"]:
            multiprocessing.connection.wait([p.sentinel for p, _ in procs], timeout=0.5)
            for i, (p, t0) in enumerate(procs):
                if p.is_alive() or stop["signals"]:
                    continue
                early[i] = early[i] + 1 if time.monotonic() - t0 < EARLY_DEATH else 0
                # a worker that could not start would fail again, as would one dying a third time in a row right
                # after its start; one that stopped later (killed from outside: the memory killer, kill PID) is
                # replaced
                if p.exitcode == START_FAILED or early[i] >= 3:
                    failed = (i, p.exitcode)
                    stop["signals"] = 1
                    break
                sys.stderr.write(f"khabar serve: worker {i + 1} (process {p.pid}) stopped (status {p.exitcode}); "
                                 "starting another\n")
                procs[i] = start(i)
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
        deadline = time.monotonic() + WORKER_GRACE
        for p, _ in procs:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
        sock.close()
        for s, h in old.items():
            signal.signal(s, h)
    if failed is not None:
        i, code = failed
        why = "could not start" if code == START_FAILED else "stopped three times right after its start"
        raise KhabarError(f"worker {i + 1} of {workers} {why} (status {code}); the server is stopped",
                          source="--workers",
                          hint="its error is printed above; run with --workers 1 to see it in this process")
    return 0


# the server options of `khabar demo --serve` (recorded by the demo hook, read by serve_demo)
_DEMO_ARGS: dict = {}


def _demo_hook(db, args) -> None:
    if args is not None:
        for k in ("host", "port", "token", "public"):
            if hasattr(args, k):
                _DEMO_ARGS[k] = getattr(args, k)


def serve_demo(db: str) -> int:
    """Start the server on the demo database (the hook of ``khabar demo --serve``)."""
    a = dict(_DEMO_ARGS)
    return serve(db, a.get("host") or DEFAULT_HOST, a.get("port") or DEFAULT_PORT, token=a.get("token"),
                 public=bool(a.get("public")))


def cmd_serve(args) -> int:
    from ..limits import check_setting
    return serve(args.db, args.host, args.port, max_chars=check_setting("--max-chars", args.max_chars),
                 timeout=check_setting("--timeout", args.timeout), token=args.token, public=args.public,
                 analyze_rate=check_setting("--analyze-rate", args.analyze_rate),
                 search_rate=check_setting("--search-rate", args.search_rate), search_cache=args.search_cache,
                 count_bound=args.count_bound, workers=args.workers)


def _access_args(p) -> None:
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only); any other address "
                   "needs --token (or KHABAR_TOKEN) or --public")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    p.add_argument("--token", default=None,
                   help="access token every request must carry (default: $KHABAR_TOKEN; prefer the variable: "
                   "an option shows in the process list)")
    p.add_argument("--public", action="store_true",
                   help="serve on a non-loopback --host without a token: the corpus may be read by anyone")


def _cache_size(v: str) -> int:
    import argparse
    try:
        n = int(v)
    except ValueError:
        n = -1
    if not 0 <= n <= 100_000:
        raise argparse.ArgumentTypeError(f"--search-cache must be a whole number from 0 to 100000 (got {v!r})")
    return n


def _count_bound(v: str) -> int:
    import argparse
    try:
        n = int(v)
    except ValueError:
        n = 0
    if not 1 <= n <= 10_000_000:
        raise argparse.ArgumentTypeError(f"--count-bound must be a whole number from 1 to 10000000 (got {v!r})")
    return n


def _workers_arg(v: str) -> int:
    import argparse
    try:
        return parse_workers(v)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_commands(sub) -> None:
    p = sub.add_parser("serve", help="web UI and REST API over a database (read-only; loopback by default)")
    p.add_argument("--db", default="khabar.db", help="the database to serve (default: khabar.db), opened read-only")
    _access_args(p)
    p.add_argument("--max-chars", type=int, default=None, dest="max_chars",
                   help="longest article /api/analyze accepts, in characters (default: 100000; 0: no limit); "
                   "a longer one is a 413 error (E105)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit for analysing one posted article (default: 20; 0: no limit); over it: "
                   "a 422 error (E503)")
    p.add_argument("--analyze-rate", type=float, default=None, dest="analyze_rate", metavar="N",
                   help=f"analyses a minute per client (default: {DEFAULT_ANALYZE_RATE}; 0: no limit); over it: "
                   "429 with Retry-After (E430)")
    p.add_argument("--search-rate", type=float, default=None, dest="search_rate", metavar="N",
                   help=f"searches a minute per client (default: {DEFAULT_SEARCH_RATE}; 0: no limit)")
    p.add_argument("--search-cache", type=_cache_size, default=256, dest="search_cache", metavar="N",
                   help="recent search answers kept while the database is unchanged (default: 256; 0: none)")
    p.add_argument("--count-bound", type=_count_bound, default=1000, dest="count_bound", metavar="N",
                   help="a search counts its matches up to N and shows \"more than N\" past it (default: 1000; "
                   "/api/search?count=exact counts them all)")
    p.add_argument("--workers", type=_workers_arg, default=DEFAULT_WORKERS, metavar="N",
                   help=f"server processes sharing the port (default: {DEFAULT_WORKERS}; auto: one per CPU core, "
                   f"{min(MAX_WORKERS, cpu_cores())} here); each has its own database connections, answer cache "
                   "and rate limits (a client may get up to N times --search-rate)")
    p.set_defaults(func=cmd_serve)
    demo = getattr(sub, "choices", {}).get("demo")
    if demo is not None and not any("--port" in a.option_strings for a in demo._actions):
        _access_args(demo)
        from ..store.demo import DEMO_HOOKS
        if _demo_hook not in DEMO_HOOKS:
            DEMO_HOOKS.append(_demo_hook)
