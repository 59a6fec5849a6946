"""Amount in words (Bằng chữ): DOMAIN.md examples and structure rules over the whole range."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words, number_in_words, same_words

_DIGIT = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def read_back(sentence: str) -> int:
    """An independent little reader of Vietnamese amounts, to check the round trip."""
    words = sentence.lower().removesuffix(" chẵn").removesuffix(" đồng").split()
    total = big = group = last = 0
    for w in words:
        if w in _DIGIT:
            last = _DIGIT[w]
        elif w == "mười":
            group += 10
        elif w == "mươi":
            group, last = group + last * 10, 0
        elif w == "trăm":
            group, last = group + last * 100, 0
        elif w == "linh":
            pass
        elif w in ("nghìn", "triệu"):
            big += (group + last) * (1000 if w == "nghìn" else 1_000_000)
            group = last = 0
        elif w == "tỷ":
            total += (big + group + last) * 1_000_000_000
            big = group = last = 0
        else:
            raise AssertionError(f"unexpected word {w!r} in {sentence!r}")
    return total + big + group + last


# Amounts whose groups of three are the tricky ones (zeros, 1, 4, 5 after tens, teens).
_TRICKY_GROUP = st.sampled_from(
    [
        0,
        1,
        4,
        5,
        10,
        11,
        14,
        15,
        20,
        21,
        24,
        25,
        50,
        100,
        101,
        104,
        105,
        110,
        111,
        114,
        115,
        120,
        121,
        124,
        125,
        500,
        505,
        515,
        555,
        999,
    ]
) | st.integers(0, 999)
_GROUPED = st.lists(_TRICKY_GROUP, min_size=5, max_size=5).map(
    lambda gs: sum(g * 1000**i for i, g in enumerate(gs))
)
AMOUNTS = st.integers(0, MAX_AMOUNT) | _GROUPED


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_234_000, "Một triệu hai trăm ba mươi tư nghìn đồng chẵn"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng chẵn"),
        (105, "Một trăm linh năm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (14, "Mười bốn đồng"),
        (11, "Mười một đồng"),
        (15, "Mười lăm đồng"),
        (25, "Hai mươi lăm đồng"),
        (35, "Ba mươi lăm đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng chẵn"),
        (1_000, "Một nghìn đồng chẵn"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (0, "Không đồng"),
        (
            MAX_AMOUNT,
            "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín "
            "mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
        ),
    ],
)
def test_domain_examples(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_domain_example_without_the_custom_suffix() -> None:
    # DOMAIN.md writes this one without "chẵn": the suffix is custom, not rule.
    assert amount_in_words(1_050_000, whole_suffix=False) == (
        "Một triệu không trăm năm mươi nghìn đồng"
    )


@pytest.mark.parametrize("bad", [-1, MAX_AMOUNT + 1])
def test_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        number_in_words(bad)


@settings(max_examples=3000, deadline=None)
@given(AMOUNTS)
@example(0)
@example(MAX_AMOUNT)
@example(1_000_000_000_005)
@example(10_000_000_015)
def test_structure_and_round_trip(n: int) -> None:
    sentence = amount_in_words(n)
    words = number_in_words(n)
    assert sentence[0].isupper() and sentence[1:].startswith(words[1:])
    assert sentence.endswith(" đồng chẵn" if n and n % 1000 == 0 else " đồng")
    assert "  " not in sentence and sentence == sentence.strip()
    for bad in ("mươi một", "mươi bốn", "mươi năm", "mười năm"):
        assert not re.search(rf"\b{bad}\b", words), (n, words)
    tokens = words.split()
    for before, word in zip(["^", *tokens], tokens, strict=False):
        if word == "linh":
            assert before == "trăm", words
        if word in ("mốt", "tư"):
            assert before == "mươi", words
        if word == "lăm":
            assert before in ("mươi", "mười"), words
    assert read_back(sentence) == n


@given(st.integers(1, MAX_AMOUNT))
def test_same_words_ignores_case_spacing_and_chan(n: int) -> None:
    words = amount_in_words(n, whole_suffix=False)
    assert same_words(words.upper().replace(" ", "  "), amount_in_words(n))
    assert not same_words(words, amount_in_words(n - 1))
