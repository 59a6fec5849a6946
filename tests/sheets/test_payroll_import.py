"""A monthly payroll sheet becomes ONE C2-02b/NS whose totals match the sheet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sheet_files import desk, write_xlsx

from treasury_desktop.cli.excel_cmd import make_importer
from treasury_desktop.context import AppContext
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.records import VoucherQuery
from treasury_desktop.usecases.sheet_import import Outcome, read_mapping

TAX = {"tax_code": "4600100155", "authority": "Chi cục Thuế khu vực Phú Lương",
       "chapter": "422"}
HEADER = ("STT", "Họ và tên", "Lương ngạch bậc (6001)", "6003 Lương hợp đồng",
          "Phụ cấp chức vụ - 6101", "Thuế TNCN", "Số chứng từ", "Ngày", "Mã chương",
          "Mã ngành KT", "Mã nguồn", "Đơn vị nhận tiền", "Tài khoản", "Ngân hàng")
PAY_TO = ("Trường THCS Phú Lương (chi lương qua tài khoản)", "3711.0.1171277.00000",
          "KBNN Thái Nguyên")


def payroll(path: Path, *rows: tuple[object, ...]) -> Path:
    first = ("18", datetime(2026, 2, 25), 422, 72, 13, *PAY_TO)
    body = [(i, *row, *(first if i == 1 else (None,) * len(first)))
            for i, row in enumerate(rows, start=1)]
    return write_xlsx(path, [HEADER, *body], sheet="Bảng lương T02")


def with_tax_settings(ctx: AppContext) -> None:
    desk(ctx)
    _, profile = ctx.repositories()
    profile.set("tax", TAX)


def test_payroll_becomes_one_c2_02b_whose_totals_match(ctx: AppContext, tmp_path: Path) -> None:
    with_tax_settings(ctx)
    path = payroll(
        tmp_path / "luong.xlsx",
        ("Nguyễn Thị Lan", 12_500_000, None, 1_170_000, 850_000),
        ("Trần Văn Minh", "9.800.000", None, 1_170_000, "400.000"),
        ("Lê Văn Hùng", None, 6_200_000, None, 0),
        ("Phạm Thị Hoa", 8_350_000, "6.200.000", "", None),
    )
    source = SheetSource(path)
    mapping, check = read_mapping(source)
    assert mapping.kind is SheetKind.PAYROLL and check.complete, check
    (result,) = make_importer(ctx).run(source, mapping).results
    assert result.outcome is Outcome.STORED, result.reasons
    assert result.rows == (2, 3, 4, 5)
    repo, _ = ctx.repositories()
    stored = repo.get(result.voucher_id)
    assert stored is not None and stored.problems == 0
    v = stored.voucher
    assert (v.form, v.number, v.date) == ("C2-02b/NS", "18", "2026-02-25")
    assert [(ln.ndkt, ln.amount, ln.tax_amount) for ln in v.lines] == [
        ("6001", 30_650_000, 1_250_000), ("6003", 12_400_000, 0), ("6101", 2_340_000, 0)]
    assert all((ln.chapter, ln.industry, ln.source) == ("422", "072", "13") for ln in v.lines)
    assert v.total == 45_390_000 and v.tax_total == 1_250_000
    assert v.payee_total == 45_390_000 - 1_250_000
    assert v.tax is not None
    assert (v.tax.tax_code, v.tax.period, v.tax.ndkt) == ("4600100155", "02/2026", "1001")
    assert (v.tax.payer_name, v.tax.treasury) == ("Trường THCS Phú Lương", "0011")
    assert repo.count(VoucherQuery()) == 1
    again = make_importer(ctx).run(SheetSource(path), mapping)
    assert [r.outcome for r in again.results] == [Outcome.ALREADY]


def test_a_bad_salary_cell_refuses_the_payroll_naming_its_row(
    ctx: AppContext, tmp_path: Path
) -> None:
    with_tax_settings(ctx)
    path = payroll(
        tmp_path / "luong.xlsx",
        ("Nguyễn Thị Lan", 12_500_000, None, 1_170_000, 850_000),
        ("Trần Văn Minh", "chín triệu", None, 1_170_000, 400_000),
    )
    source = SheetSource(path)
    mapping, _ = read_mapping(source)
    (result,) = make_importer(ctx).run(source, mapping).results
    assert result.outcome is Outcome.REFUSED
    assert [(r.row, r.column) for r in result.reasons] == [(3, "Lương ngạch bậc (6001)")]
    repo, _ = ctx.repositories()
    assert repo.count(VoucherQuery()) == 0


def test_without_tax_settings_the_reasons_say_what_is_missing(
    ctx: AppContext, tmp_path: Path
) -> None:
    desk(ctx)
    path = payroll(tmp_path / "luong.xlsx", ("Nguyễn Thị Lan", 12_500_000, None, 0, 850_000))
    source = SheetSource(path)
    mapping, _ = read_mapping(source)
    (result,) = make_importer(ctx).run(source, mapping).results
    assert result.outcome is Outcome.REFUSED
    assert {r.message.key for r in result.reasons} >= {
        "problem.tax_code.missing", "problem.tax_authority.missing"}
