"""The edge of every command: whatever happens below ends as one plain sentence, never a
traceback.

- An expected error (wrong PIN, offline, full disk …) is printed in the reader's language,
  exit 1. OS and SQLite failures that escaped a narrower handler are translated here.
- A closed pipe (``voucher list | head``) ends quietly.
- Anything else is a bug: its traceback goes to a crash report file (for support), and the
  terminal gets one sentence naming that file, exit 1.
- Printing never fails on a terminal or pipe that cannot encode Vietnamese.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.store.errors import storage_error


def safe_streams() -> None:
    """Let stdout and stderr print any text (an ASCII-only locale gets escapes, not a crash);
    a closed stdin reads as an empty one."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives with the process
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


@contextmanager
def private_files() -> Iterator[None]:
    """Everything this process creates is readable by its owner only (Linux: umask 077)."""
    if os.name != "posix":
        yield
        return
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def guarded(run: Callable[[], int], lang: Lang, where: Path | str | None = None) -> int:
    """``run()``, with every failure turned into a message and an exit code."""
    try:
        return run()
    except ExpectedError as error:
        _say(error.message.render(lang))
        return 1
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except (OSError, Exception) as error:  # noqa: BLE001 - the last line of defence
        plain = storage_error(error, where)
        if plain is not None:
            _say(plain.message.render(lang))
            return 1
        _say(text("cli.crashed", lang, report=_crash_report(error)))
        return 1


def _say(message: str) -> None:
    with suppress(OSError, ValueError):  # stderr closed too: the exit code is all that is left
        print(message, file=sys.stderr)


def _quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so Python's own flush at exit is quiet."""
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _crash_report(error: BaseException) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    body = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        handle, name = tempfile.mkstemp(prefix=f"treasury-desktop-crash-{stamp}-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(body)
    except OSError:
        return "-"
    return name
