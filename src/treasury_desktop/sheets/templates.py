"""The shipped import templates (``resources/templates/``): a header row and an example row.

``scripts/make_templates.py`` writes them from these definitions; a test imports each one.
Code columns are formatted as text so that Excel keeps their leading zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from treasury_desktop.paths import resources_dir

CODE_HEADERS = frozenset({
    "Số chứng từ", "Mã NDKT", "Mã chương", "Mã ngành KT", "Mã nguồn", "Mã nguồn NS", "Mã CTMT, DA",
    "Tài khoản", "Số tài khoản", "Mã số thuế", "Mã KBNN", "Mã ĐVQHNS", "Tài khoản đơn vị",
})


@dataclass(frozen=True)
class Template:
    """One template file: its sheet, header row and example row."""

    file_name: str
    sheet: str
    header: tuple[str, ...]
    example: tuple[Any, ...]


_PAYEE = ("Công ty Điện lực Thái Nguyên", "Tổ 5, phường Phan Đình Phùng, Thái Nguyên",
          "102010000123456", "VietinBank Thái Nguyên")

TEMPLATES: tuple[Template, ...] = (
    Template(
        "C2-02a_NS_giay_rut_du_toan.xlsx", "C2-02a NS",
        ("Số chứng từ", "Ngày", "Mẫu", "Thực chi / Tạm ứng", "Mã CTMT, DA", "Nội dung",
         "Mã NDKT", "Mã chương", "Mã ngành KT", "Mã nguồn", "Số tiền", "Đơn vị nhận tiền",
         "Địa chỉ", "Tài khoản", "Tại KBNN (NH)"),
        ("125", date(2026, 11, 20), "C2-02a/NS", "Thực chi", "00000", "Tiền điện tháng 10/2026",
         "6501", "422", "072", "13", 1234000, *_PAYEE),
    ),
    Template(
        "C4-02a_KB_uy_nhiem_chi.xlsx", "C4-02a KB",
        ("Số chứng từ", "Ngày", "Mẫu", "Nội dung", "Mã nguồn NS", "Số tiền", "Đơn vị nhận tiền",
         "Địa chỉ", "Tài khoản", "Ngân hàng"),
        ("46", date(2026, 11, 20), "C4-02a/KB", "Hoàn trả tiền ăn bán trú tháng 10/2026", "00",
         2500000, *_PAYEE),
    ),
    Template(
        "C2-02b_NS_bang_luong.xlsx", "Bảng lương",
        ("Họ và tên", "Lương ngạch bậc (6001)", "Phụ cấp chức vụ (6101)",
         "Phụ cấp ưu đãi nghề (6112)", "Thuế TNCN", "Số chứng từ", "Ngày", "Mã chương",
         "Mã ngành KT", "Mã nguồn", "Đơn vị nhận tiền", "Tài khoản", "Ngân hàng"),
        ("Nguyễn Thị Lan", 8450000, 585000, 2535000, 125000, "18", date(2026, 2, 25), "422",
         "072", "13", "Trường THCS Phú Lương (chi lương qua tài khoản)", "3711.0.1171277.00000",
         "KBNN Thái Nguyên"),
    ),
    Template(
        "danh_sach_don_vi_nhan_tien.xlsx", "Đơn vị nhận tiền",
        ("Tên đơn vị nhận tiền", "Số tài khoản", "Ngân hàng", "Địa chỉ", "Mã số thuế"),
        (_PAYEE[0], _PAYEE[2], _PAYEE[3], _PAYEE[1], "4600100155"),
    ),
)


def templates_dir() -> Path:
    """Where the shipped templates live."""
    return resources_dir() / "templates"


def write_template(template: Template, folder: Path) -> Path:
    """Write one template (fixed document times, so a rewrite changes nothing)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    fixed = datetime(2026, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    sheet = workbook.active
    assert sheet is not None
    sheet.title = template.sheet
    sheet.append(template.header)
    sheet.append(template.example)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(template.header, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 6))
        sheet.cell(1, index).font = Font(bold=True)
        example = sheet.cell(2, index)
        if header in CODE_HEADERS:
            example.number_format = "@"
        elif isinstance(example.value, date):
            example.number_format = "dd/mm/yyyy"
        elif isinstance(example.value, int):
            example.number_format = "#,##0"
    path = folder / template.file_name
    workbook.save(path)
    return path
