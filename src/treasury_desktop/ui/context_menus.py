"""Right-click menus (issue 12 point 11: "no context menu anywhere").

The voucher list offers what can be done to the vouchers selected (the window's own actions,
with their shortcuts shown, so the menu also teaches them); the editor's text fields keep Qt's
own Cut/Copy/Paste menu (in Vietnamese through the window's translator).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView


def list_menu(table: QAbstractItemView, actions: Iterable[QAction | None]) -> None:
    """Right-click on the list shows ``actions`` (None: a separator) after those the table
    already has (Xóa nháp, whose Delete key acts only in the list)."""
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for action in actions:
        if action is None:
            separator = QAction(table)
            separator.setSeparator(True)
            table.addAction(separator)
        elif action not in table.actions():
            table.addAction(action)
