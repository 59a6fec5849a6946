"""The append-only audit log: who, when, what, content hash before and after.

SQL triggers refuse UPDATE and DELETE on the table, so even a bug cannot rewrite history, and
each entry is a link of a hash chain (store/audit_chain.py), so an edit from outside shows.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from treasury_desktop.store.audit_chain import entry_hash, last_hash
from treasury_desktop.store.records import Actor, AuditEntry


def append_audit(
    conn: sqlite3.Connection,
    actor: Actor,
    voucher_id: str | None,
    action: str,
    detail: str,
    hash_before: str | None,
    hash_after: str | None,
) -> None:
    """Add one entry, inside the caller's (write) transaction, chained to the newest one."""
    last_seq, previous = last_hash(conn)
    fields = (
        last_seq + 1, datetime.now(UTC).isoformat(timespec="milliseconds"), actor.os_user,
        actor.role, voucher_id, action, detail, hash_before, hash_after,
    )
    conn.execute(
        "INSERT INTO audit_log (seq, at, os_user, role, voucher_id, action, detail, hash_before,"
        " hash_after, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (*fields, previous, entry_hash(previous, fields)),
    )


def audit_entries(conn: sqlite3.Connection, voucher_id: str | None = None) -> list[AuditEntry]:
    """The log, oldest first; for one voucher when ``voucher_id`` is given."""
    if voucher_id is None:
        rows = conn.execute("SELECT * FROM audit_log ORDER BY seq")
    else:
        rows = conn.execute(
            "SELECT * FROM audit_log WHERE voucher_id = ? ORDER BY seq", (voucher_id,)
        )
    return [
        AuditEntry(
            seq=r["seq"], at=r["at"], os_user=r["os_user"], role=r["role"],
            voucher_id=r["voucher_id"], action=r["action"], detail=r["detail"],
            hash_before=r["hash_before"], hash_after=r["hash_after"],
        )
        for r in rows
    ]
