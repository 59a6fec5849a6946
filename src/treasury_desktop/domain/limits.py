"""How big a voucher document may be, and reading JSON within those bounds.

A voucher is a small, flat document: an object, a list of lines, an object per line. The
limits are set far above any real voucher and far below what could hurt: a nest thousands
deep (a RecursionError in the parser), an integer of thousands of digits (seconds of CPU,
then a ValueError; or an OverflowError in SQLite past 19 digits), a body over the
treasury's limit. Each refusal is a :class:`Problem` that says which limit, so an import
reports it line by line and the sandbox answers it as a reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from treasury_desktop.domain.problems import Problem

MAX_DOCUMENT_BYTES = 256 * 1024
"""One voucher in UTF-8: far below the treasury's 2 MB body, which also carries the signature."""
MAX_DEPTH = 8
"""Objects and lists inside each other (a voucher uses 3: document → lines → line)."""
MAX_INTEGER_DIGITS = 18
"""Digits of one whole number: 999.999.999.999.999 đồng has 15; a signed 64-bit integer 19."""
MAX_LINES = 500
"""Lines (or statement items) of one voucher."""


class LimitExceeded(ValueError):
    """A document beyond one of the limits; ``problem`` names it."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.code)


def _refuse(code: str, **params: Any) -> LimitExceeded:
    return LimitExceeded(Problem("", code, params))


def _integer(literal: str) -> int:
    if len(literal) - literal.startswith("-") > MAX_INTEGER_DIGITS:
        raise _refuse("limit.digits", max=MAX_INTEGER_DIGITS)
    return int(literal)


def _constant(name: str) -> Any:
    raise _refuse("limit.not_a_number", value=name)


def load_json(raw: str | bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """The JSON value of ``raw``, or :class:`LimitExceeded`, or :class:`json.JSONDecodeError`.

    NaN and Infinity are refused; numbers with a fraction are kept as floats, for the
    document reader to refuse where a whole number belongs.
    """
    size = len(raw) if isinstance(raw, bytes) else _utf8_length(raw)
    if size > max_bytes:
        raise _refuse("limit.bytes", size=size, max=max_bytes)
    try:
        value = json.loads(raw, parse_int=_integer, parse_constant=_constant)
    except RecursionError:
        raise _refuse("limit.depth", max=MAX_DEPTH) from None
    opened = raw.count("[") + raw.count("{") if isinstance(raw, str) else MAX_DEPTH + 1
    if opened > MAX_DEPTH and _depth_exceeds(value, MAX_DEPTH):
        raise _refuse("limit.depth", max=MAX_DEPTH)
    return value


def _utf8_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def too_many_lines(count: int, field: str = "lines") -> Problem | None:
    """A problem when a voucher has more than :data:`MAX_LINES` lines or items."""
    if count > MAX_LINES:
        return Problem(field, "limit.lines", {"count": count, "max": MAX_LINES})
    return None
