"""The treasury office names a voucher was drafted with (table ``voucher_office_names``).

A mã KBNN may name another office in a later catalogue (the 2025 reorganisation merged and
renamed offices); a stored voucher keeps the name it was drafted with. The names live beside the
voucher, not in its signed document, whose fields DESIGN.md fixes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from treasury_desktop.clock import Clock, SystemClock, iso
from treasury_desktop.store.db import transaction


@dataclass(frozen=True)
class KeptName:
    """An office code and the name it had when the voucher was drafted."""

    code: str
    name: str


class OfficeNameStore:
    """Reads and keeps the office names of vouchers."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock | None = None) -> None:
        self._conn = conn
        self._clock = clock or SystemClock()

    def kept(self, voucher_id: str) -> dict[str, KeptName]:
        """The names kept for a voucher, by field path (``unit.treasury``, ``tax.treasury``)."""
        rows = self._conn.execute(
            "SELECT field, code, name FROM voucher_office_names WHERE voucher_id = ?",
            (voucher_id,),
        )
        return {str(r["field"]): KeptName(str(r["code"]), str(r["name"])) for r in rows}

    def keep(self, voucher_id: str, field: str, code: str, name: str) -> None:
        """Keep ``name`` for the code in ``field`` (replacing what was kept for that field)."""
        with transaction(self._conn) as conn:
            if conn.execute("SELECT 1 FROM vouchers WHERE id = ?", (voucher_id,)).fetchone():
                conn.execute(
                    "INSERT INTO voucher_office_names (voucher_id, field, code, name, kept_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (voucher_id, field) DO UPDATE SET"
                    " code = excluded.code, name = excluded.name, kept_at = excluded.kept_at",
                    (voucher_id, field, code, name, iso(self._clock.now())),
                )

    def forget(self, voucher_id: str, field: str) -> None:
        """Nothing kept for ``field`` any more (its code was cleared, or is not in the list)."""
        with transaction(self._conn) as conn:
            conn.execute(
                "DELETE FROM voucher_office_names WHERE voucher_id = ? AND field = ?",
                (voucher_id, field),
            )
