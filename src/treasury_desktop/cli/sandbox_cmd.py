"""``sandbox [--host H] [--port N] [--db FILE] [--config FILE] [--faults SPEC] [--speed X]
[--seed N]``: the reference treasury in the foreground, until Ctrl+C or SIGTERM (exit 0)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import ExpectedError


def _faults(value: str) -> object:
    from treasury_desktop.sandbox.faults import parse_faults

    try:
        return parse_faults(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        speed = 0.0
    if speed <= 0:
        raise argparse.ArgumentTypeError("speed is a number above 0, e.g. 60")
    return speed


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sandbox``."""
    parser = commands.add_parser("sandbox", help="run the sandbox treasury (practice, demo, tests)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--db", metavar="FILE", help="the sandbox's own SQLite file")
    parser.add_argument("--config", metavar="FILE", help="units, signers, estimates (YAML/JSON)")
    parser.add_argument("--faults", type=_faults, metavar="SPEC", help="e.g. latency=200ms,peak")
    parser.add_argument("--speed", type=_speed, default=1.0, help="clerk speed-up factor")
    parser.add_argument("--seed", type=int, help="seed for the clerk and the faults")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: AppContext) -> int:
    """Serve until stopped; prints ``listening on URL`` once connections are accepted."""
    from treasury_desktop.sandbox.app import create_app
    from treasury_desktop.sandbox.config import default_config, load_config
    from treasury_desktop.sandbox.server import bind, make_server, url_of

    config = load_config(Path(args.config)) if args.config else default_config()
    db = Path(args.db) if args.db else ctx.data_dir / "sandbox-treasury.sqlite3"
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        raise ExpectedError(
            "sandbox.cli.port_busy", host=args.host, port=args.port, reason=error.strerror
        ) from None
    tls = bool(args.tls_cert)
    url = url_of(sock, tls)
    app = create_app(config, db, args.faults, args.speed, args.seed)
    server = make_server(
        app,
        Path(args.tls_cert) if args.tls_cert else None,
        Path(args.tls_key) if args.tls_key else None,
    )
    server.on_ready = lambda: print(f"listening on {url}", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    print("stopped", file=sys.stderr, flush=True)
    return 0
