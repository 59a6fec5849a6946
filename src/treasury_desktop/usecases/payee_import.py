"""Importing a payee list (danh sách đơn vị nhận tiền) that the editor then offers.

Each row is one payee: name, account, bank, address, tax code. A row is checked with the same
payee rules as a voucher's payee; refused rows are reported with their reasons, the others
are stored in one transaction (a payee already in the directory is updated, or left alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.validation import validate
from treasury_desktop.domain.voucher import Payee, Voucher
from treasury_desktop.i18n import Message
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.documents import Reason
from treasury_desktop.sheets.grouping import data_rows
from treasury_desktop.sheets.mapping import ColumnMapping
from treasury_desktop.sheets.reading import SheetRow, SheetSource
from treasury_desktop.store.payee_directory import DirectoryPayee, PayeeDirectory, Saved

TAX_CODE = re.compile(r"^\d{10}(?:-\d{3})?$")  # mã số thuế: 10 digits, or 10 + "-" + 3
_NO_CODES = BudgetCatalog(0, "", "", date.min, "", {})  # payee rules look up no code
_FIELDS = {"payee.name": "name", "payee.account": "account", "payee.bank": "bank",
           "payee.address": "address", "payee.tax_code": "tax_code"}


@dataclass(frozen=True)
class PayeeRow:
    """One row of the list and what became of it (``saved`` is None when refused)."""

    row: int
    name: str
    saved: Saved | None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class PayeeImportReport:
    """Every row of the payee list, in sheet order."""

    sheet: str
    rows: tuple[PayeeRow, ...]
    dry_run: bool

    def count(self, saved: Saved | None) -> int:
        """How many rows were added, updated, unchanged, or (None) refused."""
        return sum(1 for r in self.rows if r.saved is saved)


class PayeeImporter:
    """Reads a payee list and stores it in the directory."""

    def __init__(self, directory: PayeeDirectory, clock: Callable[[], date]) -> None:
        self._directory = directory
        self._clock = clock

    def run(
        self, source: SheetSource, mapping: ColumnMapping, *, dry_run: bool = False
    ) -> PayeeImportReport:
        """Check every row; store the good ones unless ``dry_run``."""
        good: list[tuple[int, DirectoryPayee]] = []
        results: dict[int, PayeeRow] = {}
        for row in data_rows(source.rows(), mapping):
            payee, reasons = self._read(row, mapping)
            if reasons:
                results[row.number] = PayeeRow(row.number, payee.name, None, reasons)
            else:
                good.append((row.number, payee))
        if good and not dry_run:
            outcomes = self._directory.save_all([p for _, p in good])
        else:
            outcomes = [Saved.ADDED] * len(good)
        for (number, payee), saved in zip(good, outcomes, strict=True):
            results[number] = PayeeRow(number, payee.name, saved)
        ordered = tuple(results[n] for n in sorted(results))
        return PayeeImportReport(source.sheet_name, ordered, dry_run)

    def _read(
        self, row: SheetRow, mapping: ColumnMapping
    ) -> tuple[DirectoryPayee, tuple[Reason, ...]]:
        values: dict[str, str] = {}
        for field, key in _FIELDS.items():
            column = mapping.column_of(field)
            cell = row.cells[column] if column is not None and column < len(row.cells) else None
            values[key] = cells.digits_text(cell)
        payee = DirectoryPayee(**values)
        probe = Voucher(id="-", payee=Payee(name=payee.name, address=payee.address,
                                            account=payee.account, bank=payee.bank))
        reasons = [
            Reason(row.number, _header(mapping, problem.field),
                   Message(f"problem.{problem.code}", problem.params))
            for problem in validate(probe, _NO_CODES, today=self._clock())
            if problem.field.startswith("payee.")
        ]
        if payee.tax_code and not TAX_CODE.match(payee.tax_code):
            reasons.append(Reason(row.number, _header(mapping, "payee.tax_code"),
                                  Message("excel.tax_code", {"value": payee.tax_code})))
        return payee, tuple(reasons)


def _header(mapping: ColumnMapping, field: str) -> str:
    column = mapping.column_of(field)
    return mapping.headers[column] if column is not None else ""
