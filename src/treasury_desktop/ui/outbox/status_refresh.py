"""Cập nhật trạng thái (Ctrl+F5): ask the treasury now (issue 12 point 7).

F5 reloads the local list only; this action wakes the status sync at once, so that an
accountant waiting for an answer need not wait for the next round.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from treasury_desktop.i18n import text

SHORTCUT = "Ctrl+F5"


def add_status_refresh(window: QMainWindow, ask_now: Callable[[], bool]) -> QAction:
    """The action in the window (menu, toolbar, shortcut); ``ask_now()`` wakes the sync and
    says whether there is one (False: offline, not connected)."""
    action = QAction(text("ui.status_sync.action"), window)
    action.setObjectName("action_status_sync")
    sequence = QKeySequence(SHORTCUT)
    action.setShortcut(sequence)
    shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{action.text()} ({shown})")
    action.setIconText(f"{action.text()}  {shown}")

    def trigger() -> None:
        asked = ask_now()
        window.statusBar().showMessage(
            text("ui.status_sync.asked" if asked else "ui.status_sync.offline"), 8000)

    action.triggered.connect(trigger)
    window.addAction(action)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:
        toolbar.addAction(action)
    return action
