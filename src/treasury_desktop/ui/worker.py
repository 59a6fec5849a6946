"""The one background lane for database work: a single thread, results back by signal.

The GUI thread submits a job (a function of the worker's own resources) and a callback; the job
runs on the worker thread with its own SQLite connection, and the callback runs later on the
GUI thread. The GUI thread never waits for a job.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a job produced: a value, or the exception it raised."""

    value: T | None = None
    error: BaseException | None = None


class _Bridge(QObject):
    """Lives on the GUI thread; its signal is emitted from the worker thread (queued)."""

    finished = Signal(int, object)


class BackgroundWorker(Generic[R]):
    """A single worker thread owning resources ``R`` made by ``make_resources`` on that thread."""

    def __init__(
        self,
        make_resources: Callable[[], R],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._make = make_resources
        self._resources: R | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="treasury-worker")
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._callbacks: dict[int, Callable[[Outcome[Any]], None]] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._pending = 0
        self._lock = threading.Lock()
        self._thread: int | None = None  # the worker thread's ident, once it ran a job
        self.on_error = on_error

    def submit(
        self, job: Callable[[R], T], callback: Callable[[Outcome[T]], None] | None = None
    ) -> int:
        """Run ``job(resources)`` on the worker; ``callback(outcome)`` later on the GUI thread."""
        if self._closed:
            return 0
        ticket = next(self._ids)
        if callback is not None:
            self._callbacks[ticket] = callback
        with self._lock:
            self._pending += 1
        self._executor.submit(self._run, ticket, job)
        return ticket

    def resources(self) -> R:
        """The worker's own resources, for code that runs in a job on the worker thread (made
        there at the first use); any other thread is refused: they are not shared."""
        if threading.get_ident() != self._thread:
            raise RuntimeError("the worker's resources are used on the worker thread only")
        if self._resources is None:
            self._resources = self._make()
        return self._resources

    def idle(self) -> bool:
        """No job queued or running, and every result delivered (tests wait on this)."""
        with self._lock:
            return self._pending == 0

    def close(self) -> None:
        """Finish the queued jobs, then drop every callback that has not run."""
        self._closed = True
        self._executor.shutdown(wait=True)
        self._callbacks.clear()
        self._bridge.finished.disconnect(self._deliver)

    def _run(self, ticket: int, job: Callable[[R], Any]) -> None:
        self._thread = threading.get_ident()  # one thread: the executor has one worker
        try:
            outcome: Outcome[Any] = Outcome(value=job(self.resources()))
        except BaseException as exc:  # delivered to the GUI thread, which decides
            outcome = Outcome(error=exc)
        if self._closed:
            with self._lock:
                self._pending -= 1
            return
        self._bridge.finished.emit(ticket, outcome)

    def _deliver(self, ticket: int, outcome: Outcome[Any]) -> None:
        with self._lock:
            self._pending -= 1
        callback = self._callbacks.pop(ticket, None)
        if callback is not None:
            callback(outcome)
        elif outcome.error is not None and self.on_error is not None:
            self.on_error(outcome.error)


def ignore_errors(_outcome: Outcome[Any]) -> None:
    """A callback for jobs whose result nobody needs."""


