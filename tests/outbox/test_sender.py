"""The sender against the in-memory treasury: delivery, faults, refusals, pauses, recovery."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import timedelta

from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.port import DeliveryOutcome, ServerReason
from treasury_desktop.clock import FakeClock
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.model import Connectivity, ItemState, OutboxChange
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store import outbox as store
from treasury_desktop.store.db import transaction
from treasury_desktop.store.timeline import timeline
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.queueing import QueueService

MakeSender = Callable[..., Sender]


def queue(conn: sqlite3.Connection, clock: FakeClock, count: int, start: int = 1) -> list[str]:
    ids = seed_signed(conn, count, start=start)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(ids)
    return ids


def status_of(conn: sqlite3.Connection, voucher_id: str) -> VoucherState:
    stored = SqliteVoucherRepository(conn).get(voucher_id)
    assert stored is not None
    return stored.status


def test_delivers_everything_once(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    ids = queue(conn, clock, 20)
    changes: list[OutboxChange] = []
    sender = make_sender()
    sender.subscribe(changes.append)
    summary = sender.run(until_empty=True)
    assert summary.count(ItemState.DELIVERED) == 20
    assert len(treasury.documents) == 20 and treasury.puts == 20
    assert all(status_of(conn, i) is VoucherState.SENT for i in ids)
    assert [e.status for e in timeline(conn, ids[0])] == ["queued", "sent"]
    assert sender.status().empty and changes and changes[-1].status.pending == 0


def test_faults_never_lose_or_duplicate(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    ids = queue(conn, clock, 60)
    flaky = FakeTreasury(rates={"reset_before": 0.2, "reset_after": 0.2, "busy": 0.2}, seed=3)
    summary = make_sender(flaky).run(until_empty=True)
    assert len(flaky.documents) == 60 and flaky.conflicts == 0
    assert flaky.puts > 60
    assert summary.count(ItemState.DELIVERED) == 60
    items = store.items(conn)
    assert all(i.state is ItemState.DELIVERED for i in items)
    assert any(i.maybe_committed and i.outcome is DeliveryOutcome.REPLAYED for i in items)
    assert {status_of(conn, i) for i in ids} == {VoucherState.SENT}
    assert clock.waited, "backoff waited on the injected clock"


def test_retry_after_is_honoured(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    queue(conn, clock, 1)
    busy = FakeTreasury(retry_after=120.0)
    busy.script = ["busy"]
    start = clock.now()
    make_sender(busy).run(until_empty=True)
    assert (clock.now() - start).total_seconds() >= 120.0
    (item,) = store.items(conn)
    assert item.state is ItemState.DELIVERED and item.attempts == 2


def test_one_refusal_marks_that_voucher_and_the_rest_go_on(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    ids = queue(conn, clock, 5)
    reasons = (
        ServerReason("ndkt.unknown", "lines[0].ndkt", "Mã NDKT 9999 không có trong danh mục.",
                     "NDKT code 9999 is not in the catalogue."),
        ServerReason("signer_not_registered", "signature", "Chữ ký số chưa đăng ký: Nguyễn Văn A"),
    )
    refusing = FakeTreasury(refuse={ids[2]: reasons})
    summary = make_sender(refusing).run(until_empty=True)
    assert summary.count(ItemState.DELIVERED) == 4 and summary.count(ItemState.REFUSED) == 1
    refused = next(i for i in store.items(conn) if i.voucher_id == ids[2])
    assert refused.state is ItemState.REFUSED and refused.reasons == reasons
    assert refused.last_error is not None
    assert "Mã NDKT 9999 không có trong danh mục." in refused.last_error.render("vi")
    stored = SqliteVoucherRepository(conn).get(ids[2])
    assert stored is not None and stored.status is VoucherState.REJECTED
    assert stored.status_reason == "\n".join(r.message for r in reasons)
    row = conn.execute("SELECT reasons FROM outbox WHERE voucher_id = ?", (ids[2],)).fetchone()
    assert json.loads(row[0])[0]["message_en"] == "NDKT code 9999 is not in the catalogue."


def test_auth_error_pauses_the_whole_outbox_until_send_now(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 10)
    treasury.script = ["auth"]
    sender = make_sender(concurrency=1)
    summary = sender.run(until_empty=True)
    assert summary.paused_reason is not None
    assert summary.paused_reason.key == "outbox.paused.auth"
    assert "401" in summary.paused_reason.render("en")
    status = sender.status()
    assert status.connectivity is Connectivity.PAUSED and status.pending == 10
    assert all(i.attempts == 0 for i in sender.snapshot())  # a pause charges no attempt
    assert treasury.puts == 1
    sender.send_now()
    assert sender.run(until_empty=True).count(ItemState.DELIVERED) == 10


def test_pause_persists_and_resume_continues(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 3)
    make_sender().pause()
    again = make_sender()
    assert again.status().connectivity is Connectivity.PAUSED
    assert again.run(until_empty=True).paused_reason is not None
    assert treasury.puts == 0
    again.resume()
    assert again.run(until_empty=True).count(ItemState.DELIVERED) == 3


def test_killed_in_flight_items_are_resent_as_the_same_bytes(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    ids = queue(conn, clock, 4)
    with transaction(conn):  # a process marked two in flight and died after one reached the server
        claimed = store.claim_due_in(conn, clock.now(), 2)
    treasury.deliver(claimed[0].unit, claimed[0].voucher_id, claimed[0].document,
                    claimed[0].signature)
    summary = make_sender().run(until_empty=True)
    assert len(treasury.documents) == 4 and treasury.conflicts == 0
    outcomes = {r.voucher_id: r.outcome for r in summary.results}
    assert outcomes[claimed[0].voucher_id] is DeliveryOutcome.REPLAYED
    assert outcomes[claimed[1].voucher_id] is DeliveryOutcome.CREATED
    assert {status_of(conn, i) for i in ids} == {VoucherState.SENT}


def test_bounded_concurrency_over_one_port(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    queue(conn, clock, 24)

    slow = FakeTreasury(latency=0.02)
    make_sender(slow, concurrency=4).run(until_empty=True)
    assert slow.max_in_flight == 4 and len(slow.documents) == 24


def test_send_now_makes_waiting_items_due(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 1)
    treasury.script = ["reset_before"]
    sender = make_sender()
    with transaction(conn):
        claimed = store.claim_due_in(conn, clock.now(), 1)
    assert claimed
    conn.execute("UPDATE outbox SET state = 'pending', next_attempt_at = '2099-01-01T00:00:00'")
    sender.send_now()
    (item,) = sender.snapshot()
    assert item.next_attempt_at is not None and item.next_attempt_at <= clock.now()


def test_background_thread_delivers_and_stops(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    sender = make_sender(idle_poll=0.05)
    done = threading.Event()
    sender.subscribe(lambda change: done.set() if change.status.empty and change.voucher_ids
                     and len(treasury.documents) == 5 else None)
    sender.start()
    queue(conn, clock, 5)
    sender.send_now()
    assert done.wait(10)
    sender.close()
    assert len(treasury.documents) == 5


def test_an_answer_after_an_outage_wakes_the_waiting_items(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 3)
    treasury.script = ["reset_before"]  # the first attempt finds the network down
    changes: list[OutboxChange] = []
    sender = make_sender(concurrency=1)
    sender.subscribe(changes.append)
    summary = sender.run(until_empty=True)
    assert summary.count(ItemState.DELIVERED) == 3 and summary.count(ItemState.PENDING) == 1
    assert clock.waited == [], "no backoff was waited out once an answer came back"
    assert any(c.status.connectivity is Connectivity.OFFLINE for c in changes)
    assert sender.status().connectivity is Connectivity.ONLINE


def test_network_back_event_makes_items_due(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 1)
    conn.execute("UPDATE outbox SET next_attempt_at = '2099-01-01T00:00:00'")
    sender = make_sender()
    sender.network_changed(online=True)
    assert sender.run(until_empty=True).count(ItemState.DELIVERED) == 1
    assert clock.now().year == 2026


def test_batches_where_the_server_offers_them(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    ids = queue(conn, clock, 23)
    reasons = (ServerReason("total_mismatch", "total", "Tổng tiền không khớp."),)
    batching = FakeTreasury(batch=5, refuse={ids[7]: reasons},
                            rates={"reset_before": 0.2, "reset_after": 0.2}, seed=9)
    summary = make_sender(batching, concurrency=2).run(until_empty=True)
    assert len(batching.documents) == 22 and batching.conflicts == 0
    assert summary.count(ItemState.DELIVERED) == 22 and summary.count(ItemState.REFUSED) == 1
    assert batching.requests < batching.puts, "several documents per request"
    assert status_of(conn, ids[7]) is VoucherState.REJECTED


def test_a_server_without_batches_gets_single_puts(
    conn: sqlite3.Connection, clock: FakeClock, treasury: FakeTreasury, make_sender: MakeSender
) -> None:
    queue(conn, clock, 5)
    make_sender().run(until_empty=True)
    assert treasury.requests == treasury.puts == 5


def test_a_deadline_ends_the_run_and_keeps_the_rest_queued(
    conn: sqlite3.Connection, clock: FakeClock, make_sender: MakeSender
) -> None:
    queue(conn, clock, 2)
    down = FakeTreasury(rates={"reset_before": 1.0})
    summary = make_sender(down).run(until_empty=True,
                                    stop_at=clock.now() + timedelta(seconds=600))
    assert summary.timed_out and summary.count(ItemState.DELIVERED) == 0
    assert store.counts(conn)[ItemState.PENDING] == 2
    assert all(i.last_error is not None and i.last_error.key == "outbox.retry.offline"
               for i in store.items(conn))
