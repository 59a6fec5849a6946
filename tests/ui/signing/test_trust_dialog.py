"""«Chứng thư gốc tin cậy» from the «Ký số» menu: the shipped anchors listed, a CA added from a
file, an end-entity certificate refused plainly, an anchor removed after a confirmation."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pytestqt.qtbot import QtBot
from signing_harness import shot
from tests.trust.pki import TestPki
from ui_harness import Desk, FakePrompter, open_window

from treasury_desktop.usecases.trust import open_trust_store

NATIONAL_ROOT = "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"


def test_the_trust_dialog_lists_adds_and_removes(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    pki = TestPki(tmp_path / "pki")
    prompter = FakePrompter()
    folder = os.environ.get("SIGNING_SHOTS")
    with open_window(qtbot, desk, prompter) as window:
        window.signing.trust_action.trigger()
        dialog = window.signing.trust_dialog
        assert dialog is not None and dialog.isVisible()
        shipped = {a.sha256 for a in dialog.anchors}
        assert NATIONAL_ROOT in shipped
        assert dialog.table.rowCount() == len(shipped)
        assert not dialog.remove_button.isEnabled()

        added = dialog.add_file(pki.root_pem)
        assert [a.sha256 for a in added] == [hashlib.sha256(pki.root_der).hexdigest()]
        assert dialog.table.rowCount() == len(shipped) + 1
        assert "Đã tin cậy" in prompter.messages[-1]
        shot(dialog, Path(folder) if folder else None, "trust-dialog")

        _, leaf = pki.issue("Nguyễn Văn Lá")
        leaf_file = tmp_path / "leaf.der"
        leaf_file.write_bytes(leaf)
        assert dialog.add_file(leaf_file) == []
        assert "không phải chứng thư của tổ chức cấp chứng thư" in prompter.messages[-1]

        row = next(i for i, a in enumerate(dialog.anchors) if a.sha256 == NATIONAL_ROOT)
        dialog.table.selectRow(row)
        assert dialog.remove_button.isEnabled()
        prompter.answers.append(True)
        dialog.remove_button.click()
        assert NATIONAL_ROOT not in {a.sha256 for a in dialog.anchors}
        # the command line reads the same store
        assert NATIONAL_ROOT not in {a.sha256 for a in open_trust_store(desk.ctx.data_dir)
                                     .anchors()}
        dialog.accept()
