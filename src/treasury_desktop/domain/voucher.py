"""The voucher document v1 (chứng từ): a frozen model and its JSON form (DESIGN.md).

A draft may be incomplete (empty codes, zero amounts): validation says what is missing. Parsing
only refuses what has the wrong *shape* (a string where a number belongs, unknown fields),
so nothing half-read is ever kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words
from treasury_desktop.domain.problems import Problem

DOCUMENT_VERSION = 1


class PaymentKind(StrEnum):
    """Thực chi (actual payment) or tạm ứng (advance)."""

    ACTUAL = "actual"
    ADVANCE = "advance"


class PaymentMethod(StrEnum):
    """Chuyển khoản (transfer) or tiền mặt (cash)."""

    TRANSFER = "transfer"
    CASH = "cash"


@dataclass(frozen=True)
class Unit:
    """The budget-using unit (đơn vị sử dụng ngân sách) that draws the money."""

    code: str = ""  # mã ĐVQHNS, 7 digits
    name: str = ""
    account: str = ""  # e.g. 9523.2.1171277
    treasury: str = ""  # mã KBNN, 4 digits


@dataclass(frozen=True)
class Payee:
    """Đơn vị nhận tiền: by transfer (account, bank) or in cash (identity document)."""

    name: str = ""
    address: str = ""
    account: str = ""
    bank: str = ""
    id_number: str = ""  # CMND/CCCD, for cash
    id_date: str = ""  # ISO date of issue
    id_place: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """One line of the budget table (Nội dung thanh toán … Số tiền)."""

    content: str = ""
    ndkt: str = ""  # mã nội dung kinh tế (tiểu mục), 4 digits
    chapter: str = ""  # mã chương, 3 digits
    industry: str = ""  # mã ngành kinh tế (khoản), 3 digits
    source: str = ""  # mã nguồn NSNN, 2 digits
    amount: int = 0  # whole đồng


@dataclass(frozen=True)
class Voucher:
    """A payment voucher. ``total`` and ``amount_in_words`` are derived, never stored apart."""

    id: str
    form: str = "C2-02a/NS"
    fiscal_year: int = 2026
    number: str = ""
    date: str = ""
    unit: Unit = field(default_factory=Unit)
    payment_kind: PaymentKind = PaymentKind.ACTUAL
    method: PaymentMethod = PaymentMethod.TRANSFER
    program_code: str = ""  # mã CTMT, DA; "00000" when none
    payee: Payee = field(default_factory=Payee)
    lines: tuple[BudgetLine, ...] = ()
    budget_level: str = ""  # mã cấp NS, 1 digit (optional)
    commitment_number: str = ""  # số CKC, HĐK (optional)
    content: str = ""  # nội dung, for forms without budget lines (C4-02a/KB)
    amount: int = 0  # số tiền, for forms without budget lines

    @property
    def total(self) -> int:
        """Tổng cộng: the sum of the lines, or the single amount of a form without lines."""
        if self.lines:
            return sum(line.amount for line in self.lines)
        return self.amount

    @property
    def amount_in_words(self) -> str:
        """Tổng số tiền ghi bằng chữ; empty when there is no total to read (validation then
        says why: nothing entered, or more than 999.999.999.999.999 đồng)."""
        return amount_in_words(self.total) if 0 < self.total <= MAX_AMOUNT else ""

    def with_changes(self, **changes: Any) -> Voucher:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def new_voucher_id() -> str:
    """A fresh id for a draft, made on the desk (UUID v4)."""
    return str(uuid.uuid4())


_OPTIONAL_TOP = ("budget_level", "commitment_number", "content")
_PAYEE_FIELDS = ("name", "address", "account", "bank", "id_number", "id_date", "id_place")


def to_document(voucher: Voucher) -> dict[str, Any]:
    """The JSON document v1 (what is signed, once made canonical). Empty optionals are left out."""
    doc: dict[str, Any] = {
        "id": voucher.id,
        "form": voucher.form,
        "fiscal_year": voucher.fiscal_year,
        "number": voucher.number,
        "date": voucher.date,
        "unit": {
            "code": voucher.unit.code,
            "name": voucher.unit.name,
            "account": voucher.unit.account,
            "treasury": voucher.unit.treasury,
        },
        "payment_kind": voucher.payment_kind.value,
        "method": voucher.method.value,
        "program_code": voucher.program_code,
        "payee": {k: getattr(voucher.payee, k) for k in _PAYEE_FIELDS if getattr(voucher.payee, k)},
        "lines": [
            {
                "content": line.content,
                "ndkt": line.ndkt,
                "chapter": line.chapter,
                "industry": line.industry,
                "source": line.source,
                "amount": line.amount,
            }
            for line in voucher.lines
        ],
        "total": voucher.total,
        "amount_in_words": voucher.amount_in_words,
    }
    for name in _OPTIONAL_TOP:
        value = getattr(voucher, name)
        if value:
            doc[name] = value
    if not voucher.lines and voucher.amount:
        doc["amount"] = voucher.amount
    return doc


class DocumentShapeError(ValueError):
    """The JSON does not have the shape of a voucher document; each problem names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))


class _Reader:
    """Reads a JSON object field by field, collecting shape problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def obj(self, value: Any, path: str, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.problems.append(Problem(path, "shape.object"))
            return {}
        for key in value:
            if key not in allowed:
                self.problems.append(Problem(_join(path, str(key)), "shape.unknown"))
        return value

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append(Problem(_join(path, key), "shape.string"))
            return ""
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (\ud800) cannot be signed or stored
            self.problems.append(Problem(_join(path, key), "shape.string"))
            return ""
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int = 0) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            self.problems.append(Problem(_join(path, key), "shape.integer"))
            return default
        return value

    def enum(self, data: Mapping[str, Any], key: str, kind: type[StrEnum], default: StrEnum) -> Any:
        raw = data.get(key, default.value)
        try:
            return kind(raw)
        except ValueError:
            self.problems.append(Problem(key, "shape.choice", {"value": str(raw)}))
            return default


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_TOP_FIELDS = (
    "id", "form", "fiscal_year", "number", "date", "unit", "payment_kind", "method",
    "program_code", "payee", "lines", "total", "amount_in_words", "amount", "version",
    *_OPTIONAL_TOP,
)
_UNIT_FIELDS = ("code", "name", "account", "treasury")
_LINE_FIELDS = ("content", "ndkt", "chapter", "industry", "source", "amount")


def from_document(data: Any, *, assign_id: bool = False) -> Voucher:
    """Read a JSON document into a voucher, or raise :class:`DocumentShapeError`.

    ``total`` and ``amount_in_words`` are checked by validation, not trusted: use
    :func:`declared_derivations` to get what the file claimed.
    """
    r = _Reader()
    top = r.obj(data, "", _TOP_FIELDS)
    vid = r.string(top, "id", "")
    if not vid:
        if assign_id:
            vid = new_voucher_id()
        else:
            r.problems.append(Problem("id", "shape.required"))
    else:
        try:
            # One spelling per id (lower case, hyphens): the id names the document on the
            # treasury's side too, and {…}, urn:uuid: or upper-case forms would not match there.
            vid = str(uuid.UUID(vid))
        except ValueError:
            r.problems.append(Problem("id", "shape.uuid"))
    unit = r.obj(top.get("unit", {}), "unit", _UNIT_FIELDS)
    payee = r.obj(top.get("payee", {}), "payee", _PAYEE_FIELDS)
    raw_lines = top.get("lines", [])
    lines: list[BudgetLine] = []
    if not isinstance(raw_lines, list):
        r.problems.append(Problem("lines", "shape.list"))
        raw_lines = []
    for i, raw in enumerate(raw_lines):
        path = f"lines[{i}]"
        item = r.obj(raw, path, _LINE_FIELDS)
        lines.append(
            BudgetLine(
                content=r.string(item, "content", path),
                ndkt=r.string(item, "ndkt", path),
                chapter=r.string(item, "chapter", path),
                industry=r.string(item, "industry", path),
                source=r.string(item, "source", path),
                amount=r.integer(item, "amount", path),
            )
        )
    voucher = Voucher(
        id=vid,
        form=r.string(top, "form", "") or "C2-02a/NS",
        fiscal_year=r.integer(top, "fiscal_year", "", default=0),
        number=r.string(top, "number", ""),
        date=r.string(top, "date", ""),
        unit=Unit(**{k: r.string(unit, k, "unit") for k in _UNIT_FIELDS}),
        payment_kind=r.enum(top, "payment_kind", PaymentKind, PaymentKind.ACTUAL),
        method=r.enum(top, "method", PaymentMethod, PaymentMethod.TRANSFER),
        program_code=r.string(top, "program_code", ""),
        payee=Payee(**{k: r.string(payee, k, "payee") for k in _PAYEE_FIELDS}),
        lines=tuple(lines),
        budget_level=r.string(top, "budget_level", ""),
        commitment_number=r.string(top, "commitment_number", ""),
        content=r.string(top, "content", ""),
        amount=r.integer(top, "amount", ""),
    )
    if "total" in top:
        r.integer(top, "total", "")
    if "amount_in_words" in top:
        r.string(top, "amount_in_words", "")
    if r.problems:
        raise DocumentShapeError(r.problems)
    return voucher


def declared_derivations(data: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The ``total`` and ``amount_in_words`` a file claimed, if it claimed them."""
    total = data.get("total")
    words = data.get("amount_in_words")
    return (
        total if isinstance(total, int) and not isinstance(total, bool) else None,
        words.strip() if isinstance(words, str) else None,
    )
