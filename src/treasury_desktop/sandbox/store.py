"""The sandbox treasury's own SQLite file (never the desk's): documents, status events, spending.

One connection guarded by one lock: the sandbox is small, and the lock is what makes two
identical PUTs racing each other end as one 201 and one 200.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    unit TEXT NOT NULL,
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    document TEXT NOT NULL,
    signature BLOB NOT NULL,
    fiscal_year INTEGER NOT NULL,
    reference TEXT NOT NULL,
    dossier TEXT NOT NULL,
    received_at TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    due_at TEXT,
    PRIMARY KEY (unit, id)
);
CREATE INDEX IF NOT EXISTS documents_due ON documents (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    unit TEXT NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_unit ON events (unit, seq);
CREATE TABLE IF NOT EXISTS spending (
    unit TEXT NOT NULL, id TEXT NOT NULL, fiscal_year INTEGER NOT NULL,
    chapter TEXT NOT NULL, industry TEXT NOT NULL, source TEXT NOT NULL, amount INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sequences (
    treasury TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (treasury, day)
);
"""


@dataclass(frozen=True)
class StoredDocument:
    """A document the treasury received."""

    unit: str
    id: str
    content_hash: str
    document: Mapping[str, Any]
    fiscal_year: int
    reference: str
    dossier: str
    received_at: str
    step: int
    due_at: str | None


@dataclass(frozen=True)
class Event:
    """One status change of one document; ``seq`` is the changes-feed cursor."""

    seq: int
    unit: str
    id: str
    status: str
    detail: str
    reason: str | None
    at: str
    content_hash: str = ""  # of the document the change is about


_EVENTS = ("SELECT e.seq, e.unit, e.id, e.status, e.detail, e.reason, e.at,"
           " coalesce(d.content_hash, '') FROM events e"
           " LEFT JOIN documents d ON d.unit = e.unit AND d.id = e.id")


class SandboxStore:
    """Everything the sandbox remembers, in one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file."""
        with self.lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the lock."""
        with self.lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def document(self, unit: str, voucher_id: str) -> StoredDocument | None:
        """The stored document, if any."""
        with self.lock:
            row = self._conn.execute(
                "SELECT unit, id, content_hash, document, fiscal_year, reference, dossier,"
                " received_at, step, due_at FROM documents WHERE unit = ? AND id = ?",
                (unit, voucher_id),
            ).fetchone()
        if row is None:
            return None
        return StoredDocument(row[0], row[1], row[2], json.loads(row[3]), *row[4:])

    def next_sequence(self, conn: sqlite3.Connection, treasury: str, day: str) -> int:
        """The next number of the treasury office's day (for reference numbers)."""
        conn.execute(
            "INSERT INTO sequences (treasury, day, last) VALUES (?, ?, 1)"
            " ON CONFLICT (treasury, day) DO UPDATE SET last = last + 1",
            (treasury, day),
        )
        row = conn.execute(
            "SELECT last FROM sequences WHERE treasury = ? AND day = ?", (treasury, day)
        ).fetchone()
        return int(row[0])

    def insert_document(
        self, conn: sqlite3.Connection, doc: StoredDocument, signature: bytes
    ) -> None:
        """Store a received document (inside :meth:`transaction`)."""
        conn.execute(
            "INSERT INTO documents (unit, id, content_hash, document, signature, fiscal_year,"
            " reference, dossier, received_at, step, due_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.unit,
                doc.id,
                doc.content_hash,
                json.dumps(doc.document, ensure_ascii=False),
                signature,
                doc.fiscal_year,
                doc.reference,
                doc.dossier,
                doc.received_at,
                doc.step,
                doc.due_at,
            ),
        )

    def add_event(
        self,
        conn: sqlite3.Connection,
        unit: str,
        voucher_id: str,
        status: str,
        detail: str,
        reason: str | None,
        at: datetime,
    ) -> None:
        """Append a status change to the document's history and the unit's changes feed."""
        conn.execute(
            "INSERT INTO events (unit, id, status, detail, reason, at) VALUES (?,?,?,?,?,?)",
            (unit, voucher_id, status, detail, reason, at.isoformat()),
        )

    def history(self, unit: str, voucher_id: str) -> list[Event]:
        """Every status change of a document, oldest first."""
        with self.lock:
            rows = self._conn.execute(
                _EVENTS + " WHERE e.unit = ? AND e.id = ? ORDER BY e.seq",
                (unit, voucher_id),
            ).fetchall()
        return [Event(*row) for row in rows]

    def changes(self, unit: str, after: int, limit: int) -> list[Event]:
        """Status changes of a unit after cursor ``after``, oldest first."""
        with self.lock:
            rows = self._conn.execute(
                _EVENTS + " WHERE e.unit = ? AND e.seq > ? ORDER BY e.seq LIMIT ?",
                (unit, after, limit),
            ).fetchall()
        return [Event(*row) for row in rows]

    def due(self, now: datetime) -> list[StoredDocument]:
        """Documents whose next clerk step is due."""
        with self.lock:
            keys = self._conn.execute(
                "SELECT unit, id FROM documents WHERE due_at IS NOT NULL AND due_at <= ?"
                " ORDER BY due_at, rowid",
                (now.isoformat(),),
            ).fetchall()
        found = (self.document(unit, voucher_id) for unit, voucher_id in keys)
        return [d for d in found if d is not None]

    def set_step(
        self, conn: sqlite3.Connection, unit: str, voucher_id: str, step: int, due_at: str | None
    ) -> None:
        """Record the clerk's progress on a document."""
        conn.execute(
            "UPDATE documents SET step = ?, due_at = ? WHERE unit = ? AND id = ?",
            (step, due_at, unit, voucher_id),
        )

    def add_spending(
        self,
        conn: sqlite3.Connection,
        unit: str,
        voucher_id: str,
        year: int,
        amounts: Mapping[tuple[str, str, str], int],
    ) -> None:
        """Record what a paid document drew from the estimates."""
        conn.executemany(
            "INSERT INTO spending VALUES (?,?,?,?,?,?,?)",
            [(unit, voucher_id, year, *key, amount) for key, amount in amounts.items()],
        )

    def spent(self, unit: str, year: int) -> dict[tuple[str, str, str], int]:
        """Paid amounts per (chapter, industry, source) of a unit's fiscal year."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT chapter, industry, source, SUM(amount) FROM spending"
                " WHERE unit = ? AND fiscal_year = ? GROUP BY chapter, industry, source",
                (unit, year),
            ).fetchall()
        return {(r[0], r[1], r[2]): int(r[3]) for r in rows}
