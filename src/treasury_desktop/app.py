"""Composition root: read the command line, then open the window or run a command.

Nothing happens at import time; Qt is imported only when a window is wanted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from treasury_desktop.cli.guard import guarded, private_files, safe_streams
from treasury_desktop.cli.main import build_parser, run_command
from treasury_desktop.context import AppContext, open_context
from treasury_desktop.i18n import set_language


def _gui(ctx: AppContext, *, screenshot: Path | None, demo: bool) -> int:
    from treasury_desktop.ui.launch import run_gui

    return run_gui(ctx, screenshot=screenshot, demo=demo)


def main(argv: Sequence[str] | None = None) -> int:
    """``treasury-desktop``: the GUI with no command, else the command line."""
    safe_streams()
    args = build_parser(argv).parse_args(argv)
    set_language(args.lang)
    with private_files():
        if getattr(args, "handler", None) is not None:
            return run_command(args)
        if getattr(args, "command", None):
            build_parser(argv).print_usage(sys.stderr)
            return 2
        return guarded(lambda: _open_window(args), args.lang, args.data_dir)


def _open_window(args: argparse.Namespace) -> int:
    screenshot = Path(args.screenshot).resolve() if args.screenshot else None
    if args.demo:
        from treasury_desktop.demo.session import open_demo

        with open_demo(lang=args.lang) as ctx:
            return _gui(ctx, screenshot=screenshot, demo=True)
    ctx = open_context(args.data_dir, lang=args.lang)
    try:
        ctx.connect()  # a damaged file or a broken audit log is refused before any window
        return _gui(ctx, screenshot=screenshot, demo=False)
    finally:
        ctx.close()
