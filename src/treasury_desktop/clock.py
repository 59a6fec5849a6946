"""Time for the outbox, injected: a clock that can also wait, and the backoff policy."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Now, and a wait that a wake-up event can cut short."""

    def now(self) -> datetime:
        """The current time (aware, UTC)."""
        ...

    def wait(self, wake: threading.Event, seconds: float) -> bool:
        """Wait up to ``seconds`` or until ``wake`` is set; True when woken."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """datetime.now in UTC."""
        return datetime.now(UTC)

    def wait(self, wake: threading.Event, seconds: float) -> bool:
        """Event.wait."""
        return wake.wait(max(0.0, seconds))


class FakeClock:
    """A clock for tests: waiting moves time forward at once instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        self._lock = threading.Lock()
        self.waited: list[float] = []

    def now(self) -> datetime:
        """The fake time."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def wait(self, wake: threading.Event, seconds: float) -> bool:
        """Jump ahead by ``seconds`` unless already woken."""
        if wake.is_set():
            return True
        self.waited.append(seconds)
        self.advance(max(seconds, 0.0))
        return False


class BackgroundLoop:
    """One named daemon thread that runs a loop until stopped. ``wake`` cuts its waits short;
    ``stop`` tells the loop to end (the sender and the status sync each own one)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.wake = threading.Event()
        self.stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, body: Callable[[], None]) -> None:
        """Run ``body`` in the thread, unless it already runs."""
        if self._thread is None:
            self.stop.clear()
            self._thread = threading.Thread(target=body, name=self.name, daemon=True)
            self._thread.start()

    def stop_and_join(self) -> None:
        """Ask the loop to end, wake it, and wait for it."""
        self.stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter and a cap (AWS "full jitter"), Retry-After honoured.

    The n-th retry waits ``uniform(0, min(cap, base * 2**(n-1)))``, and never less than the
    server's Retry-After.
    """

    base: float = 2.0
    cap: float = 300.0

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds before the next try after ``attempts`` failed tries."""
        # The exponent is bounded: a unit offline for days reaches thousands of attempts.
        ceiling = min(self.cap, self.base * (2 ** min(max(attempts - 1, 0), 30)))
        jittered = rng.uniform(0.0, ceiling)
        return jittered if retry_after is None else max(jittered, min(retry_after, LONGEST_WAIT))

    @property
    def horizon(self) -> float:
        """The furthest ahead a retry is ever scheduled: an item due later than this was
        scheduled while the clock was wrong (set ahead, then corrected) and is due now."""
        return max(self.cap, LONGEST_WAIT)


LONGEST_WAIT = 3600.0
"""The longest Retry-After believed (the client caps it at an hour, too)."""


def iso(moment: datetime) -> str:
    """The stored form of a time: ISO 8601 UTC with milliseconds (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(text: str | None) -> datetime | None:
    """The inverse of :func:`iso`."""
    return datetime.fromisoformat(text) if text else None
