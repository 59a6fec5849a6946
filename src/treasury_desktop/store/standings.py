"""Where many vouchers stand at once: their workflow state and the treasury's reason.

The outbox view lists queued vouchers by their outbox item; once delivered, what the accountant
needs to see is the voucher's own state (received, paid, rejected …), the same word the list
shows. This reads those states for the rows on screen in one query per few hundred ids.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from treasury_desktop.domain.workflow import VoucherState

_CHUNK = 400  # ids per query (SQLite allows 999 parameters on old builds)


@dataclass(frozen=True)
class Standing:
    """A voucher's workflow state and the treasury's reason for it ('' when none)."""

    status: VoucherState
    reason: str = ""


def standings(conn: sqlite3.Connection, voucher_ids: Iterable[str]) -> dict[str, Standing]:
    """The standing of each of ``voucher_ids`` that the store holds (others are left out)."""
    ids = list(dict.fromkeys(voucher_ids))
    found: dict[str, Standing] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, status, status_reason FROM vouchers WHERE id IN ({marks})",  # noqa: S608
            chunk,
        )
        for voucher_id, status, reason in rows:
            found[str(voucher_id)] = Standing(VoucherState(status), str(reason or ""))
    return found
