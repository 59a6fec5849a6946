"""Hostile documents are refused with a reason, never a traceback: deep nests, huge
integers, NaN, fractions where whole đồng belong, too many lines, hidden characters."""

from __future__ import annotations

import copy
import json
import unicodedata
from typing import Any

import pytest

from treasury_desktop.domain.limits import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_LINES,
    LimitExceeded,
    load_json,
)
from treasury_desktop.domain.text_rules import MAX_FIELD_CHARS, hidden_character, normalised
from treasury_desktop.domain.validation import validate
from treasury_desktop.domain.voucher import DocumentShapeError, Payee, from_document


def _limit(raw: str) -> str:
    with pytest.raises(LimitExceeded) as caught:
        load_json(raw)
    return caught.value.problem.code


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    assert _limit("[" * 100_000 + "]" * 100_000) in ("limit.depth", "limit.bytes")
    assert _limit("[" * 5_000 + "]" * 5_000) == "limit.depth"  # past Python's recursion
    assert _limit('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)) == "limit.depth"
    assert load_json('{"a":' * (MAX_DEPTH - 1) + "1" + "}" * (MAX_DEPTH - 1))


def test_long_integers_and_non_numbers_are_refused() -> None:
    assert _limit('{"amount": ' + "9" * 5_000 + "}") == "limit.digits"
    assert _limit('{"fiscal_year": ' + "2" * 300 + "}") == "limit.digits"
    assert _limit('{"amount": -' + "9" * (MAX_INTEGER_DIGITS + 1) + "}") == "limit.digits"
    assert load_json('{"amount": ' + "9" * MAX_INTEGER_DIGITS + "}")
    assert _limit('{"amount": NaN}') == "limit.not_a_number"
    assert _limit('{"amount": -Infinity}') == "limit.not_a_number"


def test_a_document_over_the_byte_limit_is_refused() -> None:
    assert _limit(json.dumps({"number": "1" * MAX_DOCUMENT_BYTES})) == "limit.bytes"
    assert _limit(json.dumps({"number": "ệ" * (MAX_DOCUMENT_BYTES // 3 + 1)},
                             ensure_ascii=False)) == "limit.bytes"


def _shape(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(DocumentShapeError) as caught:
        from_document(document)
    return [(p.field, p.code) for p in caught.value.problems]


def test_fractions_are_refused_where_whole_dong_belong(example_document: dict[str, Any]) -> None:
    example_document["total"] = 1_234_000.0
    assert ("total", "shape.integer") in _shape(example_document)
    example_document["total"] = 1_234_000
    example_document["lines"][0]["amount"] = 5.0
    assert ("lines[0].amount", "shape.integer") in _shape(example_document)


def test_too_many_lines_are_refused(example_document: dict[str, Any]) -> None:
    example_document["lines"] = [example_document["lines"][0]] * (MAX_LINES + 1)
    assert ("lines", "limit.lines") in _shape(example_document)


@pytest.mark.parametrize(
    "hidden",
    ["\u202e", "\u202a", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c", "\x00", "\x1b",
     "\x7f", "\x85", "\u200b", "\ufeff", "\ue000", "\U000e0041"],
)
def test_hidden_characters_are_refused_in_every_text_field(
    example_document: dict[str, Any], hidden: str
) -> None:
    deceiving = copy.deepcopy(example_document)
    deceiving["payee"]["name"] = f"Công ty {hidden}ABC"
    deceiving["lines"][0]["content"] = f"Tiền {hidden}điện"
    deceiving["unit"]["name"] = f"Trường{hidden} THCS"
    problems = _shape(deceiving)
    assert ("payee.name", "text.hidden_character") in problems
    assert ("lines[0].content", "text.hidden_character") in problems
    assert ("unit.name", "text.hidden_character") in problems


def test_a_hidden_character_says_where_and_which() -> None:
    assert hidden_character("ABC\u202eDEF") == (4, "U+202E")
    assert hidden_character("Công ty Điện lực Thái Nguyên") is None


def test_an_over_long_field_is_refused(example_document: dict[str, Any]) -> None:
    example_document["payee"]["bank"] = "B" * (MAX_FIELD_CHARS + 1)
    assert ("payee.bank", "text.too_long") in _shape(example_document)


def test_text_is_kept_in_nfc(example_document: dict[str, Any]) -> None:
    decomposed = unicodedata.normalize("NFD", "Công ty Điện lực Thái Nguyên")
    assert decomposed != "Công ty Điện lực Thái Nguyên"
    example_document["payee"]["name"] = decomposed
    voucher = from_document(example_document)
    assert voucher.payee.name == "Công ty Điện lực Thái Nguyên"
    assert normalised(voucher.with_changes(payee=Payee(name=decomposed))).payee.name == (
        "Công ty Điện lực Thái Nguyên"
    )


def test_validation_flags_hidden_characters_typed_in_the_window(
    example_document: dict[str, Any], catalog_2026: Any
) -> None:
    voucher = from_document(example_document)
    typed = voucher.with_changes(payee=Payee(name="Công ty\u202e ABC", account="102010000123456",
                                             bank="VietinBank"))
    codes = [(p.field, p.code) for p in validate(typed, catalog_2026)]
    assert ("payee.name", "text.hidden_character") in codes
