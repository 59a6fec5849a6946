"""The unit profile and small per-desk values, kept as JSON in the ``profile`` table."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from treasury_desktop.domain.voucher import Unit
from treasury_desktop.store.db import transaction


class ProfileStore:
    """Key/value pairs of the desk: the unit it works for, the server cursor, and so on."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``."""
        row = self._conn.execute("SELECT value FROM profile WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``."""
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO profile (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    def unit(self) -> Unit | None:
        """The budget unit this desk works for, if set."""
        data = self.get("unit")
        return Unit(**data) if isinstance(data, dict) else None

    def set_unit(self, unit: Unit) -> None:
        """Record the desk's unit (prefilled into new drafts)."""
        self.set("unit", vars(unit))
