"""A payee list from a real .xlsx: stored in the directory, offered by the editor's list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheet_files import write_xlsx

from treasury_desktop.context import AppContext
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.store.payee_directory import PayeeDirectory, Saved
from treasury_desktop.usecases.payee_import import PayeeImporter
from treasury_desktop.usecases.sheet_import import read_mapping

HEADER = ("STT", "Tên đơn vị nhận tiền", "Số tài khoản", "Ngân hàng", "Địa chỉ", "Mã số thuế")


def payee_list(path: Path) -> Path:
    return write_xlsx(path, [
        HEADER,
        (1, "Công ty Điện lực Thái Nguyên", 102010000123456, "VietinBank Thái Nguyên",
         "Thái Nguyên", "4600100155"),
        (2, "Công ty Nước sạch", "116000012345", "Vietcombank", "Phổ Yên", 4600338912),
        (3, "Nhà sách Phú Lương", "12A-45", "Agribank", "", "46001"),
        (4, "", "1160000999", "Vietcombank", "", ""),
    ], sheet="Đơn vị nhận tiền")


def test_payee_list_is_stored_and_offered(ctx: AppContext, tmp_path: Path) -> None:
    source = SheetSource(payee_list(tmp_path / "payees.xlsx"))
    mapping, check = read_mapping(source)  # the header row says it is a payee list
    assert mapping.kind is SheetKind.PAYEES and check.complete, check
    conn = ctx.connect()
    importer = PayeeImporter(PayeeDirectory(conn), lambda: date(2026, 11, 20))
    report = importer.run(source, mapping)
    assert [(r.row, r.saved) for r in report.rows] == [
        (2, Saved.ADDED), (3, Saved.ADDED), (4, None), (5, None)]
    bad_account, no_name = report.rows[2:]
    assert {r.column for r in bad_account.reasons} == {"Số tài khoản", "Mã số thuế"}
    assert {r.message.key for r in no_name.reasons} == {"problem.payee_name.missing"}
    again = importer.run(source, mapping)
    assert [r.saved for r in again.rows[:2]] == [Saved.UNCHANGED, Saved.UNCHANGED]
    repo, _ = ctx.repositories(conn)
    offered = repo.offered_payees()
    assert {(p.name, p.account, p.bank) for p in offered} == {
        ("Công ty Điện lực Thái Nguyên", "102010000123456", "VietinBank Thái Nguyên"),
        ("Công ty Nước sạch", "116000012345", "Vietcombank"),
    }
    (water,) = PayeeDirectory(conn).find("Nước")
    assert water.tax_code == "4600338912" and water.address == "Phổ Yên"
