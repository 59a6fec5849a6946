"""The changes feed applied to the desk: timeline, workflow moves, idempotence, notifications."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.port import BudgetBalance, ChangesPage, StatusChange
from treasury_desktop.clock import Backoff, FakeClock
from treasury_desktop.domain.catalog import load_catalog
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store import outbox as store
from treasury_desktop.store.db import connect, transaction
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.sync.feed import FinalNotice, apply_page_in
from treasury_desktop.sync.service import StatusSync, SyncSummary
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.queueing import QueueService
from treasury_desktop.usecases.sync_status import StatusService, notification

UNIT = "1171277"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(db_path)
    yield connection
    connection.close()


def sent(conn: sqlite3.Connection, db_path: Path, clock: FakeClock, treasury: FakeTreasury,
         count: int) -> list[str]:
    ids = seed_signed(conn, count)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(ids)
    sender = Sender(lambda: connect(db_path), treasury, actor=ACTOR, clock=clock,
                    rng=random.Random(1), backoff=Backoff(1, 5))
    try:
        sender.run(until_empty=True)
    finally:
        sender.close()
    return ids


def status(conn: sqlite3.Connection, voucher_id: str) -> VoucherState:
    stored = SqliteVoucherRepository(conn).get(voucher_id)
    assert stored is not None
    return stored.status


def test_feed_moves_vouchers_and_builds_timelines(conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    ids = sent(conn, db_path, clock, treasury, 3)
    for voucher_id in ids:
        treasury.advance(UNIT, voucher_id, "checking", "Chờ giao diện TABMIS")
    treasury.advance(UNIT, ids[0], "paid")
    treasury.advance(UNIT, ids[1], "rejected", reason="Vượt dự toán còn lại.")
    treasury.advance(UNIT, ids[2], "returned", reason="Thiếu hợp đồng.")
    treasury.advance(UNIT, "someone-elses-voucher", "paid")
    told: list[tuple[FinalNotice, ...]] = []
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock,
                      page_size=4)
    sync.on_final(told.append)
    try:
        summary = sync.pull()
        assert summary.error is None and summary.pages >= 3
        assert [status(conn, i) for i in ids] == [
            VoucherState.PAID, VoucherState.REJECTED, VoucherState.RETURNED]
        stored = SqliteVoucherRepository(conn).get(ids[1])
        assert stored is not None and stored.status_reason == "Vượt dự toán còn lại."
        events = StatusService(conn, _drafting(conn), BalanceBook(conn, clock.now)).timeline(ids[1])
        assert [e.status for e in events] == ["queued", "sent", "received", "checking", "rejected"]
        assert events[-1].reason == "Vượt dự toán còn lại."
        finals = [n for batch in told for n in batch]
        assert {n.status for n in finals} == {
            VoucherState.PAID, VoucherState.REJECTED, VoucherState.RETURNED}
        assert "Thiếu hợp đồng." in notification(finals[-1]).render("vi")
        again = sync.pull()  # nothing new
        assert again.applied == 0 and again.cursor == summary.cursor
    finally:
        sync.close()


def test_each_catch_up_that_moved_something_is_published(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    (voucher,) = sent(conn, db_path, clock, treasury, 1)
    published: list[SyncSummary] = []
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    sync.on_synced(published.append)
    try:
        treasury.advance(UNIT, voucher, "checking", "Chờ giao diện TABMIS")  # not final
        first = sync.pull()
        assert published == [first] and first.moved >= 1
        sync.pull()  # nothing new: nothing published
        assert published == [first]
    finally:
        sync.close()


def test_reapplying_a_page_changes_nothing(conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    (voucher_id,) = sent(conn, db_path, clock, treasury, 1)
    page = ChangesPage((StatusChange(voucher_id, "checking", "2026-11-20T09:00:00+00:00", "x"),
                        StatusChange(voucher_id, "paid", "2026-11-20T10:00:00+00:00", "y")), "9")
    with transaction(conn):
        first = apply_page_in(conn, UNIT, page, ACTOR, clock.now())
    audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with transaction(conn):
        second = apply_page_in(conn, UNIT, page, ACTOR, clock.now())
    assert (first.applied, first.moved, second.moved, second.applied) == (2, 1, 0, 0)
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit
    assert status(conn, voucher_id) is VoucherState.PAID


def test_feed_settles_an_item_the_sender_never_heard_back_about(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    (voucher_id,) = seed_signed(conn, 1)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue([voucher_id])
    with transaction(conn):
        (item,) = store.claim_due_in(conn, clock.now(), 1)
    treasury.deliver(item.unit, item.voucher_id, item.document, item.signature)  # answer lost
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    try:
        sync.pull()
    finally:
        sync.close()
    assert store.counts(conn)[ItemState.DELIVERED] == 1
    assert status(conn, voucher_id) is VoucherState.RECEIVED


def test_copy_refused_as_new_keeps_the_reason(conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    ids = sent(conn, db_path, clock, treasury, 2)
    treasury.advance(UNIT, ids[0], "returned", reason="Thiếu biên bản nghiệm thu.")
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    try:
        sync.pull()
    finally:
        sync.close()
    service = StatusService(conn, _drafting(conn), BalanceBook(conn, clock.now))
    copied = service.copy_refused_as_new(ids[0])
    assert copied.reason == "Thiếu biên bản nghiệm thu."
    assert copied.draft.id != ids[0] and status(conn, copied.draft.id) is VoucherState.DRAFT
    with pytest.raises(ExpectedError):
        service.copy_refused_as_new(ids[1])


def test_balances_cached_with_etag_and_over_estimate_warns_with_age(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    clock = FakeClock()
    treasury = FakeTreasury(balances_items=(
        BudgetBalance("422", "072", "13", 10_000_000, 3_000_000),))
    book = BalanceBook(conn, clock.now)
    first = book.refresh(treasury, UNIT, 2026)
    assert first.remaining() == {("422", "072", "13"): 3_000_000}
    clock.advance(3 * 3600)
    again = book.refresh(treasury, UNIT, 2026)  # 304: the cache is kept, its time renewed
    assert again.items == first.items and again.etag == first.etag
    ids = seed_signed(conn, 2)
    # 1,234,000 on its way
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(ids[:1])
    voucher = SqliteVoucherRepository(conn).get(ids[1])
    assert voucher is not None
    assert book.over_estimate(voucher.voucher) == []
    big = voucher.voucher.with_changes(lines=(
        voucher.voucher.lines[0].__class__(**{**vars(voucher.voucher.lines[0]),
                                              "amount": 2_000_000}),))
    clock.advance(2 * 3600)
    (warning,) = book.over_estimate(big)
    assert warning.remaining == 3_000_000 and warning.on_the_way == 1_234_000
    text = warning.render("vi")
    assert "1.766.000" in text and "2 giờ trước" in text


def _drafting(conn: sqlite3.Connection) -> DraftingService:
    return DraftingService(SqliteVoucherRepository(conn), ProfileStore(conn), load_catalog,
                           ACTOR, lambda: date(2026, 11, 21) + timedelta(0))
