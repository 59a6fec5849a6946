"""Opening the SQLite file: WAL, foreign keys, durable commits, numbered migrations.

Migrations are ``migrations/NNNN_name.sql``, applied in order, each in one transaction, with
``PRAGMA user_version`` recording the last one applied.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer version of the app."""


def migrations() -> list[tuple[int, str, str]]:
    """Every migration as (version, file name, SQL), in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("treasury_desktop.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (version, name, _) in enumerate(found, start=1):
        if version != expected:
            raise RuntimeError(f"migration {name} is out of sequence (expected {expected:04d})")
    return found


def latest_version() -> int:
    """The schema version this build writes."""
    return len(migrations())


def connect(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (and create or upgrade) the database at ``path``.

    ``isolation_level=None`` leaves transactions to :func:`transaction`, so every write is
    explicit about where it begins and ends.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit that returned survives a power cut, not just a killed process.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    if migrate:
        upgrade(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The version recorded in the file."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations; return the resulting version."""
    current = schema_version(conn)
    available = migrations()
    if current > len(available):
        raise DatabaseTooNew(
            f"database version {current} is newer than this app ({len(available)})"
        )
    for version, _name, sql in available[current:]:
        with transaction(conn):
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={version}")
    return schema_version(conn)


def _statements(sql: str) -> Iterator[str]:
    """Split a migration into statements; trigger bodies keep their inner semicolons."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
