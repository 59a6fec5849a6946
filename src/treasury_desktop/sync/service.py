"""Status sync: read the changes feed from the stored cursor, page by page.

Runs at start, after sending and on demand (:meth:`StatusSync.request`), and in between at the
pace of :class:`SyncPace` (soon while answers are expected, slowly when idle), on one background
thread; :meth:`pull` does one full catch-up on the caller's thread (CLI, tests). Each page's news
is published as typed events (``domain/events.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from treasury_desktop.api.port import (
    TreasuryAuthRefused,
    TreasuryFailure,
    TreasuryPort,
    TreasuryUnavailable,
)
from treasury_desktop.clock import BackgroundLoop, Clock, SystemClock
from treasury_desktop.domain.events import Event, EventSink, StatusChanged, final_word
from treasury_desktop.domain.workflow import AWAITING_ANSWER
from treasury_desktop.i18n import Message
from treasury_desktop.store.db import transaction
from treasury_desktop.store.feed import read_cursor
from treasury_desktop.store.records import Actor, VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.feed import FinalNotice, apply_page_in
from treasury_desktop.sync.pace import SyncPace

log = logging.getLogger(__name__)
Notify = Callable[[tuple[FinalNotice, ...]], None]


@dataclass
class SyncSummary:
    """What one catch-up did."""

    pages: int = 0
    applied: int = 0
    moved: int = 0
    unknown: int = 0
    finals: list[FinalNotice] = field(default_factory=list)
    cursor: str | None = None
    error: Message | None = None


class StatusSync:
    """Keeps each voucher's status in step with the treasury's changes feed."""

    def __init__(
        self, connect: Callable[[], sqlite3.Connection], port: TreasuryPort, unit: str, *,
        actor: Actor | None = None, clock: Clock | None = None, page_size: int = 500,
        period: float = 300.0, pace: SyncPace | None = None,
    ) -> None:
        self._connect = connect
        self._port = port
        self._unit = unit
        self._actor = actor or Actor.current("system")
        self._clock = clock or SystemClock()
        self._page_size = page_size
        self._pace = pace or SyncPace(idle=period)
        self._quiet = 0  # rounds in a row that moved nothing
        self._notify: list[Notify] = []
        self._sinks: list[EventSink] = []
        self._synced: list[Callable[[SyncSummary], None]] = []
        self._chores: list[Callable[[sqlite3.Connection], None]] = []
        self._loop = BackgroundLoop("status-sync")
        self._wake, self._stop = self._loop.wake, self._loop.stop
        self._conn: sqlite3.Connection | None = None
        self.last: SyncSummary | None = None

    def add_chore(self, chore: Callable[[sqlite3.Connection], None]) -> None:
        """Also run ``chore`` (e.g. refresh balances) after each background catch-up, with the
        sync thread's connection; its failures are logged, never raised."""
        self._chores.append(chore)

    def on_final(self, notify: Notify) -> None:
        """Call ``notify`` with the vouchers that became paid, rejected or returned."""
        self._notify.append(notify)

    def on_synced(self, notify: Callable[[SyncSummary], None]) -> None:
        """Call ``notify`` with the summary of each catch-up that applied or moved something
        (on the thread that ran it): the window follows statuses without polling."""
        self._synced.append(notify)

    def on_event(self, sink: EventSink) -> Callable[[], None]:
        """Publish typed events to ``sink``: StatusChanged for each page's vouchers, then
        Paid / Rejected / Returned for each final word (on the thread that applied the page);
        returns the function that unsubscribes."""
        self._sinks.append(sink)
        return lambda: self._sinks.remove(sink)

    def pull(self) -> SyncSummary:
        """Read every page after the cursor, applying each in one transaction.

        Network and server failures end the catch-up with ``error`` set (the cursor keeps what
        was applied); nothing is raised for them.
        """
        conn = self._db()
        summary = SyncSummary(cursor=read_cursor(conn, self._unit))
        while not self._stop.is_set():
            try:
                page = self._port.changes(self._unit, summary.cursor, self._page_size)
            except TreasuryUnavailable as error:
                summary.error = Message("sync.unavailable", {"detail": error.described()})
                break
            except TreasuryAuthRefused as error:
                summary.error = Message("sync.auth", {"detail": error.described()})
                break
            except TreasuryFailure as error:
                summary.error = Message("sync.config", {"detail": error.described()})
                break
            with transaction(conn):
                applied = apply_page_in(conn, self._unit, page, self._actor, self._clock.now())
            summary.pages += 1
            summary.applied += applied.applied
            summary.moved += applied.moved
            summary.unknown += applied.unknown
            summary.finals.extend(applied.finals)
            advanced = page.next_cursor != summary.cursor
            summary.cursor = page.next_cursor
            if applied.finals:
                self._tell(applied.finals)
            self._publish_page(tuple(dict.fromkeys(c.voucher_id for c in page.changes)),
                               applied.finals)
            if not page.changes or not advanced or not page.has_more:
                break
        self.last = summary
        if summary.applied or summary.moved:
            for notify in list(self._synced):
                try:
                    notify(summary)
                except Exception:
                    log.exception("sync notification failed")
        return summary

    # -- background ----------------------------------------------------------------------------

    def request(self) -> None:
        """Sync now (after sending, on the user's demand, when the network comes back); the
        rounds after it start again at the quick pace while answers are expected."""
        self._quiet = 0
        self._wake.set()

    def start(self) -> None:
        """Sync now and then at the pace's waits, or when requested, until :meth:`close`."""
        self._loop.start(self._run)

    def close(self) -> None:
        """Stop the thread and close the connection."""
        self._loop.stop_and_join()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def round(self) -> float:
        """One background round: catch up, run the chores, and say how many seconds to wait
        before the next one (soon while answers are expected, longer as rounds stay quiet)."""
        self._wake.clear()
        awaiting = 0
        try:
            summary = self.pull()
            for chore in self._chores if summary.error is None else ():
                chore(self._db())
            self._quiet = 0 if summary.moved else self._quiet + 1
            awaiting = self.awaiting()
        except Exception:  # a bug must not end the sync thread silently
            log.exception("status sync failed")
            self._quiet += 1
        # The first round after news or a request waits ``expecting``; then it doubles.
        return self._pace.wait(awaiting, self._quiet - 1 if self._quiet else 0)

    def awaiting(self) -> int:
        """Vouchers delivered whose final word has not come yet."""
        repo = SqliteVoucherRepository(self._db())
        return sum(repo.count(VoucherQuery(status=state)) for state in AWAITING_ANSWER)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._clock.wait(self._wake, self.round())

    def _publish_page(self, voucher_ids: tuple[str, ...],
                      finals: tuple[FinalNotice, ...]) -> None:
        words = tuple(final_word(n.voucher_id, n.number, n.status, n.reason) for n in finals)
        events: list[Event] = [StatusChanged(voucher_ids, words)] if voucher_ids else []
        events += words
        for event in events:
            for sink in list(self._sinks):
                try:
                    sink(event)
                except Exception:
                    log.exception("sync event listener failed")

    def _tell(self, finals: tuple[FinalNotice, ...]) -> None:
        for notify in list(self._notify):
            try:
                notify(finals)
            except Exception:
                log.exception("final-status notification failed")

    def connection(self) -> sqlite3.Connection:
        """The sync's own connection, for work done on the thread that runs the sync."""
        return self._db()

    def _db(self) -> sqlite3.Connection:
        # One connection, used by whichever single thread runs the sync (pull or the loop).
        if self._conn is None:
            self._conn = self._connect()
        return self._conn
