"""English plurals for the messages' "(s)" (issue 12 point 12): "Sign 1 voucher", "Sign 3
vouchers". Vietnamese has no plural forms; only English text goes through :func:`english`.

A word ending in "(s)" takes the number just before it (at most two words earlier: "3 other
selected voucher(s)", "2 status update(s)"); without such a number it is left as written.
"""

from __future__ import annotations

import re

_COUNTED = re.compile(
    r"(?<![\w.,])(?P<number>\d[\d.,]*)(?P<between>(?:\s+[a-z]+){0,2}\s+)(?P<word>[A-Za-z]+)\(s\)")


def english(sentence: str) -> str:
    """Replace "N word(s)" by "N word" or "N words" as N says."""
    if "(s)" not in sentence:
        return sentence

    def agree(match: re.Match[str]) -> str:
        digits = re.sub(r"[.,]", "", match["number"])
        one = digits.lstrip("0") == "1"
        return f"{match['number']}{match['between']}{match['word']}{'' if one else 's'}"

    return _COUNTED.sub(agree, sentence)
