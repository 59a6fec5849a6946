"""The window's one event bus: the core's typed events, delivered on the GUI thread.

The outbox's sender and the status sync publish on their own threads (``domain/events.py``,
and ``OutboxChange`` after every committed outbox change). :class:`EventBus` is a QObject that
lives on the GUI thread; :meth:`EventBus.publish` may be called from any thread and re-emits
the event as a queued signal, so every handler runs on the GUI thread, in the order published.
Window parts subscribe by type; nothing in the window polls for news.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

E = TypeVar("E")


class EventBus(QObject):
    """Subscribe handlers by event type; publish from any thread."""

    arrived = Signal(object)  # any event, queued to the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handlers: list[tuple[tuple[type[Any], ...], Callable[[Any], None]]] = []
        self._closed = False
        # Queued even from the GUI thread: a handler never runs inside the publisher's call.
        self.arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def publish(self, event: object) -> None:
        """Hand ``event`` to the GUI thread (from any thread; ignored once closed)."""
        if not self._closed:
            self.arrived.emit(event)

    def subscribe(self, kind: type[E] | tuple[type[Any], ...],
                  handler: Callable[[E], None]) -> Callable[[], None]:
        """Call ``handler(event)`` on the GUI thread for every event of ``kind`` (a class, its
        subclasses, or a tuple of classes); returns the function that unsubscribes."""
        entry = (kind if isinstance(kind, tuple) else (kind,), handler)
        self._handlers.append(entry)

        def unsubscribe() -> None:
            if entry in self._handlers:
                self._handlers.remove(entry)

        return unsubscribe

    def close(self) -> None:
        """Deliver nothing more (events still queued are dropped)."""
        self._closed = True
        self._handlers.clear()

    def _dispatch(self, event: object) -> None:
        if self._closed:
            return
        for kinds, handler in list(self._handlers):
            if isinstance(event, kinds):
                handler(event)
