"""``connect --server URL --unit CODE [--token-stdin] [--ca-bundle FILE]``: once per desk.

Checks the desk credential against the server (the unit's registered signers), then keeps the
server and unit in the profile and the credential in the OS keyring (never in a file).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from treasury_desktop.api.credentials import TOKEN_ENV
from treasury_desktop.context import AppContext
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.usecases.desk_connect import connect_desk


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``connect``."""
    parser = commands.add_parser("connect", help="connect this desk to the treasury server")
    parser.add_argument("--server", required=True, metavar="URL", help="treasury API address")
    parser.add_argument("--unit", required=True, metavar="CODE", help="mã ĐVQHNS (7 digits)")
    parser.add_argument(
        "--token-stdin", action="store_true", help="read the desk credential from standard input"
    )
    parser.add_argument("--ca-bundle", metavar="FILE", help="pin the server's CA (PEM file)")
    parser.set_defaults(handler=run)


def _read_token(args: argparse.Namespace) -> tuple[str, bool]:
    """The credential and whether it came from the environment (then it is not stored)."""
    if args.token_stdin:
        return sys.stdin.readline().strip(), False
    from_env = os.environ.get(TOKEN_ENV, "").strip()
    if from_env:
        return from_env, True
    if not sys.stdin.isatty():  # nowhere to type it: say so instead of an EOFError
        raise ExpectedError("delivery.connect.no_terminal", env=TOKEN_ENV)
    try:
        return getpass.getpass(text("api.connect.prompt", args.lang)).strip(), False
    except EOFError:
        raise ExpectedError("delivery.connect.no_terminal", env=TOKEN_ENV) from None


def run(args: argparse.Namespace, ctx: AppContext) -> int:
    """Verify the credential, then save the connection and keep the credential."""
    token, from_env = _read_token(args)
    if not token:
        raise ExpectedError("api.connect.empty_token")
    bundle = str(Path(args.ca_bundle).resolve()) if args.ca_bundle else None
    _, profile = ctx.repositories()
    server, signers = connect_desk(
        profile, args.server, args.unit, token, ca_bundle=bundle, store_credential=not from_env
    )
    key = "api.connect.done_env" if from_env else "api.connect.done"
    print(text(key, args.lang, unit=args.unit, server=server, signers=signers, env=TOKEN_ENV))
    return 0
