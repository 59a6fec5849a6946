"""The window on a laptop screen (issue 12 point 4, issue 17 "small screens").

* :func:`fit_editor` keeps the editor's scroll area as wide as its form: on 1366×768 or
  1280×720 the form scrolls up and down and is never cut at the right.
* :class:`ToolbarRows` spreads the toolbar's actions over as many rows as the window's width
  needs, so that Ký and Gửi Kho bạc never hide behind "»".
* :func:`place_window` opens the window within the screen's available area, at the size it
  had last time (kept in the data folder). The window never grows past the screen when a
  panel opens because its minimum stays small: the editor scrolls.
"""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QAction, QActionEvent, QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QScrollArea, QToolBar, QWidget

PREFERRED = QSize(1400, 860)
SIZE_FILE = "window.json"
_FRAME = QSize(16, 40)  # a window manager's frame and title bar, before the window is shown
FRAME = _FRAME
_ROW_SLACK = 24  # the toolbar's margins and handle


def fit_editor(editor: QWidget) -> None:
    """Keep the editor's scroll area as wide as the form it shows (it scrolls only up and
    down): on a narrow window the splitter takes the room from the list, not from the form."""
    area = editor.findChild(QScrollArea)
    if area is None:
        return
    watcher = _FormWidth(area)
    area.installEventFilter(watcher)
    area.viewport().installEventFilter(watcher)  # a new form arrives as the viewport's child
    _FormWidth.follow(area)


class _FormWidth(QObject):
    """Sets the scroll area's minimum width from its form whenever the form changes: a new
    form, or the form's own layout growing (its notes polished to their font)."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self._area = area

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.ChildAdded,
                            QEvent.Type.Show):
            area = self._area
            form = area.widget()
            if form is not None and not form.property("followedWidth"):
                form.setProperty("followedWidth", True)
                form.installEventFilter(self)
            QTimer.singleShot(0, lambda: self.follow(area))
        return False

    @staticmethod
    def follow(area: QScrollArea) -> None:
        """The form's minimum width plus the vertical scroll bar."""
        form = area.widget()
        if form is None:
            return
        width = form.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width() + 2
        if area.minimumWidth() != width:
            area.setMinimumWidth(width)


def available_area(window: QWidget) -> QRect:
    """The screen's room without panels and docks (the taskbar)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fitted(size: QSize, room: QRect, frame: QSize = _FRAME) -> QSize:
    """``size`` cut down so that the window with its frame fits ``room``."""
    return QSize(min(size.width(), room.width() - frame.width()),
                 min(size.height(), room.height() - frame.height()))


def place_window(window: QWidget, data_dir: Path | None, room: QRect | None = None) -> None:
    """Size and centre ``window`` inside ``room`` (the screen's available area), starting
    from the size remembered in ``data_dir`` (else :data:`PREFERRED`)."""
    room = room if room is not None else available_area(window)
    size = fitted(remembered_size(data_dir) or PREFERRED, room)
    window.resize(size)
    left = room.x() + max(0, (room.width() - size.width() - _FRAME.width()) // 2)
    top = room.y() + max(0, (room.height() - size.height() - _FRAME.height()) // 2)
    window.move(left, top)


def fit_dialog(dialog: QWidget, room: QRect | None = None) -> None:
    """``dialog`` within ``room`` (the screen's available area): cut down to fit with its
    frame (its contents scroll or reflow), and moved inside when it sticks out."""
    room = room if room is not None else available_area(dialog)
    size = fitted(dialog.size(), room).expandedTo(dialog.minimumSize())
    if size != dialog.size():
        dialog.resize(size)
    right = room.x() + room.width() - size.width() - _FRAME.width()
    bottom = room.y() + room.height() - size.height() - _FRAME.height()
    left = max(room.x(), min(dialog.x(), right))
    top = max(room.y(), min(dialog.y(), bottom))
    if (left, top) != (dialog.x(), dialog.y()):
        dialog.move(left, top)


class DialogFit(QObject):
    """Every dialog opened over the window (or over one of its dialogs) is fitted to the
    screen's available area when it shows: on a 1280×720 laptop no button is off screen."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.ChildPolished:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QDialog) and not child.property("fitsScreen"):
                child.setProperty("fitsScreen", True)
                child.installEventFilter(self)
        elif kind == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            fit_dialog(watched)
        return False


def remembered_size(data_dir: Path | None) -> QSize | None:
    """The window's size when it was last closed (None when unknown or unreadable)."""
    if data_dir is None:
        return None
    try:
        data = json.loads((data_dir / SIZE_FILE).read_text(encoding="utf-8"))
        width, height = int(data["width"]), int(data["height"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return QSize(width, height) if width >= 400 and height >= 300 else None


def remember_size(window: QWidget, data_dir: Path | None) -> None:
    """Keep the window's size for the next start (a maximised window keeps its normal size)."""
    if data_dir is None:
        return
    normal = window.normalGeometry() if window.isMaximized() else window.geometry()
    with suppress(OSError):  # a read-only data folder: the next start opens at the default
        (data_dir / SIZE_FILE).write_text(
            json.dumps({"width": normal.width(), "height": normal.height()}), encoding="utf-8")


class ToolbarRows(QObject):
    """The main toolbar's actions over one, two or more rows: every action stays in sight."""

    def __init__(self, window: QMainWindow, first: QToolBar) -> None:
        super().__init__(window)
        self._window = window
        self.rows = [first]
        self.order: list[QAction] = list(first.actions())
        self._moving = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.arrange)
        window.installEventFilter(self)
        first.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize:
            self._timer.start()
        elif not self._moving and isinstance(event, QActionEvent) and watched in self.rows:
            action = event.action()
            if kind == QEvent.Type.ActionAdded and action not in self.order:
                before = event.before()
                at = self.order.index(before) if before in self.order else len(self.order)
                self.order.insert(at, action)
                self._timer.start()
            elif kind == QEvent.Type.ActionRemoved and action in self.order:
                self.order.remove(action)
                self._timer.start()
        return False

    def _width(self, action: QAction, guess: int) -> int:
        if action.isSeparator():
            return 8
        for row in self.rows:
            shown = row.widgetForAction(action)
            if shown is not None:
                return shown.sizeHint().width() + 4
        return guess

    def arrange(self) -> None:
        """Fill each row up to the window's width, in the actions' order."""
        room = max(self._window.width() - _ROW_SLACK, 200)
        first = self.rows[0]
        metrics = first.fontMetrics()
        rows: list[list[QAction]] = [[]]
        used = 0
        for action in self.order:
            width = self._width(action, metrics.horizontalAdvance(action.iconText()) + 20)
            if rows[-1] and used + width > room:
                rows.append([])
                used = 0
            rows[-1].append(action)
            used += width
        if [row.actions() for row in self.rows[: len(rows)]] == rows and \
                all(not row.actions() for row in self.rows[len(rows):]):
            return
        self._moving = True
        try:
            while len(self.rows) < len(rows):
                extra = QToolBar(first.windowTitle(), self._window)
                extra.setObjectName(f"mainToolbar{len(self.rows) + 1}")
                extra.setMovable(False)
                extra.setToolButtonStyle(first.toolButtonStyle())
                self._window.addToolBarBreak()
                self._window.addToolBar(extra)
                extra.installEventFilter(self)
                self.rows.append(extra)
            for row, wanted in zip(self.rows, rows + [[]] * len(self.rows), strict=False):
                row.clear()
                row.addActions(wanted)
                row.setVisible(bool(wanted))
        finally:
            self._moving = False
