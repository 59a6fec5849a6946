"""The audit log as a hash chain: an edit, an insertion or a deletion shows.

Each entry stores ``prev_hash`` (the ``entry_hash`` of the entry before it; 64 zeros for the
first) and ``entry_hash`` = SHA-256 of ``prev_hash`` and the entry's own fields. Rewriting a
row, dropping the triggers and deleting rows, or inserting one breaks the chain at that
entry. Each voucher's current content hash must also be the ``hash_after`` of its newest
entry, so removing the newest entries of a voucher that changed shows too.

What it cannot show: someone who recomputes every later hash with this same (public) recipe.
Against that, the head hash printed by ``treasury-desktop audit verify`` can be written down
or sent elsewhere and compared later.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from treasury_desktop.i18n import ExpectedError

GENESIS = "0" * 64
_FIELDS = (
    "seq", "at", "os_user", "role", "voucher_id", "action", "detail", "hash_before", "hash_after",
)


def entry_hash(prev_hash: str, fields: Sequence[object]) -> str:
    """The hash of one entry: its predecessor's hash and its own fields, in a fixed order."""
    content = json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def last_hash(conn: sqlite3.Connection) -> tuple[int, str]:
    """The newest entry's sequence number and hash (0 and :data:`GENESIS` for an empty log)."""
    row = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return 0, GENESIS
    return int(row[0]), str(row[1] or GENESIS)


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain breaks: the first entry that does not hold, and how."""

    seq: int
    at: str
    action: str
    reason: str  # edited | missing_before | not_sealed | voucher_newer


@dataclass(frozen=True)
class ChainReport:
    """The result of checking the whole log."""

    entries: int
    head: str
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        """Whether every entry holds."""
        return self.broken is None


def verify_chain(conn: sqlite3.Connection) -> ChainReport:
    """Check every entry in order, then each voucher against its newest entry."""
    previous, count = GENESIS, 0
    columns = ", ".join(_FIELDS)
    for row in conn.execute(f"SELECT {columns}, prev_hash, entry_hash FROM audit_log ORDER BY seq"):
        count += 1
        fields, prev, own = row[: len(_FIELDS)], row[-2], row[-1]
        reason = None
        if prev is None or own is None:
            reason = "not_sealed"
        elif prev != previous:
            reason = "missing_before"
        elif own != entry_hash(prev, fields):
            reason = "edited"
        if reason is not None:
            return ChainReport(count, previous, ChainBreak(row[0], row[1], row[5], reason))
        previous = own
    stale = conn.execute(
        "SELECT v.id, v.updated_at FROM vouchers AS v WHERE v.content_hash IS NOT"
        " (SELECT a.hash_after FROM audit_log AS a WHERE a.voucher_id = v.id"
        "  ORDER BY a.seq DESC LIMIT 1) LIMIT 1"
    ).fetchone()
    if stale is not None:
        return ChainReport(count, previous, ChainBreak(0, stale[1], stale[0], "voucher_newer"))
    return ChainReport(count, previous, None)


def seal_unchained(conn: sqlite3.Connection) -> None:
    """Chain the entries written before the chain existed, in order (the upgrade to v7),
    then put back the trigger that refuses any later UPDATE."""
    previous = GENESIS
    columns = ", ".join(_FIELDS)
    rows = conn.execute(f"SELECT {columns} FROM audit_log ORDER BY seq").fetchall()
    for row in rows:
        own = entry_hash(previous, tuple(row))
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE seq = ?",
            (previous, own, row[0]),
        )
        previous = own
    conn.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN"
        " SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )


class AuditChainBroken(ExpectedError):
    """The audit log was changed outside the app; the message says where."""

    def __init__(self, broken: ChainBreak) -> None:
        super().__init__(
            f"audit.broken.{broken.reason}", seq=broken.seq, at=broken.at, action=broken.action
        )
        self.broken = broken
