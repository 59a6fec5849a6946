"""Remaining budget estimates (dự toán còn lại): fetched with ETag, kept for offline use.

The editor asks :meth:`BalanceBook.over_estimate` whether a voucher exceeds what is left on its
chapter/industry/source, counting the desk's own vouchers already on their way (queued … checking)
and saying how old the treasury's figure is.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.api.port import BudgetBalance, TreasuryPort
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import ON_THE_WAY
from treasury_desktop.i18n import Lang, Message, text
from treasury_desktop.store import server_cache
from treasury_desktop.store.db import transaction
from treasury_desktop.store.vouchers import SqliteVoucherRepository

BudgetKey = tuple[str, str, str]  # chapter, industry, source


@dataclass(frozen=True)
class BalanceSheet:
    """The cached balances of one unit and year, and when the treasury gave them."""

    unit: str
    fiscal_year: int
    items: tuple[BudgetBalance, ...]
    fetched_at: datetime
    etag: str | None

    def remaining(self) -> dict[BudgetKey, int]:
        """What is left per code."""
        return {(b.chapter, b.industry, b.source): b.remaining for b in self.items}


@dataclass(frozen=True)
class EstimateWarning:
    """A voucher line group that exceeds the remaining estimate the desk knows."""

    chapter: str
    industry: str
    source: str
    amount: int
    remaining: int
    on_the_way: int
    fetched_at: datetime
    age: Message
    no_estimate: bool = False  # the treasury's figures have no estimate on this combination

    def render(self, lang: Lang | None = None) -> str:
        """The editor's sentence, with how old the treasury's figure is."""
        if self.no_estimate:
            return text("sync.no_estimate", lang, chapter=self.chapter, industry=self.industry,
                        source=self.source, amount=format_vnd(self.amount),
                        age=self.age.render(lang))
        return text("sync.over_estimate", lang, chapter=self.chapter, industry=self.industry,
                    source=self.source, amount=format_vnd(self.amount),
                    remaining=format_vnd(self.remaining - self.on_the_way),
                    age=self.age.render(lang))


def _key(unit: str, year: int) -> str:
    return f"balances/{unit}/{year}"


def age_words(seconds: float) -> Message:
    """How old a figure is, in plain words."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return Message("sync.age.now")
    if minutes < 60:
        return Message("sync.age.minutes", {"n": minutes})
    if minutes < 48 * 60:
        return Message("sync.age.hours", {"n": minutes // 60})
    return Message("sync.age.days", {"n": minutes // (24 * 60)})


class BalanceBook:
    """Balances per unit and year: refreshed from the treasury, read from the cache."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], datetime]) -> None:
        self._conn = conn
        self._clock = clock

    def refresh(self, port: TreasuryPort, unit: str, year: int) -> BalanceSheet:
        """Ask the treasury (If-None-Match the cached ETag) and cache the answer."""
        cached = self.cached(unit, year)
        fetched = port.balances(unit, year, cached.etag if cached else None)
        now = self._clock()
        items = cached.items if fetched.body is None and cached else tuple(fetched.items)
        body = json.dumps([vars(b) for b in items], ensure_ascii=False)
        with transaction(self._conn) as conn:
            server_cache.keep_in(conn, _key(unit, year), body, fetched.etag, now)
        return BalanceSheet(unit, year, items, now, fetched.etag)

    def cached(self, unit: str, year: int) -> BalanceSheet | None:
        """The last balances fetched, for offline use."""
        kept = server_cache.cached(self._conn, _key(unit, year))
        if kept is None:
            return None
        items = tuple(BudgetBalance(**b) for b in json.loads(kept.body))
        return BalanceSheet(unit, year, items, kept.fetched_at, kept.etag)

    def over_estimate(self, voucher: Voucher) -> list[EstimateWarning]:
        """Warnings for each code where this voucher exceeds what is left, or where the unit
        has no estimate at all (the treasury would refuse it); none when the balances were never
        fetched: the editor then says nothing about estimates."""
        sheet = self.cached(voucher.unit.code, voucher.fiscal_year)
        if sheet is None:
            return []
        remaining = sheet.remaining()
        others = self._on_the_way(voucher)
        age = age_words((self._clock() - sheet.fetched_at).total_seconds())
        warnings = []
        for key, amount in sorted(_amounts(voucher).items()):
            left = remaining.get(key)
            if left is None:
                warnings.append(EstimateWarning(*key, amount, 0, 0, sheet.fetched_at, age,
                                                no_estimate=True))
                continue
            committed = others.get(key, 0)
            if amount > left - committed:
                warnings.append(EstimateWarning(*key, amount, left, committed, sheet.fetched_at,
                                                age))
        return warnings

    def _on_the_way(self, voucher: Voucher) -> dict[BudgetKey, int]:
        documents = SqliteVoucherRepository(self._conn).documents_with_status(
            ON_THE_WAY, voucher.fiscal_year, except_id=voucher.id)
        sums: dict[BudgetKey, int] = {}
        for document in documents:
            for line in document.get("lines", []):
                key = (line.get("chapter", ""), line.get("industry", ""), line.get("source", ""))
                sums[key] = sums.get(key, 0) + int(line.get("amount", 0))
        return sums


def _amounts(voucher: Voucher) -> dict[BudgetKey, int]:
    sums: dict[BudgetKey, int] = {}
    for line in voucher.lines:
        key = (line.chapter, line.industry, line.source)
        sums[key] = sums.get(key, 0) + line.amount
    return sums
