"""Tokens plugged in and pulled out, as a Qt signal on the GUI thread.

TokenExecutor.watch_slots polls on the token thread and calls back there; the callback reads
the certificates (still on the token thread) and emits a signal, which Qt queues to the GUI
thread where the receiving widgets live.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from treasury_desktop.signing.executor import SlotWatch
from treasury_desktop.signing.token import TokenInfo
from treasury_desktop.ui.signing.runtime import Survey, TokenRuntime, survey


class _Bridge(QObject):
    """Parentless, kept alive by the callbacks that emit on it, so a late emit is harmless."""

    changed = Signal(object)
    failed = Signal(object)


class TokenWatcher(QObject):
    """Emits ``changed(Survey)`` first and on every plug/unplug or PIN state change."""

    changed = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runtime: TokenRuntime,
        now: Callable[[], datetime],
        *,
        interval: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._now = now
        self._interval = interval
        self._watch: SlotWatch | None = None
        self._bridge = _Bridge()
        self._bridge.changed.connect(self._deliver_change)
        self._bridge.failed.connect(self.failed)

    def start(self) -> None:
        """Begin watching (idempotent)."""
        if self._watch is not None:
            return
        bridge, runtime, now = self._bridge, self._runtime, self._now

        def poll() -> Sequence[TokenInfo]:
            return runtime.token_infos()

        def on_change(_infos: list[TokenInfo]) -> None:
            bridge.changed.emit(survey(runtime, now()))

        self._watch = runtime.executor.watch_slots(
            poll, on_change, interval=self._interval, on_error=bridge.failed.emit
        )

    def stop(self) -> None:
        """Stop watching; a poll already running may still emit, and is ignored."""
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    @property
    def running(self) -> bool:
        """Whether the watcher is polling."""
        return self._watch is not None

    def _deliver_change(self, found: Survey) -> None:
        if self._watch is not None:
            self.changed.emit(found)
