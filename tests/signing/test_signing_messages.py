"""Every message the signing layer raises exists, in Vietnamese and English."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import treasury_desktop.signing as signing_package
from treasury_desktop.i18n import has_text
from treasury_desktop.paths import resources_dir
from treasury_desktop.signing.errors import PinState

SOURCE = Path(signing_package.__file__).parent


def catalog() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        (resources_dir() / "i18n" / "signing.json").read_text(encoding="utf-8")
    )
    return data


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_used_is_defined() -> None:
    used = set()
    for path in SOURCE.glob("*.py"):
        used |= set(re.findall(r'"(signing\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used
    assert sorted(k for k in used if not has_text(k)) == []


def test_messages_are_translated_with_the_same_placeholders() -> None:
    for key, texts in catalog().items():
        assert key.startswith("signing."), key
        assert set(texts) == {"vi", "en"}, key
        assert fields(texts["vi"]) == fields(texts["en"]), key
        assert re.search(r"[À-ỹđĐ]", texts["vi"]), f"{key}: Vietnamese without diacritics?"


def test_pin_states_have_labels() -> None:
    for state in PinState:
        assert has_text(f"signing.pin_state.{state.value}")
