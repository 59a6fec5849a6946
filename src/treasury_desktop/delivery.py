"""The composition root of delivery: the one place that builds the treasury client, the
outbox sender and the status sync (with its chores) for a data folder.

The window, the command line and the demo all get them from :func:`open_delivery`, built the
same way; use cases receive the parts (ports, connections, a clock) through their constructors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from treasury_desktop.api.connection import load_connection
from treasury_desktop.api.errors import ConfigError
from treasury_desktop.clock import Backoff
from treasury_desktop.context import AppContext
from treasury_desktop.store.profile import ProfileStore

if TYPE_CHECKING:
    from treasury_desktop.outbox.adapter import ClientPort
    from treasury_desktop.outbox.runlock import SenderLock
    from treasury_desktop.outbox.sender import Sender
    from treasury_desktop.sync.pace import SyncPace
    from treasury_desktop.sync.receipts import ReceiptFetcher
    from treasury_desktop.sync.service import StatusSync

CLOSE_GRACE = 3.0
"""Seconds a request in flight may still take when the window closes (its item is kept)."""


@dataclass
class Delivery:
    """The outbox at work: the sender, the status sync, the one client.

    ``start()`` takes the data folder's sender lock (one sender per folder), recovers items a
    killed process left in flight, and runs both in background threads; ``close()`` stops them.
    The window subscribes to ``sender`` (items, indicator) and ``sync.on_final`` (notifications).
    """

    sender: Sender
    sync: StatusSync
    port: ClientPort
    lock: SenderLock
    refresh_reference: Callable[[sqlite3.Connection], None]

    def start(self) -> None:
        """Take the lock and start sending and syncing (raises ExpectedError when busy)."""
        self.lock.__enter__()
        self.sender.start()
        self.sync.start()

    def close(self) -> None:
        """Stop both threads, close the client, release the lock (when taken). Requests still
        in flight are cut within a few seconds, so closing the window never waits on a slow
        server."""
        self.port.finish_within(CLOSE_GRACE)
        self.sender.close()
        self.sync.close()
        self.port.close()
        self.lock.__exit__(None, None, None)


@dataclass(frozen=True)
class ReferenceRefresh:
    """Balances and catalogues of the fiscal year, for offline use (ETags make it cheap)."""

    ctx: AppContext
    port: ClientPort
    unit: str

    def __call__(self, conn: sqlite3.Connection) -> None:
        """Refresh both over ``conn``; treasury failures are raised to the caller."""
        from treasury_desktop.sync.balances import BalanceBook
        from treasury_desktop.sync.catalogs import CatalogBook

        year = self.ctx.clock().year
        BalanceBook(conn, _utc_now).refresh(self.port, self.unit, year)
        CatalogBook(conn, self.ctx.data_dir, _utc_now).refresh(self.port, year)


def open_port(ctx: AppContext, server: str | None = None, batch_size: int = 20, *,
              conn: sqlite3.Connection | None = None) -> tuple[ClientPort, str]:
    """A client for the desk's connection (``connect``) or ``server`` with the profile's unit
    (read over ``conn``, else a new connection); the credential from TREASURY_API_TOKEN or the
    keyring."""
    profile = ProfileStore(conn or ctx.connect())
    unit = profile.unit()
    if server is None and load_connection(profile) is None:
        # Not connected: said before the client (httpx, the keyring) is even loaded, so a
        # window on a desk never connected starts as fast as it can.
        raise ConfigError("api.not_connected")
    from treasury_desktop.api.connection import open_client
    from treasury_desktop.api.credentials import KeyringCredentialStore
    from treasury_desktop.outbox.adapter import ClientPort

    client = open_client(profile, KeyringCredentialStore(), server=server,
                         unit=unit.code if unit is not None else None)
    return ClientPort(client, batch_size=batch_size), client.unit


def open_delivery(ctx: AppContext, *, server: str | None = None, concurrency: int = 4,
                  batch_size: int = 20, sync_period: float = 300.0,
                  backoff: Backoff | None = None, sync_pace: SyncPace | None = None,
                  conn: sqlite3.Connection | None = None) -> Delivery:
    """Wire the sender and the sync over one client for this data folder (not started).
    The sync reads the feed at once after each delivery, then at ``sync_pace`` (soon while
    answers are expected; every ``sync_period`` seconds when nothing is awaited). The profile
    is read over ``conn`` when given (the window's worker lane)."""
    port, unit = open_port(ctx, server, batch_size, conn=conn)
    from treasury_desktop.outbox.runlock import SenderLock
    from treasury_desktop.outbox.sender import Sender
    from treasury_desktop.sync.service import StatusSync
    from treasury_desktop.usecases.signers import refresh_chore

    sync = StatusSync(ctx.connect, port, unit, actor=ctx.actor, period=sync_period,
                      pace=sync_pace)
    sync.add_chore(refresh_chore(port, unit, ctx.actor))  # first: it raises nothing
    sender = Sender(ctx.connect, port, actor=ctx.actor, concurrency=concurrency,
                    backoff=backoff or Backoff(), after_delivery=sync.request)
    refresh = ReferenceRefresh(ctx, port, unit)
    sync.add_chore(refresh)
    sync.add_chore(receipt_chore(ctx, port))  # the treasury's receipts of paid vouchers
    return Delivery(sender, sync, port, SenderLock(ctx.data_dir), refresh)


def receipt_chore(ctx: AppContext, port: ClientPort) -> ReceiptFetcher:
    """Fetch, verify and keep the receipts of paid vouchers (after each sync)."""
    from treasury_desktop.sync.receipts import ReceiptFetcher
    from treasury_desktop.usecases.printing import treasury_roots

    return ReceiptFetcher(port.receipt, lambda: treasury_roots(ctx.data_dir), _utc_now)


def _utc_now() -> datetime:
    return datetime.now(UTC)
