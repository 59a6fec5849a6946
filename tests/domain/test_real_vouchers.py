"""The forms as real vouchers fill them (DESIGN.md "Additions for the other forms"):
C2-02b/NS with its tax block, C4-02a/KB with its line table and cash, the Bảng kê (Mẫu 07),
cash recipients and their IDs, the January adjustment period."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from treasury_desktop.domain.canonical import canonical_bytes, voucher_bytes
from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.money import amount_in_words
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.validation import advise, check_declared, review, validate
from treasury_desktop.domain.voucher import (
    DocumentShapeError,
    Payee,
    PaymentKind,
    PaymentMethod,
    Voucher,
    declared_values,
    from_document,
    to_document,
)
from treasury_desktop.domain.voucher_parts import (
    DepositLine,
    IdKind,
    PreAdvance,
    Statement,
    StatementItem,
    StatementKind,
)

DATA = Path(__file__).parents[1] / "data"
TODAY = date(2026, 11, 22)
PAYROLL_TOTAL, PAYROLL_TAX = 91_785_500, 1_755_000


def codes(problems: list[Problem] | tuple[Problem, ...]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


@pytest.fixture
def payroll_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "payroll_c2_02b.json").read_text("utf-8"))
    return data


@pytest.fixture
def payroll(payroll_document: dict[str, Any]) -> Voucher:
    return from_document(payroll_document)


# --- C2-02b/NS --------------------------------------------------------------------------------


def test_a_payroll_voucher_derives_its_tax_and_payee_parts(payroll: Voucher) -> None:
    assert len(payroll.lines) == 6 and payroll.tax is not None
    assert payroll.total == PAYROLL_TOTAL
    assert payroll.tax_total == PAYROLL_TAX
    assert payroll.payee_total == PAYROLL_TOTAL - PAYROLL_TAX
    assert payroll.tax_in_words == "Một triệu bảy trăm năm mươi lăm nghìn đồng chẵn"
    assert payroll.payee_in_words == amount_in_words(PAYROLL_TOTAL - PAYROLL_TAX)
    doc = to_document(payroll)
    assert (doc["tax_total"], doc["payee_total"]) == (PAYROLL_TAX, PAYROLL_TOTAL - PAYROLL_TAX)
    assert doc["tax"]["ndkt"] == "1001" and doc["tax"]["chapter"] == "557"
    assert [line["tax_amount"] for line in doc["lines"]][:2] == [1_250_000, 0]
    assert from_document(doc) == payroll


def test_the_payroll_voucher_is_valid(payroll: Voucher, catalog_2026: BudgetCatalog) -> None:
    assert review(payroll, catalog_2026, today=TODAY).problems == ()


def test_the_signed_bytes_cover_the_tax_block(payroll: Voucher) -> None:
    assert payroll.tax is not None
    moved = payroll.with_changes(tax=replace(payroll.tax, period="03/2026"))
    shifted = payroll.with_changes(
        lines=(replace(payroll.lines[0], tax_amount=1_250_001), *payroll.lines[1:])
    )
    digests = {voucher_bytes(v) for v in (payroll, moved, shifted)}
    assert len(digests) == 3
    assert b'"tax_in_words"' in voucher_bytes(payroll)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"tax_code": "46001234"}, "tax.tax_code", "tax_code.format"),
        ({"tax_code": "4600123456-01"}, "tax.tax_code", "tax_code.format"),
        ({"tax_code": ""}, "tax.tax_code", "tax_code.missing"),
        ({"period": "2/2026"}, "tax.period", "tax_period.format"),
        ({"period": "13/2026"}, "tax.period", "tax_period.format"),
        ({"ndkt": "10011"}, "tax.ndkt", "ndkt.format"),
        ({"chapter": ""}, "tax.chapter", "chapter.missing"),
        ({"authority": " "}, "tax.authority", "tax_authority.missing"),
        ({"treasury": "11"}, "tax.treasury", "treasury.format"),
        ({"payer_name": ""}, "tax.payer_name", "tax_payer.missing"),
    ],
)
def test_a_tax_block_field_that_is_wrong(
    payroll: Voucher, catalog_2026: BudgetCatalog, change: dict[str, str], field: str, code: str
) -> None:
    assert payroll.tax is not None
    v = payroll.with_changes(tax=replace(payroll.tax, **change))
    assert codes(validate(v, catalog_2026, today=TODAY)) == [(field, code)]


@pytest.mark.parametrize("period", ["02/2026", "Q1/2026", "2026"])
def test_tax_periods_by_month_quarter_or_year(
    payroll: Voucher, catalog_2026: BudgetCatalog, period: str
) -> None:
    assert payroll.tax is not None
    v = payroll.with_changes(tax=replace(payroll.tax, period=period, tax_code="4600123456-001"))
    assert validate(v, catalog_2026, today=TODAY) == []


def test_a_tax_part_larger_than_its_line(payroll: Voucher, catalog_2026: BudgetCatalog) -> None:
    first = replace(payroll.lines[0], tax_amount=payroll.lines[0].amount + 1)
    v = payroll.with_changes(lines=(first, *payroll.lines[1:]))
    assert codes(validate(v, catalog_2026, today=TODAY)) == [
        ("lines[0].tax_amount", "tax_amount.too_large")
    ]


def test_a_payroll_without_its_tax_block_or_any_tax(
    payroll: Voucher, catalog_2026: BudgetCatalog
) -> None:
    assert codes(validate(payroll.with_changes(tax=None), catalog_2026, today=TODAY)) == [
        ("tax", "tax.missing")
    ]
    untaxed = tuple(replace(line, tax_amount=0) for line in payroll.lines)
    assert codes(validate(payroll.with_changes(lines=untaxed), catalog_2026, today=TODAY)) == [
        ("tax_total", "tax_total.zero")
    ]


def test_tax_belongs_to_c2_02b_only(payroll: Voucher, catalog_2026: BudgetCatalog) -> None:
    v = payroll.with_changes(form="C2-02a/NS")
    found = codes(validate(v, catalog_2026, today=TODAY))
    assert ("tax", "tax.not_allowed") in found
    assert ("lines[0].tax_amount", "tax.not_allowed") in found


def test_declared_parts_that_do_not_add_up(
    payroll: Voucher, payroll_document: dict[str, Any]
) -> None:
    doc = to_document(payroll)
    assert check_declared(payroll, declared_values(doc)) == []
    doc["payee_total"] += 1000
    found = codes(check_declared(payroll, declared_values(doc)))
    assert found == [("payee_total", "payee_total.mismatch"), ("payee_total", "split.mismatch")]
    doc = to_document(payroll)
    doc["tax_in_words"] = "Một triệu bảy trăm năm mươi nghìn đồng"
    assert codes(check_declared(payroll, declared_values(doc))) == [
        ("tax_in_words", "tax_in_words.mismatch")
    ]
    # A file without the derived values gets them from the lines.
    assert "tax_total" not in payroll_document
    assert check_declared(payroll, declared_values(payroll_document)) == []


# --- C4-02a/KB ------------------------------------------------------------------------------


def cash_order(design: Voucher) -> Voucher:
    """A school withdrawing cash to refund pupils' meal money (DOMAIN.md)."""
    return design.with_changes(
        form="C4-02a/KB",
        lines=(),
        method=PaymentMethod.CASH,
        unit=replace(design.unit, address="Xã Phú Lương, tỉnh Thái Nguyên",
                     account="3714.0.1171277.00000"),
        donor_code="",
        deposit_lines=(
            DepositLine("Hoàn trả tiền ăn bán trú học kỳ I", "00", 2026, 12_600_000),
            DepositLine("Hoàn trả tiền nước uống học kỳ I", "00", 2026, 1_450_000),
        ),
        payee=Payee(name="Lê Thị Hoa", id_kind=IdKind.CCCD, id_number="019187004321",
                    id_date="2022-03-15", id_place="Cục Cảnh sát QLHC về TTXH"),
    )


def test_a_cash_payment_order_with_lines(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = cash_order(design_voucher)
    assert validate(v, catalog_2026, today=TODAY) == []
    doc = to_document(v)
    assert doc["lines"][0] == {
        "content": "Hoàn trả tiền ăn bán trú học kỳ I", "source": "00", "budget_year": 2026,
        "amount": 12_600_000,
    }
    assert doc["total"] == 14_050_000 and doc["unit"]["address"].startswith("Xã Phú Lương")
    assert doc["payee"]["id_kind"] == "cccd" and "account" not in doc["payee"]
    assert from_document(doc) == v
    at_bank = v.with_changes(method=PaymentMethod.CASH_BANK)
    assert validate(at_bank, catalog_2026, today=TODAY) == []
    assert to_document(at_bank)["method"] == "cash_bank"


def test_payment_order_lines_that_are_wrong(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = cash_order(design_voucher)
    bad = (DepositLine("", "0", 0, 0), DepositLine("x", "13", 1999, 5))
    found = codes(validate(v.with_changes(deposit_lines=bad, amount=5), catalog_2026, today=TODAY))
    assert found == [
        ("amount", "amount.with_lines"),
        ("lines[0].content", "content.missing"),
        ("lines[0].source", "source.format"),
        ("lines[0].budget_year", "budget_year.missing"),
        ("lines[0].amount", "amount.not_positive"),
        ("lines[1].budget_year", "budget_year.invalid"),
    ]


def test_a_v1_payment_order_with_one_amount_stays_valid(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(
        form="C4-02a/KB", lines=(), content="Chuyển tiền điện", amount=1_234_000
    )
    assert validate(v, catalog_2026, today=TODAY) == []
    doc = to_document(v)
    assert "address" not in doc["unit"] and "donor_code" not in doc
    assert from_document(doc) == v


def test_a_payment_order_with_no_line_yet_says_so_once(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    empty = design_voucher.with_changes(form="C4-02a/KB", lines=())
    fields = [p.field for p in validate(empty, catalog_2026, today=TODAY)]
    assert "lines" in fields and "content" not in fields and "amount" not in fields
    budget = design_voucher.with_changes(form="C4-02a/KB")  # budget lines do not belong here
    codes = [p.code for p in validate(budget, catalog_2026, today=TODAY)]
    assert "lines.not_allowed" in codes and "lines.missing" not in codes


# --- the Bảng kê (Mẫu 07) -----------------------------------------------------------------------


def statement(*amounts: int) -> Statement:
    return Statement(
        StatementKind.DIRECT,
        tuple(
            StatementItem(f"HĐ {i}", "2026-10-31", "6501", f"Tiền điện kỳ {i}", 2, a // 2, a)
            for i, a in enumerate(amounts, start=1)
        ),
    )


def test_a_statement_that_sums_to_the_total(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(statement=statement(1_000_000, 234_000))
    assert review(v, catalog_2026, today=TODAY).problems == ()
    doc = to_document(v)
    assert doc["statement"]["kind"] == "direct"
    assert doc["statement"]["items"][1]["quantity"] == 2
    assert from_document(doc) == v
    assert voucher_bytes(v) != voucher_bytes(design_voucher)  # covered by the signatures


def test_a_statement_whose_total_disagrees_is_refused(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(statement=statement(1_000_000, 200_000))
    [problem] = validate(v, catalog_2026, today=TODAY)
    assert (problem.field, problem.code) == ("statement", "statement.total_mismatch")
    assert "1.200.000" in problem.message("vi") and "1.234.000" in problem.message("vi")


def test_statement_rows_without_quantity_and_a_product_that_differs(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    items = (
        StatementItem("", "", "6501", "Tiền điện", None, None, 1_000_000),
        StatementItem("12", "2026-10-05", "6501", "Tiền điện", 3, 70_000, 234_000),
    )
    v = design_voucher.with_changes(statement=Statement(StatementKind.ADVANCE, items))
    found = review(v, catalog_2026, today=TODAY)
    assert found.problems == ()
    assert codes(found.warnings) == [
        ("statement.items[1].amount", "statement.item_product"),
        ("statement.kind", "statement.kind_mismatch"),
    ]
    assert "quantity" not in to_document(v)["statement"]["items"][0]


def test_a_statement_on_a_form_without_one(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(form="C2-05a/NS", payee=Payee(), statement=statement(1_234_000))
    assert codes(validate(v, catalog_2026, today=TODAY)) == [
        ("statement", "statement.not_allowed")
    ]


# --- cash recipients ---------------------------------------------------------------------------


def recipient(**kw: Any) -> Payee:
    base = Payee(name="John Smith", id_number="019087001234", id_date="2021-05-10",
                 id_place="Cục Cảnh sát QLHC về TTXH")
    return replace(base, **kw)


@pytest.mark.parametrize(
    ("payee", "expected"),
    [
        (recipient(), []),
        (recipient(id_kind=IdKind.PASSPORT, id_number="C1234567"), []),
        (recipient(id_kind=IdKind.PASSPORT, id_number="C 12"),
         [("payee.id_number", "id_number.passport_format")]),
        (recipient(id_kind=IdKind.OTHER, id_kind_name="Giấy chứng nhận căn cước",
                   id_number="GCN-0001234"), []),
        (recipient(id_kind=IdKind.OTHER, id_number="0001234"),
         [("payee.id_kind_name", "id_kind_name.missing")]),
        (recipient(id_kind_name="Thẻ nhà báo"),
         [("payee.id_kind_name", "id_kind_name.not_allowed")]),
        (recipient(id_number="019087001"), [("payee.id_number", "id_number.cmnd_expired")]),
    ],
    ids=["cccd", "passport", "passport-bad", "other", "other-unnamed", "name-not-other", "cmnd"],
)
def test_cash_recipients_and_their_ids(
    design_voucher: Voucher, catalog_2026: BudgetCatalog, payee: Payee, expected: list[Any]
) -> None:
    v = design_voucher.with_changes(method=PaymentMethod.CASH, payee=payee)
    assert codes(validate(v, catalog_2026, today=TODAY)) == expected


def test_the_cmnd_message_says_why(design_voucher: Voucher, catalog_2026: BudgetCatalog) -> None:
    v = design_voucher.with_changes(
        method=PaymentMethod.CASH_BANK, payee=recipient(id_number="019087001")
    )
    [problem] = validate(v, catalog_2026, today=TODAY)
    assert "31/12/2024" in problem.message("vi") and "20/11/2026" in problem.message("vi")
    assert "CCCD" in problem.message("en")


def test_a_payee_with_an_unknown_id_kind_is_a_shape_error(
    design_document: dict[str, Any]
) -> None:
    design_document["payee"]["id_kind"] = "cmnd"
    with pytest.raises(DocumentShapeError) as caught:
        from_document(design_document)
    assert codes(caught.value.problems) == [("payee.id_kind", "shape.choice")]


# --- dates: the January adjustment period -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2025-01-01", True), ("2026-01-15", True), ("2026-01-31", True), ("2026-02-01", False),
     ("2024-12-31", False)],
)
def test_a_2025_voucher_may_be_dated_until_31_january_2026(
    design_voucher: Voucher, catalog_2025: BudgetCatalog, day: str, ok: bool
) -> None:
    v = design_voucher.with_changes(fiscal_year=2025, date=day)
    found = codes(validate(v, catalog_2025, today=TODAY))
    assert found == ([] if ok else [("date", "date.outside_period")])


def test_the_period_message_names_its_bounds(
    design_voucher: Voucher, catalog_2025: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(fiscal_year=2025, date="2026-02-01")
    [problem] = validate(v, catalog_2025, today=TODAY)
    vi = problem.message("vi")
    assert "01/02/2026" in vi and "01/01/2025" in vi and "31/01/2026" in vi


def test_a_future_date_is_a_warning(design_voucher: Voucher, catalog_2026: BudgetCatalog) -> None:
    v = design_voucher.with_changes(date="2026-12-01")
    assert validate(v, catalog_2026, today=TODAY) == []
    [warning] = advise(v, catalog_2026, today=TODAY)
    assert (warning.field, warning.code, warning.is_warning) == ("date", "date.future", True)


# --- other fields ---------------------------------------------------------------------------------


def test_programme_name_contract_pre_advance_and_advance_reference(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(
        form="C3-01/NS", commitment_number="12/2026/HĐXD", program_name="Nhà lớp học 2 tầng",
        commitment_contract="CKC 0451", pre_advance=PreAdvance.ELIGIBLE,
        payment_kind=PaymentKind.ADVANCE,
    )
    assert validate(v, catalog_2026, today=TODAY) == []
    doc = to_document(v)
    assert doc["pre_advance"] == "eligible" and doc["commitment_contract"] == "CKC 0451"
    assert from_document(doc) == v
    elsewhere = v.with_changes(form="C2-02a/NS")
    assert codes(validate(elsewhere, catalog_2026, today=TODAY)) == [
        ("pre_advance", "pre_advance.not_allowed")
    ]
    settle = design_voucher.with_changes(form="C2-03/NS", payee=Payee())
    assert codes(advise(settle, catalog_2026, today=TODAY)) == [
        ("advance_reference", "advance_reference.missing")
    ]
    settled = settle.with_changes(advance_reference="Giấy rút dự toán số 95 ngày 02/10/2026")
    assert advise(settled, catalog_2026, today=TODAY) == []


def test_a_v1_document_keeps_its_exact_bytes(design_document: dict[str, Any]) -> None:
    v = from_document(design_document)
    assert voucher_bytes(v) == canonical_bytes(design_document)
    for key in ("tax", "statement", "tax_total", "donor_code", "pre_advance", "program_name"):
        assert key not in to_document(v)


# --- amount in words, as real files spell it ---------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "Một triệu hai trăm ba mươi tư nghìn đồng chẵn./.",
        "Một triệu hai trăm ba mươi bốn ngàn đồng",
        "một triệu, hai trăm ba mươi tư nghìn đồng Việt Nam",
        "Một triệu hai trăm ba mươi tư nghìn đồng chẵn".replace("ư", "u\u031b"),
    ],
)
def test_import_accepts_real_spellings_of_the_same_amount(
    design_voucher: Voucher, words: str
) -> None:
    assert check_declared(design_voucher, {"amount_in_words": words}) == []


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_205_000, "Một triệu hai trăm lẻ năm nghìn đồng chẵn./."),
        (2_000_081_000, "Hai tỉ không trăm tám mươi một nghìn đồng"),
        (2_000_081_000, "Hai tỷ không trăm tám mươi mốt ngàn đồng"),
    ],
)
def test_lẻ_tỉ_ngàn_and_một(design_voucher: Voucher, amount: int, words: str) -> None:
    v = design_voucher.with_changes(lines=(replace(design_voucher.lines[0], amount=amount),))
    assert check_declared(v, {"amount_in_words": words}) == []


@pytest.mark.parametrize(
    "words",
    ["Một triệu hai trăm ba mươi lăm nghìn đồng", "Mười hai triệu đồng", "Một triệu đồng lẻ tư",
     "không đồng"],
)
def test_import_refuses_words_of_another_amount(design_voucher: Voucher, words: str) -> None:
    assert codes(check_declared(design_voucher, {"amount_in_words": words})) == [
        ("amount_in_words", "amount_in_words.mismatch")
    ]
