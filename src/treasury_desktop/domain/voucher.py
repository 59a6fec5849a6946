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
from typing import Any, TypeVar

from treasury_desktop.domain import document_parts as parts
from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.text_rules import normal_text, text_problem
from treasury_desktop.domain.voucher_parts import (
    DepositLine,
    IdKind,
    PreAdvance,
    Statement,
    TaxPayment,
)

DOCUMENT_VERSION = 1
E = TypeVar("E", bound=StrEnum)


class PaymentKind(StrEnum):
    """Thực chi (actual payment) or tạm ứng (advance)."""

    ACTUAL = "actual"
    ADVANCE = "advance"


class PaymentMethod(StrEnum):
    """Chuyển khoản (transfer), tiền mặt tại KB (cash) or tiền mặt tại NH (cash at a bank)."""

    TRANSFER = "transfer"
    CASH = "cash"
    CASH_BANK = "cash_bank"

    @property
    def is_cash(self) -> bool:
        """Whether a person collects the money (Người nhận tiền, with an ID document)."""
        return self is not PaymentMethod.TRANSFER


DEPOSIT_LINE_FORMS = frozenset({"C4-02a/KB"})
"""Forms whose ``lines`` are {content, source, budget_year, amount} (Ủy nhiệm chi)."""


@dataclass(frozen=True)
class Unit:
    """The budget-using unit (đơn vị sử dụng ngân sách) that draws the money."""

    code: str = ""  # mã ĐVQHNS, 7 digits
    name: str = ""
    account: str = ""  # e.g. 9523.2.1171277
    treasury: str = ""  # mã KBNN, 4 digits
    address: str = ""  # địa chỉ, printed on a C4-02a/KB (optional)


@dataclass(frozen=True)
class Payee:
    """Đơn vị nhận tiền: by transfer (account, bank) or in cash (identity document)."""

    name: str = ""
    address: str = ""
    account: str = ""
    bank: str = ""
    id_number: str = ""  # CCCD (or old CMND), passport …, for cash
    id_date: str = ""  # ISO date of issue
    id_place: str = ""
    id_kind: IdKind | None = None  # None: not said, read as CCCD
    id_kind_name: str = ""  # the document's name when id_kind is "other"


@dataclass(frozen=True)
class BudgetLine:
    """One line of the budget table (Nội dung thanh toán … Số tiền)."""

    content: str = ""
    ndkt: str = ""  # mã nội dung kinh tế (tiểu mục), 4 digits
    chapter: str = ""  # mã chương, 3 digits
    industry: str = ""  # mã ngành kinh tế (khoản), 3 digits
    source: str = ""  # mã nguồn NSNN, 2 digits
    amount: int = 0  # whole đồng
    tax_amount: int | None = None  # C2-02b/NS: nộp thuế part of amount; the rest goes to the payee


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
    deposit_lines: tuple[DepositLine, ...] = ()  # C4-02a/KB line table (JSON "lines")
    tax: TaxPayment | None = None  # C2-02b/NS NỘP THUẾ block
    donor_code: str = ""  # mã nhà tài trợ (C4-02a/KB)
    statement: Statement | None = None  # Bảng kê (Mẫu 07)
    program_name: str = ""  # tên CTMT, DA
    commitment_contract: str = ""  # số CKC, HĐTH
    pre_advance: PreAdvance | None = None  # ứng trước (C3-01/NS)
    advance_reference: str = ""  # the advance being settled (C2-03/NS)

    @property
    def total(self) -> int:
        """Tổng cộng: the sum of the lines, or the single amount of a form without lines."""
        if self.lines:
            return sum(line.amount for line in self.lines)
        if self.deposit_lines:
            return sum(line.amount for line in self.deposit_lines)
        return self.amount

    @property
    def withholds_tax(self) -> bool:
        """Whether the voucher splits its total into tax and payee parts (C2-02b/NS)."""
        return self.tax is not None or any(line.tax_amount is not None for line in self.lines)

    @property
    def tax_total(self) -> int:
        """Tổng số tiền nộp thuế: the tax parts of the lines."""
        return sum(line.tax_amount or 0 for line in self.lines)

    @property
    def payee_total(self) -> int:
        """Thanh toán cho đơn vị hưởng: the total less the tax withheld."""
        return self.total - self.tax_total

    @property
    def tax_in_words(self) -> str:
        """Tổng số tiền nộp thuế bằng chữ (empty when there is none to read)."""
        return _words(self.tax_total)

    @property
    def payee_in_words(self) -> str:
        """The payee's part in words (empty when there is none to read)."""
        return _words(self.payee_total)

    @property
    def amount_in_words(self) -> str:
        """Tổng số tiền ghi bằng chữ; empty when there is no total to read (validation then
        says why: nothing entered, or more than 999.999.999.999.999 đồng)."""
        return _words(self.total)

    def with_changes(self, **changes: Any) -> Voucher:
        """A copy with some fields replaced."""
        return replace(self, **changes)


def _words(amount: int) -> str:
    return amount_in_words(amount) if 0 < amount <= MAX_AMOUNT else ""


def new_voucher_id() -> str:
    """A fresh id for a draft, made on the desk (UUID v4)."""
    return str(uuid.uuid4())


_OPTIONAL_TOP = (
    "budget_level", "commitment_number", "content", "donor_code", "program_name",
    "commitment_contract", "advance_reference",
)
_PAYEE_FIELDS = ("name", "address", "account", "bank", "id_number", "id_date", "id_place")
_PAYEE_ALLOWED = (*_PAYEE_FIELDS, "id_kind", "id_kind_name")


def _budget_line_json(line: BudgetLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "content": line.content,
        "ndkt": line.ndkt,
        "chapter": line.chapter,
        "industry": line.industry,
        "source": line.source,
        "amount": line.amount,
    }
    if line.tax_amount is not None:
        out["tax_amount"] = line.tax_amount
    return out


def _payee_json(payee: Payee) -> dict[str, str]:
    out = {k: getattr(payee, k) for k in _PAYEE_FIELDS if getattr(payee, k)}
    if payee.id_kind is not None:
        out["id_kind"] = payee.id_kind.value
    if payee.id_kind_name:
        out["id_kind_name"] = payee.id_kind_name
    return out


def to_document(voucher: Voucher) -> dict[str, Any]:
    """The JSON document v1 (what is signed, once made canonical). Empty optionals are left out."""
    unit = {
        "code": voucher.unit.code,
        "name": voucher.unit.name,
        "account": voucher.unit.account,
        "treasury": voucher.unit.treasury,
    }
    if voucher.unit.address:
        unit["address"] = voucher.unit.address
    lines = [_budget_line_json(line) for line in voucher.lines]
    lines += [parts.deposit_line_json(line) for line in voucher.deposit_lines]
    doc: dict[str, Any] = {
        "id": voucher.id,
        "form": voucher.form,
        "fiscal_year": voucher.fiscal_year,
        "number": voucher.number,
        "date": voucher.date,
        "unit": unit,
        "payment_kind": voucher.payment_kind.value,
        "method": voucher.method.value,
        "program_code": voucher.program_code,
        "payee": _payee_json(voucher.payee),
        "lines": lines,
        "total": voucher.total,
        "amount_in_words": voucher.amount_in_words,
    }
    for name in _OPTIONAL_TOP:
        value = getattr(voucher, name)
        if value:
            doc[name] = value
    if not voucher.lines and not voucher.deposit_lines and voucher.amount:
        doc["amount"] = voucher.amount
    if voucher.pre_advance is not None:
        doc["pre_advance"] = voucher.pre_advance.value
    if voucher.tax is not None:
        doc["tax"] = parts.tax_json(voucher.tax)
    if voucher.withholds_tax:
        doc["tax_total"] = voucher.tax_total
        doc["tax_in_words"] = voucher.tax_in_words
        doc["payee_total"] = voucher.payee_total
        doc["payee_in_words"] = voucher.payee_in_words
    if voucher.statement is not None:
        doc["statement"] = parts.statement_json(voucher.statement)
    return doc


class DocumentShapeError(ValueError):
    """The JSON does not have the shape of a voucher document; each problem names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))


class _Reader:
    """Reads a JSON object field by field, collecting shape problems instead of raising."""

    def __init__(self, check_text: bool = True) -> None:
        self.problems: list[Problem] = []
        self.check_text = check_text

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
        if not self.check_text:
            return value.strip()
        value = normal_text(value)
        problem = text_problem(_join(path, key), value)
        if problem is not None:
            self.problems.append(problem)
            return ""
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int = 0) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):  # 5.0 too: amounts are whole
            self.problems.append(Problem(_join(path, key), "shape.integer"))
            return default
        return value

    def optional_integer(self, data: Mapping[str, Any], key: str, path: str) -> int | None:
        if data.get(key) is None:
            return None
        return self.integer(data, key, path)

    def number(self, data: Mapping[str, Any], key: str, path: str) -> int | float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.problems.append(Problem(_join(path, key), "shape.number"))
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def enum(
        self, data: Mapping[str, Any], key: str, kind: type[E], default: E, path: str = ""
    ) -> E:
        raw = data.get(key, default.value)
        try:
            return kind(raw)
        except ValueError:
            self.problems.append(Problem(_join(path, key), "shape.choice", {"value": str(raw)}))
            return default

    def optional_enum(
        self, data: Mapping[str, Any], key: str, kind: type[E], path: str
    ) -> E | None:
        if data.get(key) in (None, ""):
            return None
        return self.enum(data, key, kind, next(iter(kind)), path)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_DERIVED = (
    "total", "amount_in_words", "tax_total", "tax_in_words", "payee_total", "payee_in_words",
)
_TOP_FIELDS = (
    "id", "form", "fiscal_year", "number", "date", "unit", "payment_kind", "method",
    "program_code", "payee", "lines", "amount", "version", "tax", "statement", "pre_advance",
    *_DERIVED, *_OPTIONAL_TOP,
)
_UNIT_FIELDS = ("code", "name", "account", "treasury", "address")
_LINE_FIELDS = ("content", "ndkt", "chapter", "industry", "source", "amount", "tax_amount")


def _is_budget_line(raw: Any) -> bool:
    # Budget lines on a C4-02a/KB are read as such, and validation says they do not belong.
    return isinstance(raw, Mapping) and any(k in raw for k in ("ndkt", "chapter", "industry"))


def from_document(data: Any, *, assign_id: bool = False, check_text: bool = True) -> Voucher:
    """Read a JSON document into a voucher, or raise :class:`DocumentShapeError`.

    Text is made NFC and refused when it hides characters (domain/text_rules.py); the store
    reads what it wrote earlier with ``check_text=False``, so an old voucher still opens (and
    validation still says what is wrong with it).

    ``total`` and ``amount_in_words`` are checked by validation, not trusted: use
    :func:`declared_derivations` to get what the file claimed.
    """
    r = _Reader(check_text)
    top = r.obj(data, "", _TOP_FIELDS)
    voucher_id = r.string(top, "id", "")
    if not voucher_id:
        if assign_id:
            voucher_id = new_voucher_id()
        else:
            r.problems.append(Problem("id", "shape.required"))
    else:
        try:
            # One spelling per id (lower case, hyphens): the id names the document on the
            # treasury's side too, and {…}, urn:uuid: or upper-case forms would not match there.
            voucher_id = str(uuid.UUID(voucher_id))
        except ValueError:
            r.problems.append(Problem("id", "shape.uuid"))
    unit = r.obj(top.get("unit", {}), "unit", _UNIT_FIELDS)
    payee = r.obj(top.get("payee", {}), "payee", _PAYEE_ALLOWED)
    form = r.string(top, "form", "") or "C2-02a/NS"
    raw_lines = parts.read_list(r, top.get("lines", []), "lines")
    deposit_lines: tuple[DepositLine, ...] = ()
    if form in DEPOSIT_LINE_FORMS and not any(_is_budget_line(raw) for raw in raw_lines):
        deposit_lines, raw_lines = parts.read_deposit_lines(r, raw_lines), []
    lines: list[BudgetLine] = []
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
                tax_amount=r.optional_integer(item, "tax_amount", path),
            )
        )
    voucher = Voucher(
        id=voucher_id,
        form=form,
        fiscal_year=r.integer(top, "fiscal_year", "", default=0),
        number=r.string(top, "number", ""),
        date=r.string(top, "date", ""),
        unit=Unit(**{k: r.string(unit, k, "unit") for k in _UNIT_FIELDS}),
        payment_kind=r.enum(top, "payment_kind", PaymentKind, PaymentKind.ACTUAL),
        method=r.enum(top, "method", PaymentMethod, PaymentMethod.TRANSFER),
        program_code=r.string(top, "program_code", ""),
        payee=Payee(
            **{k: r.string(payee, k, "payee") for k in (*_PAYEE_FIELDS, "id_kind_name")},
            id_kind=r.optional_enum(payee, "id_kind", IdKind, "payee"),
        ),
        lines=tuple(lines),
        amount=r.integer(top, "amount", ""),
        deposit_lines=deposit_lines,
        tax=parts.read_tax(r, top.get("tax")),
        statement=parts.read_statement(r, top.get("statement")),
        pre_advance=r.optional_enum(top, "pre_advance", PreAdvance, ""),
        budget_level=r.string(top, "budget_level", ""),
        commitment_number=r.string(top, "commitment_number", ""),
        content=r.string(top, "content", ""),
        donor_code=r.string(top, "donor_code", ""),
        program_name=r.string(top, "program_name", ""),
        commitment_contract=r.string(top, "commitment_contract", ""),
        advance_reference=r.string(top, "advance_reference", ""),
    )
    for key in _DERIVED:
        if key in top:
            if key.endswith("words"):
                r.string(top, key, "")
            else:
                r.integer(top, key, "")
    if r.problems:
        raise DocumentShapeError(r.problems)
    return voucher


def declared_derivations(data: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The ``total`` and ``amount_in_words`` a file claimed, if it claimed them."""
    declared = declared_values(data)
    total, words = declared.get("total"), declared.get("amount_in_words")
    return (
        total if isinstance(total, int) else None,
        words if isinstance(words, str) else None,
    )


def declared_values(data: Mapping[str, Any]) -> dict[str, int | str]:
    """Every derived value a file claimed (``total``, ``tax_total``, ``payee_in_words`` …)."""
    out: dict[str, int | str] = {}
    for key in _DERIVED:
        value = data.get(key)
        if key.endswith("words") and isinstance(value, str):
            out[key] = value.strip()
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = value
        elif isinstance(value, float) and value.is_integer() and not key.endswith("words"):
            out[key] = int(value)
    return out
