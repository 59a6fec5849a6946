"""What a text field of a voucher may hold: one rule for the desk, the import and the sandbox.

A payee name with a right-to-left override (U+202E) *displays* as another name while its
bytes, signed and sent, say something else; NUL and other control characters (C0, DEL, C1
such as U+0085) cut or garble what is printed. So every text field refuses control, format
(bidi embeddings, overrides and isolates, marks, zero-width characters, BOM), surrogate,
private-use and unassigned characters, and is kept in Unicode NFC (a "ệ" typed as e + two
combining marks and one typed precomposed are the same text).

:func:`text_problems` walks a voucher's dataclasses generically, so a field added to the
document later is checked without a change here.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from enum import Enum
from typing import Any, TypeVar

from treasury_desktop.domain.problems import Problem

MAX_FIELD_CHARS = 500
"""The longest text field (the longest treasury form box, the content of a line, holds less)."""

# Cc control, Cf format (bidi overrides and isolates, zero-width, BOM, soft hyphen …),
# Cs surrogate, Co private use, Cn unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

T = TypeVar("T")


def hidden_character(value: str) -> tuple[int, str] | None:
    """The first character that can deceive or garble (position from 1, ``U+XXXX``), if any."""
    if value.isprintable():
        return None  # the common case, decided in C (no Cc, Cf, Cs, Co, Cn, Z* but space)
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return position, f"U+{ord(char):04X}"
    return None


def text_problem(field: str, value: str) -> Problem | None:
    """Why ``value`` may not stand in a text field, or None when it may."""
    hidden = hidden_character(value)
    if hidden is not None:
        position, code_point = hidden
        return Problem(field, "text.hidden_character", {"position": position, "char": code_point})
    if len(value) > MAX_FIELD_CHARS:
        return Problem(field, "text.too_long", {"length": len(value), "max": MAX_FIELD_CHARS})
    return None


def nfc(value: str) -> str:
    """``value`` in Unicode NFC (precomposed letters)."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def normal_text(value: str) -> str:
    """A text read from a document: NFC, without surrounding blanks."""
    return nfc(value).strip()


def text_problems(record: Any, path: str = "") -> Iterator[Problem]:
    """Every text field of a (nested) frozen dataclass that breaks :func:`text_problem`."""
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        at = f"{path}.{item.name}" if path else item.name
        yield from _value_problems(at, value)


def _value_problems(at: str, value: Any) -> Iterator[Problem]:
    if isinstance(value, str):
        problem = text_problem(at, value)
        if problem is not None:
            yield problem
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from text_problems(value, at)
    elif isinstance(value, tuple):
        for index, element in enumerate(value):
            yield from _value_problems(f"{at}[{index}]", element)


def normalised(record: T) -> T:
    """A copy of a (nested) frozen dataclass with every text field in NFC (blanks kept: the
    editor saves as the accountant types)."""
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, item.name)
        new = _normalised_value(value)
        if new is not value and new != value:
            changes[item.name] = new
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def _normalised_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return nfc(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return normalised(value)
    if isinstance(value, tuple):
        return tuple(_normalised_value(v) for v in value)
    return value
