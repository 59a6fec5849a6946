"""Applying the treasury's changes feed to the desk: one page, one transaction.

Each change is recorded on the voucher's timeline (ignored when already there, so a page applied
twice changes nothing), moves the voucher along the workflow when the move is allowed, and
settles the voucher's outbox item: a document the treasury reports on has been delivered.
Unknown ids (vouchers made on another desk) are skipped.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.domain.workflow import FINAL, VoucherState, can_move
from treasury_desktop.outbox.port import ChangesPage, SubmitOutcome
from treasury_desktop.outbox.store import mark_delivered_in
from treasury_desktop.outbox.timing import iso
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.timeline import EventSource, add_event


@dataclass(frozen=True)
class FinalNotice:
    """A voucher that reached the treasury's final word: for a desktop notification."""

    voucher_id: str
    number: str
    status: VoucherState
    reason: str


@dataclass(frozen=True)
class AppliedPage:
    """What one page did."""

    applied: int
    moved: int
    unknown: int
    finals: tuple[FinalNotice, ...]


def read_cursor(conn: sqlite3.Connection, unit: str) -> str | None:
    """Where the feed was read up to."""
    row = conn.execute("SELECT cursor FROM sync_cursor WHERE unit = ?", (unit,)).fetchone()
    return None if row is None else str(row[0])


def last_synced(conn: sqlite3.Connection, unit: str) -> datetime | None:
    """When the feed was last read."""
    row = conn.execute("SELECT synced_at FROM sync_cursor WHERE unit = ?", (unit,)).fetchone()
    return None if row is None else datetime.fromisoformat(row[0])


def apply_page_in(
    conn: sqlite3.Connection, unit: str, page: ChangesPage, actor: Actor, now: datetime
) -> AppliedPage:
    """Apply ``page`` and move the cursor, inside the caller's transaction."""
    repo = SqliteVoucherRepository(conn)
    applied = moved = unknown = 0
    finals: list[FinalNotice] = []
    for change in page.changes:
        row = conn.execute(
            "SELECT status, number FROM vouchers WHERE id = ?", (change.document_id,)
        ).fetchone()
        if row is None:
            unknown += 1
            continue
        # The treasury reports on it, so it has it: settle the outbox item first (no-op when
        # already delivered), which also puts "sent" before the treasury's steps.
        mark_delivered_in(conn, repo, actor, change.document_id, SubmitOutcome.REPLAYED, now)
        if not add_event(conn, change.document_id, change.status, change.at, detail=change.detail,
                         reason=change.reason, source=EventSource.TREASURY):
            continue  # seen before
        applied += 1
        try:
            target = VoucherState(change.status)
        except ValueError:
            continue  # a status this version does not know: on the timeline only
        current = VoucherState(conn.execute(
            "SELECT status FROM vouchers WHERE id = ?", (change.document_id,)).fetchone()[0])
        if current is target or not can_move(current, target):
            continue
        repo.set_status_in(conn, change.document_id, target, actor=actor, reason=change.reason)
        moved += 1
        if target in FINAL:
            finals.append(FinalNotice(change.document_id, row["number"], target, change.reason))
    conn.execute(
        "INSERT INTO sync_cursor (unit, cursor, synced_at) VALUES (?, ?, ?)"
        " ON CONFLICT (unit) DO UPDATE SET cursor = excluded.cursor,"
        " synced_at = excluded.synced_at",
        (unit, page.next_cursor, iso(now)),
    )
    return AppliedPage(applied, moved, unknown, tuple(finals))
