"""Queueing: only vouchers signed by both signers; the exact bytes captured once."""

from __future__ import annotations

import sqlite3

import pytest
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.clock import FakeClock
from treasury_desktop.domain.canonical import content_hash
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.store import outbox as store
from treasury_desktop.store.timeline import timeline
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.queueing import QueueOutcome, QueueService


def test_queue_many_captures_bytes_and_moves_to_queued(
    conn: sqlite3.Connection, clock: FakeClock
) -> None:
    ids = seed_signed(conn, 3)
    woken: list[bool] = []
    service = QueueService(conn, ACTOR, clock.now, on_queued=lambda: woken.append(True),
                            verify=trust_test_signatures)
    results = service.queue(ids)
    assert [r.outcome for r in results] == [QueueOutcome.QUEUED] * 3
    assert woken == [True]
    repo = SqliteVoucherRepository(conn)
    for voucher_id in ids:
        stored = repo.get(voucher_id)
        assert stored is not None and stored.status is VoucherState.QUEUED
        row = conn.execute(
            "SELECT document, signature, content_hash FROM outbox WHERE voucher_id = ?",
            (voucher_id,),
        ).fetchone()
        assert content_hash(bytes(row[0])) == row[2] == stored.content_hash
        assert bytes(row[1]).startswith(b"CMS:")
        assert [e.status for e in timeline(conn, voucher_id)] == ["queued"]
    assert [i.state for i in store.items(conn)] == [ItemState.PENDING] * 3


def test_queue_refuses_what_cannot_go(conn: sqlite3.Connection, clock: FakeClock) -> None:
    signed = seed_signed(conn, 1)
    half = seed_signed(conn, 1, status=VoucherState.SIGNED_CHIEF, start=10)
    stale = seed_signed(conn, 1, start=20)
    conn.execute("UPDATE signatures SET content_hash = 'other' WHERE voucher_id = ?", (stale[0],))
    service = QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures)
    service.queue(signed)
    results = service.queue([*signed, *half, *stale, "no-such-id"])
    assert [r.outcome for r in results] == [
        QueueOutcome.ALREADY_QUEUED, QueueOutcome.NOT_SIGNED, QueueOutcome.SIGNATURE_STALE,
        QueueOutcome.NOT_FOUND,
    ]
    for result in results:
        assert result.message.render("vi") and result.message.render("en")
    assert store.counts(conn)[ItemState.PENDING] == 1


def test_queued_voucher_cannot_be_edited_or_deleted(
    conn: sqlite3.Connection, clock: FakeClock
) -> None:
    (voucher_id,) = seed_signed(conn, 1)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue([voucher_id])
    repo = SqliteVoucherRepository(conn)
    stored = repo.get(voucher_id)
    assert stored is not None
    changed = stored.voucher.with_changes(number="999")
    with pytest.raises(ExpectedError):
        repo.save(changed, problems=0, actor=ACTOR, drop_signatures=True)
    with pytest.raises(ExpectedError):
        repo.delete_draft(voucher_id, actor=ACTOR)


def test_the_desk_verifies_signatures_before_queuing(
    conn: sqlite3.Connection, clock: FakeClock
) -> None:
    """Without the test shortcut, a CMS that does not verify (here a placeholder) never
    reaches the outbox, and the accountant is told why."""
    (voucher_id,) = seed_signed(conn, 1)
    [result] = QueueService(conn, ACTOR, clock.now).queue([voucher_id])
    assert result.outcome is QueueOutcome.SIGNATURE_INVALID
    assert result.message.key == "submit.signature_invalid"
    assert result.message.render("vi")
    assert store.counts(conn).get(ItemState.PENDING, 0) == 0
    stored = SqliteVoucherRepository(conn).get(voucher_id)
    assert stored is not None and stored.status is VoucherState.SIGNED_HOLDER


def test_a_voucher_of_another_unit_is_not_queued(
    conn: sqlite3.Connection, clock: FakeClock
) -> None:
    """Its unit code would be refused at the treasury's door; it must not block the outbox."""
    from treasury_desktop.domain.voucher import Unit
    from treasury_desktop.store.profile import ProfileStore

    ProfileStore(conn).set_unit(Unit("7654321", "Trạm Y tế xã", "9523.2.7654321", "0011"))
    (voucher_id,) = seed_signed(conn, 1)
    [result] = QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(
        [voucher_id])
    assert result.outcome is QueueOutcome.OTHER_UNIT
    assert "7654321" in result.message.render("vi")
    assert store.counts(conn).get(ItemState.PENDING, 0) == 0
