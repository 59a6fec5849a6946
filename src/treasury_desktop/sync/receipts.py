"""Fetching the treasury's receipt once a voucher is paid: verify it, keep it for reprinting.

Run after each status sync (a chore of :class:`StatusSync`, and by the ``sync`` command). A
receipt that fails verification is not kept: it is fetched again at the next sync, and the
log says why.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from treasury_desktop.api.port import TreasuryFailure
from treasury_desktop.i18n import Message
from treasury_desktop.signing.receipt import ReceiptInvalid, verify_receipt
from treasury_desktop.store.receipts import ReceiptStore

log = logging.getLogger(__name__)
FetchReceipt = Callable[[str, str], Mapping[str, Any] | None]
"""(unit, voucher_id) -> the receipt's JSON, or None while the treasury has issued none."""


@dataclass
class ReceiptSummary:
    """What one round of fetching did."""

    kept: list[str] = field(default_factory=list)
    not_yet: list[str] = field(default_factory=list)
    refused: list[tuple[str, Message]] = field(default_factory=list)
    error: str | None = None


class ReceiptFetcher:
    """Fetches, verifies and keeps the receipts of paid vouchers that have none yet."""

    def __init__(self, fetch: FetchReceipt, trusted_roots: Callable[[], Sequence[bytes]],
                 now: Callable[[], datetime]) -> None:
        self._fetch = fetch
        self._roots = trusted_roots
        self._now = now

    def __call__(self, conn: sqlite3.Connection) -> None:
        """One round, as a chore of the status sync."""
        self.run(conn)

    def run(self, conn: sqlite3.Connection) -> ReceiptSummary:
        """One round over the paid vouchers without a receipt."""
        store = ReceiptStore(conn)
        summary = ReceiptSummary()
        roots = self._roots()
        for waiting in store.awaiting():
            try:
                envelope = self._fetch(waiting.unit, waiting.voucher_id)
            except TreasuryFailure as error:  # offline or refused: try again next time
                summary.error = error.described()
                break
            if envelope is None:
                summary.not_yet.append(waiting.voucher_id)
                continue
            try:
                receipt = verify_receipt(envelope, voucher_id=waiting.voucher_id,
                                         unit=waiting.unit, content_hash=waiting.content_hash,
                                         trusted_roots=roots)
            except ReceiptInvalid as refusal:
                log.warning("receipt of %s refused: %s", waiting.voucher_id, refusal.message.key)
                summary.refused.append((waiting.voucher_id, refusal.message))
                continue
            store.keep(waiting.voucher_id, envelope, reference=receipt.reference,
                       dossier=receipt.dossier, accounting_date=receipt.accounting_date,
                       fetched_at=self._now().isoformat())
            summary.kept.append(waiting.voucher_id)
        return summary
