"""Strict readers of JSON fields: the wrong type raises, so a bad answer never half-loads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def read_str(data: Mapping[str, Any], key: str) -> str:
    """A required string."""
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def read_opt_str(data: Mapping[str, Any], key: str) -> str | None:
    """A string or null (or absent)."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def read_int(data: Mapping[str, Any], key: str) -> int:
    """A required integer (not a boolean)."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{key} is not an integer")
    return value


def read_time(data: Mapping[str, Any], key: str) -> datetime:
    """A required ISO 8601 date-time."""
    return datetime.fromisoformat(read_str(data, key))


def read_list(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """A required list of objects."""
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise TypeError(f"{key} is not a list of objects")
    return value
