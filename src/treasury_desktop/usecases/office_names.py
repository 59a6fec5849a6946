"""A voucher keeps the treasury office NAME it was drafted with (issue 11).

Office codes (mã KBNN) are renamed, merged and reassigned between catalogue years (in 2025 the
treasury became 20 regional treasuries with transaction offices). When a voucher is saved, the
name of each office code it carries is kept as the voucher's own catalogue year named it; a later
catalogue never changes the name a stored voucher shows or prints. A voucher stored before names
were kept takes its name the first time it is opened.
"""

from __future__ import annotations

from collections.abc import Callable

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.office_names import KeptName, OfficeNameStore

OFFICE_FIELDS = ("unit.treasury", "tax.treasury")
"""The fields of a voucher that hold a mã KBNN."""


def office_codes(voucher: Voucher) -> dict[str, str]:
    """The office code in each office field (empty when the voucher has none there)."""
    return {
        "unit.treasury": voucher.unit.treasury,
        "tax.treasury": voucher.tax.treasury if voucher.tax is not None else "",
    }


class OfficeNames:
    """Keeps and tells the office names of vouchers."""

    def __init__(
        self, store: OfficeNameStore, catalog: Callable[[int], BudgetCatalog]
    ) -> None:
        self._store = store
        self._catalog = catalog

    def _current_name(self, year: int, code: str) -> str:
        try:
            catalog = self._catalog(year)
        except ExpectedError:
            return ""
        return catalog.name_of(CatalogKind.TREASURY, code) or ""

    def remember(self, voucher: Voucher, *, only_missing: bool = False) -> None:
        """Keep the name of each office code that changed since it was last kept.
        ``only_missing``: name only fields nothing was kept for (a voucher opened)."""
        kept = self._store.kept(voucher.id)
        for field, code in office_codes(voucher).items():
            before = kept.get(field)
            if before is not None and (only_missing or before.code == code):
                continue
            name = self._current_name(voucher.fiscal_year, code) if code else ""
            if name:
                self._store.keep(voucher.id, field, code, name)
            elif before is not None:
                self._store.forget(voucher.id, field)

    def kept(self, voucher_id: str) -> dict[str, KeptName]:
        """What is kept for a voucher, by field."""
        return self._store.kept(voucher_id)


def shown_name(kept: dict[str, KeptName], field: str, code: str, fallback: str | None) -> str:
    """The name to show beside the office code in ``field``: the kept one while the code is
    the one it was kept for, else ``fallback`` (the current catalogue's)."""
    before = kept.get(field)
    if before is not None and before.code == code:
        return before.name
    return fallback or ""
