"""The status-bar indicator: online, offline, sending n, or paused (with the reason)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from treasury_desktop.i18n import Message, text
from treasury_desktop.outbox.model import Connectivity, OutboxStatus

COLOURS: dict[Connectivity, str] = {
    Connectivity.ONLINE: "#1a7f37",
    Connectivity.OFFLINE: "#8a8a85",
    Connectivity.SENDING: "#1f5fa8",
    Connectivity.PAUSED: "#9a6700",
}
REFUSED_COLOUR = "#b42318"
DETACHED_COLOUR = "#8a8a85"
MAX_TEXT_PX = 420  # a long pause reason is cut here; the tooltip holds all of it


def indicator_text(status: OutboxStatus) -> str:
    """The indicator's short words for ``status``."""
    kind = status.connectivity
    if kind is Connectivity.PAUSED:
        reason = status.paused_reason.render() if status.paused_reason else ""
        return text("outbox_ui.indicator.paused", reason=reason)
    if kind is Connectivity.SENDING:
        return text("outbox_ui.indicator.sending", count=status.pending + status.in_flight)
    if kind is Connectivity.OFFLINE:
        return text("outbox_ui.indicator.offline", count=status.pending)
    if status.pending:
        return text("outbox_ui.indicator.online_waiting", count=status.pending)
    return text("outbox_ui.indicator.online")


class OutboxIndicator(QWidget):
    """A coloured dot and a few words; a click opens the outbox view (``clicked``)."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxIndicator")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.dot = QLabel()
        self.dot.setObjectName("outboxDot")
        self.dot.setFixedSize(9, 9)
        self.label = QLabel()
        self.label.setObjectName("outboxState")
        self.refused = QLabel()
        self.refused.setObjectName("outboxRefused")
        self.refused.setStyleSheet(f"color: {REFUSED_COLOUR};")
        self.refused.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(5)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.refused)
        self.status: OutboxStatus | None = None
        self.detached: tuple[str, Message] | None = None
        self.full_text = ""
        self.set_unknown()

    def set_unknown(self) -> None:
        """Before the first answer from the outbox: a quiet grey dot, no words."""
        self._paint("#c9c9c3")
        self.label.setText(text("outbox_ui.title"))
        self.setToolTip(text("outbox_ui.indicator.hint"))

    def set_detached(self, detached: tuple[str, Message] | None) -> None:
        """This window does not send: (short words, full reason); None when it sends again."""
        self.detached = detached
        if self.status is not None:
            self.set_status(self.status)
        elif detached is not None:
            self._paint(DETACHED_COLOUR)
            self._show_words(detached[0])
            self.setToolTip(self._detached_tip(detached[1]))

    def set_status(self, status: OutboxStatus) -> None:
        """Show ``status`` (called on the GUI thread, from the bridge's signal)."""
        self.status = status
        if self.detached is not None:
            words, reason = self.detached
            if status.pending:
                words += " · " + text("outbox_ui.summary.waiting", count=status.pending)
            self._show_words(words)
            self._paint(DETACHED_COLOUR)
            tip = self._detached_tip(reason)
        else:
            self._show_words(indicator_text(status))
            self._paint(COLOURS[status.connectivity])
            tip = f"{status.message().render()}\n{text('outbox_ui.indicator.hint')}"
        if status.refused:
            self.refused.setText("· " + text("outbox_ui.indicator.refused", count=status.refused))
        self.refused.setVisible(bool(status.refused))
        self.setToolTip(tip)

    def _show_words(self, words: str) -> None:
        self.full_text = words
        self.setAccessibleName(words)  # screen readers get the whole sentence
        metrics = self.label.fontMetrics()
        self.label.setText(metrics.elidedText(words, Qt.TextElideMode.ElideRight, MAX_TEXT_PX))

    @staticmethod
    def _detached_tip(reason: Message) -> str:
        return f"{reason.render()}\n{text('outbox_ui.indicator.retry_hint')}"

    def text(self) -> str:
        """All the words shown (unelided), for tests and screen readers."""
        shown = self.full_text
        if self.refused.isVisible() or (self.status is not None and self.status.refused):
            shown += " " + self.refused.text()
        return shown

    def _paint(self, colour: str) -> None:
        self.dot.setStyleSheet(f"background: {colour}; border-radius: 4px;")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
