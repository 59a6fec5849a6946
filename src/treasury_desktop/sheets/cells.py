"""Cell values as the voucher wants them: whole đồng, ISO dates, codes as text.

Excel hands back numbers, dates and text in many shapes. Each reader returns the value or
raises :class:`CellError`, whose message key says what the accountant typed and what fits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from treasury_desktop.domain.catalog import CODE_LENGTHS, CatalogKind
from treasury_desktop.domain.money import MAX_AMOUNT


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; ``key`` names the message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


_EXCEL_EPOCH = date(1899, 12, 30)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ZERO_CENTS = re.compile(r"^(.*\d)[.,]0{1,2}$")
_CURRENCY = re.compile(r"(?i)\s*(?:đồng|đ|vnđ|vnd|dong)\s*$")


def shown(value: object) -> str:
    """A cell as it reads in a message."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def text(value: object) -> str:
    """Any cell as text: a whole number without '.0', a date as dd/mm/yyyy."""
    return shown(value).strip()


def is_empty(value: object) -> bool:
    """Nothing in the cell but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def amount(value: object) -> int:
    """Whole đồng from 1234567, 1234567.0, "1.234.567", "1,234,567", "1 234 567 đ"."""
    if isinstance(value, bool):
        raise CellError("excel.cell.amount", value=shown(value))
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("excel.cell.amount_fraction", value=shown(value))
        result = int(value)
    else:
        raw = _CURRENCY.sub("", str(value).strip())
        parsed = _whole(raw)
        if parsed is None and (zeros := _ZERO_CENTS.match(raw)):
            parsed = _whole(zeros.group(1))  # "1.234.567,00": no minor unit in VND
        if parsed is None:
            raise CellError("excel.cell.amount", value=shown(value))
        result = parsed
    if result <= 0:
        raise CellError("excel.cell.amount_not_positive", value=shown(value))
    if result > MAX_AMOUNT:
        raise CellError("excel.cell.amount", value=shown(value))
    return result


def _whole(raw: str) -> int | None:
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if _GROUPED.match(raw):
        return int(re.sub(r"[.,\s]", "", raw))
    return None


def iso_date(value: object) -> str:
    """An ISO date from an Excel date, a serial day number, dd/mm/yyyy or yyyy-mm-dd text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        raise CellError("excel.cell.date", value=shown(value))
    raw = str(value).strip()
    raw = raw.split(" ")[0]  # "20/11/2026 00:00:00" as some tools write it
    try:
        if match := _DMY.match(raw):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day).isoformat()
        if match := _YMD.match(raw):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day).isoformat()
    except ValueError:
        pass
    raise CellError("excel.cell.date", value=shown(value))


def whole_number(value: object) -> int:
    """A year or another whole number, typed as a number or as text."""
    raw = text(value)
    if not raw.isdigit():
        raise CellError("excel.cell.number", value=shown(value))
    return int(raw)


def code(value: object, kind: CatalogKind, known: Callable[[str], bool] | None) -> str:
    """A budget code as text, keeping its leading zeros.

    Text is kept as typed. A number Excel stored (or digits shorter than the code's length, as
    Excel writes such a number to .csv) gets its zeros back only when exactly one padded form
    is a code of the year's catalogue; otherwise the cell is refused, so nothing is guessed.
    """
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("excel.cell.code", value=shown(value))
        value = int(value)
    raw = text(value)
    if not raw.isdigit():
        return raw  # validation names what is wrong with it
    lengths = CODE_LENGTHS[kind]
    if len(raw) in lengths or len(raw) > max(lengths):
        return raw
    if not isinstance(value, int) and raw.startswith("0"):
        return raw  # typed as text with its zeros: shorter than allowed, validation says so
    padded = [raw.zfill(n) for n in lengths if n > len(raw)]
    fitting = [p for p in padded if known is not None and known(p)]
    if len(fitting) == 1:
        return fitting[0]
    raise CellError(
        "excel.cell.code_zeros", value=raw, width=lengths[0], padded=padded[0]
    )


def digits_text(value: object) -> str:
    """An account or ID number: a number Excel stored becomes its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)
