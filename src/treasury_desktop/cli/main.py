"""The command line: one module per command group, each with ``register(subparsers)``.

A command module adds its parser and sets ``handler=run`` where ``run(args, ctx) -> int``.
Exit codes: 0 ok, 1 an expected failure with a plain message, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from treasury_desktop.context import AppContext, open_context
from treasury_desktop.i18n import ExpectedError, set_language


def _command_modules() -> list[ModuleType]:
    from treasury_desktop.cli import (
        connect,
        outbox_cmd,
        package_cmd,
        sandbox_cmd,
        signing_cmd,
        tax_cmd,
        trust_cmd,
        vouchers,
    )

    return [
        vouchers, signing_cmd, connect, sandbox_cmd, outbox_cmd, package_cmd, trust_cmd, tax_cmd,
    ]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options, the GUI flags, and every command."""
    parser = argparse.ArgumentParser(
        prog="treasury-desktop",
        description="Chứng từ Kho bạc: lập, ký số và gửi chứng từ thanh toán.",
    )
    parser.add_argument("--data-dir", help="data folder (default: per-user; TREASURY_DESKTOP_HOME)")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="interface language")
    parser.add_argument("--demo", action="store_true", help="open on demo data with a sandbox")
    parser.add_argument("--screenshot", metavar="FILE", help="render the main window to a PNG")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(commands)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command in an opened context; expected errors become exit code 1."""
    ctx: AppContext | None = None
    try:
        ctx = open_context(args.data_dir, lang=args.lang)
        result: int = args.handler(args, ctx)
        return result
    except ExpectedError as error:
        print(error.message.render(args.lang), file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the command line (the GUI is chosen in app.py)."""
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    if getattr(args, "handler", None) is None:
        build_parser().print_usage(sys.stderr)
        return 2
    return run_command(args)
