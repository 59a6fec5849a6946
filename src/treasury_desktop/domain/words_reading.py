"""Reading an amount in words back into a number, the way real vouchers spell it.

The app writes one spelling (:func:`treasury_desktop.domain.money.amount_in_words`), but files
from other software and from the portal carry others: "đồng chẵn./.", "lẻ" for "linh", "ngàn"
for "nghìn", "tỉ" for "tỷ", "bẩy", "mốt"/"một" and "tư"/"bốn" after tens, decomposed Unicode.
An import accepts any of them that *reads as the same amount*, and refuses words that name
another amount or do not read as a number at all.
"""

from __future__ import annotations

import re
import unicodedata

_DIGIT = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_ZERO_TENS = {"linh", "lẻ"}
_SCALE = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000,
          "tỉ": 1_000_000_000}
_NOISE = {"đồng", "chẵn", "chẳn", "vnd", "vnđ"}
# Spellings that only fit in one place: a unit after tens, never a leading digit.
_AFTER_TENS_ONLY = {"mốt", "lăm", "nhăm"}


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text).lower().replace("./.", " ")
    words = [w for w in re.split(r"[\s,.;:/()\-]+", folded) if w]
    # "Năm" is a digit, but "Nam" in "đồng Việt Nam" is not: drop the pair together.
    out: list[str] = []
    for word in words:
        if word == "nam" and out and out[-1] == "việt":
            out.pop()
        else:
            out.append(word)
    return [w for w in out if w not in _NOISE]


def _group(words: list[str]) -> int | None:
    """0..999 from the words of one group ("hai trăm linh năm", "mười lăm", "ba mươi tư")."""
    hundreds = tens = units = None
    i, n = 0, len(words)
    if i + 1 < n and words[i] in _DIGIT and words[i + 1] == "trăm":
        if words[i] in _AFTER_TENS_ONLY:
            return None
        hundreds, i = _DIGIT[words[i]], i + 2
    if i < n and words[i] in _ZERO_TENS:
        if hundreds is None:
            return None
        tens, i = 0, i + 1
        if i >= n or words[i] not in _DIGIT or words[i] in _AFTER_TENS_ONLY:
            return None
    elif i < n and words[i] == "mười":
        tens, i = 1, i + 1
    elif i + 1 < n and words[i] in _DIGIT and words[i + 1] == "mươi":
        if words[i] in _AFTER_TENS_ONLY or _DIGIT[words[i]] < 2:
            return None
        tens, i = _DIGIT[words[i]], i + 2
    if i < n and words[i] in _DIGIT:
        if words[i] in _AFTER_TENS_ONLY and not tens:
            return None
        units, i = _DIGIT[words[i]], i + 1
    if i != n or (hundreds is None and tens is None and units is None):
        return None
    return (hundreds or 0) * 100 + (tens or 0) * 10 + (units or 0)


def read_amount_words(text: str) -> int | None:
    """The amount ``text`` reads as, or None when it does not read as an amount of đồng."""
    words = _tokens(text)
    if not words:
        return None
    parts: list[tuple[int, int]] = []  # (value, scale) of the groups already closed
    pending: list[str] = []
    for word in words:
        if word in _SCALE:
            scale = _SCALE[word]
            if pending:
                value = _group(pending)
                if value is None:
                    return None
            elif parts and parts[-1][1] < scale:
                value = 0  # "một nghìn tỷ": the scale multiplies what came before
            else:
                return None
            pending = []
            while parts and parts[-1][1] < scale:
                value += parts.pop()[0]
            if parts and parts[-1][1] == scale:
                return None  # the same scale twice ("một triệu hai triệu")
            parts.append((value * scale, scale))
        elif word in _DIGIT or word in _ZERO_TENS or word in ("trăm", "mười", "mươi"):
            pending.append(word)
        else:
            return None
    total = sum(value for value, _ in parts)
    if pending:
        value = _group(pending)
        if value is None:
            return None
        total += value
    return total
