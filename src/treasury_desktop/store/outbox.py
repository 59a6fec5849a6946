"""The outbox table (hộp thư đi): every state change is one committed transaction (or part of
the caller's). The outbox's sender (``outbox/``) decides; this module is its SQL.

Functions ending in ``_in`` run inside a transaction the caller holds, so that the voucher's
workflow move and its timeline entry commit together with the item's new state.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.api.port import DeliveryOutcome, ServerReason
from treasury_desktop.clock import iso, parse_iso
from treasury_desktop.domain.workflow import ACTIVE, ItemState, VoucherState, can_move
from treasury_desktop.i18n import Message
from treasury_desktop.store.records import Actor
from treasury_desktop.store.timeline import add_event
from treasury_desktop.store.vouchers import SqliteVoucherRepository


@dataclass(frozen=True)
class OutboxItem:
    """One row of the outbox view."""

    voucher_id: str
    unit: str
    state: ItemState
    attempts: int
    next_attempt_at: datetime | None
    last_error: Message | None
    outcome: DeliveryOutcome | None
    reasons: tuple[ServerReason, ...]
    maybe_committed: bool
    queued_at: datetime
    updated_at: datetime
    number: str = ""
    payee: str = ""
    total: int = 0


@dataclass(frozen=True)
class Claimed:
    """An item taken for one attempt: the exact bytes captured at queue time."""

    voucher_id: str
    unit: str
    document: bytes
    signature: bytes
    attempts: int
    maybe_committed: bool


_ACTIVE = tuple(sorted(s.value for s in ACTIVE))  # a fixed order for the SQL parameters
_ACTIVE_MARKS = ",".join("?" * len(_ACTIVE))


def message_json(message: Message | None) -> str:
    """A message as stored in ``last_error``."""
    if message is None:
        return ""
    return json.dumps({"key": message.key, "params": dict(message.params)}, ensure_ascii=False)


def message_from_json(raw: str) -> Message | None:
    """The inverse of :func:`message_json`."""
    if not raw:
        return None
    data = json.loads(raw)
    return Message(str(data["key"]), dict(data.get("params", {})))


def reasons_text(reasons: tuple[ServerReason, ...]) -> str:
    """The server's reasons joined, word for word, for the voucher's status reason."""
    return "\n".join(r.message for r in reasons)


def enqueue_in(
    conn: sqlite3.Connection, voucher_id: str, unit: str, document: bytes, signature: bytes,
    digest: str, now: datetime,
) -> None:
    """Add an item (the caller has moved the voucher to ``queued``)."""
    at = iso(now)
    conn.execute(
        "INSERT INTO outbox (voucher_id, unit, state, document, signature, content_hash,"
        " next_attempt_at, queued_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (voucher_id, unit, ItemState.PENDING.value, document, signature, digest, at, at, at),
    )
    add_event(conn, voucher_id, VoucherState.QUEUED.value, at)


def claim_due_in(conn: sqlite3.Connection, now: datetime, limit: int,
                 exclude: frozenset[str] = frozenset()) -> list[Claimed]:
    """Mark up to ``limit`` due items in flight (attempts + 1) and return them, oldest first."""
    rows = conn.execute(
        "SELECT voucher_id, unit, document, signature, attempts, maybe_committed FROM outbox"
        " WHERE state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, queued_at LIMIT ?",
        (ItemState.PENDING.value, iso(now), limit + len(exclude)),
    ).fetchall()
    claimed = [
        Claimed(r[0], r[1], bytes(r[2]), bytes(r[3]), r[4] + 1, bool(r[5]))
        for r in rows if r[0] not in exclude
    ][:limit]
    conn.executemany(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, updated_at = ? WHERE voucher_id = ?",
        [(ItemState.IN_FLIGHT.value, iso(now), c.voucher_id) for c in claimed],
    )
    return claimed


def mark_delivered_in(
    conn: sqlite3.Connection, repo: SqliteVoucherRepository, actor: Actor, voucher_id: str,
    outcome: DeliveryOutcome, now: datetime,
) -> bool:
    """201/200 (or the feed knows the document): delivered; the voucher moves queued → sent."""
    cursor = conn.execute(
        "UPDATE outbox SET state = ?, outcome = ?, last_error = '', next_attempt_at = '',"
        f" updated_at = ?, finished_at = ? WHERE voucher_id = ? AND state IN ({_ACTIVE_MARKS})",
        (ItemState.DELIVERED.value, outcome.value, iso(now), iso(now), voucher_id, *_ACTIVE),
    )
    if cursor.rowcount == 0:
        return False
    if _voucher_status(conn, repo, voucher_id) is VoucherState.QUEUED:
        repo.set_status_in(conn, voucher_id, VoucherState.SENT, actor=actor)
    add_event(conn, voucher_id, VoucherState.SENT.value, iso(now), detail=outcome.value)
    return True


def mark_refused_in(
    conn: sqlite3.Connection, repo: SqliteVoucherRepository, actor: Actor, voucher_id: str,
    outcome: DeliveryOutcome, reasons: tuple[ServerReason, ...], now: datetime,
) -> None:
    """409/422: the item keeps the reasons word for word; the voucher goes to ``rejected``.

    Only an item still on its way can be refused: a late answer never undoes a delivery that
    the changes feed already settled.
    """
    changed = conn.execute(
        "UPDATE outbox SET state = ?, outcome = ?, reasons = ?, last_error = ?,"
        " next_attempt_at = '', updated_at = ?, finished_at = ? WHERE voucher_id = ?"
        f" AND state IN ({_ACTIVE_MARKS})",
        (ItemState.REFUSED.value, outcome.value,
         json.dumps([r.as_json() for r in reasons], ensure_ascii=False),
         message_json(Message(f"outbox.refused.{outcome.value}",
                              {"reasons": reasons_text(reasons)})),
         iso(now), iso(now), voucher_id, *_ACTIVE),
    ).rowcount
    if not changed:
        return
    text = reasons_text(reasons)
    current = _voucher_status(conn, repo, voucher_id)
    if current is not None and can_move(current, VoucherState.REJECTED):
        repo.set_status_in(conn, voucher_id, VoucherState.REJECTED, actor=actor, reason=text)
    add_event(conn, voucher_id, VoucherState.REJECTED.value, iso(now),
              detail=f"http-{'409' if outcome is DeliveryOutcome.CONFLICT else '422'}", reason=text)


def schedule_retry_in(
    conn: sqlite3.Connection, voucher_id: str, next_at: datetime, error: Message,
    maybe_committed: bool, now: datetime,
) -> None:
    """A transient failure: back to pending, due at ``next_at``."""
    conn.execute(
        "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?,"
        " maybe_committed = maybe_committed OR ?, updated_at = ?"
        " WHERE voucher_id = ? AND state = ?",
        (ItemState.PENDING.value, iso(next_at), message_json(error), int(maybe_committed),
         iso(now), voucher_id, ItemState.IN_FLIGHT.value),
    )


def release_in(conn: sqlite3.Connection, voucher_id: str, error: Message | None,
               now: datetime) -> None:
    """Give an in-flight item back without charging the attempt (the outbox paused)."""
    conn.execute(
        "UPDATE outbox SET state = ?, attempts = max(attempts - 1, 0), next_attempt_at = ?,"
        " last_error = ?, maybe_committed = 1, updated_at = ? WHERE voucher_id = ? AND state = ?",
        (ItemState.PENDING.value, iso(now), message_json(error), iso(now), voucher_id,
         ItemState.IN_FLIGHT.value),
    )


def recover_in(conn: sqlite3.Connection, now: datetime) -> int:
    """At start: items left in flight by a killed process may be on the server already.

    They go back to pending, due now, flagged ``maybe_committed``: the next attempt resends the
    same bytes, which the idempotent PUT answers with 200 if the first one arrived.
    """
    cursor = conn.execute(
        "UPDATE outbox SET state = ?, maybe_committed = 1, next_attempt_at = ?, updated_at = ?"
        " WHERE state = ?",
        (ItemState.PENDING.value, iso(now), iso(now), ItemState.IN_FLIGHT.value),
    )
    return cursor.rowcount


def wake_all_in(conn: sqlite3.Connection, now: datetime) -> int:
    """Send now: every pending item becomes due."""
    cursor = conn.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE state = ? AND next_attempt_at > ?",
        (iso(now), ItemState.PENDING.value, iso(now)),
    )
    return cursor.rowcount


def wake_stranded_in(conn: sqlite3.Connection, now: datetime, latest: datetime) -> int:
    """Items due after ``latest`` were scheduled by a clock set ahead and since corrected:
    they are due now instead of waiting out the clock's error."""
    cursor = conn.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE state = ? AND next_attempt_at > ?",
        (iso(now), ItemState.PENDING.value, iso(latest)),
    )
    return cursor.rowcount


def next_due(conn: sqlite3.Connection) -> datetime | None:
    """When the earliest pending item is due."""
    row = conn.execute(
        "SELECT min(next_attempt_at) FROM outbox WHERE state = ?", (ItemState.PENDING.value,)
    ).fetchone()
    return parse_iso(row[0])


def next_unit(conn: sqlite3.Connection) -> str | None:
    """The unit of the next due item (one desk serves one unit; this keeps batches honest)."""
    row = conn.execute(
        "SELECT unit FROM outbox WHERE state = ? ORDER BY next_attempt_at LIMIT 1",
        (ItemState.PENDING.value,),
    ).fetchone()
    return None if row is None else str(row[0])


def counts(conn: sqlite3.Connection) -> dict[ItemState, int]:
    """Items per state."""
    found = {state: 0 for state in ItemState}
    for state, count in conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
        found[ItemState(state)] = int(count)
    return found


def set_pause_in(conn: sqlite3.Connection, reason: Message | None, now: datetime) -> None:
    """Pause the whole outbox with a reason, or resume it (``None``)."""
    if reason is None:
        conn.execute("DELETE FROM outbox_pause")
        return
    conn.execute(
        "INSERT INTO outbox_pause (id, reason, paused_at) VALUES (1, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, paused_at = excluded.paused_at",
        (message_json(reason), iso(now)),
    )


def pause_reason(conn: sqlite3.Connection) -> Message | None:
    """Why the outbox is paused, or None."""
    row = conn.execute("SELECT reason FROM outbox_pause WHERE id = 1").fetchone()
    return None if row is None else message_from_json(row[0])


def items(conn: sqlite3.Connection, states: frozenset[ItemState] | None = None) -> list[OutboxItem]:
    """Snapshot rows for the outbox view, oldest queued first."""
    wanted = sorted(s.value for s in (states or frozenset(ItemState)))
    marks = ",".join("?" * len(wanted))
    rows = conn.execute(
        "SELECT o.voucher_id, o.unit, o.state, o.attempts, o.next_attempt_at, o.last_error,"
        " o.outcome, o.reasons, o.maybe_committed, o.queued_at, o.updated_at,"
        " v.number, v.payee, v.total FROM outbox o LEFT JOIN vouchers v ON v.id = o.voucher_id"
        f" WHERE o.state IN ({marks}) ORDER BY o.queued_at, o.voucher_id",
        wanted,
    )
    return [_item(r) for r in rows]


def _item(r: sqlite3.Row) -> OutboxItem:
    state = ItemState(r[2])
    queued = parse_iso(r[9])
    updated = parse_iso(r[10])
    assert queued is not None and updated is not None
    return OutboxItem(
        voucher_id=r[0], unit=r[1], state=state, attempts=r[3],
        next_attempt_at=parse_iso(r[4]) if state is ItemState.PENDING else None,
        last_error=message_from_json(r[5]),
        outcome=DeliveryOutcome(r[6]) if r[6] else None,
        reasons=tuple(ServerReason(**x) for x in json.loads(r[7] or "[]")),
        maybe_committed=bool(r[8]), queued_at=queued, updated_at=updated,
        number=r[11] or "", payee=r[12] or "", total=r[13] or 0,
    )


def _voucher_status(conn: sqlite3.Connection, repo: SqliteVoucherRepository,
                    voucher_id: str) -> VoucherState | None:
    found = repo.status_in(conn, voucher_id)
    return None if found is None else found[0]


def is_queued(conn: sqlite3.Connection, voucher_id: str) -> bool:
    """Whether the voucher has an item in the outbox (in any state)."""
    return conn.execute(
        "SELECT 1 FROM outbox WHERE voucher_id = ?", (voucher_id,)).fetchone() is not None
