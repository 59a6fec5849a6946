"""Every action of the window with its shortcut, in menus and on the toolbar."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from treasury_desktop.ui.texts import t


@dataclass(frozen=True)
class ActionSpec:
    """An action's key, shortcut and where it appears."""

    key: str
    shortcut: str
    menu: str
    toolbar: bool = False


SPECS = (
    ActionSpec("new", "Ctrl+N", "voucher", toolbar=True),
    ActionSpec("save", "Ctrl+S", "voucher", toolbar=True),
    ActionSpec("copy", "Ctrl+D", "voucher", toolbar=True),
    ActionSpec("delete", "Delete", "voucher", toolbar=True),
    ActionSpec("quit", "Ctrl+Q", "voucher"),
    ActionSpec("add_line", "Ctrl+Shift+L", "edit", toolbar=True),
    ActionSpec("remove_line", "Ctrl+Shift+K", "edit"),
    ActionSpec("find", "Ctrl+F", "view", toolbar=True),
    ActionSpec("refresh", "F5", "view", toolbar=True),
    *(ActionSpec(f"folder{i}", f"Ctrl+{i}", "view") for i in range(1, 7)),
)
MENUS = ("voucher", "edit", "view")


def build_actions(
    window: QMainWindow, handlers: Mapping[str, Callable[[], object]], delete_scope: QWidget
) -> dict[str, QAction]:
    """Create the actions, menus and toolbar; ``Delete`` only acts in ``delete_scope``.

    Delete must not fire while typing in a field or a grid cell, so it is bound to the list.
    """
    actions: dict[str, QAction] = {}
    menus = {name: window.menuBar().addMenu(t(f"menu.{name}")) for name in MENUS}
    toolbar = QToolBar(t("menu.toolbar"), window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.addToolBar(toolbar)
    for spec in SPECS:
        action = QAction(t(f"action.{spec.key}", n=spec.key[-1]), window)
        action.setObjectName(f"action_{spec.key}")
        action.setShortcut(QKeySequence(spec.shortcut))
        shown = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{action.text()} ({shown})")
        action.triggered.connect(handlers[spec.key])
        if spec.key == "delete":
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            delete_scope.addAction(action)
        else:
            window.addAction(action)
        menus[spec.menu].addAction(action)
        if spec.toolbar:
            # The toolbar shows icon text: the name with its shortcut, to be learnt by sight.
            action.setIconText(f"{action.text()}  {shown}")
            toolbar.addAction(action)
        actions[spec.key] = action
    return actions
