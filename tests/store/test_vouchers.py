"""The SQLite voucher repository: saving, states, folders, search and sort, payees, audit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from treasury_desktop.domain.voucher import BudgetLine, Payee, Voucher, new_voucher_id
from treasury_desktop.domain.workflow import TransitionError, VoucherState
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.db import connect
from treasury_desktop.store.records import Actor, Folder, SortKey, VoucherQuery
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


def test_create_get_and_save_round_trip(repo: SqliteVoucherRepository) -> None:
    voucher = make("1", "Nhà sách Đông Á", 150_000)
    repo.create(voucher, problems=0, actor=ACTOR)
    stored = repo.get(voucher.id)
    assert stored is not None and stored.voucher == voucher
    assert stored.status is VoucherState.DRAFT
    edited = voucher.with_changes(number="2")
    after = repo.save(edited, problems=1, actor=ACTOR)
    assert after.voucher.number == "2" and after.problems == 1
    assert after.content_hash != stored.content_hash


def test_duplicate_id_is_an_expected_error(repo: SqliteVoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.create(voucher, problems=0, actor=ACTOR)


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


def test_queued_voucher_cannot_be_edited_or_deleted(repo: SqliteVoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    for state in (VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER, VoucherState.QUEUED):
        repo.set_status(voucher.id, state, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.save(voucher.with_changes(number="2"), problems=0, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.delete_draft(voucher.id, actor=ACTOR)


def test_illegal_transition_is_refused(repo: SqliteVoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    with pytest.raises(TransitionError):
        repo.set_status(voucher.id, VoucherState.PAID, actor=ACTOR)


def test_folders_hold_each_voucher_once(repo: SqliteVoucherRepository) -> None:
    incomplete, complete, chief = make("1", "A", 1), make("2", "B", 2), make("3", "C", 3)
    repo.create(incomplete, problems=2, actor=ACTOR)
    repo.create(complete, problems=0, actor=ACTOR)
    repo.create(chief, problems=0, actor=ACTOR)
    repo.set_status(chief.id, VoucherState.SIGNED_CHIEF, actor=ACTOR)
    counts = repo.folder_counts()
    assert counts[Folder.ALL] == 3
    assert counts[Folder.DRAFTS] == 1
    assert counts[Folder.TO_SIGN] == 2
    assert counts[Folder.TO_SEND] == counts[Folder.SENT] == counts[Folder.REFUSED] == 0
    assert repo.count(VoucherQuery(folder=Folder.TO_SIGN)) == 2


def test_search_over_payee_content_number_and_amount(repo: SqliteVoucherRepository) -> None:
    repo.create(make("125", "Công ty Điện lực Thái Nguyên", 1_234_000, "Tiền điện tháng 10"),
                problems=0, actor=ACTOR)
    repo.create(make("126", "Công ty CP Nước sạch", 560_000, "Tiền nước tháng 10"),
                problems=0, actor=ACTOR)
    def found(text: str) -> int:
        return repo.count(VoucherQuery(text=text))
    assert found("điện lực") == 1
    assert found("dien luc") == 1  # typed without diacritics
    assert found("ĐIỆN") == 1
    assert found("tháng 10") == 2
    assert found("126") == 1
    assert found("1.234") == 1
    assert found("560000") == 1
    assert found("xăng") == 0
    assert found('" OR * NEAR(') == 0  # FTS syntax in user text is harmless


def test_sort_orders(repo: SqliteVoucherRepository) -> None:
    for number, payee, amount, day in [("9", "Bình", 300, "2026-02-01"),
                                       ("10", "An", 100, "2026-03-01"),
                                       ("11", "Châu", 200, "2026-01-01")]:
        repo.create(make(number, payee, amount, day=day), problems=0, actor=ACTOR)
    def order(sort: SortKey, descending: bool = False) -> list[str]:
        rows = repo.page(VoucherQuery(sort=sort, descending=descending), 0, 10)
        return [r.number for r in rows]
    assert order(SortKey.NUMBER) == ["9", "10", "11"]
    assert order(SortKey.AMOUNT) == ["10", "11", "9"]
    assert order(SortKey.DATE, descending=True) == ["10", "9", "11"]
    assert order(SortKey.PAYEE) == ["10", "9", "11"]
    assert [r.number for r in repo.page(VoucherQuery(sort=SortKey.NUMBER), 1, 1)] == ["10"]


def test_payees_used_before_are_offered(repo: SqliteVoucherRepository) -> None:
    repo.create(make("1", "Công ty Điện lực Thái Nguyên", 1000), problems=0, actor=ACTOR)
    repo.create(make("2", "VNPT Thái Nguyên", 1000), problems=0, actor=ACTOR)
    names = [p.name for p in repo.recent_payees("Thái")]
    assert set(names) == {"Công ty Điện lực Thái Nguyên", "VNPT Thái Nguyên"}
    assert repo.recent_payees("VNPT")[0].account == "123456"
    assert repo.recent_payees("100%_") == []
