"""Submitting vouchers (gửi chứng từ): put fully signed vouchers into the outbox.

The signed bytes and the final CMS are captured here, once, and never rebuilt: every later
attempt sends exactly these bytes, which is what makes the treasury's PUT idempotent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.connection import Connection, load_connection
from treasury_desktop.api.credentials import KeyringCredentialStore, resolve_token
from treasury_desktop.context import AppContext
from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import from_document
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.outbox.adapter import ClientPort
from treasury_desktop.outbox.runlock import SenderLock
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.outbox.store import enqueue_in
from treasury_desktop.store.db import transaction
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignerRegistry
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.sync.catalogs import CatalogBook
from treasury_desktop.sync.receipts import ReceiptFetcher
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.usecases.printing import treasury_roots
from treasury_desktop.usecases.signers import desk_unit, refresh_chore
from treasury_desktop.usecases.signing import check_signatures


class QueueOutcome(StrEnum):
    """What happened to one voucher asked to be queued."""

    QUEUED = "queued"
    ALREADY_QUEUED = "already_queued"
    NOT_FOUND = "not_found"
    NOT_SIGNED = "not_signed"  # the account holder's signature is missing
    SIGNATURE_STALE = "signature_stale"  # the CMS is over other content
    SIGNATURE_INVALID = "signature_invalid"  # a signature fails verification (reason given)
    OTHER_UNIT = "other_unit"  # the voucher names another unit than this desk's


@dataclass(frozen=True)
class QueueResult:
    """The per-voucher result of :meth:`SubmitService.queue`."""

    voucher_id: str
    outcome: QueueOutcome
    message: Message

    @property
    def ok(self) -> bool:
        """Queued now or before."""
        return self.outcome in (QueueOutcome.QUEUED, QueueOutcome.ALREADY_QUEUED)


SignatureCheck = Callable[[sqlite3.Connection, bytes, bytes, str, datetime], None]
"""Checks a voucher's signed bytes and final CMS before it is queued; raises ExpectedError."""


def verify_before_queue(
    conn: sqlite3.Connection, document: bytes, cms_der: bytes, number: str, now: datetime
) -> None:
    """Both signatures intact over exactly these bytes, chief accountant then account holder,
    by certificates registered for their roles and valid when they signed."""
    check_signatures(
        SignerRegistry(conn), document, cms_der, now,
        {SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER}, number,
    )


class SubmitService:
    """Queue one or many vouchers signed by both signers (status ``signed_holder``)."""

    def __init__(
        self, conn: sqlite3.Connection, actor: Actor, clock: Callable[[], datetime],
        on_queued: Callable[[], None] | None = None,
        verify: SignatureCheck = verify_before_queue,
    ) -> None:
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._actor = actor
        self._clock = clock
        self._on_queued = on_queued
        self._verify = verify

    def queue(self, voucher_ids: Iterable[str]) -> list[QueueResult]:
        """Queue each voucher that can go; one commit for all. The others say why not."""
        results: list[QueueResult] = []
        with transaction(self._conn) as conn:
            for voucher_id in dict.fromkeys(voucher_ids):
                results.append(self._queue_one(conn, voucher_id))
        if self._on_queued and any(r.outcome is QueueOutcome.QUEUED for r in results):
            self._on_queued()  # wakes the sender
        return results

    def _queue_one(self, conn: sqlite3.Connection, voucher_id: str) -> QueueResult:
        row = conn.execute(
            "SELECT status, document, content_hash FROM vouchers WHERE id = ?", (voucher_id,)
        ).fetchone()
        if row is None:
            return _result(voucher_id, QueueOutcome.NOT_FOUND)
        status = VoucherState(row["status"])
        if conn.execute("SELECT 1 FROM outbox WHERE voucher_id = ?", (voucher_id,)).fetchone():
            return _result(voucher_id, QueueOutcome.ALREADY_QUEUED, status=status.value)
        if status is not VoucherState.SIGNED_HOLDER:
            return _result(voucher_id, QueueOutcome.NOT_SIGNED, status=status.value)
        signature = conn.execute(
            "SELECT cms, content_hash FROM signatures WHERE voucher_id = ? AND role = ?",
            (voucher_id, SignerRole.ACCOUNT_HOLDER.value),
        ).fetchone()
        if signature is None:
            return _result(voucher_id, QueueOutcome.NOT_SIGNED, status=status.value)
        voucher = from_document(json.loads(row["document"]))
        unit_of_desk = desk_unit(conn)
        if unit_of_desk is not None and voucher.unit.code != unit_of_desk:
            return _result(voucher_id, QueueOutcome.OTHER_UNIT, unit=voucher.unit.code,
                           desk=unit_of_desk)
        document = voucher_bytes(voucher)
        digest = content_hash(document)
        if digest != row["content_hash"] or digest != signature["content_hash"]:
            return _result(voucher_id, QueueOutcome.SIGNATURE_STALE)
        try:
            self._verify(conn, document, bytes(signature["cms"]),
                         voucher.number or voucher_id[:8], self._clock())
        except ExpectedError as error:
            return _result(voucher_id, QueueOutcome.SIGNATURE_INVALID, reason=str(error))
        self._repo.set_status_in(conn, voucher_id, VoucherState.QUEUED, actor=self._actor)
        enqueue_in(conn, voucher_id, voucher.unit.code, document, bytes(signature["cms"]),
                   digest, self._clock())
        return _result(voucher_id, QueueOutcome.QUEUED)


def _result(voucher_id: str, outcome: QueueOutcome, **params: str) -> QueueResult:
    return QueueResult(voucher_id, outcome,
                       Message(f"submit.{outcome.value}", {"id": voucher_id, **params}))


CLOSE_GRACE = 3.0
"""Seconds a request in flight may still take when the window closes (its item is kept)."""


@dataclass
class Delivery:
    """The outbox at work for the window: the sender, the status sync, the one client.

    ``start()`` takes the data folder's sender lock (one sender per folder), recovers items a
    killed process left in flight, and runs both in background threads; ``close()`` stops them.
    The window subscribes to ``sender`` (items, indicator) and ``sync.on_final`` (notifications).
    """

    sender: Sender
    sync: StatusSync
    port: ClientPort
    lock: SenderLock

    def start(self) -> None:
        """Take the lock and start sending and syncing (raises ExpectedError when busy)."""
        self.lock.__enter__()
        self.sender.start()
        self.sync.start()

    def close(self) -> None:
        """Stop both threads, close the client, release the lock. Requests still in flight
        are cut within a few seconds, so closing the window never waits on a slow server."""
        self.port.finish_within(CLOSE_GRACE)
        self.sender.close()
        self.sync.close()
        self.port.close()
        self.lock.__exit__(None, None, None)


def open_port(ctx: AppContext, server: str | None = None,
              batch_size: int = 20) -> tuple[ClientPort, str]:
    """A client for the desk's connection (``connect``) or ``server`` with the profile's unit;
    the credential from TREASURY_API_TOKEN or the keyring."""
    _, profile = ctx.repositories()
    saved = load_connection(profile)
    if saved is None:
        unit = profile.unit()
        if not server or unit is None:
            raise ExpectedError("api.not_connected")
        saved = Connection(server, unit.code)
    if server and server != saved.server:
        # Another server than the one connected: the desk's credential and pinned CA are never
        # handed to it. Only its own keyring entry or TREASURY_API_TOKEN will do.
        saved = Connection(server, saved.unit)
    token = resolve_token(KeyringCredentialStore(), saved.server, saved.unit)
    client = TreasuryClient(saved.server, saved.unit, token, ca_bundle=saved.ca_bundle)
    return ClientPort(client, batch_size=batch_size), saved.unit


def open_delivery(ctx: AppContext, *, server: str | None = None, concurrency: int = 4,
                  batch_size: int = 20, sync_period: float = 300.0) -> Delivery:
    """Wire the sender and the sync over one client for this data folder (not started)."""
    port, unit = open_port(ctx, server, batch_size)
    sync = StatusSync(ctx.connect, port, unit, actor=ctx.actor, period=sync_period)
    sync.add_chore(refresh_chore(port, unit, ctx.actor))  # first: it raises nothing
    sender = Sender(ctx.connect, port, actor=ctx.actor, concurrency=concurrency,
                    after_delivery=sync.request)
    year = ctx.clock().year

    def refresh(conn: sqlite3.Connection) -> None:  # ETags make this cheap when unchanged
        BalanceBook(conn, _utc_now).refresh(port, unit, year)
        CatalogBook(conn, ctx.data_dir, _utc_now).refresh(port, year)

    sync.add_chore(refresh)
    sync.add_chore(receipt_chore(ctx, port))  # the treasury's receipts of paid vouchers
    return Delivery(sender, sync, port, SenderLock(ctx.data_dir))


def receipt_chore(ctx: AppContext, port: ClientPort) -> ReceiptFetcher:
    """Fetch, verify and keep the receipts of paid vouchers (after each sync)."""
    return ReceiptFetcher(port.receipt, lambda: treasury_roots(ctx.data_dir), _utc_now)


def _utc_now() -> datetime:
    return datetime.now(UTC)
