"""``voucher import FILE.xlsx|.csv`` and ``voucher export --xlsx FILE``: the Excel bridge.

The JSON-lines import stays in ``vouchers.py``; a spreadsheet file is sent here by its suffix.
"""

from __future__ import annotations

import argparse
import sys

from treasury_desktop.context import AppContext
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.error_report import write_error_report
from treasury_desktop.sheets.mapping import load_mapping
from treasury_desktop.sheets.payroll import TaxSettings
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.records import SortKey, VoucherQuery
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.import_report import (
    describe_check,
    payee_report_lines,
    voucher_report_lines,
)
from treasury_desktop.usecases.importing import ImportService
from treasury_desktop.usecases.payee_import import PayeeImporter, PayeeImportReport
from treasury_desktop.usecases.sheet_export import export_vouchers
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


def make_importer(ctx: AppContext) -> SheetImporter:
    """The sheet importer over this context's store, through the drafting use case."""
    repo, profile = ctx.repositories()
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
    return SheetImporter(
        ImportService(drafting), repo, profile.unit(), ctx.catalog, ctx.actor, ctx.clock,
        TaxSettings.from_profile(profile.get("tax")),
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
        repo, _ = ctx.repositories()
        directory = repo.payee_directory()
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
    for line in voucher_report_lines(report, lang):
        print(line, file=sys.stderr)


def print_payee_report(report: PayeeImportReport, lang: Lang) -> int:
    """Each refused row with its reasons, then a summary; exit 1 when a row was refused."""
    for line in payee_report_lines(report, lang):
        print(line, file=sys.stderr)
    return 1 if report.count(None) else 0


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
    totals = export_vouchers(
        repo, query, args.xlsx, args.lang, ctx.catalog, args.year or ctx.clock().year
    )
    print(text("excel.exported", args.lang, path=args.xlsx, vouchers=totals.vouchers,
               lines=totals.lines, total=format_vnd(totals.total)), file=sys.stderr)
    return 0
