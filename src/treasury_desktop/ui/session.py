"""What the window works with: one worker lane that owns the window's SQLite connection.

The GUI thread never runs SQL; connections are not shared between threads that write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from treasury_desktop.context import AppContext
from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.records import Folder, VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.list_model import FIRST_PAGE, ShownRow, present
from treasury_desktop.ui.worker import BackgroundWorker, Outcome
from treasury_desktop.usecases.drafting import DraftingService

T = TypeVar("T")


@dataclass
class Lane:
    """The worker's own resources (made on the worker thread)."""

    repo: SqliteVoucherRepository
    drafting: DraftingService


class Session:
    """The opened data folder as the window sees it."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.worker: BackgroundWorker[Lane] = BackgroundWorker(self._make_lane)
        self.on_error: Callable[[BaseException], None] = _raise
        self.worker.on_error = lambda error: self.on_error(error)

    def _make_lane(self) -> Lane:
        repo, profile = self.ctx.repositories(self.ctx.connect())
        drafting = DraftingService(repo, profile, self.ctx.catalog, self.ctx.actor, self.ctx.clock)
        self.catalog(self.ctx.clock().year)  # read this year's codes here, not on the GUI thread
        return Lane(repo, drafting)

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

    def run_query(self, query: VoucherQuery, on_value: Callable[[Any], None]) -> None:
        """Count and first page of a list query, on the worker."""

        def job(lane: Lane) -> tuple[int, list[ShownRow]]:
            return lane.repo.count(query), present(lane.repo.page(query, 0, FIRST_PAGE))

        self.run(job, on_value)

    def folder_counts(self, on_value: Callable[[dict[Folder, int]], None]) -> None:
        """Counts per folder, on the worker."""
        self.run(lambda lane: lane.repo.folder_counts(), on_value)

    def close(self) -> None:
        """Finish the worker's jobs; the context closes the connections."""
        self.worker.close()


def _raise(error: BaseException) -> None:
    raise error
