"""Money in whole đồng: display as 1.234.567 and read aloud in words (Bằng chữ).

Words follow DOMAIN.md: groups of three (nghìn, triệu, tỷ, nghìn tỷ); "không trăm" for an
inner group with no hundreds; "linh" for zero tens; "mốt", "tư", "lăm" after tens.
"""

from __future__ import annotations

import re

MAX_AMOUNT = 999_999_999_999_999
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000


def format_vnd(amount: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese grouping with dots)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


# Plain digits, or groups of three after dots or (non-breaking) spaces: "1.5" or "12.34" is
# refused rather than silently read as 15 or 1234.
_AMOUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0][0-9]{3})+")


def parse_vnd(text: str) -> int:
    """'1.234.567' or '1234567' or '1 234 567' -> 1234567. Raises ValueError otherwise."""
    cleaned = text.strip()
    if cleaned.endswith(("đ", "₫")):
        cleaned = cleaned[:-1].rstrip()
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(f"not a whole amount of đồng: {text!r}")
    return int(re.sub(r"[^0-9]", "", cleaned))


def _group(n: int, inner: bool) -> list[str]:
    """Words for 0 < n < 1000; ``inner`` when a higher group was already read."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(n: int, inner: bool) -> list[str]:
    words: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        part, n = divmod(n, scale)
        if part:
            words += _group(part, inner)
            if name:
                words.append(name)
            inner = True
    return words


def number_in_words(n: int) -> str:
    """The lower-case words of 0 <= n <= 999.999.999.999.999, without "đồng"."""
    if not 0 <= n <= MAX_AMOUNT:
        raise ValueError(f"amount out of range: {n}")
    if n == 0:
        return "không"
    high, low = divmod(n, _BILLION)
    words: list[str] = []
    if high:
        words = [*_below_billion(high, False), "tỷ"]
    words += _below_billion(low, bool(high))
    return " ".join(words)


def amount_in_words(n: int, *, whole_suffix: bool = True) -> str:
    """'Một triệu hai trăm ba mươi tư nghìn đồng chẵn' for 1234000.

    ``chẵn`` (custom, not rule) follows an amount with no odd units below a thousand.
    """
    words = number_in_words(n)
    sentence = words[0].upper() + words[1:] + " đồng"
    if whole_suffix and n > 0 and n % 1000 == 0:
        sentence += " chẵn"
    return sentence


def same_words(a: str, b: str) -> bool:
    """Whether two amounts in words agree, ignoring case, spacing and the custom "chẵn"."""

    def norm(s: str) -> str:
        s = " ".join(s.lower().replace(",", " ").split())
        return s.removesuffix(" chẵn").removesuffix(".")

    return norm(a) == norm(b)
