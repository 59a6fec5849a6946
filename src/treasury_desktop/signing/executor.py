"""The token thread: one thread owns every PKCS#11 call (as Electrum's device executor does).

Drivers of cheap USB tokens are rarely thread-safe, and a blocked driver must never freeze the
window. Callers submit work and get a Future; a slot watcher polls on the same thread for tokens
being plugged in or pulled out.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from treasury_desktop.signing.token import TokenInfo

T = TypeVar("T")
P = ParamSpec("P")

_STOP = object()


@dataclass
class SlotWatch:
    """A running slot watcher; ``cancel()`` stops it. Callbacks run on the token thread."""

    poll: Callable[[], Sequence[TokenInfo]]
    on_change: Callable[[list[TokenInfo]], None]
    interval: float
    on_error: Callable[[BaseException], None] | None = None
    due: float = 0.0
    last: list[TokenInfo] | None = None
    cancelled: bool = False
    ident: int = field(default_factory=itertools.count().__next__)

    def cancel(self) -> None:
        """Stop polling (takes effect before the next poll)."""
        self.cancelled = True


class TokenExecutor:
    """One dedicated thread for all token work. Use as a context manager or call shutdown()."""

    def __init__(self, *, name: str = "token", clock: Callable[[], float] = time.monotonic) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._watches: list[SlotWatch] = []
        self._clock = clock
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def thread_id(self) -> int | None:
        """The token thread's ident."""
        return self._thread.ident

    def on_token_thread(self) -> bool:
        """Whether the caller is the token thread."""
        return threading.get_ident() == self._thread.ident

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` on the token thread; its result or exception comes back in the Future."""
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("token executor is shut down")
            self._queue.put((future, fn, args, kwargs))
        return future

    def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the token thread and wait (inline when already on it). Not for the GUI."""
        if self.on_token_thread():
            return fn(*args, **kwargs)
        return self.submit(fn, *args, **kwargs).result()

    def watch_slots(
        self,
        poll: Callable[[], Sequence[TokenInfo]],
        on_change: Callable[[list[TokenInfo]], None],
        *,
        interval: float = 1.0,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> SlotWatch:
        """Poll ``poll`` every ``interval`` s; call ``on_change`` first and on every change.

        A failing poll (driver gone) counts as no tokens, after telling ``on_error``.
        """
        watch = SlotWatch(poll, on_change, interval, on_error, due=self._clock())
        with self._lock:
            if self._closed:
                raise RuntimeError("token executor is shut down")
            self._queue.put(watch)
        return watch

    def shutdown(self, *, wait: bool = True) -> None:
        """Cancel queued work, stop watchers, end the thread. Idempotent."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._cancel_queued()
                self._queue.put(_STOP)
        if wait and not self.on_token_thread():
            self._thread.join()

    def __enter__(self) -> TokenExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- the token thread ------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._watches = [w for w in self._watches if not w.cancelled]
            timeout = None
            if self._watches:
                timeout = max(0.0, min(w.due for w in self._watches) - self._clock())
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is _STOP:
                self._drain()
                return
            if isinstance(item, SlotWatch):
                self._watches.append(item)
            elif item is not None:
                self._execute(*item)
            self._poll_due()

    @staticmethod
    def _execute(future: Future[Any], fn: Callable[..., Any], args: Any, kwargs: Any) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the Future
            future.set_exception(exc)
            del exc
        else:
            future.set_result(result)

    def _poll_due(self) -> None:
        now = self._clock()
        for watch in self._watches:
            if watch.cancelled or watch.due > now:
                continue
            watch.due = now + watch.interval
            try:
                current = list(watch.poll())
            except Exception as exc:  # noqa: BLE001 - the driver vanished: no tokens
                if watch.on_error is not None:
                    watch.on_error(exc)
                current = []
            if current != watch.last:
                watch.last = current
                try:
                    watch.on_change(current)
                except Exception as exc:  # noqa: BLE001 - a broken listener must not end the thread
                    if watch.on_error is not None:
                        watch.on_error(exc)

    def _drain(self) -> None:
        for watch in self._watches:
            watch.cancelled = True
        self._watches = []
        self._cancel_queued()

    def _cancel_queued(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, SlotWatch):
                item.cancelled = True
            elif isinstance(item, tuple):
                item[0].cancel()
