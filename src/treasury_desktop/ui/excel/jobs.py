"""What the Excel dialogs run on the worker lane (file reading, importing, exporting).

Nothing here touches a widget: each job returns a frozen value, and progress goes back to the
GUI thread through a Qt signal (queued across threads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import Lang
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.documents import Reason
from treasury_desktop.sheets.export import ExportTotals
from treasury_desktop.sheets.grouping import data_rows
from treasury_desktop.sheets.mapping import ColumnMapping, MappingCheck, check
from treasury_desktop.sheets.payroll import TaxSettings
from treasury_desktop.sheets.reading import SheetRow, SheetSource
from treasury_desktop.store.records import VoucherQuery
from treasury_desktop.ui.session import Lane
from treasury_desktop.usecases.import_report import payee_report_lines, voucher_report_lines
from treasury_desktop.usecases.importing import ImportService
from treasury_desktop.usecases.payee_import import PayeeImporter
from treasury_desktop.usecases.sheet_export import export_vouchers
from treasury_desktop.usecases.sheet_import import SheetImporter, read_mapping

PREVIEW_ROWS = 20
RefusedRows = tuple[tuple[int, ...], tuple[Reason, ...]]


class Progress(QObject):
    """Rows done out of rows in all, emitted from the worker thread."""

    changed = Signal(int, int)


@dataclass(frozen=True)
class Proposal:
    """A sheet as the dialog first shows it: sheets, the proposed mapping, the first rows."""

    path: Path
    sheets: tuple[str, ...]
    sheet: str
    mapping: ColumnMapping
    check: MappingCheck
    preview: tuple[SheetRow, ...]


@dataclass(frozen=True)
class Finished:
    """An import that ran: its report as sentences, and the refused rows to save."""

    lines: tuple[str, ...]
    refused: tuple[RefusedRows, ...]
    stored: int
    refused_count: int


def propose_job(path: Path, sheet: str | None, kind: SheetKind | None) -> Proposal:
    """Read the header and the first rows of a sheet (on the worker)."""
    source = SheetSource(path, sheet)
    mapping, found = read_mapping(source, kind)
    preview: list[SheetRow] = []
    for row in data_rows(source.rows(), mapping):
        preview.append(row)
        if len(preview) >= PREVIEW_ROWS:
            break
    return Proposal(path, tuple(source.sheet_names()), source.sheet_name, mapping, found,
                    tuple(preview))


def recheck(mapping: ColumnMapping) -> MappingCheck:
    """What a mapping changed in the dialog still lacks."""
    return check(mapping)


def import_job(
    ctx: AppContext, path: Path, sheet: str, mapping: ColumnMapping, dry_run: bool,
    progress: Progress, lang: Lang,
) -> Callable[[Lane], Finished]:
    """The import as a job of the worker lane, over the lane's own connection."""

    def job(lane: Lane) -> Finished:
        source = SheetSource(path, sheet)
        if mapping.kind is SheetKind.PAYEES:
            payees = PayeeImporter(lane.repo.payee_directory(), ctx.clock).run(
                source, mapping, dry_run=dry_run)
            progress.changed.emit(len(payees.rows), len(payees.rows))
            refused: tuple[RefusedRows, ...] = tuple(
                ((r.row,), r.reasons) for r in payees.rows if r.saved is None)
            return Finished(tuple(payee_report_lines(payees, lang)), refused,
                            len(payees.rows) - len(refused), len(refused))
        _, profile = ctx.repositories()  # a connection of this (worker) thread
        importer = SheetImporter(
            ImportService(lane.drafting), lane.repo, profile.unit(), ctx.catalog, ctx.actor,
            ctx.clock, TaxSettings.from_profile(profile.get("tax")),
        )
        report = importer.run(source, mapping, dry_run=dry_run,
                              on_progress=progress.changed.emit)
        refused = tuple((r.rows, r.reasons) for r in report.refused)
        return Finished(tuple(voucher_report_lines(report, lang)), refused,
                        len(report.results) - len(refused), len(refused))

    return job


def export_job(
    ctx: AppContext, query: VoucherQuery, path: str, lang: Lang
) -> Callable[[Lane], ExportTotals]:
    """Export the list as shown (its folder, search and order) on the worker."""
    return lambda lane: export_vouchers(
        lane.repo, query, path, lang, ctx.catalog, ctx.clock().year)
