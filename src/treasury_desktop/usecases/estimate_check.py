"""Before signing: the vouchers' lines checked against the estimates the desk knows.

A line over the remaining estimate, or on a chương/ngành/nguồn where the unit has no estimate
at all, would be refused by the treasury: the PIN dialog says so before the signature, as the
editor does while drafting (issue 12 point 3). A warning never blocks the signature.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from treasury_desktop.i18n import Message
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.balances import BalanceBook

SHOWN = 4  # warnings named one by one; the rest are counted


def estimate_warnings(
    conn: sqlite3.Connection, voucher_ids: Iterable[str], now: Callable[[], datetime]
) -> tuple[Message, ...]:
    """One message per voucher line group over (or without) an estimate, the first
    :data:`SHOWN` named with their voucher's number, the others counted."""
    repo, book = SqliteVoucherRepository(conn), BalanceBook(conn, now)
    found: list[Message] = []
    for voucher_id in voucher_ids:
        stored = repo.get(voucher_id)
        if stored is None:
            continue
        number = stored.voucher.number or voucher_id[:8]
        for warning in book.over_estimate(stored.voucher):
            found.append(Message("signing.estimate.voucher", {
                "number": number, "warning_vi": warning.render("vi"),
                "warning_en": warning.render("en")}))
    if len(found) <= SHOWN:
        return tuple(found)
    more = Message("signing.estimate.more", {"count": len(found) - SHOWN + 1})
    return (*found[:SHOWN - 1], more)
