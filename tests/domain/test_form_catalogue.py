"""The form catalogue: data in resources/forms/forms.json, read into FormSpec."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from treasury_desktop.domain.forms import (
    OPTIONAL_HEADER_FIELDS,
    all_forms,
    find_form,
    form_spec,
    load_forms,
)
from treasury_desktop.domain.voucher import (
    BudgetLine,
    Payee,
    PaymentKind,
    PaymentMethod,
    Unit,
    Voucher,
)
from treasury_desktop.domain.voucher_parts import DepositLine, TaxPayment
from treasury_desktop.paths import resources_dir

CODES = [
    "C2-02a/NS", "C2-02b/NS", "C4-02a/KB", "C2-03/NS", "C2-05a/NS", "C2-12/NS", "C3-01/NS",
]


def _model_paths() -> set[str]:
    """Every field path a voucher has, so the form data cannot name a field that does not exist."""
    nested: dict[str, type] = {"unit": Unit, "payee": Payee, "tax": TaxPayment}
    paths = {"lines"}
    for f in dataclasses.fields(Voucher):
        if f.name in nested:
            paths |= {f"{f.name}.{g.name}" for g in dataclasses.fields(nested[f.name])}
        elif f.name not in ("lines", "deposit_lines"):
            paths.add(f.name)
    for line in (BudgetLine, DepositLine):
        paths |= {f"lines.{g.name}" for g in dataclasses.fields(line)}
    return paths


def test_all_forms_are_known() -> None:
    assert [f.code for f in all_forms()] == CODES
    assert form_spec("C2-02a/NS").name("vi") == "Giấy rút dự toán ngân sách nhà nước"
    assert form_spec("C4-02a/KB").name("en") == "Payment order"


def test_unknown_form() -> None:
    assert find_form("C9-99/XX") is None
    with pytest.raises(KeyError):
        form_spec("C9-99/XX")


def test_budget_estimate_withdrawal() -> None:
    spec = form_spec("C2-02a/NS")
    assert spec.has_budget_lines and spec.has_payee
    assert set(spec.payment_kinds) == set(PaymentKind)
    assert set(spec.methods) == set(PaymentMethod)
    # Real vouchers leave the programme code blank when there is none.
    assert not spec.requires("program_code") and not spec.requires("commitment_number")
    assert form_spec("C3-01/NS").requires("program_code")
    assert spec.has("statement") and not spec.has("tax")


def test_payment_order_has_no_budget_lines() -> None:
    spec = form_spec("C4-02a/KB")
    assert not spec.has_budget_lines
    assert set(spec.methods) == set(PaymentMethod)
    assert spec.line_fields == ("content", "source", "budget_year", "amount")
    assert spec.label("unit.account", "vi") == "Tài khoản tiền gửi"
    assert "unit.address" in spec.field_order and "donor_code" in spec.field_order


def test_withdrawal_with_tax() -> None:
    spec = form_spec("C2-02b/NS")
    assert spec.has("tax") and spec.has_budget_lines and spec.has_payee
    assert spec.line_fields[-2:] == ("amount", "tax_amount")
    tax_fields = [f for f in spec.field_order if f.startswith("tax.")]
    assert tax_fields[:2] == ["tax.payer_name", "tax.tax_code"]
    assert spec.field_order.index("lines") < spec.field_order.index("tax.payer_name")
    assert spec.field_order.index("tax.treasury") < spec.field_order.index("payee.name")


def test_cash_recipient_is_labelled_as_a_person() -> None:
    spec = form_spec("C2-02a/NS")
    assert spec.label("payee.name", "vi", PaymentMethod.CASH) == "Người nhận tiền"
    assert spec.label("payee.name", "vi", PaymentMethod.CASH_BANK) == "Người nhận tiền"
    assert spec.label("payee.name", "vi", PaymentMethod.TRANSFER) == "Đơn vị nhận tiền"
    cash = spec.fields_for(PaymentMethod.CASH_BANK)
    assert "payee.id_kind" in cash and "payee.account" not in cash


def test_editor_order_follows_the_printed_c2_02a() -> None:
    order = form_spec("C2-02a/NS").field_order
    printed = [
        "number",
        "payment_kind",
        "method",
        "unit.name",
        "unit.code",
        "unit.account",
        "unit.treasury",
        "budget_level",
        "program_code",
        "commitment_number",
        "lines",
        "payee.name",
        "payee.address",
        "payee.account",
        "payee.bank",
        "date",
    ]
    assert [f for f in order if f in printed] == printed
    assert form_spec("C2-02a/NS").line_fields == (
        "content",
        "ndkt",
        "chapter",
        "industry",
        "source",
        "amount",
    )


def test_payee_fields_follow_the_method() -> None:
    spec = form_spec("C2-02a/NS")
    cash = spec.fields_for(PaymentMethod.CASH)
    transfer = spec.fields_for(PaymentMethod.TRANSFER)
    assert {"payee.id_number", "payee.id_date", "payee.id_place"} <= set(cash)
    assert not {"payee.account", "payee.bank"} & set(cash)
    assert {"payee.account", "payee.bank"} <= set(transfer)
    assert not {"payee.id_number"} & set(transfer)
    assert cash.index("unit.code") < cash.index("lines") < cash.index("payee.id_number")


@pytest.mark.parametrize("code", CODES)
def test_forms_only_name_real_fields_and_label_them(code: str) -> None:
    spec = form_spec(code)
    model = _model_paths()
    assert set(spec.field_order) <= model, set(spec.field_order) - model
    assert spec.required <= OPTIONAL_HEADER_FIELDS
    assert spec.payment_kinds and spec.methods
    for path in [*spec.field_order, *(f"lines[0].{f}" for f in spec.line_fields)]:
        for lang in ("vi", "en"):
            assert spec.label(path, lang) != path, (code, path, lang)


def test_label_of_a_line_cell() -> None:
    spec = form_spec("C2-02a/NS")
    assert spec.label("lines[3].ndkt", "vi") == "Mã NDKT"
    assert spec.label("no.such.field", "vi") == "no.such.field"


def test_malformed_form_file(tmp_path: Path) -> None:
    data = json.loads((resources_dir() / "forms" / "forms.json").read_text("utf-8"))
    data["forms"][0]["required"] = ["colour"]
    bad = tmp_path / "forms.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="colour"):
        load_forms(bad)
    data["forms"][0]["required"] = []
    data["forms"][0]["fields"].append("payee.colour")
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="without a label"):
        load_forms(bad)
