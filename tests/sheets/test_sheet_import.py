"""Vouchers from real .xlsx files: mixed formats, bad rows, codes stored as numbers, re-import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheet_files import UNIT, VOUCHER_HEADER, cp1258, desk, write_xlsx

from treasury_desktop.cli.excel_cmd import make_importer
from treasury_desktop.context import AppContext
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.error_report import write_error_report
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.records import VoucherQuery
from treasury_desktop.usecases.sheet_import import Outcome, read_mapping

PAYEE = ("Công ty Điện lực Thái Nguyên", 102010000123456, "VietinBank Thái Nguyên")
WATER = ("Công ty Nước sạch Thái Nguyên", "116000012345", "Vietcombank Thái Nguyên")


def three_vouchers(path: Path) -> Path:
    """Three vouchers, five rows: Excel dates and dd/mm/yyyy text, numbers and "1.234.567"
    text, codes as numbers (422, 72, 13) and as text."""
    return write_xlsx(path, [
        VOUCHER_HEADER,
        (1, 125, datetime(2026, 11, 20), "Tiền điện tháng 10/2026", 6501, 422, 72, 13,
         1234000, *PAYEE),
        (2, 125, None, "Tiền điện chiếu sáng", "6501", "422", "072", "13", "250.000", None,
         None, None),
        (3, "126", "21/11/2026", "Tiền nước tháng 10/2026", 6502, 422, 72, 13, "1.234.567",
         *WATER),
        (4, 127, "22/11/2026", "Văn phòng phẩm", 6551, 422, 72, 13, 560000.0, *WATER),
        (5, 127, "22/11/2026", "Mực in", 6551, 422, 72, "13", "1,200,000", *WATER),
    ])


def run(ctx: AppContext, path: Path, *, dry_run: bool = False, sheet: str | None = None):
    source = SheetSource(path, sheet)
    mapping, check = read_mapping(source, SheetKind.VOUCHERS)
    assert check.complete, check
    return make_importer(ctx).run(source, mapping, dry_run=dry_run)


def test_three_vouchers_with_mixed_formats_import(ctx: AppContext, tmp_path: Path) -> None:
    desk(ctx)
    report = run(ctx, three_vouchers(tmp_path / "three.xlsx"))
    assert [r.outcome for r in report.results] == [Outcome.STORED] * 3, report.refused
    assert [r.rows for r in report.results] == [(2, 3), (4,), (5, 6)]
    repo, _ = ctx.repositories()
    first = repo.get(report.results[0].voucher_id)
    assert first is not None
    v = first.voucher
    assert (v.number, v.date, v.fiscal_year, v.form) == ("125", "2026-11-20", 2026, "C2-02a/NS")
    assert v.unit == UNIT
    assert v.payee.account == "102010000123456"
    assert [(ln.ndkt, ln.chapter, ln.industry, ln.source, ln.amount) for ln in v.lines] == [
        ("6501", "422", "072", "13", 1_234_000), ("6501", "422", "072", "13", 250_000)]
    amounts = [repo.get(r.voucher_id).voucher.total for r in report.results]  # type: ignore[union-attr]
    assert amounts == [1_484_000, 1_234_567, 1_760_000]
    assert repo.count(VoucherQuery()) == 3


def test_bad_rows_refuse_their_vouchers_and_keep_the_others(
    ctx: AppContext, tmp_path: Path
) -> None:
    desk(ctx)
    path = write_xlsx(tmp_path / "bad.xlsx", [
        VOUCHER_HEADER,
        (1, 201, "20/11/2026", "Tiền điện", 6501, 422, 72, 13, 1000000, *PAYEE),
        (2, 202, "31/02/2026", "Tiền nước", 6502, 422, 72, 13, "một triệu", *WATER),
        (3, 203, "21/11/2026", "Tiền nước", 6502, 422, 72, 13, 300000, *WATER),
        (4, 204, "21/11/2026", "Văn phòng phẩm", 65010, 422, 7, 13, 200000, *WATER),
        (5, 205, "22/11/2026", "Mực in", 6551, 422, 72, 13, 450000, *WATER),
    ])
    report = run(ctx, path)
    assert [r.outcome for r in report.results] == [
        Outcome.STORED, Outcome.REFUSED, Outcome.STORED, Outcome.REFUSED, Outcome.STORED]
    bad_date, bad_codes = report.refused
    assert bad_date.rows == (3,) and bad_codes.rows == (5,)
    assert {(r.row, r.column) for r in bad_date.reasons} == {(3, "Ngày"), (3, "Số tiền")}
    assert {(r.row, r.column) for r in bad_codes.reasons} == {(5, "Mã NDKT"), (5, "Mã ngành KT")}
    assert all(r.message.render("en") for r in bad_codes.reasons)
    repo, _ = ctx.repositories()
    assert sorted(r.number for r in repo.page(VoucherQuery(), 0, 10)) == ["201", "203", "205"]

    errors = tmp_path / "errors.xlsx"
    written = write_error_report(
        SheetSource(path), 1, ((r.rows, r.reasons) for r in report.refused), errors)
    assert written == 2
    sheet = load_workbook(errors).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][-1] == "Lỗi cần sửa" and [r[1] for r in rows[1:]] == [202, 204]
    assert "31/02/2026" in rows[1][-1] and "65010" in rows[2][-1]


def test_codes_stored_as_numbers_keep_their_zeros(ctx: AppContext, tmp_path: Path) -> None:
    desk(ctx)
    path = write_xlsx(tmp_path / "codes.xlsx", [
        (*VOUCHER_HEADER, "Mã KBNN"),
        (1, 301, "20/11/2026", "Tiền điện", 6501, 422, 72, 13, 100000, *PAYEE, 11),
        (2, 302, "20/11/2026", "Tiền điện", 6501, 422, 7, 13, 100000, *PAYEE, 11),
    ])
    report = run(ctx, path)
    stored, refused = report.results
    assert stored.outcome is Outcome.STORED and refused.outcome is Outcome.REFUSED
    repo, _ = ctx.repositories()
    voucher = repo.get(stored.voucher_id).voucher  # type: ignore[union-attr]
    assert (voucher.lines[0].chapter, voucher.lines[0].industry) == ("422", "072")
    assert voucher.unit.treasury == "0011"
    (reason,) = refused.reasons
    assert (reason.row, reason.column) == (3, "Mã ngành KT")
    assert reason.message.key == "excel.cell.code_zeros"


def test_reimport_reports_already_imported_and_stores_nothing_twice(
    ctx: AppContext, tmp_path: Path
) -> None:
    desk(ctx)
    path = three_vouchers(tmp_path / "three.xlsx")
    first = run(ctx, path)
    again = run(ctx, path)
    assert [r.outcome for r in again.results] == [Outcome.ALREADY] * 3
    assert [r.voucher_id for r in again.results] == [r.voucher_id for r in first.results]
    repo, _ = ctx.repositories()
    assert repo.count(VoucherQuery()) == 3


def test_dry_run_stores_nothing_and_reports_the_same(ctx: AppContext, tmp_path: Path) -> None:
    desk(ctx)
    report = run(ctx, three_vouchers(tmp_path / "three.xlsx"), dry_run=True)
    assert [r.outcome for r in report.results] == [Outcome.CHECKED] * 3
    repo, _ = ctx.repositories()
    assert repo.count(VoucherQuery()) == 0


def test_unit_columns_of_the_sheet_win_over_the_profile(ctx: AppContext, tmp_path: Path) -> None:
    desk(ctx)
    path = write_xlsx(tmp_path / "unit.xlsx", [
        (*VOUCHER_HEADER, "Mã ĐVQHNS", "Tên đơn vị", "Tài khoản đơn vị"),
        (1, 1, "20/11/2026", "Tiền điện", 6501, 422, 72, 13, 100000, *PAYEE,
         1234567, "Trường Tiểu học Hóa Thượng", "9523.2.1234567"),
    ])
    (result,) = run(ctx, path).results
    repo, _ = ctx.repositories()
    unit = repo.get(result.voucher_id).voucher.unit  # type: ignore[union-attr]
    assert unit.code == "1234567" and unit.account == "9523.2.1234567"
    assert unit.name == "Trường Tiểu học Hóa Thượng" and unit.treasury == UNIT.treasury


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16", "cp1258"])
def test_csv_as_excel_saves_it(ctx: AppContext, tmp_path: Path, encoding: str) -> None:
    desk(ctx)
    separator = "\t" if encoding == "utf-16" else ","
    lines = [separator.join(VOUCHER_HEADER),
             separator.join(["1", "401", "20/11/2026", "Tiền điện", "6501", "422", "72", "13",
                             '"1.234.000"' if separator == "," else "1.234.000",
                             "Công ty Điện lực", "102010000123456", "VietinBank"])]
    path = tmp_path / "list.csv"
    content = "\r\n".join(lines)
    path.write_bytes(cp1258(content) if encoding == "cp1258" else content.encode(encoding))
    (result,) = run(ctx, path).results
    assert result.outcome is Outcome.STORED, result.reasons
    repo, _ = ctx.repositories()
    voucher = repo.get(result.voucher_id).voucher  # type: ignore[union-attr]
    assert voucher.lines[0].content == "Tiền điện" and voucher.lines[0].industry == "072"
    assert voucher.total == 1_234_000


def test_payment_orders_take_one_line_per_row(ctx: AppContext, tmp_path: Path) -> None:
    desk(ctx)
    path = write_xlsx(tmp_path / "unc.xlsx", [
        ("Số chứng từ", "Ngày", "Mẫu", "Nội dung", "Mã nguồn", "Số tiền", "Đơn vị nhận tiền",
         "Tài khoản", "Ngân hàng"),
        (46, "20/11/2026", "C4-02a/KB", "Hoàn trả tiền ăn tháng 10", "12", 2500000, *WATER),
        (46, "20/11/2026", "C4-02a/KB", "Hoàn trả tiền ăn tháng 9", "12", "1.500.000", *WATER),
    ])
    (result,) = run(ctx, path).results
    assert result.outcome is Outcome.STORED, result.reasons
    repo, _ = ctx.repositories()
    voucher = repo.get(result.voucher_id).voucher  # type: ignore[union-attr]
    assert voucher.form == "C4-02a/KB" and voucher.total == 4_000_000
