"""Importing vouchers from a spreadsheet (nhập chứng từ từ Excel).

Rows are grouped into vouchers, each voucher's document goes through the same reading and
validation as a typed one (:class:`ImportService`), and is stored whole or not at all. The
report lists every refused voucher with its sheet, rows and every reason; a voucher whose
content is already stored is reported as already imported, never stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from treasury_desktop.domain.voucher import Unit, Voucher
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.documents import Built, CatalogSource, DocumentBuilder, Reason
from treasury_desktop.sheets.grouping import RowGroup, count_and_last_rows, groups
from treasury_desktop.sheets.mapping import (
    ColumnMapping,
    MappingCheck,
    SavedMapping,
    find_header,
    propose,
)
from treasury_desktop.sheets.payroll import PayrollBuilder, TaxSettings
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.importing import ImportService, InvalidDocument

BATCH = 500
"""Vouchers stored per durable commit; each still whole or not at all (a savepoint each)."""
Progress = Callable[[int, int], None]


class Outcome(StrEnum):
    """What became of one voucher of the sheet."""

    STORED = "stored"
    CHECKED = "checked"  # --dry-run: would be stored
    ALREADY = "already"  # the same content is stored already
    REFUSED = "refused"


@dataclass(frozen=True)
class VoucherResult:
    """One voucher of the sheet: its rows, what became of it, and why."""

    sheet: str
    rows: tuple[int, ...]
    number: str
    outcome: Outcome
    voucher_id: str = ""
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class SheetImportReport:
    """What an import stored, found already stored, and refused."""

    sheet: str
    mapping: ColumnMapping
    rows: int
    results: tuple[VoucherResult, ...]
    dry_run: bool

    def count(self, outcome: Outcome) -> int:
        """How many vouchers had ``outcome``."""
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def refused(self) -> tuple[VoucherResult, ...]:
        """The refused vouchers, in sheet order."""
        return tuple(r for r in self.results if r.outcome is Outcome.REFUSED)


class MappingIncomplete(ExpectedError):
    """The columns cannot be used as they are: nothing was read past the header."""

    def __init__(self, check: MappingCheck, describe: Callable[[MappingCheck], str]) -> None:
        super().__init__("excel.mapping_incomplete", columns=describe(check))
        self.check = check


def read_mapping(
    source: SheetSource, kind: SheetKind | None = None, saved: SavedMapping | None = None
) -> tuple[ColumnMapping, MappingCheck]:
    """The proposed mapping of a sheet's header row, and what keeps it from being complete.

    Without a ``kind`` (nor a saved mapping naming one) the sheet says what it holds: the
    kind whose proposal is complete, vouchers first; else the one that recognises most.
    """
    if kind is None and saved is not None:
        kind = saved.kind
    kinds = [kind] if kind is not None else list(SheetKind)
    proposals: list[tuple[ColumnMapping, MappingCheck]] = []
    for candidate in kinds:
        header = find_header(source.rows(), candidate)
        if header is not None:
            proposals.append(propose(header, candidate, saved))
    if not proposals:
        raise ExpectedError("excel.no_header", sheet=source.sheet_name)
    for mapping, check in proposals:
        if check.complete:
            return mapping, check
    return max(proposals, key=lambda p: sum(1 for f in p[0].fields if f is not None))


class SheetImporter:
    """Vouchers from a sheet, through the import use case's validation and the repository."""

    def __init__(
        self,
        importer: ImportService,
        repo: SqliteVoucherRepository,
        unit: Unit | None,
        catalogs: CatalogSource,
        actor: Actor,
        clock: Callable[[], date],
        tax: TaxSettings | None = None,
    ) -> None:
        self._tax = tax or TaxSettings()
        self._importer = importer
        self._repo = repo
        self._unit = unit
        self._catalogs = catalogs
        self._actor = actor
        self._clock = clock

    def run(
        self,
        source: SheetSource,
        mapping: ColumnMapping,
        *,
        dry_run: bool = False,
        on_progress: Progress | None = None,
    ) -> SheetImportReport:
        """Import every voucher of the sheet with a complete mapping."""
        total, last = count_and_last_rows(source.rows(), mapping)
        year = self._clock().year
        builder = (
            PayrollBuilder(mapping, self._unit, self._catalogs, year, self._tax)
            if mapping.kind is SheetKind.PAYROLL
            else DocumentBuilder(mapping, self._unit, self._catalogs, year)
        )
        results: list[VoucherResult] = []
        pending: list[tuple[int, Voucher]] = []  # (index in results, voucher) to store
        done = 0
        for group in groups(source.rows(), mapping, last):
            result, voucher = self._one(source.sheet_name, builder, group, dry_run)
            if voucher is not None and not dry_run:
                pending.append((len(results), voucher))
            results.append(result)
            if len(pending) >= BATCH:
                self._store(pending, results)
            done += len(group.rows)
            if on_progress is not None:
                on_progress(done, total)
        self._store(pending, results)
        return SheetImportReport(source.sheet_name, mapping, total, tuple(results), dry_run)

    def _one(
        self, sheet: str, builder: DocumentBuilder, group: RowGroup, dry_run: bool
    ) -> tuple[VoucherResult, Voucher | None]:
        built = builder.build(group)
        number = str(built.document.get("number", ""))
        try:
            voucher = self._importer.parse(built.document)
        except InvalidDocument as error:
            reasons = _reasons(built, group, error)
            return VoucherResult(sheet, group.row_numbers, number, Outcome.REFUSED,
                                 reasons=reasons), None
        if built.reasons:
            return VoucherResult(sheet, group.row_numbers, number, Outcome.REFUSED,
                                 reasons=tuple(built.reasons)), None
        existing = self._repo.same_content(voucher)
        if existing is not None:
            return VoucherResult(sheet, group.row_numbers, number, Outcome.ALREADY, existing), None
        outcome = Outcome.CHECKED if dry_run else Outcome.STORED
        return VoucherResult(sheet, group.row_numbers, number, outcome, voucher.id), voucher

    def _store(self, pending: list[tuple[int, Voucher]], results: list[VoucherResult]) -> None:
        if not pending:
            return
        stored = {s.voucher.id for s in self._repo.create_many(
            [v for _, v in pending], actor=self._actor)}
        for index, voucher in pending:
            if voucher.id not in stored:  # lost a race with another desk process: say so
                old = results[index]
                results[index] = VoucherResult(
                    old.sheet, old.rows, old.number, Outcome.REFUSED, reasons=(Reason(
                        old.rows[0], "", Message("store.duplicate_id", {"id": voucher.id})),))
        pending.clear()


def _reasons(built: Built, group: RowGroup, error: InvalidDocument) -> tuple[Reason, ...]:
    """Every reason, each at its row and column; a cell already refused is not named twice."""
    reasons = list(built.reasons)
    taken = {(r.row, r.column) for r in reasons if r.column}
    first = group.rows[0].number
    for problem in error.problems:
        row, column = built.where(problem.field, first)
        if column and (row, column) in taken:
            continue
        reasons.append(Reason(row, column, Message(f"problem.{problem.code}", problem.params)))
    return tuple(reasons)
