"""Real .xlsx and .csv files for the import tests, written with openpyxl as Excel would hold
them: numbers as numbers, dates as dates, text as text."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import Unit

UNIT = Unit("1171277", "Trường THCS Phú Lương", "9523.2.1171277", "0011")
VOUCHER_HEADER = (
    "STT", "Số chứng từ", "Ngày", "Nội dung", "Mã NDKT", "Mã chương", "Mã ngành KT",
    "Mã nguồn", "Số tiền", "Đơn vị nhận tiền", "Tài khoản", "Ngân hàng",
)


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Chứng từ",
    text_columns: Sequence[int] = (),
) -> Path:
    """One sheet with ``rows`` (the first is the header)."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for column in text_columns:
        for cells in ws.iter_rows(min_col=column + 1, max_col=column + 1):
            cells[0].number_format = "@"
    workbook.save(path)
    return path


def desk(ctx: AppContext) -> None:
    """The desk's unit, which fills what a sheet leaves out."""
    _, profile = ctx.repositories()
    profile.set_unit(UNIT)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Excel saves it in the Vietnamese code page: a letter with its vowel mark
    where the code page has it, then the tone as a combining mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)
