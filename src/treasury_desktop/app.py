"""Composition root: read the command line, then open the window or run a command.

Nothing happens at import time; Qt is imported only when a window is wanted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from treasury_desktop.cli.main import build_parser, run_command
from treasury_desktop.context import AppContext, open_context
from treasury_desktop.i18n import ExpectedError, set_language


def _gui(ctx: AppContext, *, screenshot: Path | None, demo: bool) -> int:
    from treasury_desktop.ui.launch import run_gui

    return run_gui(ctx, screenshot=screenshot, demo=demo)


def main(argv: Sequence[str] | None = None) -> int:
    """``treasury-desktop``: the GUI with no command, else the command line."""
    args = build_parser(argv).parse_args(argv)
    set_language(args.lang)
    if getattr(args, "handler", None) is not None:
        return run_command(args)
    if getattr(args, "command", None):
        build_parser(argv).print_usage(sys.stderr)
        return 2
    screenshot = Path(args.screenshot).resolve() if args.screenshot else None
    try:
        if args.demo:
            from treasury_desktop.demo.session import open_demo

            with open_demo(lang=args.lang) as ctx:
                return _gui(ctx, screenshot=screenshot, demo=True)
        ctx = open_context(args.data_dir, lang=args.lang)
        try:
            return _gui(ctx, screenshot=screenshot, demo=False)
        finally:
            ctx.close()
    except ExpectedError as error:
        print(error.message.render(args.lang), file=sys.stderr)
        return 1
