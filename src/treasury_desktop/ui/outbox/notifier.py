"""Desktop notifications when vouchers are paid, rejected or returned.

A tray balloon when the desktop has a system tray; otherwise (and in tests) a notice inside the
window, which stays until dismissed or the next one. Clicking either opens the voucher.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from treasury_desktop.domain.events import StatusChanged
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import text
from treasury_desktop.sync.feed import FinalNotice

NOTICE_MS = 30_000  # how long the tray's balloon shows (the in-window notice stays)
GROUP_OVER = 3  # more news than this at once: one summary sentence
_TRAY_ICON = {
    VoucherState.PAID: QSystemTrayIcon.MessageIcon.Information,
    VoucherState.REJECTED: QSystemTrayIcon.MessageIcon.Warning,
    VoucherState.RETURNED: QSystemTrayIcon.MessageIcon.Warning,
}
_BAR_COLOURS = {
    VoucherState.PAID: ("#e9f5ec", "#14532d"),
    VoucherState.REJECTED: ("#fdeceb", "#7a1a12"),
    VoucherState.RETURNED: ("#fdeceb", "#7a1a12"),
}


def notice_text(notices: Sequence[FinalNotice]) -> str:
    """One sentence for one voucher; a summary for many."""
    if len(notices) <= GROUP_OVER:
        from treasury_desktop.usecases.sync_status import notification  # at the first news

        return "\n".join(notification(n).render() for n in notices)
    counts = {s: sum(1 for n in notices if n.status is s) for s in _TRAY_ICON}
    return text("outbox_ui.notify.many", count=len(notices), paid=counts[VoucherState.PAID],
                rejected=counts[VoucherState.REJECTED], returned=counts[VoucherState.RETURNED])


def _worst(notices: Sequence[FinalNotice]) -> VoucherState:
    bad = [n.status for n in notices if n.status is not VoucherState.PAID]
    return bad[0] if bad else VoucherState.PAID


class NoticeBar(QWidget):
    """The in-window notice: a coloured strip with the sentence and a close button."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel()
        self.label.setObjectName("noticeText")
        # one calm line in the status bar, cut to fit; the whole text is in the tooltip
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.words = ""
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(text("outbox_ui.notify.close"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()

    def show_notice(self, words: str, state: VoucherState) -> None:
        """Show ``words`` in the colours of ``state``."""
        background, colour = _BAR_COLOURS[state]
        self.setStyleSheet(f"QWidget#noticeBar {{ background: {background}; border-radius: 3px; }}"
                           f" QLabel#noticeText {{ color: {colour}; }}")
        self.words = words
        self.setToolTip(words)
        self.show()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        line = " · ".join(self.words.splitlines())
        width = max(self.label.width(), 80)
        self.label.setText(self.label.fontMetrics().elidedText(
            line, Qt.TextElideMode.ElideRight, width))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class Notifier(NoticeBar):
    """Tells the accountant about final words from the treasury. ``activated`` carries the
    voucher to open when the notice is clicked. Put the widget where the in-window notice
    should appear (the status bar); it stays hidden while a tray is used."""

    activated = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, use_tray: bool | None = None) -> None:
        super().__init__(parent)
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray: QSystemTrayIcon | None = None
        if use_tray:
            self.tray = QSystemTrayIcon(_icon(), self)
            self.tray.setToolTip(text("outbox_ui.notify.title"))
            self.tray.messageClicked.connect(self._open_last)
            self.tray.show()
        self.shown: list[str] = []  # every notice given, oldest first
        self._last: str | None = None
        self.clicked.connect(self._open_last)

    def tell(self, news: StatusChanged) -> None:
        """The final words of one page of the treasury's feed, as one notice (GUI thread)."""
        self.notify([FinalNotice(w.voucher_id, w.number, w.status, w.reason)
                     for w in news.finals])

    def notify(self, notices: Sequence[FinalNotice]) -> None:
        """Tell about vouchers that were paid, rejected or returned (GUI thread)."""
        if not notices:
            return
        words = notice_text(notices)
        state = _worst(notices)
        # a click opens the voucher that needs the accountant: a refused one before a paid one
        needing = [n for n in notices if n.status is not VoucherState.PAID]
        self._last = (needing or list(notices))[0].voucher_id
        self.shown.append(words)
        if self.tray is not None:
            self.tray.showMessage(text("outbox_ui.notify.title"), words, _TRAY_ICON[state],
                                  NOTICE_MS)
        else:  # unread news stays until the accountant opens it or closes it
            self.show_notice(words, state)

    def _open_last(self) -> None:
        if self._last is not None:
            self.activated.emit(self._last)
            self.hide()

    def close_tray(self) -> None:
        """Remove the tray icon (on quit)."""
        if self.tray is not None:
            self.tray.hide()


def _icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor("#1f5fa8"))
    return QIcon(pixmap)
