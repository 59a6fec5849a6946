"""The feed settles a queued voucher only when the treasury holds exactly its bytes: two desks
with the same voucher id and different content (a copied data folder, an import that kept file
ids) never see the other's document paid as theirs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.port import DeliveryOutcome
from treasury_desktop.clock import FakeClock
from treasury_desktop.domain.canonical import canonical_bytes, content_hash
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store.db import connect
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.usecases.queueing import QueueService

UNIT = "1171277"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk-b.sqlite3"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(db_path)
    yield connection
    connection.close()


def status(conn: sqlite3.Connection, voucher_id: str) -> VoucherState:
    stored = SqliteVoucherRepository(conn).get(voucher_id)
    assert stored is not None
    return stored.status


def queued_bytes(conn: sqlite3.Connection, voucher_id: str) -> bytes:
    row = conn.execute("SELECT document FROM outbox WHERE voucher_id = ?", (voucher_id,)).fetchone()
    return bytes(row[0])


def test_another_desks_document_under_the_same_id_is_never_settled_as_ours(
        conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    [voucher_id] = seed_signed(conn, 1)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue([voucher_id])
    ours = queued_bytes(conn, voucher_id)
    theirs_doc = json.loads(ours)
    theirs_doc["number"] = "777"  # desk A: the same id, other content, delivered and paid
    theirs = canonical_bytes(theirs_doc)
    assert treasury.deliver(UNIT, voucher_id, theirs, b"cms").outcome is DeliveryOutcome.CREATED
    treasury.advance(UNIT, voucher_id, "checking")
    treasury.advance(UNIT, voucher_id, "paid")

    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    try:
        summary = sync.pull()
    finally:
        sync.close()
    assert summary.error is None and summary.unknown == 3 and summary.moved == 0
    # not paid: the treasury holds another text
    assert status(conn, voucher_id) is VoucherState.QUEUED

    sender = Sender(lambda: connect(db_path), treasury, actor=ACTOR, clock=clock)
    try:
        run = sender.run(until_empty=True)
    finally:
        sender.close()
    assert [r.outcome for r in run.results] == [DeliveryOutcome.CONFLICT]  # the PUT decides
    assert status(conn, voucher_id) is VoucherState.REJECTED
    assert content_hash(ours) != content_hash(theirs)


def test_the_feed_still_settles_a_queued_voucher_the_treasury_holds_exactly(
        conn: sqlite3.Connection, db_path: Path) -> None:
    clock, treasury = FakeClock(), FakeTreasury()
    [voucher_id] = seed_signed(conn, 1)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue([voucher_id])
    # The answer to our PUT was lost, but the treasury stored these very bytes.
    treasury.deliver(UNIT, voucher_id, queued_bytes(conn, voucher_id), b"cms")
    treasury.advance(UNIT, voucher_id, "paid")
    sync = StatusSync(lambda: connect(db_path), treasury, UNIT, actor=ACTOR, clock=clock)
    try:
        sync.pull()
    finally:
        sync.close()
    assert status(conn, voucher_id) is VoucherState.PAID
    state = conn.execute("SELECT state FROM outbox WHERE voucher_id = ?",
                         (voucher_id,)).fetchone()[0]
    assert state == ItemState.DELIVERED.value
