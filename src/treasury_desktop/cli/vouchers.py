"""``voucher new | import | list | show``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from treasury_desktop.cli import excel_cmd, print_cmd
from treasury_desktop.context import AppContext
from treasury_desktop.domain.limits import MAX_DOCUMENT_BYTES, LimitExceeded, load_json
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import to_document
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.sheets.reading import is_sheet_file
from treasury_desktop.store.records import SortKey, VoucherQuery
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.importing import (
    ImportService,
    InvalidDocument,
    RejectedLine,
    json_lines,
)

PROGRESS_SECONDS = 2.0


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


def _read(path: str) -> bytes:
    """The file's bytes, at most one past the voucher limit (the limit then refuses it)."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise ExpectedError("cli.file_unreadable", path=path, reason=error.strerror) from None
    return raw.removeprefix(b"\xef\xbb\xbf")


def _print_problems(problems: Sequence[Problem], lang: str, indent: str = "") -> None:
    for problem in problems:
        where = f"{problem.field}: " if problem.field else ""
        print(f"{indent}- {where}{problem.message(lang)}", file=sys.stderr)  # type: ignore[arg-type]


def _new(args: argparse.Namespace, ctx: AppContext) -> int:
    raw = _read(args.json)
    try:
        data: Any = load_json(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ExpectedError("cli.file_unreadable", path=args.json, reason=str(error)) from None
    except json.JSONDecodeError as error:
        raise ExpectedError(
            "cli.not_json", path=args.json, line=error.lineno, column=error.colno, detail=error.msg
        ) from None
    except LimitExceeded as error:
        data = None
        problems: tuple[Problem, ...] = (error.problem,)
    else:
        problems = ()
    drafting = drafting_service(ctx)
    try:
        if problems:
            raise InvalidDocument(problems)
        voucher = ImportService(drafting).create(data)
    except InvalidDocument as error:
        print(error.message.render(args.lang), file=sys.stderr)
        _print_problems(error.problems, args.lang)
        return 1
    for warning in drafting.advise(voucher):  # stored all the same: warnings never block
        where = f"{warning.field}: " if warning.field else ""
        print(f"! {where}{warning.message(args.lang)}", file=sys.stderr)
    print(voucher.id)
    return 0


class _ImportPrinter:
    """Prints each id once it is stored (stdout), refusals and progress (stderr)."""

    def __init__(self, lang: Lang) -> None:
        self._lang: Lang = lang
        self._last_progress = time.monotonic()

    def committed(self, voucher_ids: tuple[str, ...], lines_done: int) -> None:
        if voucher_ids:
            print("\n".join(voucher_ids), flush=True)
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = now
            print(text("import.progress", self._lang, lines=lines_done), file=sys.stderr)

    def refused(self, rejected: RejectedLine) -> None:
        print(text("cli.line_refused", self._lang, line=rejected.line), file=sys.stderr)
        _print_problems(rejected.problems, self._lang, indent="  ")


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    if is_sheet_file(args.file):
        return excel_cmd.run_import(args, ctx)
    try:
        stream = open(args.file, "rb")  # noqa: SIM115 - closed below, after the import
    except OSError as error:
        raise ExpectedError("cli.file_unreadable", path=args.file, reason=error.strerror) from None
    with stream:
        service = ImportService(drafting_service(ctx))
        report = service.import_lines(json_lines(stream), _ImportPrinter(args.lang))
    if report.stopped is not None:
        stop = report.stopped
        print(
            text("import.stopped", args.lang, line=stop.line, reason=stop.reason.render(args.lang)),
            file=sys.stderr,
        )
    summary = text(
        "import.summary", args.lang, stored=len(report.stored), already=len(report.already),
        rejected=len(report.rejected),
    )
    print(summary, file=sys.stderr)
    return 1 if report.rejected or report.stopped else 0


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
