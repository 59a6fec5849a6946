"""Opening the SQLite file: WAL, foreign keys, durable commits, numbered migrations.

Migrations are ``migrations/NNNN_name.sql``, applied in order, each in one transaction, with
``PRAGMA user_version`` recording the last one applied.
"""

from __future__ import annotations

import itertools
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store import files
from treasury_desktop.store.audit_chain import seal_unchained
from treasury_desktop.store.errors import StorageError, storage_error

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(ExpectedError):
    """The file was written by a newer version of the app."""

    def __init__(self, path: Path | str, version: int, known: int) -> None:
        super().__init__("storage.too_new", where=str(path), version=version, known=known)


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

    A new file is built aside and linked into place whole (:func:`files.create_whole`), so a
    file of the app is never empty; an existing one must be SQLite with the tables its version
    promises, or it is refused as damaged (the deeper checks: store/opening.py). Every OS or
    SQLite failure leaves as a plain :class:`StorageError`. ``isolation_level=None`` leaves
    transactions to :func:`transaction`, so every write is explicit about where it begins
    and ends.
    """
    try:
        if migrate and not path.exists():
            files.create_whole(path, _configure, upgrade)
        files.check_not_empty(path)
        read_only = not files.writable_place(path)
        conn = _open_read_only(path) if read_only else _open(path)
        try:
            if migrate and read_only and schema_version(conn) != latest_version():
                raise StorageError("read_only", path)  # an upgrade would have to write
            if migrate and not read_only:
                upgrade(conn)
            files.check_schema(conn, path, latest_version() if migrate else None)
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as error:
        if files.is_damage(error):
            raise files.DatabaseDamaged(path, str(error)) from None
        raise storage_error(error, path) or error from error
    except OSError as error:
        raise storage_error(error, path) or error from error
    files.make_private(path)
    return conn


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    try:
        _configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A file in a read-only place (a read-only mount, a folder without write permission):
    read it as it is, since nobody can change it there; any write is refused plainly."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    _use_wal(conn)
    # FULL: a commit that returned survives a power cut, not just a killed process.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


_BUSY_TIMEOUT_MS = 10_000


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting for other openers as long as the busy timeout.

    A file written by an older build (or another program) may still use a rollback journal.
    Switching needs the file to itself, and SQLite answers "locked" at once, without its busy
    handler, when another process opening the same file holds it for a moment: four desks
    (or the window and a command) starting together on an old file. So wait here, as the
    busy timeout would; a file that is already WAL (every file this app created) skips it.
    """
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF
            if code not in (_SQLITE_BUSY, _SQLITE_LOCKED) or time.monotonic() >= deadline:
                raise
        time.sleep(pause * (1 + random.random()))  # apart, so openers do not collide again
        pause = min(pause * 2, 0.2)


_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


def schema_version(conn: sqlite3.Connection) -> int:
    """The version recorded in the file."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations; return the resulting version.

    The version is read again inside each migration's write transaction, so processes
    opening one old (or new) file at the same moment each apply a migration only if no one
    did it first. An up-to-date file takes no write lock at all.
    """
    available = migrations()
    if schema_version(conn) == len(available):
        return len(available)  # the usual case: no write lock taken
    while True:
        with transaction(conn):
            current = schema_version(conn)
            if current > len(available):
                raise DatabaseTooNew(_file_of(conn), current, len(available))
            if current == len(available):
                return current
            version, _name, sql = available[current]
            for statement in _statements(sql):
                conn.execute(statement)
            after = AFTER_MIGRATION.get(version)
            if after is not None:
                after(conn)
            conn.execute(f"PRAGMA user_version={version}")


AFTER_MIGRATION: dict[int, Callable[[sqlite3.Connection], None]] = {7: seal_unchained}
"""Python steps a migration needs after its SQL (in the same transaction), by version."""


def _file_of(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return ""
    return str(row[2]) if row is not None else ""


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
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception.

    Inside a transaction already open, it is a SAVEPOINT instead: the inner block is whole or
    not at all, and the outer transaction commits many such blocks at once (an import of
    100,000 lines commits every few hundred, not every line).
    """
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise storage_error(error, _file_of(conn)) or error from error
    try:
        yield conn
    except BaseException as error:
        _quietly(conn, "ROLLBACK")
        if isinstance(error, sqlite3.Error | OSError):
            raise storage_error(error, _file_of(conn)) or error from error
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        _quietly(conn, "ROLLBACK")  # a failed COMMIT (full disk) leaves nothing half-written
        raise storage_error(error, _file_of(conn)) or error from error


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = f"sp{next(_SAVEPOINTS)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException as error:
        if conn.in_transaction:
            _quietly(conn, f"ROLLBACK TO {name}")
            _quietly(conn, f"RELEASE {name}")
        if isinstance(error, sqlite3.Error | OSError):
            raise storage_error(error, _file_of(conn)) or error from error
        raise
    conn.execute(f"RELEASE {name}")


_SAVEPOINTS = itertools.count(1)


def _quietly(conn: sqlite3.Connection, sql: str) -> None:
    """Undo after a failure; SQLite may already have rolled back itself (SQLITE_FULL), and
    the first error, not this one, is what the user must read."""
    if not conn.in_transaction:
        return
    with suppress(sqlite3.Error):
        conn.execute(sql)
