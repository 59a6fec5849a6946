"""``voucher import FILE.xlsx|.csv`` and ``voucher export --xlsx FILE``: the Excel bridge.

The JSON-lines import stays in ``vouchers.py``; a spreadsheet file is sent here by its suffix.
"""

from __future__ import annotations

import argparse
import sys

from treasury_desktop.context import AppContext
from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.columns import SheetKind, field_label
from treasury_desktop.sheets.error_report import describe, write_error_report
from treasury_desktop.sheets.export import ExportTotals, write_export
from treasury_desktop.sheets.mapping import MappingCheck, load_mapping
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.payee_directory import PayeeDirectory, Saved
from treasury_desktop.store.records import SortKey, VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.importing import ImportService
from treasury_desktop.usecases.payee_import import PayeeImporter, PayeeImportReport
from treasury_desktop.usecases.sheet_import import (
    MappingIncomplete,
    Outcome,
    SheetImporter,
    SheetImportReport,
    read_mapping,
)


def add_import_options(parser: argparse.ArgumentParser) -> None:
    """The spreadsheet options of ``voucher import``."""
    parser.add_argument("--mapping", metavar="FILE", help="a saved column mapping (.json)")
    parser.add_argument("--save-mapping", metavar="FILE", help="save the column mapping used")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first)")
    parser.add_argument("--kind", choices=[k.value for k in SheetKind], default=None,
                        help="what the sheet holds (default: told by its header row)")
    parser.add_argument("--dry-run", action="store_true", help="check only; store nothing")
    parser.add_argument("--errors", metavar="FILE.xlsx",
                        help="save the refused rows with an error column, to fix and re-import")


def describe_check(check: MappingCheck, lang: Lang | None = None) -> str:
    """The columns a mapping could not use, in one sentence per kind of trouble."""
    parts: list[str] = []
    if check.unknown:
        names = ", ".join(f"«{c}»" for c in check.unknown)
        parts.append(text("excel.columns_unknown", lang, columns=names))
    if check.ambiguous:
        names = ", ".join(f"«{c}»" for c in check.ambiguous)
        parts.append(text("excel.columns_ambiguous", lang, columns=names))
    if check.missing:
        names = ", ".join(text(field_label(f), lang) for f in check.missing)
        parts.append(text("excel.columns_missing", lang, columns=names))
    return " ".join(parts)


def make_importer(ctx: AppContext) -> SheetImporter:
    """The sheet importer over this context's store, through the drafting use case."""
    repo, profile = ctx.repositories()
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
    return SheetImporter(
        ImportService(drafting), repo, profile.unit(), ctx.catalog, ctx.actor, ctx.clock
    )


def run_import(args: argparse.Namespace, ctx: AppContext) -> int:
    """Import a spreadsheet of vouchers; exit 1 when any voucher was refused."""
    lang: Lang = args.lang
    source = SheetSource(args.file, args.sheet)
    saved = load_mapping(args.mapping) if args.mapping else None
    mapping, check = read_mapping(source, SheetKind(args.kind) if args.kind else None, saved)
    if args.save_mapping:
        mapping.to_file(args.save_mapping)
    if not check.complete:
        raise MappingIncomplete(check, lambda c: describe_check(c, lang))
    if mapping.kind is SheetKind.PAYEES:
        directory = PayeeDirectory(ctx.connect())
        payees = PayeeImporter(directory, ctx.clock).run(source, mapping, dry_run=args.dry_run)
        return print_payee_report(payees, lang)
    report = make_importer(ctx).run(source, mapping, dry_run=args.dry_run)
    print_report(report, lang)
    if args.errors and report.refused:
        write_error_report(
            source, mapping.header_row, ((r.rows, r.reasons) for r in report.refused),
            args.errors, lang,
        )
        print(text("excel.errors_saved", lang, path=args.errors), file=sys.stderr)
    return 1 if report.refused else 0


def print_report(report: SheetImportReport, lang: Lang) -> None:
    """Stored ids on stdout; each refused or already imported voucher, then a summary, on
    stderr."""
    for result in report.results:
        if result.outcome is Outcome.STORED:
            print(result.voucher_id)
            continue
        rows = _rows(result.rows)
        if result.outcome is Outcome.ALREADY:
            print(text("excel.already", lang, sheet=report.sheet, rows=rows,
                       number=result.number or "—", id=result.voucher_id), file=sys.stderr)
        elif result.outcome is Outcome.REFUSED:
            print(text("excel.refused", lang, sheet=report.sheet, rows=rows,
                       number=result.number or "—"), file=sys.stderr)
            for reason in result.reasons:
                at = text("excel.row", lang, row=reason.row) if reason.row else ""
                print(f"  - {at}{describe(reason, lang)}", file=sys.stderr)
    key = "excel.summary_dry_run" if report.dry_run else "excel.summary"
    print(text(
        key, lang, sheet=report.sheet, rows=report.rows,
        stored=report.count(Outcome.STORED) + report.count(Outcome.CHECKED),
        already=report.count(Outcome.ALREADY), refused=report.count(Outcome.REFUSED),
    ), file=sys.stderr)


def print_payee_report(report: PayeeImportReport, lang: Lang) -> int:
    """Each refused row with its reasons, then a summary; exit 1 when a row was refused."""
    for row in report.rows:
        if row.saved is None:
            print(text("excel.payee_refused", lang, sheet=report.sheet, row=row.row,
                       name=row.name or "—"), file=sys.stderr)
            for reason in row.reasons:
                print(f"  - {describe(reason, lang)}", file=sys.stderr)
    print(text(
        "excel.payee_summary_dry_run" if report.dry_run else "excel.payee_summary", lang,
        sheet=report.sheet, added=report.count(Saved.ADDED), updated=report.count(Saved.UPDATED),
        unchanged=report.count(Saved.UNCHANGED), refused=report.count(None),
    ), file=sys.stderr)
    return 1 if report.count(None) else 0


def _rows(rows: tuple[int, ...]) -> str:
    if len(rows) == 1:
        return str(rows[0])
    if rows == tuple(range(rows[0], rows[-1] + 1)):
        return f"{rows[0]}–{rows[-1]}"
    return ", ".join(str(r) for r in rows)


def register_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``voucher export --xlsx FILE``."""
    export = sub.add_parser("export", help="export the voucher list to an .xlsx file")
    export.add_argument("--xlsx", required=True, metavar="FILE", help="the .xlsx to write")
    export.add_argument("--status", choices=[s.value for s in VoucherState])
    export.add_argument("--year", type=int, help="fiscal year")
    export.add_argument("--from", dest="date_from", metavar="DATE", help="first date (dd/mm/yyyy)")
    export.add_argument("--to", dest="date_to", metavar="DATE", help="last date (dd/mm/yyyy)")
    export.set_defaults(handler=run_export)


def _date_option(value: str | None) -> str:
    if not value:
        return ""
    try:
        return cells.iso_date(value)
    except cells.CellError:
        raise ExpectedError("excel.bad_date_option", value=value) from None


def run_export(args: argparse.Namespace, ctx: AppContext) -> int:
    """Write the vouchers that match the filters, newest first, to an .xlsx."""
    repo, _ = ctx.repositories()
    query = VoucherQuery(
        status=VoucherState(args.status) if args.status else None, sort=SortKey.DATE,
        descending=False, fiscal_year=args.year, date_from=_date_option(args.date_from),
        date_to=_date_option(args.date_to),
    )
    totals = export_query(ctx, repo, query, args.xlsx, args.lang, args.year)
    print(text("excel.exported", args.lang, path=args.xlsx, vouchers=totals.vouchers,
               lines=totals.lines, total=format_vnd(totals.total)), file=sys.stderr)
    return 0


def export_query(
    ctx: AppContext, repo: SqliteVoucherRepository, query: VoucherQuery, path: str,
    lang: Lang | None, year: int | None = None,
) -> ExportTotals:
    """Export a query's vouchers with the catalogue's names on the summary sheet."""
    try:
        catalog = ctx.catalog(year or ctx.clock().year)
    except ExpectedError:
        catalog = None

    def name_of(kind: str, code: str) -> str:
        return (catalog.name_of(CatalogKind(kind), code) or "") if catalog else ""

    try:
        return write_export(repo.with_documents(query), path, lang, name_of)
    except OSError as error:
        raise ExpectedError("excel.file_unwritable", path=path, reason=error.strerror) from None
