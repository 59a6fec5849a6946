"""Under the editor: the estimate warning while drafting, the timeline once a voucher is sent,
and "Copy as a new voucher" for one the treasury rejected or returned."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from treasury_desktop.domain.workflow import FOLLOWED, REFUSED, VoucherState
from treasury_desktop.i18n import text
from treasury_desktop.store.timeline import TimelineEvent
from treasury_desktop.ui.outbox.bridge import OutboxBridge
from treasury_desktop.ui.outbox.estimate_warning import EstimateWarningLabel
from treasury_desktop.ui.outbox.timeline_view import TimelineView, scrolled

SHARE = 0.32  # at most this part of the editor's height goes to the timeline: the form keeps
# the rest (it never shrinks to three rows), and a long history scrolls in its own box


class FollowUpPanel(QWidget):
    """What the editor shows about a voucher beyond its fields. ``copy_requested(id)`` asks
    for a new draft from the refused voucher shown."""

    copy_requested = Signal(str)

    def __init__(self, bridge: OutboxBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpPanel")
        self._bridge = bridge
        self.voucher_id: str | None = None
        self.status: VoucherState | None = None
        self.estimate = EstimateWarningLabel()
        self.timeline = TimelineView()
        self.copy_button = QPushButton(text("outbox_ui.copy_as_new"))
        self.copy_button.setObjectName("followUpCopy")
        self.copy_button.clicked.connect(self._copy)
        self.box = QFrame()
        self.box.setObjectName("timelineBox")
        self.box.setStyleSheet("QFrame#timelineBox { border-top: 1px solid #d9d9d4; }")
        inner = QVBoxLayout(self.box)
        inner.setContentsMargins(0, 4, 0, 0)
        inner.setSpacing(4)
        self.history = _HistoryArea(self.timeline)
        inner.addWidget(self.history)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        inner.addLayout(buttons)
        self.box.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.estimate)
        layout.addWidget(self.box)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:  # put under the editor: follow its height
            parent = self.parentWidget()
            if parent is not None:
                parent.installEventFilter(self)
                self._limit(parent.height())
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        parent = self.parentWidget()
        if event.type() == QEvent.Type.Resize and parent is not None and watched is parent:
            self._limit(parent.height())
        return False

    def _limit(self, height: int) -> None:
        self.history.setMaximumHeight(max(self.history.minimumHeight(), int(height * SHARE)))

    def show_voucher(self, voucher_id: str | None, status: VoucherState | None) -> None:
        """The editor now shows ``voucher_id`` in ``status`` (None: a new, unsaved draft)."""
        self.voucher_id, self.status = voucher_id, status
        followed = voucher_id is not None and status in FOLLOWED
        self.copy_button.setVisible(status in REFUSED)
        if not followed:
            self.box.hide()
            self.timeline.set_events(())
            return
        self.estimate.set_warnings(())  # a sent voucher's money is already on its way
        self.box.show()
        self.reload()

    def changed(self, voucher_ids: Iterable[str]) -> None:
        """The outbox or the feed moved these vouchers: re-read the timeline if it is shown."""
        if self.voucher_id is not None and self.box.isVisible() and (
                self.voucher_id in set(voucher_ids)):
            self.reload()

    def reload(self) -> None:
        """Read the shown voucher's timeline again (worker)."""
        if self.voucher_id is None:
            return
        wanted = self.voucher_id
        self._bridge.timeline(wanted, lambda events: self._show(wanted, events))

    def _show(self, voucher_id: str, events: list[TimelineEvent]) -> None:
        if voucher_id == self.voucher_id:
            self.timeline.set_events(events)

    def _copy(self) -> None:
        if self.voucher_id is not None:
            self.copy_requested.emit(self.voucher_id)


class _HistoryArea(QScrollArea):
    """The timeline's own scroll box: as tall as the history, up to the panel's limit."""

    def __init__(self, timeline: QWidget) -> None:
        super().__init__()
        scrolled(timeline, "timelineScroll", self)
        self.setMinimumHeight(56)

    def sizeHint(self) -> QSize:  # noqa: N802
        inner = self.widget()
        height = inner.sizeHint().height() if inner is not None else 0
        return QSize(super().sizeHint().width(), min(height + 2, self.maximumHeight()))
