"""What the window works with: one worker lane that owns the window's SQLite connection.

The GUI thread never runs SQL; connections are not shared between threads that write. Every
database job of the window (the list, the editor, the outbox's reads and controls, signing,
countersigning packages, printing) runs on the lane and uses its one connection,
:meth:`Session.connection`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from treasury_desktop.context import AppContext
from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.problems import Problem
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.office_names import KeptName
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Folder, StoredVoucher, VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.events import EventBus
from treasury_desktop.ui.list_model import FIRST_PAGE, ShownRow, present
from treasury_desktop.ui.worker import BackgroundWorker, Outcome
from treasury_desktop.usecases.drafting import DraftingService

T = TypeVar("T")
QueryAnswer = tuple[int, list[ShownRow]]
Opened = tuple[StoredVoucher, list[Problem], dict[str, KeptName]]


@dataclass
class Lane:
    """The worker's own resources (made on the worker thread)."""

    conn: sqlite3.Connection  # the lane's one connection, closed with the context
    repo: SqliteVoucherRepository
    drafting: DraftingService
    profile: ProfileStore

    def list_answer(self, query: VoucherQuery) -> QueryAnswer:
        """Count and first page of a list query."""
        total, rows = self.repo.count_and_page(query, 0, FIRST_PAGE)
        return total, present(rows)

    def open(self, voucher_id: str) -> Opened:
        """A stored voucher, its problems and the office names it was drafted with, as the
        editor shows it."""
        stored = self.drafting.open(voucher_id)
        drafting = self.drafting
        problems = [*drafting.check(stored.voucher), *drafting.advise(stored.voucher)]
        return stored, problems, drafting.office_names.kept(voucher_id)


@dataclass(frozen=True)
class FirstLook:
    """What the window shows first: the list's first page, and the voucher on its first row
    read with it (so the editor does not wait for a second trip to the worker)."""

    answer: QueryAnswer
    opened: Opened | None


class _FirstLookRead:
    """A first look on its way from the worker, and who waits for it (GUI thread)."""

    def __init__(self, query: VoucherQuery) -> None:
        self.query = query
        self.look: FirstLook | None = None
        self.waiting: Callable[[FirstLook], None] | None = None

    def arrived(self, look: FirstLook) -> None:
        self.look = look
        if self.waiting is not None:
            self.waiting(look)


class Session:
    """The opened data folder as the window sees it."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.events = EventBus()  # the core's news, on the GUI thread (ui/events.py)
        self.worker: BackgroundWorker[Lane] = BackgroundWorker(self._make_lane)
        self.on_error: Callable[[BaseException], None] = _raise
        self.worker.on_error = lambda error: self.on_error(error)
        self._first_look: _FirstLookRead | None = None
        self._opened: Opened | None = None

    def _make_lane(self) -> Lane:
        conn = self.ctx.connect()
        repo, profile = self.ctx.repositories(conn)
        drafting = DraftingService(repo, profile, self.ctx.catalog, self.ctx.actor, self.ctx.clock)
        self.catalog(self.ctx.clock().year)  # read this year's codes here, not on the GUI thread
        return Lane(conn, repo, drafting, profile)

    def connection(self) -> sqlite3.Connection:
        """The worker lane's one connection, for a job running on the worker (any other
        thread is refused). Features take this, never a connection of their own."""
        return self.worker.resources().conn

    def catalog(self, year: int) -> BudgetCatalog | None:
        """The catalogue of a fiscal year, or None when there is none (validation says so)."""
        try:
            return self.ctx.catalog(year)
        except ExpectedError:
            return None

    def request_page(
        self, query: VoucherQuery, offset: int, limit: int,
        on_value: Callable[[list[ShownRow]], None],
    ) -> None:
        """One more page of rows while scrolling, read and laid out on the worker."""
        self.run(lambda lane: present(lane.repo.page(query, offset, limit)), on_value)

    def run(self, job: Callable[[Lane], T], on_value: Callable[[T], None]) -> None:
        """Run ``job`` on the worker; ``on_value`` on the GUI thread, or the error is reported."""

        def deliver(outcome: Outcome[T]) -> None:
            if outcome.error is not None:
                self.on_error(outcome.error)
            else:
                on_value(outcome.value)  # type: ignore[arg-type]

        self.worker.submit(job, deliver)

    def prefetch(self, query: VoucherQuery | None = None) -> None:
        """Start reading the first look now, while the window is still being built; the
        window's first list query (the same ``query``) is then answered by it."""
        if self._first_look is not None:
            return
        query = query or VoucherQuery()
        read = self._first_look = _FirstLookRead(query)

        def job(lane: Lane) -> FirstLook:
            answer = lane.list_answer(query)
            opened: Opened | None = None
            if answer[1]:
                # On a failure the editor opens it the usual way, and reports it that way.
                with contextlib.suppress(Exception):
                    opened = lane.open(answer[1][0].record.id)
            return FirstLook(answer, opened)

        self.run(job, read.arrived)

    def take_opened(self, voucher_id: str) -> Opened | None:
        """The voucher read with the first look, if the list is showing that look right now
        and asks for its first row (later it could be stale: read it again)."""
        opened, self._opened = self._opened, None
        return opened if opened is not None and opened[0].voucher.id == voucher_id else None

    def run_query(self, query: VoucherQuery, on_value: Callable[[QueryAnswer], None]) -> None:
        """Count and first page of a list query, on the worker."""
        read, self._first_look = self._first_look, None
        if read is None or read.query != query:
            self.run(lambda lane: lane.list_answer(query), on_value)
            return

        def show(look: FirstLook) -> None:
            self._opened = look.opened
            try:
                on_value(look.answer)
            finally:
                self._opened = None

        if read.look is not None:
            show(read.look)
        else:
            read.waiting = show

    def folder_counts(self, on_value: Callable[[dict[Folder, int]], None]) -> None:
        """Counts per folder, on the worker."""
        self.run(lambda lane: lane.repo.folder_counts(), on_value)

    def close(self) -> None:
        """Finish the worker's jobs; the context closes the connections."""
        self.events.close()
        self.worker.close()


def _raise(error: BaseException) -> None:
    raise error
