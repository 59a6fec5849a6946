"""The command line: one module per command group, each with ``register(subparsers)``.

A command module adds its parser and sets ``handler=run`` where ``run(args, ctx) -> int``.
Exit codes: 0 ok, 1 an expected failure with a plain message, 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from treasury_desktop.cli.guard import guarded, private_files, safe_streams
from treasury_desktop.context import AppContext, open_context
from treasury_desktop.i18n import set_language
from treasury_desktop.logs import setup_logging
from treasury_desktop.paths import configured_language

# Each command word and the module that registers it. A module is imported only when its
# command is on the command line (or for --help): opening the window imports none of them.
# tests/cli/test_lazy_commands.py holds this table to what the modules register.
COMMANDS: dict[str, str] = {
    "voucher": "vouchers",
    "tokens": "signing_cmd", "signers": "signing_cmd", "sign": "signing_cmd",
    "export": "signing_cmd",
    "connect": "connect",
    "sandbox": "sandbox_cmd",
    "submit": "outbox_cmd", "outbox": "outbox_cmd", "sync": "outbox_cmd",
    "package": "package_cmd",
    "trust": "trust_cmd",
    "tax-settings": "tax_cmd",
    "backup": "backup_cmd",
    "audit": "audit_cmd",
    "catalog": "catalog_cmd",
}


def _command_modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    """The command modules ``argv`` (default: the process's) names; all of them for help."""
    words = list(sys.argv[1:] if argv is None else argv)
    everything = "-h" in words or "--help" in words
    names = dict.fromkeys(m for word, m in COMMANDS.items() if everything or word in words)
    return [importlib.import_module(f"treasury_desktop.cli.{name}") for name in names]


class _PrintVersion(argparse.Action):
    """``--version``: the version is looked up only when asked, keeping it off the start."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from treasury_desktop.version import app_version

        print(f"treasury-desktop {app_version()}")
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line: global options, the GUI flags, and the commands ``argv`` names
    (default: the process's arguments); the others are listed by name only."""
    parser = argparse.ArgumentParser(
        prog="treasury-desktop",
        description="Chứng từ Kho bạc: lập, ký số và gửi chứng từ thanh toán.",
    )
    parser.add_argument("--data-dir", help="data folder (default: per-user; TREASURY_DESKTOP_HOME)")
    parser.add_argument(
        "--lang", choices=("vi", "en"), default=configured_language(),
        help="interface language (default: the one chosen in the settings, else vi)",
    )
    parser.add_argument("--demo", action="store_true", help="open on demo data with a sandbox")
    parser.add_argument("--screenshot", metavar="FILE", help="render the main window to a PNG")
    parser.add_argument("--version", action=_PrintVersion)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(argv):
        module.register(commands)
    for word in COMMANDS.keys() - commands.choices.keys():
        commands.add_parser(word)  # named, not loaded: ``treasury-desktop bogus`` still lists it
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command in an opened context; every failure becomes a message and exit 1
    (cli/guard.py), a closed pipe ends quietly."""
    ctx: AppContext | None = None

    def run() -> int:
        nonlocal ctx
        ctx = open_context(args.data_dir, lang=args.lang)
        setup_logging(ctx.data_dir)
        result: int = args.handler(args, ctx)
        sys.stdout.flush()  # a closed pipe shows here, inside the guard
        return result

    try:
        return guarded(run, args.lang, args.data_dir)
    finally:
        if ctx is not None:
            ctx.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the command line (the GUI is chosen in app.py)."""
    safe_streams()
    args = build_parser(argv).parse_args(argv)
    set_language(args.lang)
    if getattr(args, "handler", None) is None:
        build_parser(argv).print_usage(sys.stderr)
        return 2
    with private_files():
        return run_command(args)
