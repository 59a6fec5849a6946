"""Quiet and busy figures: the same measurement with and without another process burning a CPU.

These machines are shared, and so are the accountants' PCs: a figure that holds only on a quiet
machine is not a figure. ``busy()`` starts a separate Python process that spins on one core
until the block ends (a process, not a thread: it does not share this one's GIL, as another
program would not); ``quiet_and_busy(measure)`` runs ``measure`` both ways and returns both.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_SPIN = "import time\nwhile True:\n    sum(i * i for i in range(10_000))\n    time.sleep(0)\n"


@contextmanager
def busy() -> Iterator[None]:
    """Another process keeps one CPU busy until the block ends."""
    spinner = subprocess.Popen([sys.executable, "-c", _SPIN])
    try:
        time.sleep(0.3)  # let it start spinning before anything is timed
        yield
    finally:
        spinner.terminate()
        spinner.wait(timeout=10)


def quiet_and_busy(measure: Callable[[], T]) -> tuple[T, T]:
    """``measure()`` on the machine as it is, then beside a CPU-burning process."""
    quiet = measure()
    with busy():
        loaded = measure()
    return quiet, loaded
