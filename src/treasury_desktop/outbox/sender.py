"""The background sender: drains the outbox over one pooled client, a few requests in flight.

One coordinator thread owns the SQLite writes of the run: it marks a window of due items
``in_flight`` (commit), hands them to a small pool of workers that share the client, and records
each answer (commit). Hence "committed before and after each attempt", with few fsyncs.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from treasury_desktop.api.port import (
    BatchPort,
    DeliveryAnswer,
    TreasuryPort,
    TreasuryUnavailable,
)
from treasury_desktop.clock import BackgroundLoop, Backoff, Clock, SystemClock
from treasury_desktop.domain.events import Delivered, Event, EventSink, Paused, Refused, Resumed
from treasury_desktop.i18n import Message
from treasury_desktop.outbox.model import (
    AttemptResult,
    Connectivity,
    ItemState,
    OutboxChange,
    OutboxItem,
    OutboxStatus,
    RunSummary,
)
from treasury_desktop.outbox.recording import batches, record_answer
from treasury_desktop.store import outbox as store
from treasury_desktop.store.db import transaction
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository

log = logging.getLogger(__name__)
Observer = Callable[[OutboxChange], None]
_Answer = DeliveryAnswer | BaseException
_Pending = dict[Future[list[_Answer]], tuple[store.Claimed, ...]]


class Sender:
    """The outbox's engine and its controls (Send now, Pause, Resume) for the window.

    ``connect`` opens a new SQLite connection; each thread that touches the store gets its own.
    Observers are called after each commit, on the thread that made it (the sender's, or the
    caller's for the controls): the Qt layer turns the call into a queued signal.
    """

    def __init__(
        self, connect: Callable[[], sqlite3.Connection], port: TreasuryPort, *,
        actor: Actor | None = None, clock: Clock | None = None, rng: random.Random | None = None,
        backoff: Backoff | None = None, concurrency: int = 6, idle_poll: float = 300.0,
        after_delivery: Callable[[], None] | None = None,
    ) -> None:
        self._connect = connect
        self._port = port
        self._actor = actor or Actor.current("system")
        self._clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._backoff = backoff or Backoff()
        self._concurrency = max(1, concurrency)
        self._idle_poll = idle_poll
        self._after_delivery = after_delivery
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._observers: list[Observer] = []
        self._sinks: list[EventSink] = []
        self._loop = BackgroundLoop("outbox")
        self._wake, self._stop = self._loop.wake, self._loop.stop
        self._in_flight = 0
        self._offline = False
        self._contacted = False  # "connected" only after the treasury answered this sender
        self._recovered = False

    # -- controls (any thread) ---------------------------------------------------------------

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` after every change; returns the function that unsubscribes."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer)

    def on_event(self, sink: EventSink) -> Callable[[], None]:
        """Publish typed events to ``sink`` (Delivered, Refused, Paused, Resumed), on the
        thread that made the change; returns the function that unsubscribes."""
        self._sinks.append(sink)
        return lambda: self._sinks.remove(sink)

    def lend(self, conn: sqlite3.Connection) -> None:
        """Use ``conn`` for the calls made on this thread (controls, snapshots) instead of a
        connection of the sender's own; the caller owns it and closes it (the window's worker
        lane, which holds one connection)."""
        self._local.conn = conn

    def send_now(self) -> None:
        """Send now: every waiting item is due at once, and a pause is lifted."""
        conn = self._db()
        with transaction(conn):
            was_paused = store.pause_reason(conn) is not None
            store.set_pause_in(conn, None, self._clock.now())
            store.wake_all_in(conn, self._clock.now())
        self._changed(())
        if was_paused:
            self._publish(Resumed())

    def network_changed(self, online: bool) -> None:
        """The operating system says the network came back (or went away)."""
        if online:
            self._offline = False
            conn = self._db()
            with transaction(conn):
                store.wake_all_in(conn, self._clock.now())
            self._changed(())

    def pause(self, reason: Message | None = None) -> None:
        """Stop sending until :meth:`resume` (persisted: a restart stays paused)."""
        conn = self._db()
        reason = reason or Message("outbox.paused_by_user")
        with transaction(conn):
            store.set_pause_in(conn, reason, self._clock.now())
        self._changed(())
        self._publish(Paused(reason))

    def resume(self) -> None:
        """Lift a pause; waiting items keep their schedule (use :meth:`send_now` to hurry)."""
        conn = self._db()
        with transaction(conn):
            store.set_pause_in(conn, None, self._clock.now())
        self._changed(())
        self._publish(Resumed())

    def snapshot(self, states: frozenset[ItemState] | None = None) -> list[OutboxItem]:
        """The outbox view's rows (every item by default, delivered ones included)."""
        return store.items(self._db(), states)

    def status(self) -> OutboxStatus:
        """The status-bar indicator."""
        conn = self._db()
        found = store.counts(conn)
        paused = store.pause_reason(conn)
        if paused is not None:
            connectivity = Connectivity.PAUSED
        elif self._in_flight:
            connectivity = Connectivity.SENDING
        elif self._offline:
            connectivity = Connectivity.OFFLINE
        else:
            connectivity = Connectivity.ONLINE
        return OutboxStatus(connectivity, found[ItemState.PENDING], found[ItemState.IN_FLIGHT],
                            found[ItemState.REFUSED], paused, store.next_due(conn),
                            contacted=self._contacted)

    # -- the background thread (the window) --------------------------------------------------

    def start(self) -> None:
        """Run in a background thread until :meth:`close`."""
        self._loop.start(self._run_forever)

    def close(self) -> None:
        """Stop the thread (after the requests in flight end) and close the connections."""
        self._loop.stop_and_join()
        with self._conns_lock:
            while self._conns:
                self._conns.pop().close()
            self._local = threading.local()

    def _run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.run()
            except Exception:  # e.g. the database stayed locked: log, wait, go on
                log.exception("the outbox sender failed; starting again")
                self._recovered = False  # answers of that run were lost: maybe committed
                self._clock.wait(self._stop, 5.0)

    # -- the engine ----------------------------------------------------------------------------

    def run(self, *, until_empty: bool = False, stop_at: datetime | None = None) -> RunSummary:
        """Deliver until stopped, or until nothing is left to send (``until_empty``) or the
        outbox is paused then, or until ``stop_at`` (what is left stays queued)."""
        summary = RunSummary()
        conn = self._db()
        if not self._recovered:
            with transaction(conn):
                store.recover_in(conn, self._clock.now())
            self._recovered = True
        pending: _Pending = {}
        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="outbox-send") as pool:
            while True:
                self._wake.clear()
                self._record([f for f in pending if f.done()], pending, summary)
                paused = store.pause_reason(conn)
                late = stop_at is not None and self._clock.now() >= stop_at
                if self._stop.is_set() or late or (until_empty and paused is not None):
                    if not pending:
                        summary.paused_reason = paused
                        summary.timed_out = late
                        return summary
                elif paused is None:
                    self._claim(conn, pool, pending)
                full = len(pending) >= self._concurrency
                timeout = (self._idle_poll if paused is not None or full
                           else self._seconds_to_next(conn, self._idle_poll))
                if stop_at is not None and not late:  # when late, only the requests are awaited
                    timeout = min(timeout, max(0.0, (stop_at - self._clock.now()).total_seconds()))
                if pending:  # a finished request sets the wake-up event
                    self._wake.wait(timeout)
                    continue
                if until_empty and not store.counts(conn)[ItemState.PENDING]:
                    return summary
                self._clock.wait(self._wake, timeout)

    def _claim(self, conn: sqlite3.Connection, pool: ThreadPoolExecutor,
               pending: _Pending) -> None:
        free = self._concurrency - len(pending)
        if free <= 0:
            return
        per_request = self._per_request(conn)
        busy = frozenset(c.voucher_id for items in pending.values() for c in items)
        now = self._clock.now()
        with transaction(conn):
            store.wake_stranded_in(conn, now, now + timedelta(seconds=self._backoff.horizon))
            claimed = store.claim_due_in(conn, now, free * per_request, busy)
        for batch in batches(claimed, per_request):
            future = pool.submit(self._attempt, batch)
            future.add_done_callback(lambda _f: self._wake.set())
            pending[future] = batch
        self._in_flight = sum(len(items) for items in pending.values())
        if claimed:
            self._changed(tuple(c.voucher_id for c in claimed))

    def _per_request(self, conn: sqlite3.Connection) -> int:
        """Documents per request: a batch only where the server offers one."""
        if not isinstance(self._port, BatchPort):
            return 1
        unit = store.next_unit(conn)
        return max(1, self._port.batch_limit(unit)) if unit else 1

    def _attempt(self, items: tuple[store.Claimed, ...]) -> list[_Answer]:
        try:
            if len(items) == 1 or not isinstance(self._port, BatchPort):
                (item,) = items
                return [self._port.deliver(item.unit, item.voucher_id, item.document,
                                          item.signature)]
            answers = self._port.deliver_batch(
                items[0].unit, [(c.voucher_id, c.document, c.signature) for c in items])
            if len(answers) != len(items):
                raise TreasuryUnavailable("batch answered the wrong number of items")
            return list(answers)
        except BaseException as error:  # noqa: BLE001 - every failure is recorded on the items
            return [error] * len(items)

    def _record(self, done: list[Future[list[_Answer]]], pending: _Pending,
                summary: RunSummary) -> None:
        if not done:
            return
        conn = self._db()
        repo = SqliteVoucherRepository(conn)
        now = self._clock.now()
        results: list[AttemptResult] = []
        was_offline = self._offline
        with transaction(conn):
            for future in done:
                items = pending.pop(future)
                for item, answer in zip(items, future.result(), strict=True):
                    results.append(self._record_one(conn, repo, item, answer, now))
            if was_offline and not self._offline:
                store.wake_all_in(conn, now)  # the network is back: no need to wait out backoff
        self._in_flight = sum(len(items) for items in pending.values())
        summary.results.extend(results)
        self._changed(tuple(r.voucher_id for r in results))
        for kind, state in ((Delivered, ItemState.DELIVERED), (Refused, ItemState.REFUSED)):
            ids = tuple(r.voucher_id for r in results if r.state is state)
            if ids:
                self._publish(kind(ids))
        if self._after_delivery and any(r.state is ItemState.DELIVERED for r in results):
            self._after_delivery()

    def _record_one(self, conn: sqlite3.Connection, repo: SqliteVoucherRepository,
                    item: store.Claimed, answer: _Answer, now: datetime) -> AttemptResult:
        result, offline = record_answer(conn, repo, self._actor, item, answer, now,
                                        lambda retry_after: self._backoff.delay(
                                            item.attempts, self._rng, retry_after))
        if offline is not None:
            self._offline = offline
        if isinstance(answer, DeliveryAnswer):
            self._contacted = True
        return result

    def _seconds_to_next(self, conn: sqlite3.Connection, ceiling: float) -> float:
        due = store.next_due(conn)
        if due is None:
            return ceiling
        return min(ceiling, max(0.0, (due - self._clock.now()).total_seconds()))

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    def _changed(self, voucher_ids: tuple[str, ...]) -> None:
        if not voucher_ids:  # a control changed something: the loop looks again
            self._wake.set()
        if not self._observers:
            return
        change = OutboxChange(voucher_ids, self.status())
        for observer in list(self._observers):
            try:
                observer(change)
            except Exception:  # an observer's bug must not stop delivery
                log.exception("outbox observer failed")

    def _publish(self, event: Event) -> None:
        for sink in list(self._sinks):
            try:
                sink(event)
            except Exception:  # a listener's bug must not stop delivery
                log.exception("outbox event listener failed")
