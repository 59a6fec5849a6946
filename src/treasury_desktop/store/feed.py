"""What applying the treasury's changes feed reads and writes: where the feed was read up to,
the desk's view of the vouchers a page names, and the treasury's events already on timelines."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.clock import iso
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.timeline import EventSource

TreasuryEvent = tuple[str, str, str, str]
"""A treasury event's identity on a timeline: voucher id, status, time, detail."""

_CHUNK = 500  # ids per query, well under SQLite's limit of bound parameters


@dataclass(frozen=True)
class FollowedVoucher:
    """A voucher the feed reports on, as the desk holds it."""

    voucher_id: str
    status: VoucherState
    number: str
    digest: str  # the content hash of the signed bytes this desk holds (and queued)


def read_cursor(conn: sqlite3.Connection, unit: str) -> str | None:
    """Where the feed was read up to."""
    row = conn.execute("SELECT cursor FROM sync_cursor WHERE unit = ?", (unit,)).fetchone()
    return None if row is None else str(row[0])


def save_cursor_in(conn: sqlite3.Connection, unit: str, cursor: str, now: datetime) -> None:
    """Move the cursor, inside the caller's transaction (with the page it ends)."""
    conn.execute(
        "INSERT INTO sync_cursor (unit, cursor, synced_at) VALUES (?, ?, ?)"
        " ON CONFLICT (unit) DO UPDATE SET cursor = excluded.cursor,"
        " synced_at = excluded.synced_at",
        (unit, cursor, iso(now)),
    )


def followed_in(
    conn: sqlite3.Connection, voucher_ids: Iterable[str]
) -> tuple[dict[str, FollowedVoucher], set[TreasuryEvent]]:
    """The known vouchers among ``voucher_ids`` (the digest of their outbox item's bytes when
    queued, else of their content), and the treasury's events already on their timelines."""
    found: dict[str, FollowedVoucher] = {}
    known: set[TreasuryEvent] = set()
    ids = list(voucher_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
                "SELECT v.id, v.status, v.number, coalesce(o.content_hash, v.content_hash)"
                " FROM vouchers v LEFT JOIN outbox o ON o.voucher_id = v.id"
                f" WHERE v.id IN ({marks})", chunk):
            found[row[0]] = FollowedVoucher(row[0], VoucherState(row[1]), row[2], row[3] or "")
        known.update((r[0], r[1], r[2], r[3]) for r in conn.execute(
            "SELECT voucher_id, status, at, detail FROM status_events"
            f" WHERE source = ? AND voucher_id IN ({marks})",
            (EventSource.TREASURY.value, *chunk)))
    return found, known
