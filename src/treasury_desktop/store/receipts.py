"""The treasury's receipts kept with their vouchers (table of the receipts migration)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.db import transaction


@dataclass(frozen=True)
class AwaitingReceipt:
    """A paid voucher whose receipt the desk does not hold yet."""

    voucher_id: str
    unit: str
    content_hash: str


class ReceiptStore:
    """Receipts as the treasury sent them (verified before they are kept)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def envelope(self, voucher_id: str) -> Any:
        """The stored receipt's JSON, or None."""
        row = self._conn.execute(
            "SELECT envelope FROM receipts WHERE voucher_id = ?", (voucher_id,)
        ).fetchone()
        return json.loads(row["envelope"]) if row else None

    def keep(self, voucher_id: str, envelope: Any, *, reference: str, dossier: str,
             accounting_date: str, fetched_at: str) -> None:
        """Keep a verified receipt (a second copy of the same voucher's replaces the first)."""
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO receipts (voucher_id, envelope, reference, dossier,"
                " accounting_date, fetched_at) VALUES (?,?,?,?,?,?)",
                (voucher_id, json.dumps(envelope, ensure_ascii=False), reference, dossier,
                 accounting_date, fetched_at),
            )

    def awaiting(self, limit: int = 100) -> list[AwaitingReceipt]:
        """Paid vouchers without a receipt, oldest change first."""
        rows = self._conn.execute(
            "SELECT v.id, v.document, v.content_hash FROM vouchers v"
            " LEFT JOIN receipts r ON r.voucher_id = v.id"
            " WHERE v.status = ? AND r.voucher_id IS NULL ORDER BY v.updated_at LIMIT ?",
            (VoucherState.PAID.value, limit),
        ).fetchall()
        out = []
        for row in rows:
            unit = json.loads(row["document"]).get("unit", {}).get("code", "")
            out.append(AwaitingReceipt(row["id"], str(unit), row["content_hash"]))
        return out
