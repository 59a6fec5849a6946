"""The desk's most recent vouchers of a fiscal year, newest first (what a new draft learns
from: the next number, the unit's usual chương/ngành/nguồn and cấp NS)."""

from __future__ import annotations

import json
import sqlite3

from treasury_desktop.domain.voucher import Voucher, from_document


def recent_vouchers(conn: sqlite3.Connection, fiscal_year: int, limit: int) -> list[Voucher]:
    """Up to ``limit`` vouchers of ``fiscal_year``, the last stored first (rowid order: read
    from the table's own b-tree, no sort); an unreadable document is passed over."""
    rows = conn.execute(
        "SELECT document FROM vouchers WHERE fiscal_year = ? ORDER BY rowid DESC LIMIT ?",
        (fiscal_year, limit),
    )
    found = []
    for (document,) in rows:
        try:
            found.append(from_document(json.loads(document), check_text=False))
        except (ValueError, RecursionError):  # a damaged row says so where it is opened
            continue
    return found
