"""Plain-language messages of the core, in Vietnamese (default) and English.

Messages live as data in ``resources/i18n/*.json``: one file per area of the app, each a map
``key -> {"vi": ..., "en": ...}`` with ``str.format`` placeholders. The Qt layer uses the same
texts, so an accountant reads the same sentence in the window and on the command line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from treasury_desktop.paths import resources_dir

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
_current: list[Lang] = ["vi"]


def set_language(lang: Lang) -> None:
    """Choose the language of messages for this process."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    _current[0] = lang


def current_language() -> Lang:
    """The language chosen with :func:`set_language` (Vietnamese by default)."""
    return _current[0]


@cache
def _catalog() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted((resources_dir() / "i18n").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message {key!r} defined twice ({path.name})")
            merged[key] = texts
    return merged


def text(key: str, lang: Lang | None = None, /, **params: Any) -> str:
    """The message ``key`` in ``lang``, with its placeholders filled in."""
    entry = _catalog().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r}")
    chosen = lang or current_language()
    template = entry.get(chosen) or entry["vi"]
    if chosen == "en":
        return english(template.format(**params))  # "1 voucher", "3 vouchers"
    return template.format(**params)


# English plurals for the messages' "(s)" (issue 12): "Sign 1 voucher", "Sign 3 vouchers". A word
# ending in "(s)" takes the number just before it (at most two words earlier: "3 other selected
# voucher(s)"); without such a number it is left as written. Vietnamese has no plural forms.
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


def has_text(key: str) -> bool:
    """Whether a message exists (used by tests that check every key is translated)."""
    return key in _catalog()


def all_keys() -> Mapping[str, Mapping[str, str]]:
    """Every message, for the completeness test."""
    return _catalog()


@dataclass(frozen=True)
class Message:
    """A message key with its parameters: rendered late, in the reader's language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: Lang | None = None) -> str:
        """The sentence in ``lang`` (or the current language)."""
        return text(self.key, lang, **self.params)


class ExpectedError(Exception):
    """A failure the user can act on (wrong PIN, offline, rejected): shown in plain words.

    Anything else is a bug and goes to the crash dialog / a diagnostics bundle.
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        self.message = Message(key, params)
        super().__init__(key)

    def __str__(self) -> str:
        try:
            return self.message.render()
        except KeyError:
            return self.message.key
