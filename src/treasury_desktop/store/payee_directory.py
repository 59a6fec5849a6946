"""The payee directory: payees imported from a list (name, account, bank, address, tax code)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from treasury_desktop.store.db import transaction


@dataclass(frozen=True)
class DirectoryPayee:
    """One payee of the directory (đơn vị nhận tiền)."""

    name: str
    account: str = ""
    bank: str = ""
    address: str = ""
    tax_code: str = ""

    @property
    def key(self) -> str:
        """One entry per name and account: the same name at two banks is two payees."""
        return f"{self.name.strip().casefold()}|{self.account}"


class Saved(StrEnum):
    """What storing one directory entry did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


_COLUMNS = ("name", "address", "account", "bank", "tax_code")


class PayeeDirectory:
    """The directory in the SQLite file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def save_all(self, payees: Sequence[DirectoryPayee]) -> list[Saved]:
        """Add or update every payee, in one transaction; what happened to each."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        outcomes: list[Saved] = []
        with transaction(self._conn) as conn:
            for payee in payees:
                values = tuple(getattr(payee, c) for c in _COLUMNS)
                row = conn.execute(
                    f"SELECT {', '.join(_COLUMNS)} FROM payee_directory WHERE key = ?",
                    (payee.key,),
                ).fetchone()
                if row is not None and tuple(row) == values:
                    outcomes.append(Saved.UNCHANGED)
                    continue
                conn.execute(
                    "INSERT INTO payee_directory (key, name, address, account, bank, tax_code,"
                    " imported_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET"
                    " name = excluded.name, address = excluded.address, bank = excluded.bank,"
                    " tax_code = excluded.tax_code, imported_at = excluded.imported_at",
                    (payee.key, *values, now),
                )
                outcomes.append(Saved.ADDED if row is None else Saved.UPDATED)
        return outcomes

    def find(self, text: str = "", limit: int = 500) -> list[DirectoryPayee]:
        """Payees whose name contains ``text``, by name."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM payee_directory WHERE name LIKE ? ESCAPE '\\'"
            " ORDER BY name COLLATE NOCASE LIMIT ?",
            (f"%{escaped}%", limit),
        )
        return [DirectoryPayee(**dict(zip(_COLUMNS, r, strict=True))) for r in rows]
