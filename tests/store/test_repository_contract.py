"""One contract for the voucher repository, run against SQLite and the in-memory fake alike."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from treasury_desktop.clock import FakeClock, iso
from treasury_desktop.domain.voucher import BudgetLine, Payee, Voucher, new_voucher_id
from treasury_desktop.domain.workflow import ALLOWED, TransitionError, VoucherState
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.db import connect
from treasury_desktop.store.memory import InMemoryVoucherRepository
from treasury_desktop.store.records import Actor, Folder, SortKey, VoucherQuery, folder_of
from treasury_desktop.store.repository import VoucherRepository
from treasury_desktop.store.vouchers import SignaturesWouldBeDropped, SqliteVoucherRepository

ACTOR = Actor("lan", "accountant")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "memory"])
def repo(request: pytest.FixtureRequest, tmp_path: Path,
         clock: FakeClock) -> Iterator[VoucherRepository]:
    if request.param == "memory":
        yield InMemoryVoucherRepository(clock)
        return
    conn: sqlite3.Connection = connect(tmp_path / "db.sqlite3")
    yield SqliteVoucherRepository(conn, clock)
    conn.close()


def make(number: str, payee: str, amount: int, content: str = "Văn phòng phẩm",
         day: str = "2026-03-01") -> Voucher:
    return Voucher(
        id=new_voucher_id(), number=number, date=day, payee=Payee(name=payee, account="123456"),
        lines=(BudgetLine(content, "6551", "422", "072", "13", amount),),
    )


def path_to(target: VoucherState) -> list[VoucherState]:
    """The shortest allowed moves from a draft to ``target``."""
    paths = {VoucherState.DRAFT: [VoucherState.DRAFT]}
    frontier = [VoucherState.DRAFT]
    while frontier:
        state = frontier.pop(0)
        for after in sorted(ALLOWED[state]):
            if after not in paths:
                paths[after] = [*paths[state], after]
                frontier.append(after)
    return paths[target][1:]


def test_create_get_save_round_trip_with_the_clock(repo: VoucherRepository,
                                                   clock: FakeClock) -> None:
    voucher = make("1", "Nhà sách Đông Á", 150_000)
    created = repo.create(voucher, problems=0, actor=ACTOR)
    stored = repo.get(voucher.id)
    assert stored == created and stored.voucher == voucher
    assert stored.status is VoucherState.DRAFT
    assert stored.created_at == stored.updated_at == iso(clock.now())
    clock.advance(60)
    after = repo.save(voucher.with_changes(number="2"), problems=1, actor=ACTOR)
    assert after.voucher.number == "2" and after.problems == 1
    assert after.content_hash != stored.content_hash
    assert after.created_at == stored.created_at and after.updated_at == iso(clock.now())
    clock.advance(60)
    assert repo.save(after.voucher, problems=1, actor=ACTOR) == after  # unchanged: no write
    assert repo.get("no-such-id") is None


def test_a_duplicate_id_is_refused(repo: VoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.create(voucher, problems=0, actor=ACTOR)


def test_saving_an_unknown_voucher_is_refused(repo: VoucherRepository) -> None:
    with pytest.raises(ExpectedError):
        repo.save(make("1", "A", 1000), problems=0, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.set_status("nope", VoucherState.SIGNED_CHIEF, actor=ACTOR)


def test_editing_a_signed_voucher_needs_confirmation(repo: VoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    repo.set_status(voucher.id, VoucherState.SIGNED_CHIEF, actor=ACTOR)
    assert repo.save(voucher, problems=0, actor=ACTOR).status is VoucherState.SIGNED_CHIEF
    edited = voucher.with_changes(number="7")
    with pytest.raises(SignaturesWouldBeDropped):
        repo.save(edited, problems=0, actor=ACTOR)
    stored = repo.save(edited, problems=0, actor=ACTOR, drop_signatures=True)
    assert stored.status is VoucherState.DRAFT and stored.voucher.number == "7"


def test_moves_follow_the_workflow(repo: VoucherRepository) -> None:
    voucher = make("1", "A", 1000)
    repo.create(voucher, problems=0, actor=ACTOR)
    with pytest.raises(TransitionError):
        repo.set_status(voucher.id, VoucherState.PAID, actor=ACTOR)
    for state in path_to(VoucherState.RETURNED):
        stored = repo.set_status(voucher.id, state, actor=ACTOR, reason=f"to {state}")
    assert stored.status is VoucherState.RETURNED and stored.status_reason == "to returned"
    assert repo.set_status(voucher.id, VoucherState.RETURNED, actor=ACTOR) == stored
    assert repo.ids_with_status(VoucherState.RETURNED) == [voucher.id]


def test_only_drafts_are_edited_or_deleted(repo: VoucherRepository) -> None:
    voucher, draft = make("1", "A", 1000), make("2", "B", 2000)
    repo.create(voucher, problems=0, actor=ACTOR)
    repo.create(draft, problems=0, actor=ACTOR)
    for state in path_to(VoucherState.QUEUED):
        repo.set_status(voucher.id, state, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.save(voucher.with_changes(number="2"), problems=0, actor=ACTOR)
    with pytest.raises(ExpectedError):
        repo.delete_draft(voucher.id, actor=ACTOR)
    repo.delete_draft(draft.id, actor=ACTOR)
    repo.delete_draft(draft.id, actor=ACTOR)  # gone already: nothing to do
    assert repo.get(draft.id) is None and repo.get(voucher.id) is not None


@pytest.mark.parametrize("problems", [0, 2])
def test_every_state_lands_in_its_folder(repo: VoucherRepository, problems: int) -> None:
    placed: dict[str, Folder] = {}
    for state in VoucherState:
        voucher = make(str(len(placed) + 1), "A", 1000)
        repo.create(voucher, problems=problems, actor=ACTOR)
        for step in path_to(state):
            repo.set_status(voucher.id, step, actor=ACTOR)
        placed[voucher.id] = folder_of(state, problems)
    counts = repo.folder_counts()
    assert counts[Folder.ALL] == len(VoucherState)
    for folder in Folder:
        if folder is Folder.ALL:
            continue
        held = sorted(i for i, f in placed.items() if f is folder)
        assert counts[folder] == len(held), folder
        assert sorted(r.id for r in repo.page(VoucherQuery(folder=folder), 0, 50)) == held


def test_search_over_payee_content_number_and_amount(repo: VoucherRepository) -> None:
    repo.create(make("125", "Công ty Điện lực Thái Nguyên", 1_234_000, "Tiền điện tháng 10"),
                problems=0, actor=ACTOR)
    repo.create(make("126", "Công ty CP Nước sạch", 560_000, "Tiền nước tháng 10"),
                problems=2, actor=ACTOR)

    def found(text: str, folder: Folder = Folder.ALL) -> int:
        return repo.count(VoucherQuery(folder=folder, text=text))

    assert found("điện lực") == 1
    assert found("dien luc") == 1
    assert found("ĐIỆN") == 1
    assert found("tháng 10") == 2
    assert found("tháng 10", Folder.DRAFTS) == 1
    assert found("126") == 1
    assert found("1.234") == 1
    assert found("560000") == 1
    assert found("xăng") == 0
    assert found('" OR * NEAR(') == 0
    assert found("   ") == 2


def test_sort_orders_and_pages(repo: VoucherRepository) -> None:
    for number, payee, amount, day in [("9", "Bình", 300, "2026-02-01"),
                                       ("10", "an", 100, "2026-03-01"),
                                       ("11", "Châu", 200, "2026-01-01")]:
        repo.create(make(number, payee, amount, day=day), problems=0, actor=ACTOR)

    def order(sort: SortKey, descending: bool = False) -> list[str]:
        return [r.number for r in repo.page(VoucherQuery(sort=sort, descending=descending), 0, 9)]

    assert order(SortKey.NUMBER) == ["9", "10", "11"]
    assert order(SortKey.AMOUNT) == ["10", "11", "9"]
    assert order(SortKey.DATE, descending=True) == ["10", "9", "11"]
    assert order(SortKey.PAYEE) == ["10", "9", "11"]
    count, rows = repo.count_and_page(VoucherQuery(sort=SortKey.NUMBER), 1, 1)
    assert count == 3 and [r.number for r in rows] == ["10"]


def test_payees_used_before_are_offered(repo: VoucherRepository) -> None:
    repo.create(make("1", "Công ty Điện lực Thái Nguyên", 1000), problems=0, actor=ACTOR)
    repo.create(make("2", "VNPT Thái Nguyên", 1000), problems=0, actor=ACTOR)
    names = [p.name for p in repo.recent_payees("Thái")]
    assert set(names) == {"Công ty Điện lực Thái Nguyên", "VNPT Thái Nguyên"}
    assert repo.recent_payees("vnpt")[0].account == "123456"
    assert repo.recent_payees("100%_") == []
    assert len(repo.recent_payees("", limit=1)) == 1


def test_folder_counts_follow_edits_moves_and_deletes(repo: VoucherRepository) -> None:
    first, second, third = (make(str(n), "A", n * 1000) for n in (1, 2, 3))
    for voucher in (first, second, third):
        repo.create(voucher, problems=1, actor=ACTOR)
    repo.save(first.with_changes(number="11"), problems=0, actor=ACTOR)  # complete: to sign
    repo.set_status(first.id, VoucherState.SIGNED_CHIEF, actor=ACTOR)
    repo.save(third, problems=0, actor=ACTOR)
    repo.delete_draft(second.id, actor=ACTOR)
    counts = repo.folder_counts()
    assert counts == {folder: repo.count(VoucherQuery(folder=folder)) for folder in Folder}
    assert (counts[Folder.ALL], counts[Folder.DRAFTS], counts[Folder.TO_SIGN]) == (2, 0, 2)


def test_both_repositories_answer_alike(tmp_path: Path) -> None:
    """The same vouchers, the same queries: the fake and SQLite give the same rows."""
    rng = random.Random(8)
    conn = connect(tmp_path / "db.sqlite3")
    clock = FakeClock()
    repos: list[VoucherRepository] = [SqliteVoucherRepository(conn, clock),
                                      InMemoryVoucherRepository(clock)]
    payees = ["Công ty Điện lực", "Nhà sách Đông Á", "VNPT Thái Nguyên", "an", "Bình"]
    words = ["Tiền điện", "Văn phòng phẩm", "Sửa chữa", "Nước sạch"]
    for n in range(120):
        voucher = make(str(rng.randint(1, 60)), rng.choice(payees), rng.randint(1, 9) * 1000,
                       f"{rng.choice(words)} tháng {rng.randint(1, 12)}",
                       day=f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        state = rng.choice(list(VoucherState))
        clock.advance(1)  # "most recent payee first" needs distinct times
        for repo in repos:
            repo.create(voucher, problems=n % 3, actor=ACTOR)
            for step in path_to(state):
                repo.set_status(voucher.id, step, actor=ACTOR)
    texts = ["", "điện", "thang 1", "dong a", "3000", "an", "xyz"]
    for folder in Folder:
        for text in texts:
            for sort in SortKey:
                query = VoucherQuery(folder=folder, text=text, sort=sort,
                                     descending=rng.random() < 0.5)
                sqlite_answer, memory_answer = (r.count_and_page(query, 3, 25) for r in repos)
                assert sqlite_answer == memory_answer, query
    assert repos[0].folder_counts() == repos[1].folder_counts()
    assert repos[0].recent_payees("") == repos[1].recent_payees("")
    conn.close()
