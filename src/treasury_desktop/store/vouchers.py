"""The SQLite voucher repository: drafts, states, search, folders, payees, audit."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, cast

from treasury_desktop.clock import Clock, SystemClock, iso
from treasury_desktop.domain.canonical import voucher_hash
from treasury_desktop.domain.voucher import Payee, Voucher, from_document, to_document
from treasury_desktop.domain.workflow import EDITABLE, VoucherState, move
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.audit import AuditLine, append_audit, append_audits
from treasury_desktop.store.db import transaction
from treasury_desktop.store.errors import StorageError
from treasury_desktop.store.payee_directory import PayeeDirectory
from treasury_desktop.store.recent import recent_vouchers
from treasury_desktop.store.records import (
    Actor,
    Folder,
    StoredVoucher,
    VoucherQuery,
    VoucherRow,
)
from treasury_desktop.store.search import (
    BROAD_MATCH,
    fold,
    fts_query,
    list_content,
    number_key,
    order_clause,
    order_index,
    search_words,
    where_clause,
)

_ROW_COLUMNS = "id, form, number, date, payee, content, total, status, problems, status_reason"
_HITS = "temp.search_hits"  # this connection's rowids of the last search (count_and_page)


class SignaturesWouldBeDropped(ExpectedError):
    """Editing a signed voucher needs the user's confirmation: its signatures will go."""

    def __init__(self, voucher_id: str) -> None:
        super().__init__("store.edit_signed_needs_confirmation")
        self.voucher_id = voucher_id


class DuplicateVoucherId(ExpectedError):
    """Another voucher is stored under this id."""

    def __init__(self, voucher_id: str) -> None:
        super().__init__("store.duplicate_id", id=voucher_id)
        self.voucher_id = voucher_id


class SqliteVoucherRepository:
    """Vouchers in the local SQLite file. Each public method is one transaction."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock | None = None) -> None:
        self._conn = conn
        self._clock = clock or SystemClock()

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection it works over (other stores of the same voucher share it)."""
        return self._conn

    def _now(self) -> str:
        return iso(self._clock.now())

    # -- writing -----------------------------------------------------------------------------

    def create(
        self, voucher: Voucher, *, problems: int, actor: Actor, action: str = "create"
    ) -> StoredVoucher:
        """Store a new draft. Raises ExpectedError if the id exists."""
        with transaction(self._conn) as conn:
            return self.create_in(conn, voucher, problems=problems, actor=actor, action=action)

    def create_many(
        self, vouchers: Sequence[Voucher], *, actor: Actor, action: str = "import"
    ) -> list[StoredVoucher]:
        """Store several new, problem-free vouchers in one transaction (one durable commit
        for a whole batch of an import); each is inserted whole or not at all (a savepoint
        each). A voucher whose id exists is left out of the answer."""
        stored: list[StoredVoucher] = []
        with transaction(self._conn) as conn:
            for voucher in vouchers:
                conn.execute("SAVEPOINT one_voucher")
                try:
                    stored.append(
                        self.create_in(conn, voucher, problems=0, actor=actor, action=action)
                    )
                except (ExpectedError, sqlite3.IntegrityError):
                    conn.execute("ROLLBACK TO one_voucher")
                conn.execute("RELEASE one_voucher")
        return stored

    def same_content(self, voucher: Voucher) -> str | None:
        """The id of a stored voucher with this content under another id (an import run
        twice), or None. Looked up by number and date (indexed), then compared whole."""
        wanted = {k: v for k, v in to_document(voucher).items() if k != "id"}
        rows = self._conn.execute(
            "SELECT id, document FROM vouchers WHERE number_key = ? AND date = ? AND total = ?",
            (number_key(voucher.number), voucher.date, voucher.total),
        )
        for row in rows:
            document = json.loads(row["document"])
            document.pop("id", None)
            if document == wanted:
                return str(row["id"])
        return None

    def same_number(self, voucher: Voucher) -> list[str]:
        """Other vouchers of the unit with the same number in the same fiscal year (ids);
        looked up by the number (indexed)."""
        if not voucher.number.strip():
            return []
        rows = self._conn.execute(
            "SELECT id, document FROM vouchers WHERE number_key = ? AND fiscal_year = ?"
            " AND id <> ? LIMIT 20",
            (number_key(voucher.number), voucher.fiscal_year, voucher.id),
        )
        unit = voucher.unit.code
        return [
            str(row["id"]) for row in rows
            if json.loads(row["document"]).get("unit", {}).get("code", "") == unit
        ]

    def create_in(
        self, conn: sqlite3.Connection, voucher: Voucher, *, problems: int, actor: Actor,
        action: str = "create",
    ) -> StoredVoucher:
        """The same, inside a transaction the caller holds (a voucher from another desk)."""
        digest = voucher_hash(voucher)
        now = self._now()
        if conn.execute("SELECT 1 FROM vouchers WHERE id = ?", (voucher.id,)).fetchone():
            raise DuplicateVoucherId(voucher.id)
        conn.execute(
            "INSERT INTO vouchers (id, form, fiscal_year, number, number_key, date, status,"
            " payee, content, total, search_text, problems, document, content_hash,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                voucher.id, voucher.form, voucher.fiscal_year, *self._columns(voucher),
                VoucherState.DRAFT.value, *self._search_columns(voucher), problems,
                _json(voucher), digest, now, now,
            ),
        )
        append_audit(conn, actor, voucher.id, action, "", None, digest)
        self._remember_payee(conn, voucher.payee, now)
        return StoredVoucher(voucher, VoucherState.DRAFT, digest, problems, "", now, now)

    def save(
        self, voucher: Voucher, *, problems: int, actor: Actor, drop_signatures: bool = False
    ) -> StoredVoucher:
        """Save an edit (autosave). An unchanged voucher writes nothing.

        Editing a signed voucher raises :class:`SignaturesWouldBeDropped` unless
        ``drop_signatures``; then its signatures go, it returns to draft, and the audit says so.
        """
        digest = voucher_hash(voucher)
        now = self._now()
        with transaction(self._conn) as conn:
            row = conn.execute(
                "SELECT status, content_hash, problems FROM vouchers WHERE id = ?", (voucher.id,)
            ).fetchone()
            if row is None:
                raise ExpectedError("store.not_found", id=voucher.id)
            status = VoucherState(row["status"])
            if status not in EDITABLE:
                raise ExpectedError("store.not_editable", status=status.value)
            if row["content_hash"] == digest and row["problems"] == problems:
                return self._get(conn, voucher.id)
            if status is not VoucherState.DRAFT and row["content_hash"] != digest:
                if not drop_signatures:
                    raise SignaturesWouldBeDropped(voucher.id)
                conn.execute("DELETE FROM signatures WHERE voucher_id = ?", (voucher.id,))
                append_audit(
                    conn, actor, voucher.id, "signatures_dropped", status.value,
                    row["content_hash"], digest,
                )
                status = VoucherState.DRAFT
            conn.execute(
                "UPDATE vouchers SET form=?, fiscal_year=?, number=?, number_key=?, date=?,"
                " status=?, payee=?, content=?, total=?, search_text=?, problems=?, document=?,"
                " content_hash=?, updated_at=? WHERE id=?",
                (
                    voucher.form, voucher.fiscal_year, *self._columns(voucher), status.value,
                    *self._search_columns(voucher), problems, _json(voucher), digest, now,
                    voucher.id,
                ),
            )
            if row["content_hash"] != digest:
                append_audit(conn, actor, voucher.id, "edit", "", row["content_hash"], digest)
                self._remember_payee(conn, voucher.payee, now)
            return self._get(conn, voucher.id)

    def set_status(
        self, voucher_id: str, target: VoucherState, *, actor: Actor, reason: str = ""
    ) -> StoredVoucher:
        """Move a voucher along the workflow (checked by :func:`workflow.move`)."""
        with transaction(self._conn) as conn:
            self.set_status_in(conn, voucher_id, target, actor=actor, reason=reason)
            return self._get(conn, voucher_id)

    def set_status_in(
        self, conn: sqlite3.Connection, voucher_id: str, target: VoucherState, *,
        actor: Actor, reason: str = "",
    ) -> None:
        """The same, inside a transaction the caller holds (signing, outbox, sync)."""
        found = self.status_in(conn, voucher_id)
        if found is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        current, digest = found
        if current is target:
            return
        move(current, target)
        conn.execute(
            "UPDATE vouchers SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
            (target.value, reason, self._now(), voucher_id),
        )
        append_audit(
            conn, actor, voucher_id, "status",
            f"{current.value} -> {target.value} {reason}".strip(), digest, digest,
        )

    def set_statuses_in(
        self, conn: sqlite3.Connection, moves: Sequence[tuple[str, VoucherState, str]], *,
        actor: Actor,
    ) -> None:
        """Several moves (voucher id, target, reason), each checked by :func:`workflow.move`,
        inside a transaction the caller holds: what :meth:`set_status_in` does for each, in
        three statements for all (a feed page moves hundreds of vouchers at once)."""
        current: dict[str, tuple[VoucherState, str]] = {}
        ids = list(dict.fromkeys(voucher_id for voucher_id, _, _ in moves))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                    f"SELECT id, status, content_hash FROM vouchers WHERE id IN ({marks})", chunk):
                current[row[0]] = (VoucherState(row[1]), str(row[2]))
        updates: list[tuple[str, str, str, str]] = []
        audits: list[AuditLine] = []
        now = self._now()
        for voucher_id, target, reason in moves:
            if voucher_id not in current:
                raise ExpectedError("store.not_found", id=voucher_id)
            state, digest = current[voucher_id]
            if state is target:
                continue
            move(state, target)
            current[voucher_id] = (target, digest)
            updates.append((target.value, reason, now, voucher_id))
            audits.append((voucher_id, "status",
                           f"{state.value} -> {target.value} {reason}".strip(), digest, digest))
        conn.executemany(
            "UPDATE vouchers SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
            updates,
        )
        append_audits(conn, actor, audits)

    @staticmethod
    def status_in(conn: sqlite3.Connection, voucher_id: str) -> tuple[VoucherState, str] | None:
        """The voucher's state and content hash, read inside the caller's transaction (a
        check just before a move), or None for an unknown id."""
        row = conn.execute(
            "SELECT status, content_hash FROM vouchers WHERE id = ?", (voucher_id,)
        ).fetchone()
        return None if row is None else (VoucherState(row[0]), str(row[1]))

    @staticmethod
    def document_in(conn: sqlite3.Connection, voucher_id: str) -> dict[str, Any] | None:
        """The voucher's stored document (JSON, as saved), or None for an unknown id."""
        row = conn.execute("SELECT document FROM vouchers WHERE id = ?", (voucher_id,)).fetchone()
        return None if row is None else cast(dict[str, Any], json.loads(row[0]))

    def delete_draft(self, voucher_id: str, *, actor: Actor) -> None:
        """Delete a voucher that was never signed."""
        with transaction(self._conn) as conn:
            row = conn.execute(
                "SELECT status, content_hash FROM vouchers WHERE id = ?", (voucher_id,)
            ).fetchone()
            if row is None:
                return
            if row["status"] != VoucherState.DRAFT.value:
                raise ExpectedError("store.not_deletable", status=row["status"])
            conn.execute("DELETE FROM vouchers WHERE id = ?", (voucher_id,))
            append_audit(conn, actor, voucher_id, "delete", "", row["content_hash"], None)

    # -- reading -----------------------------------------------------------------------------

    def get(self, voucher_id: str) -> StoredVoucher | None:
        """One voucher, or None."""
        try:
            return self._get(self._conn, voucher_id)
        except StorageError:
            raise
        except ExpectedError:
            return None

    def batch(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction around many writes; each write inside is a savepoint, whole or
        not at all (an import commits hundreds of vouchers at once, not one by one)."""
        return transaction(self._conn)

    def count(self, query: VoucherQuery) -> int:
        """How many vouchers match."""
        return self._count(query, self._search_hits(query))

    def page(self, query: VoucherQuery, offset: int, limit: int) -> list[VoucherRow]:
        """Rows ``offset .. offset+limit`` of the query, in its order."""
        return self._page(query, self._search_hits(query), offset, limit)

    def count_and_page(
        self, query: VoucherQuery, offset: int, limit: int
    ) -> tuple[int, list[VoucherRow]]:
        """``count(query)`` and ``page(query, offset, limit)``, searching the text once: the
        matching rowids are collected into a temporary table that both read (the full-text
        index is the costly part of a broad search; asking it twice doubled that cost)."""
        match = fts_query(query.text, query.folder)
        if match is None:
            return self._count(query, None), self._page(query, None, offset, limit)
        conn = self._conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_HITS} (rowid INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {_HITS}")
        hits = conn.execute(
            f"INSERT INTO {_HITS} SELECT rowid FROM vouchers_fts WHERE vouchers_fts MATCH ?",
            (match,),
        ).rowcount
        return (self._count(query, hits, matched=_HITS),
                self._page(query, hits, offset, limit, matched=_HITS))

    def with_documents(
        self, query: VoucherQuery, page_size: int = 500
    ) -> Iterator[tuple[VoucherRow, Voucher]]:
        """Every voucher of the query, in its order, with its document (read page by page)."""
        offset = 0
        while rows := self.page(query, offset, page_size):
            marks = ",".join("?" * len(rows))
            documents = {
                r["id"]: from_document(json.loads(r["document"]))
                for r in self._conn.execute(
                    f"SELECT id, document FROM vouchers WHERE id IN ({marks})",
                    [row.id for row in rows],
                )
            }
            for row in rows:
                yield row, documents[row.id]
            offset += len(rows)

    def _count(self, query: VoucherQuery, hits: int | None, matched: str = "") -> int:
        if hits is not None and query.status is None and query == _text_only(query):
            return hits
        where, params = where_clause(query, matched)
        table = self._table(query, hits)
        row = self._conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
        return int(row[0])

    def _page(
        self, query: VoucherQuery, hits: int | None, offset: int, limit: int, matched: str = ""
    ) -> list[VoucherRow]:
        where, params = where_clause(query, matched)
        order = order_clause(query)
        table = self._table(query, hits)
        # The inner query walks only the index (rowids in order), so a deep OFFSET stays
        # cheap; the outer one reads just the page's rows.
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM vouchers WHERE rowid IN"
            f" (SELECT rowid FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?)"
            f" ORDER BY {order}"
        )
        return [_row(r) for r in self._conn.execute(sql, [*params, limit, offset])]

    def folder_counts(self) -> dict[Folder, int]:
        """How many vouchers each folder holds: a few rows that triggers keep (migration 0008),
        never a count over every voucher."""
        counts = dict.fromkeys(Folder, 0)
        for name, count in self._conn.execute("SELECT folder, count FROM folder_counts"):
            counts[Folder(name)] = count
        counts[Folder.ALL] = sum(counts.values())
        return counts

    def recent(self, fiscal_year: int, limit: int) -> list[Voucher]:
        """The last ``limit`` vouchers stored for ``fiscal_year``, newest first."""
        return recent_vouchers(self._conn, fiscal_year, limit)

    def ids_with_status(self, status: VoucherState) -> list[str]:
        """Ids of every voucher in one state."""
        rows = self._conn.execute("SELECT id FROM vouchers WHERE status = ?", (status.value,))
        return [r[0] for r in rows]

    def documents_with_status(
        self, states: Iterable[VoucherState], fiscal_year: int, except_id: str = ""
    ) -> Iterator[dict[str, Any]]:
        """The stored documents of a year's vouchers in ``states`` (but ``except_id``)."""
        wanted = sorted(s.value for s in states)
        marks = ",".join("?" * len(wanted))
        rows = self._conn.execute(
            f"SELECT document FROM vouchers WHERE status IN ({marks}) AND id != ?"
            " AND fiscal_year = ?",
            (*wanted, except_id, fiscal_year),
        )
        for (raw,) in rows:
            yield json.loads(raw)

    def recent_payees(self, text: str = "", limit: int = 10) -> list[Payee]:
        """Payees used before, most recent first, whose name contains ``text``."""
        rows = self._conn.execute(
            "SELECT details FROM payees WHERE name LIKE ? ESCAPE '\\'"
            " ORDER BY last_used DESC LIMIT ?",
            (f"%{_like(text)}%", limit),
        )
        return [Payee(**json.loads(r[0])) for r in rows]

    def payee_directory(self) -> PayeeDirectory:
        """The imported payee directory, on this repository's connection."""
        return PayeeDirectory(self._conn)

    def offered_payees(self, limit: int = 200) -> list[Payee]:
        """What the editor offers while the payee's name is typed: the payees used before,
        most recent first, then those of the imported directory not among them."""
        offered = self.recent_payees("", limit)
        seen = {f"{p.name.casefold()}|{p.account}" for p in offered}
        for entry in PayeeDirectory(self._conn).find("", limit):
            if entry.key not in seen and len(offered) < limit:
                offered.append(Payee(name=entry.name, address=entry.address,
                                     account=entry.account, bank=entry.bank))
        return offered

    # -- helpers -----------------------------------------------------------------------------

    def _search_hits(self, query: VoucherQuery) -> int | None:
        """How many vouchers the search text alone matches (None without a search)."""
        match = fts_query(query.text, query.folder)
        if match is None:
            return None
        row = self._conn.execute(
            "SELECT count(*) FROM vouchers_fts WHERE vouchers_fts MATCH ?", (match,)
        ).fetchone()
        return int(row[0])

    @staticmethod
    def _table(query: VoucherQuery, hits: int | None) -> str:
        """``vouchers``, with an index hint when a broad search should walk the sort order
        instead of sorting thousands of hits (SQLite's planner picks the latter)."""
        if hits is not None and hits > BROAD_MATCH and query.status is None:
            return f"vouchers INDEXED BY {order_index(query)}"
        return "vouchers"


    def _get(self, conn: sqlite3.Connection, voucher_id: str) -> StoredVoucher:
        row = conn.execute("SELECT * FROM vouchers WHERE id = ?", (voucher_id,)).fetchone()
        if row is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        try:
            voucher = from_document(json.loads(row["document"]), check_text=False)
        except (ValueError, RecursionError) as error:  # bytes flipped inside the file
            raise StorageError("damaged_in_use", voucher_id, str(error)[:80]) from None
        return StoredVoucher(
            voucher=voucher,
            status=VoucherState(row["status"]),
            content_hash=row["content_hash"],
            problems=row["problems"],
            status_reason=row["status_reason"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    @staticmethod
    def _columns(voucher: Voucher) -> tuple[str, str, str]:
        return voucher.number, number_key(voucher.number), voucher.date

    @staticmethod
    def _search_columns(voucher: Voucher) -> tuple[str, str, int, str]:
        return voucher.payee.name, list_content(voucher), voucher.total, fold(search_words(voucher))

    @staticmethod
    def _remember_payee(conn: sqlite3.Connection, payee: Payee, now: str) -> None:
        if not payee.name.strip():
            return
        key = payee_key(payee)
        details = json.dumps({k: v for k, v in vars(payee).items() if v}, ensure_ascii=False)
        conn.execute(
            "INSERT INTO payees (key, name, details, uses, last_used) VALUES (?,?,?,1,?)"
            " ON CONFLICT (key) DO UPDATE SET details = excluded.details, uses = uses + 1,"
            " last_used = excluded.last_used",
            (key, payee.name.strip(), details, now),
        )


def _text_only(query: VoucherQuery) -> VoucherQuery:
    """The query without the filters that the full-text count does not cover."""
    return replace(query, fiscal_year=None, date_from="", date_to="")


def payee_key(payee: Payee) -> str:
    """One payee per name and account (or id number), whatever the case of the name."""
    return f"{payee.name.strip().casefold()}|{payee.account or payee.id_number}"


def _json(voucher: Voucher) -> str:
    return json.dumps(to_document(voucher), ensure_ascii=False, separators=(",", ":"))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(r: sqlite3.Row) -> VoucherRow:
    return VoucherRow(
        id=r["id"], form=r["form"], number=r["number"], date=r["date"], payee=r["payee"],
        content=r["content"], total=r["total"], status=VoucherState(r["status"]),
        problems=r["problems"], status_reason=r["status_reason"],
    )

