"""The handbook: both languages hold the same sections, and search finds them without accents."""

from __future__ import annotations

import pytest

from treasury_desktop.usecases.handbook import load_handbook

# The questions the treasury's help desk gets most (issue: help and support).
TOPICS = {"start", "token-not-detected", "pin-locked", "signer-changed", "rejected-returned",
          "connection", "year-end", "backup", "settings"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_topic_is_there_with_a_body(lang: str) -> None:
    book = load_handbook(lang)  # type: ignore[arg-type]
    assert {s.anchor for s in book.sections} == TOPICS
    for section in book.sections:
        assert len(section.body) > 200, section.anchor


def test_search_ignores_diacritics_and_puts_title_hits_first() -> None:
    book = load_handbook("vi")
    found = book.search("ma pin bi khoa")
    assert found and found[0].anchor == "pin-locked"
    assert [s.anchor for s in book.search("token")][0] == "token-not-detected"
    assert book.search("31 thang 1")[0].anchor == "year-end"
    assert book.search("không có từ này ở đâu cả xyz") == []


def test_english_search() -> None:
    assert load_handbook("en").search("rejected")[0].anchor == "rejected-returned"
