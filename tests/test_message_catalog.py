"""Every message the code names exists, in Vietnamese and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from treasury_desktop.i18n import all_keys

SRC = Path(__file__).parents[1] / "src" / "treasury_desktop"
# A literal key passed to the message helpers: ExpectedError("x.y"), Message("x.y"), text("x.y").
_CALL = re.compile(
    r"""(?<![\w.])(?:ExpectedError|Message|text|Error|super\(\).__init__)\(\s*"""
    r"""["']([a-z_]+(?:\.[a-z0-9_-]+)+)["']"""
)


def _placeholders(template: str) -> set[str]:
    # A language-specific value ({role_vi} / {role_en}) counts as the same placeholder.
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {re.sub(r"_(vi|en)$", "", name) for name in names}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in all_keys().items():
        assert texts.get("vi") and texts.get("en"), key
        assert _placeholders(texts["vi"]) == _placeholders(texts["en"]), key


def test_vietnamese_texts_carry_diacritics() -> None:
    # A sentence of plain ASCII in the "vi" slot is almost surely an untranslated string.
    plain = [k for k, t in all_keys().items() if len(t["vi"]) > 25 and t["vi"].isascii()]
    assert not plain, plain


def test_every_literal_key_in_the_code_exists() -> None:
    known = all_keys()
    missing = []
    for path in SRC.rglob("*.py"):
        for key in _CALL.findall(path.read_text(encoding="utf-8")):
            if key not in known and f"problem.{key}" not in known:
                missing.append(f"{path.relative_to(SRC)}: {key}")
    assert not missing, missing
