"""The voucher document: derived fields, and totals beyond what words can read."""

from __future__ import annotations

from typing import Any

from treasury_desktop.domain.money import MAX_AMOUNT
from treasury_desktop.domain.voucher import BudgetLine, Voucher, from_document, to_document


def test_round_trip_keeps_the_document(example_document: dict[str, Any]) -> None:
    voucher = from_document(example_document)
    assert to_document(voucher) == example_document


def test_a_total_too_large_for_words_is_left_to_validation() -> None:
    line = BudgetLine("Mua sắm", "6551", "422", "072", "13", MAX_AMOUNT)
    voucher = Voucher(id="0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60", lines=(line, line))
    assert voucher.total == 2 * MAX_AMOUNT
    assert voucher.amount_in_words == ""
    assert to_document(voucher)["amount_in_words"] == ""


def test_ids_have_one_spelling(example_document: dict[str, Any]) -> None:
    example_document["id"] = "{0193A9C6-5F1E-7C2A-9D7E-2B1C3D4E5F60}"
    assert from_document(example_document).id == "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"


def test_a_lone_surrogate_is_a_shape_problem_not_a_crash(
    example_document: dict[str, Any],
) -> None:
    import pytest

    from treasury_desktop.domain.voucher import DocumentShapeError

    example_document["payee"]["name"] = "Công ty \ud800"
    with pytest.raises(DocumentShapeError) as caught:
        from_document(example_document)
    assert [p.field for p in caught.value.problems] == ["payee.name"]
