"""Checks for the parts only some forms have, and for dates and cash recipients.

Called by :func:`treasury_desktop.domain.validation.review` with its checker; each check adds
errors (blocking) or warnings (shown beside the field, never blocking).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.domain.forms import FormSpec
from treasury_desktop.domain.money import MAX_AMOUNT, format_vnd
from treasury_desktop.domain.voucher_parts import IdKind, StatementItem, StatementKind

if TYPE_CHECKING:
    from treasury_desktop.domain.validation import Checker

CMND_LAST_VALID_DAY = date(2024, 12, 31)
"""The 9-digit CMND stopped being an identity document after 2024 (Luật Căn cước 2023, art. 46)."""
EARLIEST_ID_DATE = date(1950, 1, 1)
ADJUSTMENT_LAST_DAY = (1, 31)  # a voucher of fiscal year N may be dated until 31 January N+1

_CCCD = re.compile(r"^\d{12}$")
_CMND = re.compile(r"^\d{9}$")
_PASSPORT = re.compile(r"^[A-Za-z0-9]{6,12}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")  # mã số thuế
_TAX_PERIOD = re.compile(r"^(?:(0[1-9]|1[0-2])/\d{4}|Q[1-4]/\d{4}|\d{4})$")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def voucher_date(c: Checker, day: date) -> None:
    """Fiscal year N: from 1 January N to the end of the adjustment period, 31 January N+1.
    A date after today is only a warning (a voucher prepared ahead)."""
    year = c.v.fiscal_year
    first = date(year, 1, 1) if 1 <= year < 9999 else None
    last = date(year + 1, *ADJUSTMENT_LAST_DAY) if first else None
    if first is None or last is None or not first <= day <= last:
        c.add(
            "date", "date.outside_period", value=_dmy(day), year=year,
            first=_dmy(first) if first else "", last=_dmy(last) if last else "",
        )
    elif day > c.today:
        c.warn("date", "date.future", value=_dmy(day))


def form_choices(c: Checker, spec: FormSpec | None) -> None:
    """Choices that belong to one form: ứng trước (C3-01/NS), the advance settled (C2-03/NS)."""
    v = c.v
    if v.pre_advance is not None and spec is not None and not spec.has("pre_advance"):
        c.add("pre_advance", "pre_advance.not_allowed", form=v.form)
    if spec is not None and spec.has("advance_reference") and not v.advance_reference:
        c.warn("advance_reference", "advance_reference.missing")


def cash_recipient(c: Checker) -> None:
    """Người nhận tiền: CCCD (12 digits; a 9-digit CMND only until its validity ended),
    a passport, or another document with its kind named; date and place of issue."""
    payee = c.v.payee
    kind = payee.id_kind or IdKind.CCCD
    number = payee.id_number
    if payee.id_kind_name and kind is not IdKind.OTHER:
        c.add("payee.id_kind_name", "id_kind_name.not_allowed")
    if kind is IdKind.OTHER and not payee.id_kind_name:
        c.add("payee.id_kind_name", "id_kind_name.missing")
    if not number:
        c.add("payee.id_number", "id_number.missing")
    elif kind is IdKind.CCCD and _CMND.match(number):
        on = c.voucher_day or c.today
        if on > CMND_LAST_VALID_DAY:
            c.add("payee.id_number", "id_number.cmnd_expired", value=number,
                  last=_dmy(CMND_LAST_VALID_DAY), on=_dmy(on))
    elif kind is IdKind.CCCD and not _CCCD.match(number):
        c.add("payee.id_number", "id_number.format", value=number)
    elif kind is IdKind.PASSPORT and not _PASSPORT.match(number):
        c.add("payee.id_number", "id_number.passport_format", value=number)
    issued = c.iso_date("payee.id_date", payee.id_date, "id_date.missing")
    if issued is not None and issued > c.today:
        c.add("payee.id_date", "id_date.future", value=payee.id_date)
    elif issued is not None and issued < EARLIEST_ID_DATE:
        c.add("payee.id_date", "id_date.too_old", value=payee.id_date)
    c.text("payee.id_place", payee.id_place, "id_place.missing")


def deposit_lines(c: Checker) -> None:
    """The line table of a C4-02a/KB: content, nguồn, niên độ NS, amount."""
    v = c.v
    if v.content or v.amount:
        c.add("amount", "amount.with_lines")
    for i, line in enumerate(v.deposit_lines):
        at = f"lines[{i}]"
        c.text(f"{at}.content", line.content, "content.missing")
        if line.source != "00":  # nguồn 00: money of the deposit account itself
            c.code(f"{at}.source", line.source, CatalogKind.SOURCE)
        if not line.budget_year:
            c.add(f"{at}.budget_year", "budget_year.missing")
        elif not 2000 <= line.budget_year <= 2100:
            c.add(f"{at}.budget_year", "budget_year.invalid", value=line.budget_year)
        c.amount(f"{at}.amount", line.amount)
    if all(0 < line.amount <= MAX_AMOUNT for line in v.deposit_lines) and v.total > MAX_AMOUNT:
        c.add("total", "total.too_large", max=format_vnd(MAX_AMOUNT))


def tax(c: Checker, spec: FormSpec | None) -> None:
    """The C2-02b/NS split: each line's tax part within its amount; the NỘP THUẾ block."""
    v = c.v
    allowed = spec is None or spec.has("tax")
    for i, line in enumerate(v.lines):
        at = f"lines[{i}].tax_amount"
        if line.tax_amount is None:
            continue
        if not allowed:
            c.add(at, "tax.not_allowed", form=v.form)
        elif line.tax_amount < 0:
            c.add(at, "tax_amount.negative")
        elif line.tax_amount > line.amount:
            c.add(at, "tax_amount.too_large", tax=format_vnd(line.tax_amount),
                  amount=format_vnd(line.amount))
    if not allowed:
        if v.tax is not None:
            c.add("tax", "tax.not_allowed", form=v.form)
        return
    if spec is None:
        return
    if v.tax is None:
        c.add("tax", "tax.missing")
        return
    if v.tax_total <= 0:
        c.add("tax_total", "tax_total.zero")
    t = v.tax
    c.text("tax.payer_name", t.payer_name, "tax_payer.missing")
    if not t.tax_code:
        c.add("tax.tax_code", "tax_code.missing")
    elif not _TAX_CODE.match(t.tax_code):
        c.add("tax.tax_code", "tax_code.format", value=t.tax_code)
    c.code("tax.ndkt", t.ndkt, CatalogKind.NDKT)
    c.code("tax.chapter", t.chapter, CatalogKind.CHAPTER)
    c.text("tax.authority", t.authority, "tax_authority.missing")
    if not t.period:
        c.add("tax.period", "tax_period.missing")
    elif not _TAX_PERIOD.match(t.period):
        c.add("tax.period", "tax_period.format", value=t.period)
    c.code("tax.treasury", t.treasury, CatalogKind.TREASURY)


_KIND_FOR_PAYMENT = {"actual": StatementKind.DIRECT, "advance": StatementKind.ADVANCE}


def statement(c: Checker, spec: FormSpec | None) -> None:
    """Bảng kê (Mẫu 07): its rows, and their sum equal to the voucher's total."""
    st = c.v.statement
    if st is None:
        return
    if spec is not None and not spec.has("statement"):
        c.add("statement", "statement.not_allowed", form=c.v.form)
        return
    if not st.items:
        c.add("statement.items", "statement.items_missing")
        return
    for i, item in enumerate(st.items):
        _statement_item(c, f"statement.items[{i}]", item)
    if st.total != c.v.total:
        c.add("statement", "statement.total_mismatch", statement=format_vnd(st.total),
              total=format_vnd(c.v.total))
    expected = _KIND_FOR_PAYMENT.get(c.v.payment_kind.value)
    if st.kind is not StatementKind.ADVANCE_RECOVERY and expected and st.kind is not expected:
        c.warn("statement.kind", "statement.kind_mismatch")


def _statement_item(c: Checker, at: str, item: StatementItem) -> None:
    c.text(f"{at}.content", item.content, "content.missing")
    c.code(f"{at}.ndkt", item.ndkt, CatalogKind.NDKT)
    if item.document_date:
        c.iso_date(f"{at}.document_date", item.document_date, "date.missing")
    if item.quantity is not None and item.quantity < 0:
        c.add(f"{at}.quantity", "quantity.negative")
    if item.unit_price is not None and item.unit_price < 0:
        c.add(f"{at}.unit_price", "unit_price.negative")
    c.amount(f"{at}.amount", item.amount)
    if item.quantity is not None and item.unit_price is not None and item.amount > 0:
        product = item.quantity * item.unit_price
        if abs(product - item.amount) >= 1:
            c.warn(f"{at}.amount", "statement.item_product",
                   product=format_vnd(round(product)), amount=format_vnd(item.amount))
