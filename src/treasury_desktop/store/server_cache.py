"""The treasury's answers kept for offline use (balances, catalogues, the register of signers),
each under a key with the ETag it came with."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.clock import iso


@dataclass(frozen=True)
class CachedAnswer:
    """One kept answer: its body (JSON text), the ETag it came with, and when it was fetched."""

    body: str
    etag: str | None
    fetched_at: datetime


def cached(conn: sqlite3.Connection, key: str) -> CachedAnswer | None:
    """The answer kept under ``key``, or None when it never was fetched."""
    row = conn.execute(
        "SELECT body, etag, fetched_at FROM server_cache WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    return CachedAnswer(str(row[0]), row[1], datetime.fromisoformat(row[2]))


def keep_in(
    conn: sqlite3.Connection, key: str, body: str, etag: str | None, fetched_at: datetime
) -> None:
    """Keep (or replace) the answer under ``key``, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO server_cache (key, etag, body, fetched_at) VALUES (?,?,?,?)"
        " ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, body = excluded.body,"
        " fetched_at = excluded.fetched_at",
        (key, etag, body, iso(fetched_at)),
    )
