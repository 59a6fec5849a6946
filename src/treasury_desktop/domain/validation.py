"""What is wrong with a voucher, field by field, before it may be signed.

Every problem names one field path (``unit.code``, ``lines[0].ndkt``, ``payee.id_number`` …)
and one message key ``problem.<code>`` in ``resources/i18n/domain.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind, has_code_shape
from treasury_desktop.domain.forms import FormSpec, find_form
from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words, format_vnd, same_words
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import BudgetLine, Payee, PaymentMethod, Voucher

_UNIT_CODE = re.compile(r"^\d{7}$")  # mã ĐVQHNS
_ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")  # CMND 9 digits, CCCD 12 digits
_ACCOUNT = re.compile(r"^\d+(?:[.\-]\d+)*$")  # 9523.2.1171277, 102010000123456, 0101-000-123
_ACCOUNT_DIGITS = (6, 25)
EARLIEST_ID_DATE = date(1950, 1, 1)


class _Checker:
    """Collects problems for one voucher against one year's catalogue."""

    def __init__(self, voucher: Voucher, catalog: BudgetCatalog, today: date) -> None:
        self.v = voucher
        self.catalog = catalog
        self.today = today
        # Codes are only looked up in a catalogue of the voucher's own year.
        self.lookup = catalog.fiscal_year == voucher.fiscal_year
        self.problems: list[Problem] = []

    def add(self, field: str, code: str, **params: object) -> None:
        self.problems.append(Problem(field, code, params))

    def code(self, field: str, value: str, kind: CatalogKind, *, required: bool = True) -> None:
        """Missing, malformed, or not in this year's list: at most one problem."""
        if not value:
            if required:
                self.add(field, f"{kind}.missing")
        elif not has_code_shape(kind, value):
            self.add(field, f"{kind}.format", value=value)
        elif self.lookup and not self.catalog.contains(kind, value):
            self.add(field, f"{kind}.unknown", value=value, year=self.v.fiscal_year)
        elif self.lookup and kind is CatalogKind.NDKT and self.catalog.is_heading(kind, value):
            self.add(field, "ndkt.heading", value=value)

    def amount(self, field: str, value: int) -> None:
        if value <= 0:
            self.add(field, "amount.not_positive")
        elif value > MAX_AMOUNT:
            self.add(field, "amount.too_large", max=format_vnd(MAX_AMOUNT))

    def text(self, field: str, value: str, code: str) -> None:
        if not value.strip():
            self.add(field, code)

    def account(self, field: str, value: str) -> None:
        if not value:
            self.add(field, "account.missing")
            return
        digits = sum(c.isdigit() for c in value)
        low, high = _ACCOUNT_DIGITS
        if not _ACCOUNT.match(value) or not low <= digits <= high:
            self.add(field, "account.format", value=value, low=low, high=high)

    def iso_date(self, field: str, value: str, missing: str) -> date | None:
        if not value:
            self.add(field, missing)
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.add(field, "date.invalid", value=value)
            return None


def validate(
    voucher: Voucher, catalog: BudgetCatalog, *, today: date | None = None
) -> list[Problem]:
    """Every problem of ``voucher`` against ``catalog`` (its fiscal year's), in form order."""
    c = _Checker(voucher, catalog, today or date.today())
    spec = find_form(voucher.form)
    if spec is None:
        c.add("form", "form.unknown", value=voucher.form)
    _header(c, spec)
    _unit(c)
    _optional_header(c, spec)
    if spec is None or spec.has_budget_lines:
        _lines(c, voucher.lines)
    else:
        _single_amount(c)
    if spec is None or spec.has_payee:
        _payee(c, voucher.payee, voucher.method)
    return c.problems


def _header(c: _Checker, spec: FormSpec | None) -> None:
    v = c.v
    if not c.lookup:
        c.add("fiscal_year", "fiscal_year.no_catalog", year=v.fiscal_year)
    c.text("number", v.number, "number.missing")
    day = c.iso_date("date", v.date, "date.missing")
    if day is not None and day.year != v.fiscal_year:
        c.add("date", "date.outside_year", value=v.date, year=v.fiscal_year)
    if spec is not None:
        if v.payment_kind not in spec.payment_kinds:
            c.add("payment_kind", "payment_kind.not_allowed", form=spec.code)
        if v.method not in spec.methods:
            c.add("method", "method.not_allowed", form=spec.code)


def _unit(c: _Checker) -> None:
    unit = c.v.unit
    if not unit.code:
        c.add("unit.code", "unit_code.missing")
    elif not _UNIT_CODE.match(unit.code):
        c.add("unit.code", "unit_code.format", value=unit.code)
    c.text("unit.name", unit.name, "unit_name.missing")
    c.account("unit.account", unit.account)
    c.code("unit.treasury", unit.treasury, CatalogKind.TREASURY)


def _optional_header(c: _Checker, spec: FormSpec | None) -> None:
    v = c.v
    required = spec.required if spec else frozenset[str]()
    c.code("program_code", v.program_code, CatalogKind.PROGRAM, required="program_code" in required)
    c.code("budget_level", v.budget_level, CatalogKind.LEVEL, required="budget_level" in required)
    if "commitment_number" in required:
        c.text("commitment_number", v.commitment_number, "commitment_number.missing")


def _lines(c: _Checker, lines: Sequence[BudgetLine]) -> None:
    if not lines:
        c.add("lines", "lines.missing")
        return
    for i, line in enumerate(lines):
        at = f"lines[{i}]"
        c.text(f"{at}.content", line.content, "content.missing")
        c.code(f"{at}.ndkt", line.ndkt, CatalogKind.NDKT)
        c.code(f"{at}.chapter", line.chapter, CatalogKind.CHAPTER)
        c.code(f"{at}.industry", line.industry, CatalogKind.INDUSTRY)
        c.code(f"{at}.source", line.source, CatalogKind.SOURCE)
        c.amount(f"{at}.amount", line.amount)
    if all(0 < line.amount <= MAX_AMOUNT for line in lines) and c.v.total > MAX_AMOUNT:
        c.add("total", "total.too_large", max=format_vnd(MAX_AMOUNT))


def _single_amount(c: _Checker) -> None:
    if c.v.lines:
        c.add("lines", "lines.not_allowed", form=c.v.form)
    c.text("content", c.v.content, "content.missing")
    c.amount("amount", c.v.amount)


def _payee(c: _Checker, payee: Payee, method: PaymentMethod) -> None:
    c.text("payee.name", payee.name, "payee_name.missing")
    if method is PaymentMethod.TRANSFER:
        c.account("payee.account", payee.account)
        c.text("payee.bank", payee.bank, "payee_bank.missing")
        return
    if not payee.id_number:
        c.add("payee.id_number", "id_number.missing")
    elif not _ID_NUMBER.match(payee.id_number):
        c.add("payee.id_number", "id_number.format", value=payee.id_number)
    issued = c.iso_date("payee.id_date", payee.id_date, "id_date.missing")
    if issued is not None and issued > c.today:
        c.add("payee.id_date", "id_date.future", value=payee.id_date)
    elif issued is not None and issued < EARLIEST_ID_DATE:
        c.add("payee.id_date", "id_date.too_old", value=payee.id_date)
    c.text("payee.id_place", payee.id_place, "id_place.missing")


def validate_declared(
    voucher: Voucher, declared_total: int | None, declared_words: str | None
) -> list[Problem]:
    """On import: the file's ``total`` and ``amount_in_words`` must match what they derive from."""
    problems: list[Problem] = []
    total = voucher.total
    if declared_total is not None and declared_total != total:
        problems.append(
            Problem(
                "total",
                "total.mismatch",
                {"declared": format_vnd(declared_total), "computed": format_vnd(total)},
            )
        )
    if declared_words is not None and 0 < total <= MAX_AMOUNT:
        expected = amount_in_words(total)
        if not same_words(declared_words, expected):
            problems.append(
                Problem(
                    "amount_in_words",
                    "amount_in_words.mismatch",
                    {"declared": declared_words, "expected": expected},
                )
            )
    return problems


def is_ready_to_sign(problems: Sequence[Problem]) -> bool:
    """A voucher may be signed only when nothing is wrong with it."""
    return not problems
