"""The append-only audit log: who, when, what, content hash before and after.

SQL triggers refuse UPDATE and DELETE on the table, so even a bug cannot rewrite history, and
each entry is a link of a hash chain (store/audit_chain.py), so an edit from outside shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
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
    append_audits(conn, actor, [(voucher_id, action, detail, hash_before, hash_after)])


AuditLine = tuple[str | None, str, str, str | None, str | None]
"""One entry to add: voucher id, action, detail, content hash before, content hash after."""


def append_audits(conn: sqlite3.Connection, actor: Actor, lines: Sequence[AuditLine]) -> None:
    """Add entries in order, inside the caller's (write) transaction, each chained to the one
    before it (many status moves of one feed page are one statement, not one each)."""
    last_seq, previous = last_hash(conn)
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    rows = []
    for seq, line in enumerate(lines, last_seq + 1):
        fields = (seq, at, actor.os_user, actor.role, *line)
        own = entry_hash(previous, fields)
        rows.append((*fields, previous, own))
        previous = own
    conn.executemany(
        "INSERT INTO audit_log (seq, at, os_user, role, voucher_id, action, detail, hash_before,"
        " hash_after, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
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
