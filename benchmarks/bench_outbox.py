"""Outbox benchmarks: draining vouchers over a slow link, and applying the changes feed.

Run: .venv/bin/python benchmarks/bench_outbox.py [--count 1000] [--naive 25] [--changes 10000]
     [--window 4] [--batch 20]   (``--window 16 --batch 1``: single PUTs over 16 connections)

1. Drain ``count`` queued vouchers through the link proxy (300 ms each way, 256 kbit/s) into the
   sandbox treasury, and compare with the link's floor: the bytes that crossed ÷ bandwidth, plus
   one round trip per window of requests (the window is the number in flight).
2. In the same run, a naive sender (a new connection per voucher, waiting for each answer) sends
   ``naive`` other vouchers over the same link; its per-voucher time is scaled to ``count``.
3. Apply ``changes`` status changes from the feed to a desk (pages of 500, one transaction
   each), while an asyncio loop on the main thread measures how late its 10 ms ticks run; once
   on the machine as it is and once beside a CPU-burning process (busy.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "chaos"))
sys.path.insert(0, str(HERE.parent / "tests" / "outbox"))

from proxy import LinkProxy  # noqa: E402
from signed_desk import TOKEN, UNIT, make_kit  # noqa: E402
from signed_vouchers import ACTOR, seed_signed, trust_test_signatures  # noqa: E402

from busy import quiet_and_busy  # noqa: E402
from treasury_desktop.api.client import Timeouts, TreasuryClient  # noqa: E402
from treasury_desktop.api.port import ChangesPage, StatusChange  # noqa: E402
from treasury_desktop.clock import Backoff, SystemClock  # noqa: E402
from treasury_desktop.domain.workflow import VoucherState  # noqa: E402
from treasury_desktop.outbox.adapter import ClientPort  # noqa: E402
from treasury_desktop.outbox.model import ItemState  # noqa: E402
from treasury_desktop.outbox.sender import Sender  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402
from treasury_desktop.store.db import connect  # noqa: E402
from treasury_desktop.sync.service import StatusSync  # noqa: E402
from treasury_desktop.usecases.queueing import QueueService  # noqa: E402

LATENCY = 0.3
BANDWIDTH = 256_000 / 8  # bytes per second
WINDOW = 4  # the client's keep-alive pool (see the report: more needs a wider pool)


def drain(folder: Path, count: int, naive: int, window: int = WINDOW, batch: int = 20) -> None:
    kit = make_kit(folder / "ca")
    db = folder / "desk.sqlite3"
    conn = connect(db)
    ids = seed_signed(conn, count + naive, sign=kit.sign)
    queueing = QueueService(conn, ACTOR, SystemClock().now, verify=trust_test_signatures)
    queueing.queue(ids[:count])
    rows = {r[0]: (r[1].encode(), bytes(r[2])) for r in conn.execute(
        "SELECT v.id, v.document, s.cms FROM vouchers v JOIN signatures s ON s.voucher_id = v.id")}
    conn.close()
    config = kit.sandbox_config(step_seconds=3600)
    with running_sandbox(config) as sandbox:
        upstream = int(sandbox.url.rsplit(":", 1)[1])
        with LinkProxy(upstream, latency=LATENCY, bandwidth=BANDWIDTH) as link:
            # The client pools 8 connections; a wider window needs a transport with more.
            limits = httpx.Limits(max_connections=window, max_keepalive_connections=window)
            transport = httpx.HTTPTransport(limits=limits) if window > 8 else None
            client = TreasuryClient(link.url, UNIT, TOKEN, timeouts=Timeouts(read=120, write=120),
                                    transport=transport)
            port = ClientPort(client, batch_size=batch)
            sender = Sender(lambda: connect(db), port, actor=ACTOR, concurrency=window,
                            backoff=Backoff(base=0.2, cap=2.0), rng=random.Random(1))
            start = time.monotonic()
            summary = sender.run(until_empty=True)
            took = time.monotonic() - start
            sender.close()
            port.close()
            up, down = link.stats.bytes_up, link.stats.bytes_down
            windows = -(-count // (window * max(batch, 1)))
            floor = max(up, down) / BANDWIDTH + windows * 2 * LATENCY
            print(f"outbox (window {window}, batch {batch}): "
                  f"{summary.count(ItemState.DELIVERED)}/{count} delivered in {took:.1f} s"
                  f" over {link.stats.connections} connection(s);"
                  f" {up / count:.0f} B up, {down / count:.0f} B down per voucher")
            print(f"link floor: {max(up, down)} B / {BANDWIDTH:.0f} B/s + {windows} windows x "
                  f"{2 * LATENCY:.1f} s RTT = {floor:.1f} s -> outbox/floor = {took / floor:.2f}"
                  f" (target <= 1.5)")
            strict = max(up, down) / BANDWIDTH + 2 * LATENCY
            print(f"strict floor (bytes / bandwidth + one RTT, perfect overlap) = {strict:.1f} s"
                  f" -> outbox/strict = {took / strict:.2f}")
            if not naive:
                return
            per_naive = naive_sender(link.url, ids[count:], rows)
            print(f"naive: {per_naive:.2f} s per voucher -> {per_naive * count:.0f} s for {count}"
                  f" -> outbox is {per_naive * count / took:.1f}x faster (target >= 10)")


def naive_sender(url: str, ids: list[str], rows: dict[str, tuple[bytes, bytes]]) -> float:
    """A new connection per voucher, one at a time (what a simple script would do)."""
    start = time.monotonic()
    for voucher_id in ids:
        document, cms = rows[voucher_id]
        with TreasuryClient(url, UNIT, TOKEN, timeouts=Timeouts(read=120, write=120)) as client:
            result = client.deliver(json.loads(document), cms)
            assert result.http_status in (200, 201), result
    return (time.monotonic() - start) / max(len(ids), 1)


class FeedPort:
    """Pages of a prepared changes feed (no network: this measures the desk's side)."""

    def __init__(self, changes: list[StatusChange]) -> None:
        self._changes = changes

    def changes(self, unit: str, after: str | None, limit: int) -> ChangesPage:
        start = int(after or 0)
        page = self._changes[start:start + limit]
        end = start + len(page)
        return ChangesPage(tuple(page), str(end), end < len(self._changes))

    def __getattr__(self, name: str) -> object:
        raise AttributeError(name)


def apply_feed(folder: Path, count: int) -> tuple[float, float, float]:
    """Seconds to apply ``count`` changes, how many were applied, the loop's max lag (ms)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "feed.sqlite3"
    conn = connect(db)
    per = 4
    ids = seed_signed(conn, count // per, status=VoucherState.SENT)
    conn.close()
    steps = ("received", "checking", "checking", "paid")
    changes = [StatusChange(i, s, f"2026-11-20T09:{n:02d}:00+00:00", f"step {n}")
               for n, s in enumerate(steps) for i in ids]
    sync = StatusSync(lambda: connect(db), FeedPort(changes), UNIT, actor=ACTOR,  # type: ignore[arg-type]
                      page_size=500)
    lags: list[float] = []
    result: dict[str, float] = {}

    def work() -> None:
        start = time.monotonic()
        summary = sync.pull()
        result["took"] = time.monotonic() - start
        result["applied"] = summary.applied

    async def ticker(thread: threading.Thread) -> None:
        while thread.is_alive():
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append(time.monotonic() - before - 0.01)

    thread = threading.Thread(target=work)
    thread.start()
    asyncio.run(ticker(thread))
    thread.join()
    sync.close()
    return result["took"], result["applied"], max(lags) * 1000


def feed_quiet_and_busy(folder: Path, count: int) -> None:
    """The feed applied on the machine as it is, then beside a CPU-burning process."""
    runs = iter(range(2))
    figures = quiet_and_busy(lambda: apply_feed(folder / f"run{next(runs)}", count))
    for name, (took, applied, lag) in zip(("quiet", "busy"), figures, strict=True):
        print(f"feed ({name}): {applied:.0f} changes applied in {took:.2f} s (target < 1 s);"
              f" event loop max lag {lag:.1f} ms (target < 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=25)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=WINDOW, help="requests in flight")
    parser.add_argument("--batch", type=int, default=20,
                        help="documents per request when the server offers batches (1: PUTs)")
    parser.add_argument("--skip-drain", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        feed_quiet_and_busy(Path(tmp), args.changes)
        if not args.skip_drain:
            drain(Path(tmp), args.count, args.naive, args.window, args.batch)


if __name__ == "__main__":
    main()
