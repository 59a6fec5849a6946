"""Validation: one problem per thing wrong, tied to the right field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.validation import (
    advise,
    is_ready_to_sign,
    validate,
    validate_declared,
)
from treasury_desktop.domain.voucher import (
    BudgetLine,
    Payee,
    PaymentKind,
    PaymentMethod,
    Voucher,
    declared_derivations,
)

Edit = Callable[[Voucher], Voucher]
TODAY = date(2026, 11, 22)
CASH_PAYEE = Payee(
    name="Nguyễn Văn An",
    id_number="019087001234",
    id_date="2021-05-10",
    id_place="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
)


def unit(**kw: str) -> Edit:
    return lambda v: v.with_changes(unit=replace(v.unit, **kw))


def payee(**kw: str) -> Edit:
    return lambda v: v.with_changes(payee=replace(v.payee, **kw))


def line(**kw: Any) -> Edit:
    return lambda v: v.with_changes(lines=(replace(v.lines[0], **kw),))


def top(**kw: Any) -> Edit:
    return lambda v: v.with_changes(**kw)


def cash(**kw: str) -> Edit:
    return lambda v: v.with_changes(method=PaymentMethod.CASH, payee=replace(CASH_PAYEE, **kw))


def payment_order(v: Voucher) -> Voucher:
    """The fixture as a C4-02a/KB: no lines, one content and amount."""
    return v.with_changes(
        form="C4-02a/KB", lines=(), content="Chuyển tiền điện tháng 10/2026", amount=1_234_000
    )


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_the_design_example_is_valid(design_voucher: Voucher, catalog_2026: BudgetCatalog) -> None:
    problems = validate(design_voucher, catalog_2026, today=TODAY)
    assert problems == []
    assert is_ready_to_sign(problems)


@pytest.mark.parametrize(
    "edit",
    [
        cash(),
        payment_order,
        top(form="C2-03/NS", payee=Payee()),
        top(form="C2-12/NS", commitment_number="HĐ 15/2026"),
        top(budget_level="2"),
        top(form="C3-01/NS", commitment_number="12/2026/HĐXD", payment_kind=PaymentKind.ADVANCE),
        line(ndkt="6551", chapter="805", industry="341", source="12", amount=MAX_AMOUNT),
    ],
    ids=["cash", "C4-02a", "C2-03", "C2-12", "level", "C3-01", "other-codes"],
)
def test_other_valid_vouchers(
    design_voucher: Voucher, catalog_2026: BudgetCatalog, edit: Edit
) -> None:
    assert validate(edit(design_voucher), catalog_2026, today=TODAY) == []


def test_a_2025_voucher_with_a_district_chapter(
    design_voucher: Voucher, catalog_2025: BudgetCatalog, catalog_2026: BudgetCatalog
) -> None:
    v = design_voucher.with_changes(fiscal_year=2025, date="2025-06-30", budget_level="3")
    v = line(chapter="622")(v)
    assert validate(v, catalog_2025, today=TODAY) == []
    v26 = v.with_changes(fiscal_year=2026, date="2026-06-30")
    # Well formed but not in the 2026 list: warnings, never a block (the treasury decides).
    assert validate(v26, catalog_2026, today=TODAY) == []
    assert codes(advise(v26, catalog_2026, today=TODAY)) == [
        ("budget_level", "level.unknown"),
        ("lines[0].chapter", "chapter.unknown"),
    ]


CASES: list[tuple[str, Edit, str, str]] = [
    ("form", top(form="C9-99/XX"), "form", "form.unknown"),
    ("year", top(fiscal_year=2031, date="2031-01-05"), "fiscal_year", "fiscal_year.no_catalog"),
    ("number", top(number=""), "number", "number.missing"),
    ("date missing", top(date=""), "date", "date.missing"),
    ("date 30 Feb", top(date="2026-02-30"), "date", "date.invalid"),
    ("date d/m/y", top(date="20/11/2026"), "date", "date.invalid"),
    ("date short", top(date="2026-1-5"), "date", "date.invalid"),
    ("date before year", top(date="2025-12-31"), "date", "date.outside_period"),
    ("date after adjustment", top(date="2027-02-01"), "date", "date.outside_period"),
    ("unit code", unit(code=""), "unit.code", "unit_code.missing"),
    ("unit code 6", unit(code="117127"), "unit.code", "unit_code.format"),
    ("unit code 8", unit(code="11712770"), "unit.code", "unit_code.format"),
    ("unit code letter", unit(code="117127A"), "unit.code", "unit_code.format"),
    ("unit name", unit(name=" "), "unit.name", "unit_name.missing"),
    ("unit account", unit(account=""), "unit.account", "account.missing"),
    ("unit account slash", unit(account="9523/2/1171277"), "unit.account", "account.format"),
    ("unit account short", unit(account="12.345"), "unit.account", "account.format"),
    ("unit account dots", unit(account="9523..2"), "unit.account", "account.format"),
    ("treasury", unit(treasury=""), "unit.treasury", "treasury.missing"),
    ("treasury 3", unit(treasury="011"), "unit.treasury", "treasury.format"),
    (
        "program",
        top(form="C3-01/NS", commitment_number="1", program_code=""),
        "program_code",
        "program.missing",
    ),
    ("program letter", top(program_code="0000A"), "program_code", "program.format"),
    ("level format", top(budget_level="12"), "budget_level", "level.format"),
    ("commitment", top(form="C2-12/NS"), "commitment_number", "commitment_number.missing"),
    (
        "kind",
        top(form="C2-12/NS", commitment_number="1", payment_kind=PaymentKind.ADVANCE),
        "payment_kind",
        "payment_kind.not_allowed",
    ),
    ("no lines", top(lines=()), "lines", "lines.missing"),
    ("line content", line(content=""), "lines[0].content", "content.missing"),
    ("ndkt", line(ndkt=""), "lines[0].ndkt", "ndkt.missing"),
    ("ndkt 3", line(ndkt="650"), "lines[0].ndkt", "ndkt.format"),
    ("ndkt heading", line(ndkt="6500"), "lines[0].ndkt", "ndkt.heading"),
    ("chapter", line(chapter=""), "lines[0].chapter", "chapter.missing"),
    ("chapter 2", line(chapter="42"), "lines[0].chapter", "chapter.format"),
    ("industry", line(industry=""), "lines[0].industry", "industry.missing"),
    ("industry 4", line(industry="072x"), "lines[0].industry", "industry.format"),
    ("source", line(source=""), "lines[0].source", "source.missing"),
    ("source 1", line(source="1"), "lines[0].source", "source.format"),
    ("amount 0", line(amount=0), "lines[0].amount", "amount.not_positive"),
    ("amount negative", line(amount=-5), "lines[0].amount", "amount.not_positive"),
    ("amount huge", line(amount=MAX_AMOUNT + 1), "lines[0].amount", "amount.too_large"),
    ("payee name", payee(name=""), "payee.name", "payee_name.missing"),
    ("payee account", payee(account=""), "payee.account", "account.missing"),
    ("payee account letters", payee(account="abc123456"), "payee.account", "account.format"),
    ("payee account long", payee(account="1" * 26), "payee.account", "account.format"),
    ("payee bank", payee(bank=""), "payee.bank", "payee_bank.missing"),
    ("id number", cash(id_number=""), "payee.id_number", "id_number.missing"),
    ("id number 10", cash(id_number="0190870012"), "payee.id_number", "id_number.format"),
    ("id number letters", cash(id_number="01908700123A"), "payee.id_number", "id_number.format"),
    ("id date", cash(id_date=""), "payee.id_date", "id_date.missing"),
    ("id date invalid", cash(id_date="2021-13-01"), "payee.id_date", "date.invalid"),
    ("id date future", cash(id_date="2026-11-23"), "payee.id_date", "id_date.future"),
    ("id date old", cash(id_date="1949-12-31"), "payee.id_date", "id_date.too_old"),
    ("id place", cash(id_place=""), "payee.id_place", "id_place.missing"),
    (
        "C4 lines",
        lambda v: payment_order(v).with_changes(lines=v.lines),
        "lines",
        "lines.not_allowed",
    ),
    (
        "C4 content",
        lambda v: payment_order(v).with_changes(content=""),
        "content",
        "content.missing",
    ),
    (
        "C4 amount",
        lambda v: payment_order(v).with_changes(amount=0),
        "amount",
        "amount.not_positive",
    ),
    (
        "C4 advance",
        lambda v: payment_order(v).with_changes(payment_kind=PaymentKind.ADVANCE),
        "payment_kind",
        "payment_kind.not_allowed",
    ),
]


@pytest.mark.parametrize(
    ("edit", "field", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_one_problem_on_the_right_field(
    design_voucher: Voucher, catalog_2026: BudgetCatalog, edit: Edit, field: str, code: str
) -> None:
    problems = validate(edit(design_voucher), catalog_2026, today=TODAY)
    assert codes(problems) == [(field, code)]
    assert not is_ready_to_sign(problems)
    for lang in ("vi", "en"):
        assert problems[0].message(lang)  # every placeholder is filled


UNKNOWN: list[tuple[str, Edit, str, str]] = [
    ("treasury", unit(treasury="9999"), "unit.treasury", "treasury.unknown"),
    ("program", top(program_code="99999"), "program_code", "program.unknown"),
    ("level", top(budget_level="7"), "budget_level", "level.unknown"),
    ("ndkt", line(ndkt="6998"), "lines[0].ndkt", "ndkt.unknown"),
    ("chapter", line(chapter="999"), "lines[0].chapter", "chapter.unknown"),
    ("chapter district", line(chapter="622"), "lines[0].chapter", "chapter.unknown"),
    ("industry", line(industry="079"), "lines[0].industry", "industry.unknown"),
    ("source", line(source="99"), "lines[0].source", "source.unknown"),
]


@pytest.mark.parametrize(
    ("edit", "field", "code"), [c[1:] for c in UNKNOWN], ids=[c[0] for c in UNKNOWN]
)
def test_a_well_formed_unknown_code_only_warns(
    design_voucher: Voucher, catalog_2026: BudgetCatalog, edit: Edit, field: str, code: str
) -> None:
    v = edit(design_voucher)
    assert validate(v, catalog_2026, today=TODAY) == []
    [warning] = advise(v, catalog_2026, today=TODAY)
    assert (warning.field, warning.code, warning.is_warning) == (field, code, True)
    assert catalog_2026.version in warning.message("vi")


def test_the_unknown_ndkt_message_names_the_list_and_who_decides(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    [warning] = advise(line(ndkt="6998")(design_voucher), catalog_2026, today=TODAY)
    vi, en = warning.message("vi"), warning.message("en")
    assert "Mã NDKT 6998" in vi and "năm 2026" in vi and "Kho bạc sẽ quyết định" in vi
    assert f"version {catalog_2026.version}" in en and "the treasury decides" in en


def test_cash_on_a_transfer_only_form(design_voucher: Voucher, catalog_2026: BudgetCatalog) -> None:
    v = design_voucher.with_changes(
        form="C2-12/NS", commitment_number="HĐ 15/2026", method=PaymentMethod.CASH,
        payee=CASH_PAYEE,
    )
    assert codes(validate(v, catalog_2026, today=TODAY)) == [("method", "method.not_allowed")]


def test_the_problem_of_a_later_line_names_that_line(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    second = BudgetLine("Tiền nước tháng 10/2026", "6502", "422", "072", "13", 0)
    v = design_voucher.with_changes(
        lines=(*design_voucher.lines, second, replace(second, ndkt="1"))
    )
    assert codes(validate(v, catalog_2026, today=TODAY)) == [
        ("lines[1].amount", "amount.not_positive"),
        ("lines[2].ndkt", "ndkt.format"),
        ("lines[2].amount", "amount.not_positive"),
    ]


def test_a_total_beyond_the_maximum(design_voucher: Voucher, catalog_2026: BudgetCatalog) -> None:
    big = replace(design_voucher.lines[0], amount=MAX_AMOUNT)
    v = design_voucher.with_changes(lines=(big, big))
    assert codes(validate(v, catalog_2026, today=TODAY)) == [("total", "total.too_large")]


def test_an_empty_draft_lists_everything_once(catalog_2026: BudgetCatalog) -> None:
    problems = validate(Voucher(id="x"), catalog_2026, today=TODAY)
    fields = [p.field for p in problems]
    assert len(fields) == len(set(fields))
    assert {
        "number",
        "date",
        "unit.code",
        "unit.treasury",
        "lines",
        "payee.name",
        "payee.account",
        "payee.bank",
    } <= set(fields)


def test_today_defaults_to_the_real_date(
    design_voucher: Voucher, catalog_2026: BudgetCatalog
) -> None:
    v = cash(id_date="2999-01-01")(design_voucher)
    assert codes(validate(v, catalog_2026)) == [("payee.id_date", "id_date.future")]


# --- declared total and words, on import ----------------------------------------------------


def test_declared_values_of_the_design_example(
    design_voucher: Voucher, design_document: dict[str, Any]
) -> None:
    total, words = declared_derivations(design_document)
    assert validate_declared(design_voucher, total, words) == []
    assert validate_declared(design_voucher, None, None) == []
    # Case, spacing and the custom "chẵn" do not matter.
    words = "một  triệu hai trăm ba mươi tư nghìn đồng"
    assert validate_declared(design_voucher, 1_234_000, words) == []


@pytest.mark.parametrize(
    ("total", "words", "expected"),
    [
        (1_234_001, None, [("total", "total.mismatch")]),
        (
            None,
            "Một triệu hai trăm ba mươi lăm nghìn đồng",
            [("amount_in_words", "amount_in_words.mismatch")],
        ),
        (
            1,
            amount_in_words(1),
            [("total", "total.mismatch"), ("amount_in_words", "amount_in_words.mismatch")],
        ),
    ],
)
def test_declared_values_that_disagree(
    design_voucher: Voucher, total: int | None, words: str | None, expected: list[tuple[str, str]]
) -> None:
    problems = validate_declared(design_voucher, total, words)
    assert codes(problems) == expected
    for p in problems:
        assert p.message("vi") and p.message("en")
