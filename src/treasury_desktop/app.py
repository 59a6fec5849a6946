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
from treasury_desktop.i18n import ExpectedError, set_language


def _gui(ctx: AppContext, *, screenshot: Path | None, demo: bool) -> int:
    from treasury_desktop.logs import setup_logging
    from treasury_desktop.ui.launch import run_gui

    setup_logging(ctx.data_dir)
    return run_gui(ctx, screenshot=screenshot, demo=demo)


def _finish_restore(ctx: AppContext) -> None:
    """A restore chosen in the settings happens here, before any connection is opened."""
    import logging
    from datetime import datetime

    from treasury_desktop.usecases.backups import apply_pending_restore

    try:
        aside = apply_pending_restore(ctx.data_dir, ctx.database_path, datetime.now())
    except ExpectedError as error:  # the current data stays; the window still opens
        logging.getLogger(__name__).warning("restore not done: %s", error.message.render("en"))
        return
    if aside is not None:
        logging.getLogger(__name__).info("restored a backup; the old data is in %s", aside)


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
        _finish_restore(ctx)  # a restore chosen in the settings, before any connection opens
        try:
            ctx.connect()  # a damaged file or a broken audit log is refused before any window
        except ExpectedError as error:
            if screenshot is None:
                from treasury_desktop.ui.launch import tell_before_the_window

                tell_before_the_window(error.message.render(args.lang))
            raise
        return _gui(ctx, screenshot=screenshot, demo=False)
    finally:
        ctx.close()
