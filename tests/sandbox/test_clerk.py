"""The simulated clerk on an injected clock: statuses, refusals, the changes feed, balances."""

from __future__ import annotations

from pathlib import Path

from treasury_sandbox_world import ESTIMATE, UNIT, ManualClock, document

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.models import TreasuryStatus
from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox


def _work(sandbox: RunningSandbox, clock: ManualClock, seconds: float, times: int) -> None:
    for _ in range(times):
        clock.advance(seconds)
        sandbox.state.clerk.run_due()


def test_clerk_moves_a_voucher_to_paid(world, sandbox, clock, client: TreasuryClient) -> None:
    doc = document()
    client.deliver(doc, world.sign(doc))
    _work(sandbox, clock, 1, 5)  # nothing is due within seconds at speed 1
    status = client.document_status(doc["id"])
    assert status is not None and status.status is TreasuryStatus.RECEIVED
    _work(sandbox, clock, 100, 6)
    status = client.document_status(doc["id"])
    assert status is not None
    assert status.status is TreasuryStatus.PAID
    assert [e.status.value for e in status.history] == [
        "received",
        "checking",
        "checking",
        "checking",
        "checking",
        "paid",
    ]
    details = [e.detail for e in status.history]
    assert "Chờ phản hồi từ TABMIS" in details and "Chờ phê duyệt báo nợ" in details
    assert status.reason is None
    assert status.history[-1].at > status.history[0].at


def test_total_above_the_estimate_is_rejected(world, sandbox, clock, client) -> None:
    first, second = document(30_000_000), document(30_000_000)
    for doc in (first, second):
        client.deliver(doc, world.sign(doc))
    _work(sandbox, clock, 100, 6)
    # Whichever the clerk decides first is paid; the other no longer fits the estimate.
    statuses = [client.document_status(d["id"]) for d in (first, second)]
    assert all(s is not None for s in statuses)
    paid, rejected = sorted(statuses, key=lambda s: s.status.value)  # "paid" < "rejected"
    assert paid.status is TreasuryStatus.PAID
    assert rejected.status is TreasuryStatus.REJECTED
    assert rejected.reason is not None
    assert rejected.reason.startswith("Từ chối chứng từ thanh toán")
    assert "vượt số dự toán còn lại 20.000.000 đồng" in rejected.reason
    assert "chương 422, ngành kinh tế 072, nguồn 13" in rejected.reason
    balances = client.balances(2026)
    assert balances is not None
    (item,) = balances.items
    assert (item.estimate, item.spent, item.remaining) == (ESTIMATE, 30_000_000, 20_000_000)


def test_changes_feed_pages_with_a_cursor(world, sandbox, clock, client) -> None:
    docs = [document(1_000_000 + i) for i in range(3)]
    for doc in docs:
        client.deliver(doc, world.sign(doc))
    _work(sandbox, clock, 100, 2)
    seen = []
    cursor = None
    pages = 0
    while True:
        page = client.changes(after=cursor, limit=2)
        pages += 1
        seen.extend(page.changes)
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert pages >= 4
    assert len(seen) == 9  # 3 documents x (received + 2 steps)
    cursors = [int(c.cursor) for c in seen]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert [c.status.value for c in seen[:3]] == ["received"] * 3
    empty = client.changes(after=cursor)
    assert empty.changes == () and empty.next_cursor == cursor
    _work(sandbox, clock, 100, 1)
    later = client.changes(after=cursor)
    assert len(later.changes) == 3 and int(later.changes[0].cursor) > int(cursor)


def test_speed_scales_the_clerk(world, tmp_path: Path) -> None:
    clock = ManualClock()
    running = start_sandbox(world.config, tmp_path / "fast.sqlite3", clock=clock, speed=60, seed=1)
    try:
        with TreasuryClient(running.url, UNIT, "desk-1171277-secret") as api:
            doc = document()
            api.deliver(doc, world.sign(doc))
            _work(running, clock, 2, 6)  # 60 s ±50 % per step at speed 60: under 1.5 s
            status = api.document_status(doc["id"])
    finally:
        running.stop()
    assert status is not None and status.status is TreasuryStatus.PAID


def test_clerk_runs_by_itself_on_the_real_clock(world, tmp_path: Path) -> None:
    import time

    running = start_sandbox(
        world.config, tmp_path / "real.sqlite3", speed=6000, seed=2, tick_seconds=0.01
    )
    try:
        with TreasuryClient(running.url, UNIT, "desk-1171277-secret") as api:
            doc = document()
            api.deliver(doc, world.sign(doc))
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                status = api.document_status(doc["id"])
                if status is not None and status.status.is_final:
                    break
                time.sleep(0.02)
    finally:
        running.stop()
    assert status is not None and status.status is TreasuryStatus.PAID
