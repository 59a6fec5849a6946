"""What a column of an import sheet can hold, and the header texts that name it.

Headers are compared folded (no diacritics, đ as d, lower case, punctuation as spaces), so
"Mã NDKT", "MA NDKT" and "ma_ndkt" are the same header. Each field lists the usual wordings
and abbreviations accountants put in their books; a new wording is a new line here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class SheetKind(StrEnum):
    """What a sheet holds: voucher lines, a monthly payroll, or a list of payees."""

    VOUCHERS = "vouchers"
    PAYROLL = "payroll"
    PAYEES = "payees"


IGNORED = "ignore"
"""The field of a column that is read past (STT, notes, the error column of a report)."""
SALARY_PREFIX = "salary:"
"""Payroll columns are ``salary:<NDKT>``: one per salary code, e.g. ``salary:6001``."""

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "group": ("nhom", "ma nhom", "nhom chung tu", "khoa chung tu", "group"),
    "number": ("so chung tu", "so ct", "so", "so ctu", "so giay rut", "so phieu", "number"),
    "date": ("ngay", "ngay chung tu", "ngay ct", "ngay lap", "date"),
    "form": ("mau", "mau so", "mau chung tu", "loai chung tu", "ky hieu", "ky hieu mau", "form"),
    "fiscal_year": ("nam ns", "nam ngan sach", "nien do", "nien do ns", "fiscal year"),
    "payment_kind": ("thuc chi tam ung", "loai chi", "tinh chat chi", "tinh chat"),
    "method": (
        "chuyen khoan tien mat", "hinh thuc thanh toan", "phuong thuc thanh toan",
        "phuong thuc", "hinh thuc",
    ),
    "program_code": ("ma ctmt da", "ma ctmt", "ctmt da", "ma ctmtqg", "ma du an"),
    "budget_level": ("cap ns", "ma cap ns", "cap ngan sach"),
    "commitment_number": ("so ckc hdk", "so ckc", "so cam ket chi", "so hdk", "so hop dong"),
    "unit.code": ("ma dvqhns", "ma qhns", "dvqhns", "ma dvsdns", "ma don vi", "ma dv"),
    "unit.name": (
        "ten don vi", "don vi rut du toan", "don vi tra tien", "ten don vi tra tien", "ten dv",
        "don vi",
    ),
    "unit.account": (
        "tai khoan don vi", "tk don vi", "so tai khoan don vi", "tai khoan dv", "tk dv",
        "tai khoan du toan", "tk du toan", "tai khoan tien gui", "tai khoan tra tien",
    ),
    "unit.treasury": ("ma kbnn", "kbnn", "tai kbnn", "ma kho bac", "kho bac", "kbnn giao dich"),
    "payee.name": (
        "don vi nhan tien", "ten don vi nhan tien", "nguoi nhan tien", "nguoi nhan",
        "ten nguoi nhan", "don vi huong", "ten don vi huong", "don vi thu huong",
        "nha cung cap", "doi tuong", "ten", "ten nguoi huong", "payee",
    ),
    "payee.address": ("dia chi", "dia chi nguoi nhan", "dia chi don vi nhan tien"),
    "payee.account": (
        "tai khoan", "so tai khoan", "tk", "so tk", "tai khoan nhan", "tk nhan",
        "tai khoan nguoi nhan", "tk nguoi nhan", "tai khoan don vi nhan tien",
        "tai khoan thu huong", "tai khoan nguoi huong",
    ),
    "payee.bank": (
        "ngan hang", "tai ngan hang", "tai kbnn nh", "tai kbnn ngan hang", "ngan hang nhan",
        "noi mo tai khoan", "mo tai", "tai nh", "ngan hang kbnn",
    ),
    "payee.id_number": (
        "so cmnd cccd", "cmnd cccd", "so cccd", "cccd", "so cmnd", "cmnd", "so giay to",
        "so dinh danh", "can cuoc",
    ),
    "payee.id_date": ("ngay cap", "cap ngay", "ngay cap cmnd cccd"),
    "payee.id_place": ("noi cap",),
    "payee.tax_code": ("ma so thue", "mst", "ma thue"),
    "lines.content": (
        "noi dung", "noi dung thanh toan", "dien giai", "noi dung chi", "noi dung chi tiet",
        "noi dung thanh toan chuyen tien", "content",
    ),
    "lines.ndkt": (
        "ma ndkt", "ndkt", "tieu muc", "ma tieu muc", "tm", "ma noi dung kinh te",
        "ma ndkt tieu muc",
    ),
    "lines.chapter": ("ma chuong", "chuong", "chapter"),
    "lines.industry": (
        "ma nganh kt", "nganh kt", "ma nganh kinh te", "nganh kinh te", "ma khoan", "khoan",
        "loai khoan", "ma nganh", "ma loai khoan",
    ),
    "lines.source": (
        "ma nguon", "nguon", "ma nguon nsnn", "nguon nsnn", "ma nguon ns", "nguon ns",
        "nguon von", "nguon kinh phi",
    ),
    "lines.amount": (
        "so tien", "thanh tien", "tien", "so tien dong", "so tien vnd", "tong so tien",
        "gia tri", "amount",
    ),
    "employee": (
        "ho va ten", "ho ten", "ten can bo", "ten nhan vien", "nguoi lao dong",
        "ho va ten can bo", "ten cbcc", "can bo",
    ),
    "tax_withheld": (
        "thue tncn", "thue thu nhap ca nhan", "thue tncn khau tru", "tncn", "thue khau tru",
        "khau tru thue tncn",
    ),
    IGNORED: (
        "stt", "so tt", "tt", "ghi chu", "loi", "loi can sua", "ky nhan", "ghi chu loi",
        "errors to fix",
    ),
}

FIELDS_BY_KIND: Mapping[SheetKind, frozenset[str]] = MappingProxyType(
    {
        SheetKind.VOUCHERS: frozenset(_SYNONYMS) - {"employee", "tax_withheld", "payee.tax_code"},
        SheetKind.PAYROLL: frozenset(_SYNONYMS) - {"group", "lines.amount", "payee.tax_code"},
        SheetKind.PAYEES: frozenset(
            {"payee.name", "payee.address", "payee.account", "payee.bank", "payee.tax_code",
             IGNORED}
        ),
    }
)

REQUIRED: Mapping[SheetKind, tuple[str, ...]] = MappingProxyType(
    {
        SheetKind.VOUCHERS: ("number", "date", "lines.content", "lines.amount"),
        SheetKind.PAYROLL: ("employee",),
        SheetKind.PAYEES: ("payee.name", "payee.account"),
    }
)
"""Columns without which an import stops before reading any row."""

_SALARY = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def normalise(header: object) -> str:
    """A header folded for comparison: 'Mã NDKT (tiểu mục)' -> 'ma ndkt tieu muc'."""
    raw = "" if header is None else str(header)
    decomposed = unicodedata.normalize("NFD", raw.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def _without_brackets(header: object) -> str:
    return normalise(re.sub(r"\([^)]*\)", " ", "" if header is None else str(header)))


_EXACT: dict[str, str] = {}
for _field, _words in _SYNONYMS.items():
    for _word in _words:
        _EXACT.setdefault(_word, _field)


def candidates(header: object, kind: SheetKind) -> tuple[str, ...]:
    """The fields a header may name, best first; more than one means it is ambiguous."""
    allowed = FIELDS_BY_KIND[kind]
    if kind is SheetKind.PAYROLL:
        salary = _SALARY.search(normalise(header))
        if salary and normalise(header) not in _EXACT:
            return (f"{SALARY_PREFIX}{salary.group(1)}",)
    for text in (normalise(header), _without_brackets(header)):
        found = _EXACT.get(text)
        if found in allowed:
            return (found,)
    words = f" {normalise(header)} "
    best: dict[str, int] = {}
    for field, synonyms in _SYNONYMS.items():
        if field not in allowed or field == IGNORED:
            continue
        for synonym in synonyms:
            if f" {synonym} " in words:
                best[field] = max(best.get(field, 0), len(synonym.split()))
    if not best:
        return ()
    top = max(best.values())
    return tuple(sorted(f for f, score in best.items() if score == top))


def field_label(field: str) -> str:
    """The message key that names a field in reports ("excel.field.lines.ndkt")."""
    if field.startswith(SALARY_PREFIX):
        return "excel.field.salary"
    return f"excel.field.{field}"
