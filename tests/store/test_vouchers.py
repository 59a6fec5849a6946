"""What only the SQLite voucher repository does: the audit log and dropped signatures.

Saving, states, folders, search, sort and payees are the contract both repositories keep:
tests/store/test_repository_contract.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from treasury_desktop.domain.voucher import BudgetLine, Payee, Voucher, new_voucher_id
from treasury_desktop.domain.workflow import TransitionError, VoucherState
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.audit_chain import verify_chain
from treasury_desktop.store.db import connect, transaction
from treasury_desktop.store.records import Actor, Folder, VoucherQuery
from treasury_desktop.store.vouchers import SignaturesWouldBeDropped, SqliteVoucherRepository

ACTOR = Actor("lan", "accountant")


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "db.sqlite3")
    yield connection
    connection.close()


@pytest.fixture
def repo(conn: sqlite3.Connection) -> SqliteVoucherRepository:
    return SqliteVoucherRepository(conn)


def make(number: str, payee: str, amount: int, content: str = "Văn phòng phẩm",
         day: str = "2026-03-01") -> Voucher:
    return Voucher(
        id=new_voucher_id(), number=number, date=day, payee=Payee(name=payee, account="123456"),
        lines=(BudgetLine(content, "6551", "422", "072", "13", amount),),
    )


def test_unchanged_save_writes_no_audit(repo: SqliteVoucherRepository,
                                        conn: sqlite3.Connection) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    repo.save(voucher, problems=0, actor=ACTOR)
    assert [e.action for e in audit_entries(conn, voucher.id)] == ["create"]


def test_audit_log_records_who_what_and_hashes(repo: SqliteVoucherRepository,
                                               conn: sqlite3.Connection) -> None:
    voucher = make("1", "A", 1000)
    created = repo.create(voucher, problems=0, actor=ACTOR)
    saved = repo.save(voucher.with_changes(number="9"), problems=0, actor=ACTOR)
    repo.set_status(voucher.id, VoucherState.SIGNED_CHIEF, actor=Actor("hoa", "chief"))
    entries = audit_entries(conn, voucher.id)
    assert [e.action for e in entries] == ["create", "edit", "status"]
    assert entries[1].hash_before == created.content_hash
    assert entries[1].hash_after == saved.content_hash
    assert entries[2].os_user == "hoa" and entries[2].role == "chief"


def test_audit_log_is_append_only(repo: SqliteVoucherRepository,
                                  conn: sqlite3.Connection) -> None:
    repo.create(make("1", "A", 1000), problems=0, actor=ACTOR)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM audit_log")


def test_editing_a_signed_voucher_needs_confirmation_and_drops_signatures(
    repo: SqliteVoucherRepository, conn: sqlite3.Connection
) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    repo.set_status(voucher.id, VoucherState.SIGNED_CHIEF, actor=ACTOR)
    conn.execute(
        "INSERT INTO signatures VALUES (?, 'chief-accountant', 'ab', 'X', 't', 'h', x'00')",
        (voucher.id,),
    )
    edited = voucher.with_changes(number="7")
    with pytest.raises(SignaturesWouldBeDropped):
        repo.save(edited, problems=0, actor=ACTOR)
    stored = repo.save(edited, problems=0, actor=ACTOR, drop_signatures=True)
    assert stored.status is VoucherState.DRAFT
    assert conn.execute("SELECT count(*) FROM signatures").fetchone()[0] == 0
    assert "signatures_dropped" in [e.action for e in audit_entries(conn, voucher.id)]


def test_a_search_with_filters_counts_and_pages_as_count_and_page_do(
    repo: SqliteVoucherRepository,
) -> None:
    """count_and_page reads the search's hits once; with every filter beside the text it
    answers exactly what count and page answer on their own, search after search."""
    for n in range(30):
        voucher = make(str(n + 1), "Công ty Điện lực" if n % 2 else "Nhà sách Đông Á", 1000 * n)
        repo.create(voucher.with_changes(date=f"2026-0{n % 9 + 1}-15"), problems=0, actor=ACTOR)
        if n % 3 == 0:
            repo.set_status(voucher.id, VoucherState.SIGNED_CHIEF, actor=ACTOR)
    queries = [
        VoucherQuery(text="dien luc"),
        VoucherQuery(text="dien", date_from="2026-03-01", date_to="2026-07-31"),
        VoucherQuery(text="dong a", status=VoucherState.SIGNED_CHIEF),
        VoucherQuery(text="cong", fiscal_year=2026, folder=Folder.TO_SIGN, descending=False),
        VoucherQuery(text="khong co"),
        VoucherQuery(folder=Folder.TO_SIGN),
    ]
    for query in queries:
        together = repo.count_and_page(query, 2, 5)
        assert together == (repo.count(query), repo.page(query, 2, 5)), query


def test_many_moves_at_once_are_checked_and_audited_each(
    repo: SqliteVoucherRepository, conn: sqlite3.Connection
) -> None:
    first, second = make("1", "A", 1000), make("2", "B", 2000)
    for voucher in (first, second):
        repo.create(voucher, problems=0, actor=ACTOR)
    with transaction(conn):
        repo.set_statuses_in(conn, [(first.id, VoucherState.SIGNED_CHIEF, "KTT"),
                                    (second.id, VoucherState.DRAFT, ""),  # there already
                                    (second.id, VoucherState.SIGNED_CHIEF, "")], actor=ACTOR)
    assert [e.detail for e in audit_entries(conn, first.id)][1:] == ["draft -> signed_chief KTT"]
    assert [e.action for e in audit_entries(conn, second.id)] == ["create", "status"]
    assert verify_chain(conn).intact
    with pytest.raises(TransitionError), transaction(conn):
        repo.set_statuses_in(conn, [(second.id, VoucherState.SIGNED_HOLDER, ""),
                                    (first.id, VoucherState.PAID, "")], actor=ACTOR)
    stored = repo.get(second.id)
    assert stored is not None and stored.status is VoucherState.SIGNED_CHIEF  # nothing moved
