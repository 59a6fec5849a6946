"""The four screenshots of issue 12 on a real X11 screen of 1366×768 (or another size: the
files are named after the screen, e.g. ``laptop-1280x720-window.png``).

Run under Xvfb: ``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python
scripts/laptop_screens.py docs``. Each picture is the whole screen (QScreen.grabWindow), so
what lies off screen is visibly missing: the main window, the signing dialog after a wrong
PIN (with a no-estimate warning), the NDKT picker open, a rejected voucher with its reason,
and the outbox panel with each row in the voucher's own state.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from treasury_desktop.demo.session import open_demo
    from treasury_desktop.domain.roles import SignerRole
    from treasury_desktop.i18n import Message
    from treasury_desktop.signing.errors import PinIncorrect, PinState
    from treasury_desktop.store.records import Folder
    from treasury_desktop.sync.balances import EstimateWarning
    from treasury_desktop.ui.fields import CodeLine
    from treasury_desktop.ui.launch import build_window, open_outbox, settle
    from treasury_desktop.ui.signing.pin_dialog import PinDialog, PinRequest

    out.mkdir(parents=True, exist_ok=True)

    def wait(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    def shoot(name: str) -> None:
        wait(0.6)
        screen = QApplication.primaryScreen()
        size = f"{screen.size().width()}x{screen.size().height()}"
        name = name.replace("1366x768", size)
        screen.grabWindow(0).save(str(out / name), "PNG")
        print(out / name, screen.size().width(), "x", screen.size().height())

    with open_demo(lang="vi") as ctx:
        app, window = build_window(ctx, demo=True)
        outbox = open_outbox(window, send=False)
        window.show()
        settle(window)
        shoot("laptop-1366x768-window.png")

        window.folders.choose(Folder.DRAFTS)
        settle(window)
        window.list_pane.select_first()
        settle(window)
        grid = window.editor.grid()
        grid.setFocus()
        grid.setCurrentCell(0, 1)
        grid.editItem(grid.item(0, 1))
        cell = grid.findChild(CodeLine, "cell_ndkt")
        if cell is not None:
            cell.setFocus()
            cell.selectAll()
            cell.insert("65")
            cell.textEdited.emit(cell.text())
        shoot("laptop-1366x768-ndkt-picker.png")
        if cell is not None and (popup := cell.picker.popup()) is not None:
            popup.hide()
        if cell is not None:
            QApplication.sendEvent(cell, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape,
                                                   Qt.KeyboardModifier.NoModifier))

        window.folders.choose(Folder.REFUSED)
        settle(window)
        window.list_pane.select_first()
        settle(window)
        wait(1.0)
        shoot("laptop-1366x768-rejected.png")

        # The outbox panel over the same window: each row in the voucher's own state
        parts = outbox.parts
        parts.view.show_delivered.setChecked(True)
        parts.show_outbox()
        wait(1.5)
        refused = next((r for r in range(parts.view.model.rowCount())
                        if parts.view.model.refused(r)), 0)
        parts.view.table.selectRow(refused)
        wait(1.0)
        shoot("laptop-1366x768-outbox.png")
        parts.dock.hide()

        window.folders.choose(Folder.TO_SIGN)
        settle(window)
        window.list_pane.select_first()
        settle(window)
        shown = window.editor.voucher()
        assert shown is not None
        no_estimate = EstimateWarning("422", "073", "13", shown.total, 0, 0, datetime.now(UTC),
                                      Message("sync.age.hours", {"n": 1}), no_estimate=True)
        note = Message("signing.estimate.voucher", {
            "number": shown.number, "warning_vi": no_estimate.render("vi"),
            "warning_en": no_estimate.render("en")})
        request = PinRequest(
            SignerRole.CHIEF_ACCOUNTANT, "VNPT-CA Token", "0123456789", PinState.COUNT_LOW,
            False, "Nguyễn Thị Lan", "Trường THCS Phú Lương", "VNPT Certification Authority",
            datetime.now(UTC) + timedelta(days=400), 1, shown.total, warnings=(note,))
        dialog = PinDialog(request, lambda _pin: None, window)
        dialog.show()
        dialog.show_wrong_pin(PinIncorrect(token="VNPT-CA Token", pin_state=PinState.COUNT_LOW))
        shoot("laptop-1366x768-wrong-pin.png")
        dialog.reject()
        outbox.close()
        window.session.close()
        window.close()
        del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
