"""``khabar serve``: the web UI and REST API over a khabar database, opened read-only."""
from __future__ import annotations

import ipaddress
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(db: str = "khabar.db", host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, max_chars: int | None = None,
          timeout: float | None = None, log_level: str = "info") -> int:
    """Run the server until interrupted.  Binds to loopback unless ``host`` says otherwise."""
    try:
        import uvicorn
    except ImportError:
        from ..errors import KhabarError
        raise KhabarError("the web server needs the `server` extra", source="khabar serve",
                          hint='pip install "khabar[server]"') from None
    from .app import ANALYZE_TIMEOUT, MAX_CHARS, create_app

    app = create_app(db, max_chars=MAX_CHARS if max_chars is None else max_chars,
                     analyze_timeout=ANALYZE_TIMEOUT if timeout is None else timeout)
    if not _is_loopback(host):
        sys.stderr.write(f"khabar serve: listening on {host}, reachable from other machines; the database is "
                         "read-only, but anyone who can reach the port can read it and make it analyse text\n")
    sys.stderr.write(f"khabar serve: {db} (read-only) at http://{host if ':' not in host else f'[{host}]'}:{port}/ "
                     "— Ctrl-C to stop\n")
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False, server_header=False,
                limit_concurrency=256, timeout_keep_alive=5)
    return 0


def serve_demo(db: str) -> int:
    """Start the server on the demo database (the hook of ``khabar demo --serve``)."""
    return serve(db)


def cmd_serve(args) -> int:
    from ..limits import check_setting
    return serve(args.db, args.host, args.port, max_chars=check_setting("--max-chars", args.max_chars),
                 timeout=check_setting("--timeout", args.timeout))


def add_commands(sub) -> None:
    p = sub.add_parser("serve", help="web UI and REST API over a database (read-only; loopback by default)")
    p.add_argument("--db", default="khabar.db", help="the database to serve (default: khabar.db), opened read-only")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    p.add_argument("--max-chars", type=int, default=None, dest="max_chars",
                   help="longest article /api/analyze accepts, in characters (default: 100000; 0: no limit); "
                   "a longer one is a 413 error (E105)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit for analysing one posted article (default: 20; 0: no limit); over it: "
                   "a 422 error (E503)")
    p.set_defaults(func=cmd_serve)
