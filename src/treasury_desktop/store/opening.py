"""What the app checks once per start, and what it notes when it closes cleanly.

On the first connection of a start: ``PRAGMA quick_check`` and the whole audit chain. Both
cost seconds on 100,000 vouchers, so a clean close notes what the app last saw (the file's
size and modification time, the chain's newest entry) in ``.<name>.seen`` beside the file; a
start that finds the file exactly as it was left skips both. Anything else (a crash left a
WAL behind, another program wrote the file, it was replaced, the note is missing) means the
full checks. ``treasury-desktop audit verify`` always checks the whole chain.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from treasury_desktop.store.audit_chain import AuditChainBroken, last_hash, verify_chain
from treasury_desktop.store.files import daily_backup, quick_check


@dataclass(frozen=True)
class Seen:
    """What a clean close left: the file's stat and the audit chain's head."""

    size: int
    mtime_ns: int
    audit_seq: int
    audit_hash: str


def _note(path: Path) -> Path:
    return path.with_name(f".{path.name}.seen")


def _read_seen(path: Path) -> Seen | None:
    try:
        return Seen(**json.loads(_note(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _unchanged(path: Path, seen: Seen) -> bool:
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False  # not closed cleanly since (or open elsewhere): check
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns) == (seen.size, seen.mtime_ns)


def open_checks(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file or a broken audit chain (first connection of a start)."""
    seen = _read_seen(path)
    if seen is not None and _unchanged(path, seen) and last_hash(conn) == (
        seen.audit_seq, seen.audit_hash
    ):
        return
    quick_check(conn, path)
    report = verify_chain(conn)
    if report.broken is not None:
        raise AuditChainBroken(report.broken)


def close_checks(path: Path, today: date) -> None:
    """After the last connection of a start closed: back up once a day, note what was seen.
    Best effort: a read-only or full folder only means the full checks next time."""
    try:
        conn = sqlite3.connect(path, timeout=2.0)
        try:
            daily_backup(conn, path, today)
            seq, head = last_hash(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return
    with suppress(OSError):
        stat = path.stat()
        note = _note(path)
        aside = note.with_name(f"{note.name}.{os.getpid()}")
        handle = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(asdict(Seen(stat.st_size, stat.st_mtime_ns, seq, head))))
        os.replace(aside, note)
