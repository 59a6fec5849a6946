"""The outbox as the window sees it: the core's events on the window's bus, its controls as jobs.

The sender and the status sync publish typed events on their own threads; the bridge hands
them to the window's one :class:`EventBus` (``ui/events.py``), which delivers them on the GUI
thread. Every call that touches the database (Send now, Pause, snapshots, timelines, copy as
new, estimates) runs on the window's one background worker (:class:`Session`) over its one
connection, so the GUI thread never waits on SQLite or the network, and nothing polls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from treasury_desktop.domain.events import FinalWord, StatusChanged
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Message, text
from treasury_desktop.outbox.model import ACTIVE, ItemState, OutboxChange, OutboxItem, OutboxStatus
from treasury_desktop.store.standings import Standing, standings
from treasury_desktop.ui.session import Lane, Session

if TYPE_CHECKING:  # the use cases load on the worker, at their first job (cold start)
    from treasury_desktop.domain.voucher import Voucher
    from treasury_desktop.outbox.sender import Sender
    from treasury_desktop.store.timeline import TimelineEvent
    from treasury_desktop.sync.balances import EstimateWarning
    from treasury_desktop.sync.service import StatusSync
    from treasury_desktop.usecases.queueing import QueueResult
    from treasury_desktop.usecases.sync_status import CopiedDraft, StatusService

T = TypeVar("T")
REFRESH_MS = 250  # changes arrive after every commit; the view is re-read at most this often
SHOWN_BY_DEFAULT = ACTIVE | {ItemState.REFUSED}


def utc_now() -> datetime:
    """The wall clock (UTC), for the age of the balances."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutboxSnapshot:
    """The outbox view's rows and the status they were read with."""

    items: tuple[OutboxItem, ...]
    status: OutboxStatus
    # each voucher's own state and reason, read with the rows: the view shows what the list does
    standings: Mapping[str, Standing] = field(default_factory=dict)


@dataclass(frozen=True)
class RefusedCopy:
    """A new draft copied from a refused voucher, with what to show beside it."""

    copied: CopiedDraft
    source_number: str

    @property
    def voucher_id(self) -> str:
        """The new draft's id."""
        return self.copied.draft.id

    def note(self) -> str:
        """'Bản sao của chứng từ số 12 bị Kho bạc từ chối. Lý do: … Hãy sửa … rồi ký lại.'"""
        status = "returned" if self.copied.source_status is VoucherState.RETURNED else "rejected"
        reason = self.copied.reason.strip()
        if reason and reason[-1] not in ".!?":
            reason += "."
        return text(f"outbox_ui.copied.{status}",
                    number=self.source_number or self.copied.source_id[:8], reason=reason)


class OutboxBridge(QObject):
    """Publishes a :class:`Sender`'s (and optionally a :class:`StatusSync`'s) events on the
    session's bus, and runs the outbox's controls and reads on the worker.

    ``status_changed`` carries the indicator's :class:`OutboxStatus`; ``snapshot_ready`` a
    fresh :class:`OutboxSnapshot` (coalesced). The news itself (``OutboxChange``, Delivered,
    Refused, Paused, Resumed, StatusChanged, Paid, Rejected, Returned) is on ``session.events``.
    Call :meth:`close` before the sender is closed.
    """

    status_changed = Signal(object)  # OutboxStatus
    snapshot_ready = Signal(object)  # OutboxSnapshot
    detached_changed = Signal()  # ``detached`` was set or cleared
    reconnect_requested = Signal()  # Send now while detached: try to connect again

    def __init__(
        self, sender: Sender, session: Session, *, sync: StatusSync | None = None,
        now: Callable[[], datetime] = utc_now, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sender = sender
        self._session = session
        self._sync = sync
        self._now = now
        self.events = session.events
        self._closed = False
        self._reading = False
        self._read_again = False
        self._watchers = 0  # views on screen that list the rows
        self.shown_states: frozenset[ItemState] = SHOWN_BY_DEFAULT
        self.status: OutboxStatus | None = None
        # Why this window does not send (not connected, another sender holds the folder), as
        # (short words for the indicator, the full reason); None while it sends.
        self.detached: tuple[str, Message] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._listening: list[Callable[[], None]] = [
            self.events.subscribe(OutboxChange, self._on_changed),
            # the treasury moved vouchers: rows on screen show their new state, not a stale one
            self.events.subscribe((StatusChanged, FinalWord), lambda _news: self._refresh_soon())]
        self._sources: list[Callable[[], None]] = []
        self._listen(sender, sync)

    def attach(self, sender: Sender, sync: StatusSync | None = None) -> None:
        """Follow another sender (the real one, once the connection is open)."""
        self._listen(sender, sync)
        self.refresh()

    def _listen(self, sender: Sender, sync: StatusSync | None) -> None:
        """Publish ``sender``'s and ``sync``'s events on the bus (and no longer the old ones')."""
        for unsubscribe in self._sources:
            unsubscribe()
        self._sender, self._sync = sender, sync
        publish = self.events.publish  # from the core's threads; queued to the GUI thread
        self._sources = [sender.subscribe(publish), sender.on_event(publish)]
        if sync is not None:
            self._sources.append(sync.on_event(publish))

    def set_detached(self, detached: tuple[str, Message] | None) -> None:
        """Say why this window does not send (or that it sends again: None)."""
        self.detached = detached
        self.detached_changed.emit()

    # -- news (GUI thread, from the bus) -------------------------------------------------------

    def _on_changed(self, change: OutboxChange) -> None:
        self._set_status(change.status)  # the indicator needs no query: the change carries it
        self._refresh_soon()

    def _refresh_soon(self) -> None:
        if self._watchers and not self._timer.isActive():
            self._timer.start()

    def _set_status(self, status: OutboxStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # -- controls (GUI thread; the work runs on the worker) ----------------------------------

    def send_now(self) -> None:
        """Send now: every waiting voucher is due at once, and a pause is lifted (while
        detached: try to connect again)."""
        if self.detached is not None:
            self.reconnect_requested.emit()
            return
        self._control(self._sender.send_now)

    def pause(self, reason: Message | None = None) -> None:
        """Stop sending (persisted) with ``reason``, or "paused by the user"."""
        self._control(lambda: self._sender.pause(reason))

    def resume(self) -> None:
        """Lift a pause; waiting vouchers keep their schedule."""
        self._control(self._sender.resume)

    def toggle_pause(self) -> None:
        """Pause when sending, resume when paused (the Tạm dừng action)."""
        paused = self.status is not None and self.status.paused_reason is not None
        if paused:
            self.resume()
        else:
            self.pause()

    def network_changed(self, online: bool) -> None:
        """The operating system reports the network back (or gone)."""
        self._control(lambda: self._sender.network_changed(online))

    def sync_now(self) -> bool:
        """Ask the status sync to read the treasury's feed soon (non-blocking); False when
        there is no sync (not connected)."""
        if self._sync is None:
            return False
        self._sync.request()
        return True

    def _control(self, call: Callable[[], None]) -> None:
        sender = self._sender

        def job(lane: Lane) -> None:
            sender.lend(lane.conn)  # the lane's one connection, not one of the sender's own
            call()

        self._run(job, lambda _none: self._refresh_if_watched())

    def run(self, job: Callable[[Lane], T], on_value: Callable[[T], None]) -> None:
        """Any other outbox job on the worker (unless closed)."""
        self._run(job, on_value)

    def queue(self, voucher_ids: Sequence[str],
              on_value: Callable[[list[QueueResult]], None]) -> None:
        """Put fully signed vouchers into the outbox (worker), then hurry the sender unless
        the outbox is paused: a pause the accountant chose stays until they lift it."""
        sender, ids = self._sender, tuple(voucher_ids)

        def wake() -> None:
            if sender.status().paused_reason is None:
                sender.send_now()

        def job(lane: Lane) -> list[QueueResult]:
            from treasury_desktop.usecases.queueing import QueueService
            from treasury_desktop.usecases.timestamping import stamp_before_queue
            from treasury_desktop.usecases.trust import desk_anchors

            ctx = self._session.ctx
            sender.lend(lane.conn)
            # Signatures made offline get their timestamps now, before the CMS is captured.
            stamp_before_queue(lane.conn, ctx.data_dir, ids, ctx.actor)
            queueing = QueueService(lane.conn, ctx.actor, self._now, on_queued=wake,
                                    anchors=desk_anchors(ctx.data_dir))
            return queueing.queue(ids)

        self._run(job, on_value)

    def _refresh_if_watched(self) -> None:
        if self._watchers:
            self.refresh()

    def watch(self, on: bool) -> None:
        """A view that lists the rows came on screen (or went): only then are rows re-read
        after changes, so a long drain does not keep the worker busy for a hidden view."""
        self._watchers = max(0, self._watchers + (1 if on else -1))
        if on:
            self.refresh()

    # -- reads -------------------------------------------------------------------------------

    def set_shown_states(self, states: frozenset[ItemState]) -> None:
        """Which items the view lists (delivered ones only on demand)."""
        self.shown_states = states
        self.refresh()

    def refresh(self) -> None:
        """Read the rows and the status on the worker; ``snapshot_ready`` follows."""
        self._timer.stop()
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        states = self.shown_states
        sender = self._sender

        def job(lane: Lane) -> OutboxSnapshot:  # the sender read when asked
            sender.lend(lane.conn)
            items = tuple(sender.snapshot(states))
            found = standings(lane.conn, (i.voucher_id for i in items))
            return OutboxSnapshot(items, sender.status(), found)

        self._run(job, self._snapshot_read)

    def _snapshot_read(self, snapshot: OutboxSnapshot) -> None:
        self._reading = False
        self._set_status(snapshot.status)
        self.snapshot_ready.emit(snapshot)
        if self._read_again:
            self._read_again = False
            self._timer.start()

    def timeline(self, voucher_id: str, on_value: Callable[[list[TimelineEvent]], None]) -> None:
        """The voucher's timeline, read on the worker."""
        self._run(lambda lane: self._service(lane).timeline(voucher_id), on_value)

    def copy_refused(self, voucher_id: str, on_value: Callable[[RefusedCopy], None]) -> None:
        """A saved new draft from a rejected or returned voucher, with the treasury's reason."""

        def job(lane: Lane) -> RefusedCopy:
            copied = self._service(lane).copy_refused_as_new(voucher_id)
            return RefusedCopy(copied, lane.drafting.open(voucher_id).voucher.number)

        self._run(job, on_value)

    def over_estimate(
        self, voucher: Voucher, on_value: Callable[[list[EstimateWarning]], None]
    ) -> None:
        """Whether ``voucher`` exceeds the remaining estimate the desk knows (worker)."""
        self._run(lambda lane: self._service(lane).over_estimate(voucher), on_value)

    def _service(self, lane: Lane) -> StatusService:
        from treasury_desktop.sync.balances import BalanceBook
        from treasury_desktop.usecases.sync_status import StatusService

        return StatusService(lane.conn, lane.drafting, BalanceBook(lane.conn, self._now))

    def _run(self, job: Callable[[Lane], T], on_value: Callable[[T], None]) -> None:
        if not self._closed:
            self._session.run(job, lambda value: None if self._closed else on_value(value))

    def close(self) -> None:
        """Stop listening to the core (before the sender and the window go away)."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        for unsubscribe in [*self._sources, *self._listening]:
            unsubscribe()
        self._sources, self._listening = [], []
