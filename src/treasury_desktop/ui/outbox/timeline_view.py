"""A voucher's timeline: queued, sent, received, checking, then paid, rejected or returned.

Each step shows when it happened (dd/mm/yyyy hh:mm) and, for a refusal, the treasury's reason
word for word.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from treasury_desktop.i18n import text
from treasury_desktop.store.timeline import EventSource, TimelineEvent
from treasury_desktop.ui.outbox.formatting import moment, status_colour, status_words

REASON_COLOUR = "#b42318"
DETAIL_COLOUR = "#6b6b6b"


def detail_words(event: TimelineEvent) -> str:
    """The small grey words under a step, or '' when they would repeat the status."""
    detail = event.detail.strip()
    if event.source is EventSource.DESK:
        if event.status == "sent" and detail == "replayed":
            return text("outbox_ui.timeline.replayed")
        if event.status == "rejected" and detail.startswith("http-"):
            return text("outbox_ui.timeline.refused_at_door")
        return ""
    if not detail or detail in (event.status, status_words(event.status)):
        return ""
    return detail


def scrolled(widget: QWidget, name: str, area: QScrollArea | None = None) -> QScrollArea:
    """``widget`` in a frameless ``area`` (a new one by default) that scrolls up and down:
    however long a history is, the panel around it keeps its size."""
    area = area if area is not None else QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class TimelineView(QWidget):
    """The steps of one voucher, oldest first; ``rows`` holds what each step shows (tests)."""

    def __init__(self, parent: QWidget | None = None, *, title: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.rows: list[tuple[str, str, str, str]] = []  # status words, time, detail, reason
        self._title = QLabel(text("outbox_ui.timeline.title"))
        self._title.setObjectName("timelineTitle")
        self._title.setStyleSheet("font-weight: 600;")
        self._title.setVisible(title)
        self._body = QWidget()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(3)
        self._layout.addWidget(self._title)
        self._layout.addWidget(self._body)
        self._layout.addStretch(1)
        self.set_events(())

    def set_events(self, events: Sequence[TimelineEvent]) -> None:
        """Show ``events`` (replacing what was shown)."""
        self.rows = []
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(2, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        grid.setColumnStretch(1, 1)
        row = 0
        if not events:
            empty = QLabel(text("outbox_ui.timeline.empty"))
            empty.setStyleSheet(f"color: {DETAIL_COLOUR};")
            grid.addWidget(empty, 0, 0, 1, 3)
        for event in events:
            words, when = status_words(event.status), moment(event.at)
            detail, reason = detail_words(event), event.reason.strip()
            self.rows.append((words, when, detail, reason))
            dot = QLabel("●")
            dot.setStyleSheet(f"color: {status_colour(event.status)};")
            name = QLabel(words)
            name.setStyleSheet("font-weight: 600;")
            at = QLabel(when)
            at.setStyleSheet(f"color: {DETAIL_COLOUR};")
            at.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(dot, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(at, row, 2)
            row += 1
            for words_below, colour in ((detail, DETAIL_COLOUR), (
                    text("outbox_ui.timeline.reason", reason=reason) if reason else "",
                    REASON_COLOUR)):
                if not words_below:
                    continue
                label = QLabel(words_below)
                label.setWordWrap(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setStyleSheet(f"color: {colour};")
                grid.addWidget(label, row, 1, 1, 2)
                row += 1
        self._layout.replaceWidget(self._body, body)
        self._body.deleteLater()
        self._body = body

    def reasons(self) -> list[str]:
        """The refusal reasons shown."""
        return [r[3] for r in self.rows if r[3]]
