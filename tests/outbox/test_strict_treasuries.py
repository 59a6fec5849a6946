"""Strict and broken treasuries, as real servers on 127.0.0.1: the desk never loses, fakes or
crashes. Only 2xx (with a checked echo), 409 and 422 are final; everything else keeps the items.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from misbehaving import (
    UNIT,
    Request,
    Server,
    echo,
    endless,
    gzip_bomb,
    send,
    send_json,
    treasury,
    trickle,
)
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures

from treasury_desktop.api.client import Timeouts, TreasuryClient
from treasury_desktop.api.errors import ConfigError, TransientError
from treasury_desktop.clock import FakeClock
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.outbox.adapter import ClientPort
from treasury_desktop.outbox.model import ItemState
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store.db import connect
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.usecases.queueing import QueueService

MakeSender = Callable[..., Sender]


def queue(conn: sqlite3.Connection, clock: FakeClock, count: int) -> list[str]:
    ids = seed_signed(conn, count)
    QueueService(conn, ACTOR, clock.now, verify=trust_test_signatures).queue(ids)
    return ids


def status_of(conn: sqlite3.Connection, voucher_id: str) -> VoucherState:
    stored = SqliteVoucherRepository(conn).get(voucher_id)
    assert stored is not None
    return stored.status


@pytest.fixture
def port_to() -> Iterator[Callable[..., ClientPort]]:
    made: list[ClientPort] = []

    def make(server: Server, **options: Any) -> ClientPort:
        batch = options.pop("batch_size", 1)
        port = ClientPort(TreasuryClient(server.url, UNIT, "token", **options), batch_size=batch)
        made.append(port)
        return port

    yield make
    for port in made:
        port.close()


def run_briefly(sender: Sender, clock: FakeClock) -> Any:
    return sender.run(until_empty=True, stop_at=clock.now() + timedelta(seconds=60))


def created(request: Request, conn: socket.socket) -> None:
    send_json(conn, 201, echo(request.json()["document"]))


# -- 5xx --------------------------------------------------------------------------------------

def answer_500(_request: Request, conn: socket.socket) -> None:
    send_json(conn, 500, {"code": "internal", "message": "boom"})


def test_a_500_is_transient_everywhere_and_said_plainly(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 2)
    with Server(answer_500) as server:
        port = port_to(server)
        summary = run_briefly(make_sender(port), clock)
        with pytest.raises(TransientError) as caught:
            port.client.signers()
        synced = StatusSync(lambda: conn, port, UNIT, actor=ACTOR).pull()
    assert summary.results and all(r.state is ItemState.PENDING for r in summary.results)
    assert all("500" in (r.error.render() if r.error else "") for r in summary.results)
    assert "500" in str(caught.value)
    assert synced.error is not None and "500" in synced.error.render("en")
    assert [status_of(conn, i) for i in ids] == [VoucherState.QUEUED] * 2


# -- transport refusals ------------------------------------------------------------------------

def refuses_gzip(request: Request, conn: socket.socket) -> None:
    if request.headers.get("content-encoding") == "gzip":
        send_json(conn, 415, {"code": "unsupported_encoding", "message": "no gzip"},
                  headers={"Accept-Encoding": "identity"})
    else:
        created(request, conn)


def test_a_treasury_that_takes_no_gzip_gets_plain_bodies_and_is_remembered(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 3)
    handler = treasury(refuses_gzip, ("documents", "gzip-requests", "documents-batch"))
    with Server(handler) as server:
        port = port_to(server, gzip_above=0, batch_size=1)
        summary = run_briefly(make_sender(port, concurrency=1), clock)
        puts = [r for r in server.requests if r.method == "PUT"]
    assert summary.count(ItemState.DELIVERED) == 3
    assert [status_of(conn, i) for i in ids] == [VoucherState.SENT] * 3
    gzipped = [r for r in puts if r.headers.get("content-encoding") == "gzip"]
    assert len(gzipped) == 1 and len(puts) == 4  # one 415, then plain for this server


def test_bodies_are_compressed_only_where_the_server_offers_it(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    queue(conn, clock, 2)
    with Server(treasury(created, ("documents", "documents-batch"))) as server:
        summary = run_briefly(make_sender(port_to(server, gzip_above=0, batch_size=1)), clock)
    assert summary.count(ItemState.DELIVERED) == 2
    assert all("content-encoding" not in r.headers for r in server.requests)


@pytest.mark.parametrize("status", [400, 413, 415])
def test_a_transport_refusal_pauses_and_keeps_the_items(
        status: int, conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 2)

    def refuse(_request: Request, conn_: socket.socket) -> None:
        send_json(conn_, status, {"code": "bad_request", "message": "not like this"})

    with Server(treasury(refuse)) as server:
        sender = make_sender(port_to(server))
        summary = run_briefly(sender, clock)
    assert summary.paused_reason is not None
    assert summary.paused_reason.key == "delivery.paused.refused"
    said = summary.paused_reason.render("en")
    assert str(status) in said and "not like this" in said
    assert said.count("Send now") == 1  # one sentence, not wrapped in a second one
    assert summary.count(ItemState.REFUSED) == 0
    assert [status_of(conn, i) for i in ids] == [VoucherState.QUEUED] * 2
    assert {i.state for i in sender.snapshot()} == {ItemState.PENDING}


# -- echoes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("wrong", ["empty hash", "other id", "other unit"])
def test_an_echo_that_is_not_this_voucher_is_not_a_delivery(
        wrong: str, conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 1)

    def lie(request: Request, conn_: socket.socket) -> None:
        document = request.json()["document"]
        body = {"empty hash": echo(document, digest=""),
                "other id": echo(document, voucher_id="0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"),
                "other unit": echo(document, unit="1000001")}[wrong]
        send_json(conn_, 200, body)

    with Server(treasury(lie)) as server:
        summary = run_briefly(make_sender(port_to(server)), clock)
    assert summary.count(ItemState.DELIVERED) == 0
    assert summary.results[0].error is not None
    assert summary.results[0].error.key == "delivery.echo_wrong"
    assert status_of(conn, ids[0]) is VoucherState.QUEUED


def test_batch_results_are_paired_by_id_not_by_position(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 3)

    def batch(request: Request, conn_: socket.socket) -> None:
        items = request.json()["items"]
        results = [{"id": i["document"]["id"], "status": 201, "document": echo(i["document"])}
                   for i in reversed(items)]
        send_json(conn_, 200, {"results": results})

    with Server(treasury(batch, ("documents", "documents-batch"))) as server:
        summary = run_briefly(make_sender(port_to(server, batch_size=10)), clock)
    assert summary.count(ItemState.DELIVERED) == 3
    assert [status_of(conn, i) for i in ids] == [VoucherState.SENT] * 3


# -- bounded answers and deadlines ---------------------------------------------------------------

def test_a_gzip_bomb_is_cut_at_the_cap_without_filling_the_memory() -> None:
    bomb = gzip_bomb(256 << 20)  # 256 MiB of zeros, about 256 kB on the wire

    def answer(_request: Request, conn: socket.socket) -> None:
        send(conn, 200, bomb, headers={"Content-Encoding": "gzip"})

    with Server(answer) as server, TreasuryClient(server.url, UNIT, "token") as client:
        tracemalloc.start()
        try:
            with pytest.raises(TransientError) as caught:
                client.signers()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert caught.value.message.key == "delivery.answer_too_large"
    assert peak < 48 * 1024 * 1024  # the cap (16 MiB) and a chunk, not the bomb


def test_an_endless_answer_is_cut_at_the_cap() -> None:
    with (Server(lambda _r, conn: endless(conn)) as server,
          TreasuryClient(server.url, UNIT, "token", max_answer=4 << 20) as client):
        started = time.monotonic()
        with pytest.raises(TransientError) as caught:
            client.changes()
    assert caught.value.message.key == "delivery.answer_too_large"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_meets_the_overall_deadline(part: str) -> None:
    body = json.dumps({"changes": [], "next_cursor": "0", "has_more": False}).encode()
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: {'x' * 200}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()

    def answer(_request: Request, conn: socket.socket) -> None:
        if part == "headers":
            trickle(conn, head + body)
        else:
            conn.sendall(head)
            trickle(conn, body)

    timeouts = Timeouts(read=5.0, total=2.0)
    with (Server(answer) as server,
          TreasuryClient(server.url, UNIT, "token", timeouts=timeouts) as client):
        started = time.monotonic()
        with pytest.raises(TransientError) as caught:
            client.changes()
    assert time.monotonic() - started < 4.5
    assert caught.value.message.key == "delivery.timeout_call"
    assert "chứng từ" not in str(caught.value)  # a call that sends nothing speaks of no voucher


def test_a_run_with_a_timeout_returns_in_time_against_a_trickling_server(
        conn, make_sender: MakeSender, port_to) -> None:
    from treasury_desktop.clock import SystemClock
    ids = seed_signed(conn, 2)
    QueueService(conn, ACTOR, SystemClock().now, verify=trust_test_signatures).queue(ids)

    def slow(request: Request, conn_: socket.socket) -> None:
        trickle(conn_, b"HTTP/1.1 201 Created\r\n" + b"X-Pad: " + b"x" * 400, pause=0.1)

    with Server(treasury(slow)) as server:
        port = port_to(server)
        clock = SystemClock()
        sender = Sender(lambda: conn, port, actor=ACTOR, clock=clock)
        started = time.monotonic()
        port.finish_within(2.0 + 1.0)  # what `outbox run --timeout 2` does
        summary = sender.run(stop_at=clock.now() + timedelta(seconds=2))
        took = time.monotonic() - started
    assert took < 5.0
    assert summary.timed_out and summary.count(ItemState.DELIVERED) == 0
    assert [status_of(conn, i) for i in ids] == [VoucherState.QUEUED] * 2


# -- words --------------------------------------------------------------------------------------

def test_a_captive_portal_page_is_not_called_a_busy_treasury(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    page = b"<!DOCTYPE html><html><body>Wi-Fi login</body></html>"

    def portal(_request: Request, conn_: socket.socket) -> None:
        send(conn_, 200, page, kind="text/html")

    queue(conn, clock, 1)
    with Server(portal) as server:
        summary = run_briefly(make_sender(port_to(server)), clock)
    error = summary.results[0].error
    assert error is not None and error.key == "delivery.not_treasury_page"
    assert "login page" in error.render("en") and "busy" not in error.render("en")


def test_connected_is_said_only_after_an_exchange(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    queue(conn, clock, 1)
    with Server(treasury(created)) as server:
        sender = make_sender(port_to(server))
        before = sender.status().message().render("en")
        run_briefly(sender, clock)
        after = sender.status().message().render("en")
    assert "Online" not in before and before.startswith("1 voucher")
    assert after.startswith("Online")


@pytest.mark.parametrize("token", ["bí-mật", "abc\ndef", "abc def", ""])
def test_a_credential_that_cannot_be_a_header_is_refused_plainly(token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        TreasuryClient("http://127.0.0.1:9", UNIT, token)
    assert caught.value.message.key == "delivery.bad_credential"


# -- the clock ------------------------------------------------------------------------------------

class SettableClock(FakeClock):
    def set(self, moment: Any) -> None:
        with self._lock:
            self._now = moment


def test_items_scheduled_by_a_clock_set_ahead_are_not_stranded(
        conn, db_path, treasury) -> None:
    right = FakeClock().now()
    clock = SettableClock(right + timedelta(days=30))  # the PC's clock a month ahead
    ids = queue(conn, clock, 1)
    treasury.script = ["busy"]  # the first try fails: retry due (by the wrong clock) later
    treasury.retry_after = 600.0
    sender = Sender(lambda: connect(db_path), treasury, actor=ACTOR, clock=clock)
    first = sender.run(until_empty=True, stop_at=clock.now() + timedelta(seconds=1))
    assert first.count(ItemState.PENDING) == 1
    clock.set(right)  # the clock is corrected
    summary = sender.run(until_empty=True, stop_at=clock.now() + timedelta(seconds=60))
    sender.close()
    assert summary.count(ItemState.DELIVERED) == 1
    assert status_of(conn, ids[0]) is VoucherState.SENT


def test_a_conflict_shows_both_content_hashes(
        conn, clock, make_sender: MakeSender, port_to) -> None:
    ids = queue(conn, clock, 1)
    held = "ab" * 32

    def conflict(_request: Request, conn_: socket.socket) -> None:
        send_json(conn_, 409, {"code": "conflict", "message": "Mã đã dùng.",
                               "message_en": "Id taken.", "details": {"content_hash": held}})

    with Server(treasury(conflict)) as server:
        sender = make_sender(port_to(server))
        run_briefly(sender, clock)
        [item] = sender.snapshot()
    sent = conn.execute("SELECT content_hash FROM outbox").fetchone()[0]
    assert item.state is ItemState.REFUSED and status_of(conn, ids[0]) is VoucherState.REJECTED
    assert held in item.reasons[0].message and sent in item.reasons[0].message
    assert held in item.reasons[0].message_en and sent in item.reasons[0].message_en
