"""Applying the treasury's changes feed to the desk: one page, one transaction.

Each change is recorded on the voucher's timeline (ignored when already there, so a page applied
twice changes nothing), moves the voucher along the workflow when the move is allowed, and
settles the voucher's outbox item when the treasury reports on exactly the bytes this desk
queued (the change's ``content_hash``). Unknown ids (vouchers made on another desk), and
changes about another document under a known id (a copied data folder, an import that kept
file ids), are skipped; a queued voucher the feed cannot vouch for is left to its own PUT.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.api.port import ChangesPage, SubmitOutcome
from treasury_desktop.clock import iso
from treasury_desktop.domain.workflow import FINAL, SENT_ELSEWHERE, VoucherState, can_move
from treasury_desktop.outbox.store import mark_delivered_in
from treasury_desktop.store.records import Actor
from treasury_desktop.store.timeline import EventSource, add_event
from treasury_desktop.store.vouchers import SqliteVoucherRepository


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


@dataclass
class _Voucher:
    status: VoucherState
    number: str
    digest: str  # the content hash of the signed bytes this desk holds (and sent)
    moved_to: VoucherState | None = None
    reason: str = ""


def apply_page_in(
    conn: sqlite3.Connection, unit: str, page: ChangesPage, actor: Actor, now: datetime
) -> AppliedPage:
    """Apply ``page`` and move the cursor, inside the caller's transaction.

    Every change goes on the timeline; the voucher's status makes one move per page, to the
    last state the page's changes lead to (each step checked against the workflow), so a
    catch-up after days offline writes one row per voucher, not one per step.
    """
    repo = SqliteVoucherRepository(conn)
    applied = unknown = 0
    seen: dict[str, _Voucher | None] = dict.fromkeys(c.voucher_id for c in page.changes)
    known: set[tuple[str, str, str, str]] = set()  # treasury events already on timelines
    for chunk in _chunks(list(seen), 500):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
                "SELECT v.id, v.status, v.number, coalesce(o.content_hash, v.content_hash)"
                " FROM vouchers v LEFT JOIN outbox o ON o.voucher_id = v.id"
                f" WHERE v.id IN ({marks})", chunk):
            seen[row[0]] = _Voucher(VoucherState(row[1]), row[2], row[3] or "")
        known.update((r[0], r[1], r[2], r[3]) for r in conn.execute(
            "SELECT voucher_id, status, at, detail FROM status_events"
            f" WHERE source = ? AND voucher_id IN ({marks})",
            (EventSource.TREASURY.value, *chunk)))
    events: list[tuple[str, str, str, str, str, str]] = []
    for change in page.changes:
        voucher_id = change.voucher_id
        voucher = seen[voucher_id]
        if voucher is None or (change.content_hash and change.content_hash != voucher.digest):
            unknown += 1  # made on another desk, or another document under the same id
            continue
        if voucher.status is VoucherState.QUEUED:
            if not change.content_hash:
                unknown += 1  # the treasury does not say what it holds: the desk's PUT decides
                continue
            # The treasury holds exactly these bytes: settle the outbox item first, which
            # also puts "sent" before the treasury's steps on the timeline.
            mark_delivered_in(conn, repo, actor, voucher_id, SubmitOutcome.REPLAYED, now)
            voucher.status = VoucherState.SENT
        elif voucher.status in SENT_ELSEWHERE:
            # Queued and sent by another desk (countersigning by package): the treasury has it.
            repo.set_status_in(conn, voucher_id, VoucherState.SENT, actor=actor)
            add_event(conn, voucher_id, VoucherState.SENT.value, iso(now), detail="elsewhere")
            voucher.status = VoucherState.SENT
        key = (voucher_id, change.status, change.at, change.detail)
        if key in known:
            continue  # seen before: applying a page twice changes nothing
        known.add(key)
        events.append((*key, change.reason, EventSource.TREASURY.value))
        applied += 1
        try:
            target = VoucherState(change.status)
        except ValueError:
            continue  # a status this version does not know: on the timeline only
        current = voucher.moved_to or voucher.status
        if target is not current and can_move(current, target):
            voucher.moved_to, voucher.reason = target, change.reason
    conn.executemany(
        "INSERT OR IGNORE INTO status_events (voucher_id, status, at, detail, reason, source)"
        " VALUES (?,?,?,?,?,?)", events)
    finals: list[FinalNotice] = []
    moved = 0
    for voucher_id, voucher in seen.items():
        if voucher is None or voucher.moved_to is None:
            continue
        repo.set_status_in(conn, voucher_id, voucher.moved_to, actor=actor, reason=voucher.reason)
        moved += 1
        if voucher.moved_to in FINAL:
            finals.append(FinalNotice(voucher_id, voucher.number, voucher.moved_to, voucher.reason))
    conn.execute(
        "INSERT INTO sync_cursor (unit, cursor, synced_at) VALUES (?, ?, ?)"
        " ON CONFLICT (unit) DO UPDATE SET cursor = excluded.cursor,"
        " synced_at = excluded.synced_at",
        (unit, page.next_cursor, iso(now)),
    )
    return AppliedPage(applied, moved, unknown, tuple(finals))


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
