"""A desk started from its menu entry (no terminal) hears why a damaged database will not open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from treasury_desktop.app import main


def test_a_damaged_database_is_said_in_a_message_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "treasury.sqlite3").write_bytes(b"")  # a file truncated by a crash of the OS
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert main(["--data-dir", str(data)]) == 1
    assert shown and "treasury.sqlite3" in shown[0]
    assert (data / "treasury.sqlite3").read_bytes() == b"", "never overwritten or emptied"
