"""One voucher document per printed form, as JSON documents v1 (DESIGN.md, with the
"Additions for the other forms"): the renderer reads documents, so these need no store."""

from __future__ import annotations

import copy
from typing import Any

UNIT = {"code": "1171277", "name": "Trường THCS Phú Lương", "account": "9523.2.1171277",
        "treasury": "0011"}
PAYEE = {"name": "Công ty Điện lực Thái Nguyên", "account": "102010000123456",
         "bank": "VietinBank Thái Nguyên", "address": "Số 1 Hoàng Văn Thụ, TP Thái Nguyên"}
CASH = {"name": "Hoàng Thị Mai", "id_kind": "cccd", "id_number": "019190001234",
        "id_date": "2021-04-15", "id_place": "Cục Cảnh sát QLHC về TTXH"}


def _line(content: str, ndkt: str, amount: int, **extra: Any) -> dict[str, Any]:
    return {"content": content, "ndkt": ndkt, "chapter": "622", "industry": "072",
            "source": "13", "amount": amount, **extra}


BASE: dict[str, Any] = {
    "id": "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60", "fiscal_year": 2026, "number": "125",
    "date": "2026-11-20", "unit": UNIT, "payment_kind": "actual", "method": "transfer",
    "program_code": "00000", "payee": PAYEE,
    "lines": [_line("Tiền điện tháng 10/2026", "6501", 1_234_000),
              _line("Tiền nước tháng 10/2026", "6502", 3_456_789)],
}

FORMS: dict[str, dict[str, Any]] = {
    "C2-02a/NS": {"form": "C2-02a/NS", "title": "GIẤY RÚT DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC"},
    "C2-02b/NS": {
        "form": "C2-02b/NS", "title": "GIẤY RÚT DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC",
        "lines": [_line("Lương tháng 02/2023", "6001", 45_000_000, tax_amount=1_250_000),
                  _line("Phụ cấp chức vụ", "6101", 3_500_000, tax_amount=0)],
        "tax": {"payer_name": "Trường THCS Phú Lương", "tax_code": "4600123456", "ndkt": "1001",
                "chapter": "557", "authority": "Chi cục Thuế TP Thái Nguyên", "period": "02/2023",
                "treasury": "0011"},
    },
    "C4-02a/KB": {
        "form": "C4-02a/KB", "title": "ỦY NHIỆM CHI", "method": "cash",
        "unit": {**UNIT, "account": "3714.0.1073142.00000", "address": "Xã Phú Lương"},
        "donor_code": "", "payee": CASH,
        "lines": [{"content": "Hoàn trả tiền ăn bán trú học sinh", "source": "00",
                   "budget_year": "2026", "amount": 12_345_000}],
    },
    "C2-03/NS": {"form": "C2-03/NS", "title": "GIẤY ĐỀ NGHỊ THANH TOÁN TẠM ỨNG", "payee": {}},
    "C2-05a/NS": {"form": "C2-05a/NS", "title": "GIẤY NỘP TRẢ KINH PHÍ", "payee": {},
                  "payment_kind": "advance"},
    "C2-12/NS": {"form": "C2-12/NS", "title": "GIẤY ĐỀ NGHỊ CAM KẾT CHI NGÂN SÁCH NHÀ NƯỚC",
                 "commitment_number": "HĐ-15/2026"},
    "C3-01/NS": {"form": "C3-01/NS", "title": "GIẤY RÚT VỐN ĐẦU TƯ",
                 "commitment_number": "HĐ-07/2026", "program_code": "12345",
                 "program_name": "Xây dựng nhà lớp học 2 tầng"},
}

STATEMENT = {
    "kind": "direct",
    "items": [
        {"document_number": "01", "document_date": "2026-11-02", "ndkt": "6501",
         "content": "Tiền điện tháng 10/2026", "amount": 1_234_000},
        {"document_number": "02", "document_date": "2026-11-03", "ndkt": "6502",
         "content": "Tiền nước tháng 10/2026", "quantity": 3, "unit_price": 1_152_263,
         "amount": 3_456_789},
    ],
}


def document(form: str, **changes: Any) -> dict[str, Any]:
    """A complete document of ``form`` (a deep copy; ``changes`` replace top-level fields)."""
    extra = {k: v for k, v in FORMS[form].items() if k != "title"}
    return copy.deepcopy({**BASE, **extra, **changes})


def many_lines(count: int) -> list[dict[str, Any]]:
    """``count`` budget lines, 1.000.000 + i đồng each."""
    return [_line(f"Chi hoạt động dòng số {i + 1}", "6551", 1_000_000 + i) for i in range(count)]
