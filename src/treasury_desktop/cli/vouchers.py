"""``voucher new | import | list | show``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from treasury_desktop.cli import excel_cmd, print_cmd
from treasury_desktop.context import AppContext
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.voucher import to_document
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.sheets.reading import is_sheet_file
from treasury_desktop.store.records import SortKey, VoucherQuery
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.importing import ImportService, InvalidDocument


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``voucher`` and its subcommands."""
    voucher = commands.add_parser("voucher", help="create, import, list and show vouchers")
    sub = voucher.add_subparsers(dest="voucher_command", metavar="ACTION", required=True)
    new = sub.add_parser("new", help="store a voucher from a JSON file; prints its id")
    new.add_argument("--json", required=True, metavar="FILE", help="the voucher document")
    new.set_defaults(handler=_new)
    imp = sub.add_parser("import", help="import JSON lines, or an Excel/CSV sheet (.xlsx, .csv)")
    imp.add_argument("file", metavar="FILE")
    excel_cmd.add_import_options(imp)
    imp.set_defaults(handler=_import)
    excel_cmd.register_export(sub)
    lst = sub.add_parser("list", help="list vouchers")
    lst.add_argument("--status", choices=[s.value for s in VoucherState])
    lst.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    lst.set_defaults(handler=_list)
    show = sub.add_parser("show", help="show one voucher")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="the document as JSON")
    show.set_defaults(handler=_show)
    print_cmd.register(sub)


def drafting_service(ctx: AppContext) -> DraftingService:
    """The drafting use case over this context's store."""
    repo, profile = ctx.repositories()
    return DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise ExpectedError("cli.file_unreadable", path=path, reason=reason) from None


def _print_problems(error: InvalidDocument, lang: str, indent: str = "") -> None:
    for problem in error.problems:
        where = f"{problem.field}: " if problem.field else ""
        print(f"{indent}- {where}{problem.message(lang)}", file=sys.stderr)  # type: ignore[arg-type]


def _new(args: argparse.Namespace, ctx: AppContext) -> int:
    raw = _read(args.json)
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ExpectedError(
            "cli.not_json", path=args.json, line=error.lineno, column=error.colno, detail=error.msg
        ) from None
    drafting = drafting_service(ctx)
    try:
        voucher = ImportService(drafting).create(data)
    except InvalidDocument as error:
        print(error.message.render(args.lang), file=sys.stderr)
        _print_problems(error, args.lang)
        return 1
    for warning in drafting.advise(voucher):  # stored all the same: warnings never block
        where = f"{warning.field}: " if warning.field else ""
        print(f"! {where}{warning.message(args.lang)}", file=sys.stderr)
    print(voucher.id)
    return 0


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    if is_sheet_file(args.file):
        return excel_cmd.run_import(args, ctx)
    report = ImportService(drafting_service(ctx)).import_lines(_read(args.file).splitlines())
    for rejected in report.rejected:
        print(text("cli.line_refused", args.lang, line=rejected.line), file=sys.stderr)
        _print_problems(InvalidDocument(rejected.problems), args.lang, indent="  ")
    for voucher_id in report.stored:
        print(voucher_id)
    summary = text(
        "cli.import_summary", args.lang, stored=len(report.stored), rejected=len(report.rejected)
    )
    print(summary, file=sys.stderr)
    return 1 if report.rejected else 0


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    repo, _ = ctx.repositories()
    status = VoucherState(args.status) if args.status else None
    query = VoucherQuery(status=status, sort=SortKey.DATE, descending=True)
    offset, rows = 0, []
    while page := repo.page(query, offset, 500):
        rows.extend(page)
        offset += len(page)
    if args.json:
        for row in rows:
            item = {
                "id": row.id, "form": row.form, "number": row.number, "date": row.date,
                "payee": row.payee, "total": row.total, "status": row.status.value,
            }
            print(json.dumps(item, ensure_ascii=False))
        return 0
    if not rows:
        print(text("cli.no_vouchers", args.lang))
        return 0
    for row in rows:
        status_text = text(f"status.{row.status.value}", args.lang)
        print(
            f"{row.id}  {row.number:>6}  {_dmy(row.date):10}  {format_vnd(row.total):>18}  "
            f"{status_text:<18}  {row.payee}"
        )
    return 0


def _show(args: argparse.Namespace, ctx: AppContext) -> int:
    stored = drafting_service(ctx).open(args.id)
    document = to_document(stored.voucher)
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    v = stored.voucher
    status = text(f"status.{stored.status.value}", args.lang)
    print(f"{v.form}  Số {v.number or '—'}  {_dmy(v.date)}  [{status}]")
    print(f"{v.unit.name} ({v.unit.code})  TK {v.unit.account}  KBNN {v.unit.treasury}")
    print(f"→ {v.payee.name}  {v.payee.account or v.payee.id_number}  {v.payee.bank}")
    for line in v.lines:
        print(
            f"  {line.content:<40} {line.ndkt} {line.chapter} {line.industry} {line.source}"
            f" {format_vnd(line.amount):>18}"
        )
    print(f"  {'':<40} {'':>16} {format_vnd(v.total):>18}")
    print(f"  {v.amount_in_words}")
    if stored.status_reason:
        print(f"  {stored.status_reason}")
    return 0


def _dmy(iso: str) -> str:
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso
