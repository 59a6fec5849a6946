"""Queueing vouchers (đưa vào hộp thư đi): put fully signed vouchers into the outbox.

The signed bytes and the final CMS are captured here, once, and never rebuilt: every later
attempt sends exactly these bytes, which is what makes the treasury's PUT idempotent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import from_document
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.store.db import transaction
from treasury_desktop.store.outbox import enqueue_in, is_queued
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore, SignerRegistry
from treasury_desktop.store.vouchers import SqliteVoucherRepository


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
    """The per-voucher result of :meth:`QueueService.queue`."""

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
    conn: sqlite3.Connection, document: bytes, cms_der: bytes, number: str, now: datetime,
    anchors: Callable[[], Sequence[bytes]] | None = None,
) -> None:
    """Both signatures intact over exactly these bytes, chief accountant then account holder,
    by certificates registered for their roles and valid when they signed and now (or when a
    timestamp from a TSA chained to one of the desk's ``anchors`` proves they signed)."""
    from treasury_desktop.usecases.signing import check_signatures  # CMS: at the first queue

    check_signatures(
        SignerRegistry(conn), document, cms_der, now,
        {SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER}, number, tsa_roots=anchors,
    )


def _with_anchors(anchors: Callable[[], Sequence[bytes]] | None) -> SignatureCheck:
    def check(conn: sqlite3.Connection, document: bytes, cms_der: bytes, number: str,
              now: datetime) -> None:
        verify_before_queue(conn, document, cms_der, number, now, anchors)
    return check


class QueueService:
    """Queue one or many vouchers signed by both signers (status ``signed_holder``)."""

    def __init__(
        self, conn: sqlite3.Connection, actor: Actor, clock: Callable[[], datetime],
        on_queued: Callable[[], None] | None = None,
        verify: SignatureCheck | None = None,
        anchors: Callable[[], Sequence[bytes]] | None = None,
    ) -> None:
        """``anchors``: the desk's trust anchors (DER), by which the default check judges the
        signatures' timestamps (``usecases.trust.desk_anchors``)."""
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._actor = actor
        self._clock = clock
        self._on_queued = on_queued
        self._verify = verify or _with_anchors(anchors)

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
        found = self._repo.status_in(conn, voucher_id)
        if found is None:
            return _result(voucher_id, QueueOutcome.NOT_FOUND)
        status, stored_hash = found
        if is_queued(conn, voucher_id):
            return _result(voucher_id, QueueOutcome.ALREADY_QUEUED, status=status.value)
        if status is not VoucherState.SIGNED_HOLDER:
            return _result(voucher_id, QueueOutcome.NOT_SIGNED, status=status.value)
        signature = SignatureStore.of_role_in(conn, voucher_id, SignerRole.ACCOUNT_HOLDER)
        document_json = self._repo.document_in(conn, voucher_id)
        if signature is None or document_json is None:
            return _result(voucher_id, QueueOutcome.NOT_SIGNED, status=status.value)
        voucher = from_document(document_json)
        from treasury_desktop.usecases.signers import desk_unit  # the register: not at start

        unit_of_desk = desk_unit(conn)
        if unit_of_desk is not None and voucher.unit.code != unit_of_desk:
            return _result(voucher_id, QueueOutcome.OTHER_UNIT, unit=voucher.unit.code,
                           desk=unit_of_desk)
        document = voucher_bytes(voucher)
        digest = content_hash(document)
        if digest != stored_hash or digest != signature.content_hash:
            return _result(voucher_id, QueueOutcome.SIGNATURE_STALE)
        try:
            self._verify(conn, document, signature.cms,
                         voucher.number or voucher_id[:8], self._clock())
        except ExpectedError as error:
            return _result(voucher_id, QueueOutcome.SIGNATURE_INVALID, reason=str(error))
        self._repo.set_status_in(conn, voucher_id, VoucherState.QUEUED, actor=self._actor)
        enqueue_in(conn, voucher_id, voucher.unit.code, document, signature.cms,
                   digest, self._clock())
        return _result(voucher_id, QueueOutcome.QUEUED)


def _result(voucher_id: str, outcome: QueueOutcome, **params: str) -> QueueResult:
    return QueueResult(voucher_id, outcome,
                       Message(f"submit.{outcome.value}", {"id": voucher_id, **params}))
