"""What is wrong with a voucher, field by field, before it may be signed.

Every problem names one field path (``unit.code``, ``lines[0].ndkt``, ``payee.id_number`` …)
and one message key ``problem.<code>`` in ``resources/i18n/domain.json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from treasury_desktop.domain import form_checks
from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind, has_code_shape
from treasury_desktop.domain.forms import FormSpec, find_form
from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words, format_vnd
from treasury_desktop.domain.problems import Problem, Severity
from treasury_desktop.domain.text_rules import text_problems
from treasury_desktop.domain.voucher import BudgetLine, Voucher
from treasury_desktop.domain.words_reading import read_amount_words

_UNIT_CODE = re.compile(r"^\d{7}$")  # mã ĐVQHNS
_ACCOUNT = re.compile(r"^\d+(?:[.\-]\d+)*$")  # 9523.2.1171277, 102010000123456, 0101-000-123
_ACCOUNT_DIGITS = (6, 25)


class Checker:
    """Collects problems (errors) and warnings for one voucher against one year's catalogue."""

    def __init__(self, voucher: Voucher, catalog: BudgetCatalog, today: date) -> None:
        self.v = voucher
        self.catalog = catalog
        self.today = today
        # Codes are only looked up in a catalogue of the voucher's own year.
        self.lookup = catalog.fiscal_year == voucher.fiscal_year
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.voucher_day = _parse_day(voucher.date)

    def add(self, field: str, code: str, **params: object) -> None:
        self.problems.append(Problem(field, code, params))

    def warn(self, field: str, code: str, **params: object) -> None:
        self.warnings.append(Problem(field, code, params, Severity.WARNING))

    def code(self, field: str, value: str, kind: CatalogKind, *, required: bool = True) -> None:
        """Missing or malformed (an error), or not in this year's list (a warning: the
        treasury's list decides, and the shipped one may be older or partial)."""
        if not value:
            if required:
                self.add(field, f"{kind}.missing")
        elif not has_code_shape(kind, value):
            self.add(field, f"{kind}.format", value=value)
        elif self.lookup and not self.catalog.contains(kind, value):
            self.warn(
                field, f"{kind}.unknown", value=value, year=self.v.fiscal_year,
                version=self.catalog.version,
            )
        elif self.lookup and kind is CatalogKind.NDKT and self.catalog.is_heading(kind, value):
            self.add(field, "ndkt.heading", value=value)
        elif self.lookup and self.voucher_day is not None:
            entry = self.catalog.entry(kind, value)
            if entry is not None and not entry.in_force(self.voucher_day):
                self.warn(field, "code.not_in_force", value=value,
                          day=self.voucher_day.strftime("%d/%m/%Y"))

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


@dataclass(frozen=True)
class Review:
    """What is wrong (``problems``, blocking) and doubtful (``warnings``, never blocking)."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def review(voucher: Voucher, catalog: BudgetCatalog, *, today: date | None = None) -> Review:
    """Every problem and warning of ``voucher`` against ``catalog``, in form order."""
    c = Checker(voucher, catalog, today or date.today())
    spec = find_form(voucher.form)
    if spec is None:
        c.add("form", "form.unknown", value=voucher.form)
    _header(c, spec)
    _unit(c)
    _optional_header(c, spec)
    if spec is None or spec.has_budget_lines:
        _lines(c, voucher.lines)
    elif voucher.deposit_lines:
        form_checks.deposit_lines(c)
    elif spec is not None and "lines" in spec.field_order and not (
            voucher.content or voucher.amount or voucher.lines):
        c.add("lines", "lines.missing")  # a line table (C4-02a/KB) with no line yet
    else:
        _single_amount(c)
    form_checks.tax(c, spec)
    form_checks.statement(c, spec)
    if spec is None or spec.has_payee:
        _payee(c)
    c.problems.extend(text_problems(voucher))
    return Review(tuple(c.problems), tuple(c.warnings))


def _parse_day(value: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def validate(
    voucher: Voucher, catalog: BudgetCatalog, *, today: date | None = None
) -> list[Problem]:
    """Every blocking problem of ``voucher`` against ``catalog`` (its fiscal year's)."""
    return list(review(voucher, catalog, today=today).problems)


def advise(voucher: Voucher, catalog: BudgetCatalog, *, today: date | None = None) -> list[Problem]:
    """The warnings only: unknown codes, a future date … (shown, never blocking)."""
    return list(review(voucher, catalog, today=today).warnings)


def _header(c: Checker, spec: FormSpec | None) -> None:
    v = c.v
    if not c.lookup:
        c.add("fiscal_year", "fiscal_year.no_catalog", year=v.fiscal_year)
    c.text("number", v.number, "number.missing")
    day = c.iso_date("date", v.date, "date.missing")
    if day is not None:
        form_checks.voucher_date(c, day)
    if spec is not None:
        if v.payment_kind not in spec.payment_kinds:
            c.add("payment_kind", "payment_kind.not_allowed", form=spec.code)
        if v.method not in spec.methods:
            c.add("method", "method.not_allowed", form=spec.code)


def _unit(c: Checker) -> None:
    unit = c.v.unit
    if not unit.code:
        c.add("unit.code", "unit_code.missing")
    elif not _UNIT_CODE.match(unit.code):
        c.add("unit.code", "unit_code.format", value=unit.code)
    c.text("unit.name", unit.name, "unit_name.missing")
    c.account("unit.account", unit.account)
    c.code("unit.treasury", unit.treasury, CatalogKind.TREASURY)


def _optional_header(c: Checker, spec: FormSpec | None) -> None:
    v = c.v
    required = spec.required if spec else frozenset[str]()
    c.code("program_code", v.program_code, CatalogKind.PROGRAM, required="program_code" in required)
    c.code("budget_level", v.budget_level, CatalogKind.LEVEL, required="budget_level" in required)
    if "commitment_number" in required:
        c.text("commitment_number", v.commitment_number, "commitment_number.missing")
    form_checks.form_choices(c, spec)


def _lines(c: Checker, lines: Sequence[BudgetLine]) -> None:
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


def _single_amount(c: Checker) -> None:
    if c.v.lines:
        c.add("lines", "lines.not_allowed", form=c.v.form)
    c.text("content", c.v.content, "content.missing")
    c.amount("amount", c.v.amount)


def _payee(c: Checker) -> None:
    payee = c.v.payee
    c.text("payee.name", payee.name, "payee_name.missing")
    if not c.v.method.is_cash:
        c.account("payee.account", payee.account)
        c.text("payee.bank", payee.bank, "payee_bank.missing")
        return
    form_checks.cash_recipient(c)


class _Declared:
    """Compares what a file claims with what the voucher derives, one field at a time."""

    def __init__(self, declared: Mapping[str, int | str]) -> None:
        self.declared = declared
        self.problems: list[Problem] = []

    def claimed_amount(self, field: str, code: str, value: int) -> None:
        claimed = self.declared.get(field)
        if isinstance(claimed, int) and claimed != value:
            params = {"declared": format_vnd(claimed), "computed": format_vnd(value)}
            self.problems.append(Problem(field, code, params))

    def claimed_words(self, field: str, code: str, value: int) -> None:
        claimed = self.declared.get(field)
        if not isinstance(claimed, str) or not 0 < value <= MAX_AMOUNT:
            return
        if read_amount_words(claimed) != value:
            params = {"declared": claimed, "expected": amount_in_words(value)}
            self.problems.append(Problem(field, code, params))


def check_declared(voucher: Voucher, declared: Mapping[str, int | str]) -> list[Problem]:
    """On import and at the treasury's door: every derived value a file claims (``total``,
    ``tax_total``, ``payee_total`` and their words) must match what it derives from. Words
    pass when they read as the same amount, whatever their spelling."""
    d = _Declared(declared)
    d.claimed_amount("total", "total.mismatch", voucher.total)
    d.claimed_amount("tax_total", "tax_total.mismatch", voucher.tax_total)
    d.claimed_amount("payee_total", "payee_total.mismatch", voucher.payee_total)
    tax, payee, total = (declared.get(k) for k in ("tax_total", "payee_total", "total"))
    if isinstance(tax, int) and isinstance(payee, int) and tax + payee != voucher.total:
        shown = total if isinstance(total, int) else voucher.total
        params = {"tax": format_vnd(tax), "payee": format_vnd(payee), "total": format_vnd(shown)}
        d.problems.append(Problem("payee_total", "split.mismatch", params))
    d.claimed_words("amount_in_words", "amount_in_words.mismatch", voucher.total)
    d.claimed_words("tax_in_words", "tax_in_words.mismatch", voucher.tax_total)
    d.claimed_words("payee_in_words", "payee_in_words.mismatch", voucher.payee_total)
    return d.problems


def validate_declared(
    voucher: Voucher, declared_total: int | None, declared_words: str | None
) -> list[Problem]:
    """On import: the file's ``total`` and ``amount_in_words`` must match what they derive from."""
    declared: dict[str, int | str] = {}
    if declared_total is not None:
        declared["total"] = declared_total
    if declared_words is not None:
        declared["amount_in_words"] = declared_words
    return check_declared(voucher, declared)


def is_ready_to_sign(problems: Sequence[Problem]) -> bool:
    """A voucher may be signed only when nothing is wrong with it."""
    return not problems
