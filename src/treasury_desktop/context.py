"""What every face of the app (window, command line) works with: one data folder, opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from treasury_desktop import paths
from treasury_desktop.domain.catalog import BudgetCatalog, load_catalog
from treasury_desktop.i18n import Lang
from treasury_desktop.store.db import connect
from treasury_desktop.store.opening import close_checks, open_checks
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository

if TYPE_CHECKING:
    from treasury_desktop.usecases.drafting import DraftingService


def _today() -> date:
    return date.today()


@dataclass
class AppContext:
    """The opened data folder. Each thread that writes opens its own connection."""

    data_dir: Path
    lang: Lang = "vi"
    actor: Actor = field(default_factory=Actor.current)
    clock: Callable[[], date] = _today
    _conns: list[sqlite3.Connection] = field(default_factory=list)
    _opened: bool = False

    @property
    def database_path(self) -> Path:
        """The SQLite file."""
        return paths.database_path(self.data_dir)

    def connect(self) -> sqlite3.Connection:
        """A new connection (migrated), closed with the context. The first one also checks
        the file and the audit chain (store/opening.py)."""
        conn = connect(self.database_path)
        self._conns.append(conn)
        if not self._opened:
            open_checks(conn, self.database_path)
            self._opened = True
        return conn

    def catalog(self, year: int) -> BudgetCatalog:
        """The budget-code catalogue of a fiscal year (an updated file in the data folder wins)."""
        return load_catalog(year, override_dir=self.data_dir / "catalogs")

    def repositories(
        self, conn: sqlite3.Connection | None = None
    ) -> tuple[SqliteVoucherRepository, ProfileStore]:
        """The voucher repository and profile over ``conn`` (a new connection by default)."""
        conn = conn or self.connect()
        return SqliteVoucherRepository(conn), ProfileStore(conn)

    def drafting(self, conn: sqlite3.Connection | None = None) -> DraftingService:
        """The drafting use case over ``conn`` (a new connection by default)."""
        from treasury_desktop.usecases.drafting import DraftingService

        repo, profile = self.repositories(conn)
        return DraftingService(repo, profile, self.catalog, self.actor, self.clock)

    def close(self) -> None:
        """Close every connection this context opened."""
        while self._conns:
            self._conns.pop().close()
        if self._opened:
            self._opened = False
            close_checks(self.database_path, self.clock())


def open_context(data_dir: str | Path | None = None, lang: Lang = "vi") -> AppContext:
    """Open the data folder (``TREASURY_DESKTOP_HOME`` or the per-user one)."""
    return AppContext(paths.data_dir(data_dir), lang=lang)
