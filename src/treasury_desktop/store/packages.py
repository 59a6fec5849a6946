"""Packages received from other desks and what each brought (tables of migration 0004)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from treasury_desktop.domain.workflow import VoucherState


@dataclass(frozen=True)
class PackageRecord:
    """A package this desk has read: where it came from and when."""

    package_id: str
    desk_id: str
    desk_name: str
    sender: str  # the verified sender (holder name and role) when the manifest was signed
    created_at: str
    imported_at: str
    file_name: str


@dataclass(frozen=True)
class Arrival:
    """What one package did with one voucher."""

    package_id: str
    voucher_id: str
    outcome: str
    reason: str
    queued_elsewhere: bool
    arrived_at: str


@dataclass(frozen=True)
class ArrivalRow:
    """A voucher that came from another desk, as the «Nhận từ máy khác» folder lists it:
    its latest arrival, with the voucher's state on this desk."""

    voucher_id: str
    number: str
    payee: str
    total: int
    status: VoucherState | None  # None: refused, not on this desk
    desk_name: str
    sender: str
    arrived_at: str
    outcome: str
    reason: str
    queued_elsewhere: bool
    in_outbox: bool


class PackageLog:
    """Reads and writes the package tables; writes run inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @staticmethod
    def record_package_in(conn: sqlite3.Connection, package: PackageRecord) -> bool:
        """Remember a package (the first time only); True when it was new."""
        cursor = conn.execute(
            "INSERT OR IGNORE INTO package_imports (package_id, desk_id, desk_name, sender,"
            " created_at, imported_at, file_name) VALUES (?,?,?,?,?,?,?)",
            (package.package_id, package.desk_id, package.desk_name, package.sender,
             package.created_at, package.imported_at, package.file_name),
        )
        return cursor.rowcount > 0

    @staticmethod
    def arrival_in(conn: sqlite3.Connection, package_id: str, voucher_id: str
                   ) -> Arrival | None:
        """What this package did with this voucher before, if it was read before."""
        row = conn.execute(
            "SELECT * FROM package_arrivals WHERE package_id = ? AND voucher_id = ?",
            (package_id, voucher_id),
        ).fetchone()
        return None if row is None else _arrival(row)

    @staticmethod
    def record_arrival_in(conn: sqlite3.Connection, arrival: Arrival) -> None:
        """Record (or update) what the package did with the voucher."""
        conn.execute(
            "INSERT INTO package_arrivals (package_id, voucher_id, outcome, reason,"
            " queued_elsewhere, arrived_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (package_id, voucher_id) DO UPDATE SET outcome = excluded.outcome,"
            " reason = excluded.reason, queued_elsewhere = excluded.queued_elsewhere,"
            " arrived_at = excluded.arrived_at",
            (arrival.package_id, arrival.voucher_id, arrival.outcome, arrival.reason,
             int(arrival.queued_elsewhere), arrival.arrived_at),
        )

    def arrivals(self, limit: int = 1000) -> list[ArrivalRow]:
        """The latest arrival of each voucher, newest first."""
        rows = self._conn.execute(
            "SELECT a.voucher_id, a.outcome, a.reason, a.arrived_at,"
            " (SELECT max(queued_elsewhere) FROM package_arrivals q"
            "   WHERE q.voucher_id = a.voucher_id) AS queued_elsewhere,"
            " p.desk_name, p.sender, v.number, v.payee, v.total, v.status,"
            " EXISTS (SELECT 1 FROM outbox o WHERE o.voucher_id = a.voucher_id) AS in_outbox"
            " FROM package_arrivals a"
            " JOIN package_imports p ON p.package_id = a.package_id"
            " LEFT JOIN vouchers v ON v.id = a.voucher_id"
            " WHERE a.rowid = (SELECT b.rowid FROM package_arrivals b"
            "   WHERE b.voucher_id = a.voucher_id ORDER BY b.arrived_at DESC, b.rowid DESC"
            "   LIMIT 1)"
            " ORDER BY a.arrived_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            ArrivalRow(
                r["voucher_id"], r["number"] or "", r["payee"] or "", r["total"] or 0,
                VoucherState(r["status"]) if r["status"] else None, r["desk_name"],
                r["sender"], r["arrived_at"], r["outcome"], r["reason"],
                bool(r["queued_elsewhere"]), bool(r["in_outbox"]),
            )
            for r in rows
        ]

    def packages(self) -> list[PackageRecord]:
        """Every package read, newest first."""
        rows = self._conn.execute("SELECT * FROM package_imports ORDER BY imported_at DESC")
        return [
            PackageRecord(r["package_id"], r["desk_id"], r["desk_name"], r["sender"],
                          r["created_at"], r["imported_at"], r["file_name"])
            for r in rows
        ]


def in_outbox_in(conn: sqlite3.Connection, voucher_id: str) -> bool:
    """Whether the voucher was queued on this desk (an outbox row, pending or done)."""
    row = conn.execute("SELECT 1 FROM outbox WHERE voucher_id = ?", (voucher_id,)).fetchone()
    return row is not None


def _arrival(row: sqlite3.Row) -> Arrival:
    return Arrival(row["package_id"], row["voucher_id"], row["outcome"], row["reason"],
                   bool(row["queued_elsewhere"]), row["arrived_at"])
