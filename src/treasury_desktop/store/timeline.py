"""Each voucher's timeline (queued, sent, received, checking, paid / rejected / returned).

Rows come from the desk (the outbox) and from the treasury (the changes feed). A row is unique
on (voucher, source, status, time, detail), so applying the same feed page twice adds nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class EventSource(StrEnum):
    """Who said it."""

    DESK = "desk"  # this app: queued, sent, refused at the door
    TREASURY = "treasury"  # the treasury's changes feed


@dataclass(frozen=True)
class TimelineEvent:
    """One step of a voucher's life, for the timeline view."""

    voucher_id: str
    status: str
    at: str
    detail: str
    reason: str
    source: EventSource


def add_event(
    conn: sqlite3.Connection, voucher_id: str, status: str, at: str, *, detail: str = "",
    reason: str = "", source: EventSource = EventSource.DESK,
) -> bool:
    """Record one event inside the caller's transaction; False when it was already there."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO status_events (voucher_id, status, at, detail, reason, source)"
        " VALUES (?,?,?,?,?,?)",
        (voucher_id, status, at, detail, reason, source.value),
    )
    return cursor.rowcount > 0


def add_events_in(
    conn: sqlite3.Connection, events: Iterable[tuple[str, str, str, str, str]],
    source: EventSource,
) -> None:
    """Record many events (voucher id, status, at, detail, reason) from one source, inside the
    caller's transaction; those already there are left as they are."""
    conn.executemany(
        "INSERT OR IGNORE INTO status_events (voucher_id, status, at, detail, reason, source)"
        " VALUES (?,?,?,?,?,?)", [(*event, source.value) for event in events])


def timeline(conn: sqlite3.Connection, voucher_id: str) -> list[TimelineEvent]:
    """The voucher's events in the order they were learned."""
    rows = conn.execute(
        "SELECT voucher_id, status, at, detail, reason, source FROM status_events"
        " WHERE voucher_id = ? ORDER BY seq",
        (voucher_id,),
    )
    return [TimelineEvent(r[0], r[1], r[2], r[3], r[4], EventSource(r[5])) for r in rows]
