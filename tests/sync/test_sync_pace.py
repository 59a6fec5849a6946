"""The status sync's pace: soon while answers are expected, slower as rounds stay quiet, slow
when nothing is awaited; and the typed events the sender and the sync publish."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.port import ServerReason, TreasuryUnavailable
from treasury_desktop.clock import Backoff, FakeClock
from treasury_desktop.domain.events import (
    Delivered,
    Event,
    Paid,
    Paused,
    Refused,
    Rejected,
    Resumed,
    StatusChanged,
)
from treasury_desktop.i18n import Message
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store.db import connect
from treasury_desktop.sync.pace import SyncPace
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.usecases.queueing import QueueService

UNIT = "1171277"
PACE = SyncPace(expecting=15.0, expecting_cap=120.0, idle=300.0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(db_path)
    yield connection
    connection.close()


class FlakyTreasury(FakeTreasury):
    """The fake treasury, whose changes feed can be cut."""

    down = False

    def changes(self, unit: str, cursor: str | None, limit: int):  # type: ignore[no-untyped-def]
        if self.down:
            raise TreasuryUnavailable("no route to host")
        return super().changes(unit, cursor, limit)


def deliver(db_path: Path, conn: sqlite3.Connection, treasury: FakeTreasury, clock: FakeClock,
            count: int, events: list[Event] | None = None,
            ids: list[str] | None = None) -> list[str]:
    ids = ids or seed_signed(conn, count)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(ids)
    sender = Sender(lambda: connect(db_path), treasury, actor=ACTOR, clock=clock,
                    rng=random.Random(1), backoff=Backoff(1, 5))
    if events is not None:
        sender.on_event(events.append)
    try:
        sender.run(until_empty=True)
    finally:
        sender.close()
    return ids


def test_the_pace_is_quick_while_answers_are_expected_and_slow_when_idle() -> None:
    assert PACE.wait(awaiting=0, quiet_rounds=0) == 300.0
    assert [PACE.wait(awaiting=2, quiet_rounds=n) for n in range(6)] == [
        15.0, 30.0, 60.0, 120.0, 120.0, 120.0]
    assert PACE.wait(awaiting=1, quiet_rounds=10_000) == 120.0  # no overflow, capped
    assert SyncPace(expecting=15, expecting_cap=600, idle=60).wait(3, 5) == 60  # never slower


def test_rounds_wait_soon_after_delivery_longer_while_quiet_and_long_once_answered(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    clock, treasury = FakeClock(), FlakyTreasury()
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock,
                      pace=PACE)
    try:
        assert sync.round() == 300.0  # nothing sent: idle
        paid, rejected = deliver(db_path, conn, treasury, clock, 2)
        sync.request()  # what the sender does after a delivery
        assert sync.awaiting() == 2
        waits = [sync.round() for _ in range(5)]
        assert waits == [15.0, 15.0, 30.0, 60.0, 120.0]  # answers expected, none coming

        treasury.advance(UNIT, paid, "checking", "Chuyên viên đang kiểm soát")
        assert sync.round() == 15.0  # news: quick again
        treasury.down = True
        assert [sync.round() for _ in range(2)] == [15.0, 30.0]  # offline: no faster
        treasury.down = False
        treasury.advance(UNIT, paid, "paid")
        assert sync.round() == 15.0  # one is still awaited
        treasury.advance(UNIT, rejected, "rejected", reason="Sai mã nguồn.")
        assert sync.round() == 300.0  # every answer in: idle
        assert sync.awaiting() == 0
        assert clock.waited == []  # rounds never sleep; the loop waits what they say
    finally:
        sync.close()


def test_the_loop_waits_what_the_pace_says(conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    deliver(db_path, conn, treasury, clock, 1)

    done = threading.Event()

    class FourWaits(FakeClock):
        """Waits take no time; the fourth waits until the sync is closed."""

        def wait(self, wake: threading.Event, seconds: float) -> bool:
            self.waited.append(seconds)
            if len(self.waited) < 4:
                return False
            done.set()
            return wake.wait(10)

    clock_of_loop = FourWaits()
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR,
                      clock=clock_of_loop, pace=PACE)
    sync.start()
    assert done.wait(10)
    sync.close()
    assert clock_of_loop.waited == [15.0, 15.0, 30.0, 60.0]


def test_sender_and_sync_publish_typed_events(conn: sqlite3.Connection, db_path: Path) -> None:
    events: list[Event] = []
    *ids, bad = seed_signed(conn, 3)
    reason = ServerReason("budget", "lines[0].source", "Nguồn 13 không còn dự toán.")
    clock, treasury = FakeClock(), FakeTreasury(refuse={bad: (reason,)})
    deliver(db_path, conn, treasury, clock, 3, events, ids=[*ids, bad])
    delivered = [i for e in events if isinstance(e, Delivered) for i in e.voucher_ids]
    assert sorted(delivered) == sorted(ids)
    assert [e for e in events if isinstance(e, Refused)] == [Refused((bad,))]

    sender = Sender(lambda: connect(db_path), treasury, actor=ACTOR, clock=clock)
    sender.on_event(events.append)
    try:
        events.clear()
        sender.pause(Message("outbox.paused_by_user"))
        sender.resume()
        sender.send_now()  # not paused: no second Resumed
        assert events == [Paused(Message("outbox.paused_by_user")), Resumed()]
    finally:
        sender.close()

    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    sync.on_event(events.append)
    try:
        events.clear()
        treasury.advance(UNIT, ids[0], "paid")
        treasury.advance(UNIT, ids[1], "rejected", reason="Sai mã nguồn.")
        sync.pull()
        moved = {i for e in events if isinstance(e, StatusChanged) for i in e.voucher_ids}
        assert set(ids) <= moved
        finals = [e for e in events if isinstance(e, Paid | Rejected)]
        assert {type(e) for e in finals} == {Paid, Rejected}
        told = [w for e in events if isinstance(e, StatusChanged) for w in e.finals]
        assert sorted(told, key=str) == sorted(finals, key=str)  # one page: told together
        rejected = next(e for e in finals if isinstance(e, Rejected))
        assert rejected.voucher_id == ids[1] and rejected.reason == "Sai mã nguồn."
        events.clear()
        sync.pull()  # nothing new: no news
        assert events == []
    finally:
        sync.close()
