"""Amounts shown and typed with dot grouping: 1.234.567."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasury_desktop.domain.money import MAX_AMOUNT, format_vnd, parse_vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (1_234_567, "1.234.567"), (-1000, "-1.000")],
)
def test_format(amount: int, text: str) -> None:
    assert format_vnd(amount) == text


@pytest.mark.parametrize(
    "text",
    [
        "1.234.567",
        "1234567",
        "1 234 567",
        "1\u00a0234\u00a0567",
        " 1.234.567 ",
        "1.234.567đ",
        "1.234.567 ₫",
    ],
)
def test_parse_accepts_the_usual_spellings(text: str) -> None:
    assert parse_vnd(text) == 1_234_567


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "-5", "1,234", "12.5", "1.5", "1234.567", "1.234 567", "1..234", "đ", "١٢٣"],
)
def test_parse_refuses_what_is_not_whole_dong(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vnd(text)


@given(st.integers(0, MAX_AMOUNT))
def test_round_trip(n: int) -> None:
    assert parse_vnd(format_vnd(n)) == n
