"""The outbox view (Hộp thư đi): each voucher's state, attempts, next try and last error.

Like ODK Collect's send queue: one row per voucher, what happened to it in plain words, and the
two controls an accountant needs on a weak link, Send now and Pause. The selected voucher's
timeline is shown beside the table, with "Copy as a new voucher" for one the treasury refused.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import text
from treasury_desktop.outbox.model import ItemState, OutboxItem, OutboxStatus
from treasury_desktop.store.timeline import TimelineEvent
from treasury_desktop.ui.amount_cells import show_whole
from treasury_desktop.ui.outbox.bridge import (
    SHOWN_BY_DEFAULT,
    OutboxBridge,
    OutboxSnapshot,
    RefusedCopy,
)
from treasury_desktop.ui.outbox.outbox_model import (
    COLUMNS,
    ID_ROLE,
    STATE_COLOURS,
    OutboxTableModel,
    summary_words,
)
from treasury_desktop.ui.outbox.timeline_view import TimelineView, scrolled
from treasury_desktop.ui.voucher_state import all_state_words, refusal_words

DOCK_SHARE = 0.3  # of the window's height, when the dock first opens
DOCK_LEAST = 170  # a few rows and the buttons


class OutboxView(QWidget):
    """Hộp thư đi. ``open_requested`` asks the window to show a voucher in the editor;
    ``draft_copied`` carries a new draft copied from a refused voucher."""

    open_requested = Signal(str)
    draft_copied = Signal(object)  # RefusedCopy

    def __init__(self, bridge: OutboxBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxView")
        self.bridge = bridge
        self._selected: str | None = None
        self._selected_stamp: object = None
        self._sized = False

        self.summary = QLabel()
        self.summary.setObjectName("outboxSummary")
        self.show_delivered = QCheckBox(text("outbox_ui.show_delivered"))
        self.show_delivered.toggled.connect(self._show_delivered)
        self.send_button = QPushButton(text("outbox_ui.send_now"))
        self.send_button.setObjectName("outboxSendNow")
        self.send_button.clicked.connect(bridge.send_now)
        self.pause_button = QPushButton(text("outbox_ui.pause"))
        self.pause_button.setObjectName("outboxPause")
        self.pause_button.clicked.connect(bridge.toggle_pause)
        self.paused_note = QLabel()
        self.paused_note.setObjectName("outboxPausedNote")
        self.paused_note.setWordWrap(True)
        self.paused_note.setStyleSheet(
            "background: #fff4d6; color: #6a4b00; padding: 3px 6px; border-radius: 3px;")
        self.paused_note.hide()

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_delivered)
        top.addWidget(self.send_button)
        top.addWidget(self.pause_button)

        self.model = OutboxTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((64, 190, 100, 86, 76, 118)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.states = show_whole(self.table, COLUMNS.index("state"), all_state_words())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(self._activated)

        self.detail_title = QLabel(text("outbox_ui.no_selection"))
        self.detail_title.setObjectName("outboxDetailTitle")
        self.detail_title.setStyleSheet("font-weight: 600;")
        self.detail_error = QLabel()
        self.detail_error.setObjectName("outboxDetailError")
        self.detail_error.setWordWrap(True)
        self.detail_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_error.hide()
        self.timeline = TimelineView(title=False)
        self.copy_button = QPushButton(text("outbox_ui.copy_as_new"))
        self.copy_button.setObjectName("outboxCopyAsNew")
        self.copy_button.clicked.connect(self.copy_selected)
        self.copy_button.hide()
        self.open_button = QPushButton(text("outbox_ui.open"))
        self.open_button.clicked.connect(self._open_selected)
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_button)
        # The words and the history scroll inside the panel: a long history or reason never
        # makes the dock taller (it keeps its height under the pointer).
        words = QWidget()
        told = QVBoxLayout(words)
        told.setContentsMargins(0, 0, 0, 0)
        told.setSpacing(4)
        told.addWidget(self.detail_title)
        told.addWidget(self.detail_error)
        told.addWidget(self.timeline, 1)
        detail = QWidget()
        detail.setObjectName("outboxDetail")
        stack = QVBoxLayout(detail)
        stack.setContentsMargins(2, 4, 2, 2)
        stack.setSpacing(4)
        stack.addWidget(scrolled(words, "outboxDetailScroll"), 1)
        stack.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.paused_note)
        layout.addWidget(split, 1)

        bridge.status_changed.connect(self._show_status)
        bridge.snapshot_ready.connect(self._show_snapshot)

    # -- showing -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if not event.spontaneous():
            self.bridge.watch(True)
            self._first_height()
        super().showEvent(event)

    def _first_height(self) -> None:
        """The first time the dock opens it takes a modest part of the window: on a laptop the
        editor keeps room for its form (later, the height the accountant dragged stays)."""
        dock, main = self.parentWidget(), self.window()
        if self._sized or not isinstance(dock, QDockWidget) or not isinstance(main, QMainWindow):
            return
        self._sized = True
        height = max(DOCK_LEAST, int(main.height() * DOCK_SHARE))
        main.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if not event.spontaneous():
            self.bridge.watch(False)
        super().hideEvent(event)

    def _show_status(self, status: OutboxStatus) -> None:
        paused = status.paused_reason is not None
        self.model.set_paused(paused)
        self.pause_button.setText(text("outbox_ui.resume" if paused else "outbox_ui.pause"))
        self.paused_note.setText(status.message().render() if paused else "")
        self.paused_note.setVisible(paused)
        self.summary.setText(summary_words(status))

    def _show_snapshot(self, snapshot: OutboxSnapshot) -> None:
        keep = self._selected
        paused = snapshot.status.paused_reason is not None
        self.model.set_items(snapshot.items, paused, snapshot.standings)
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_item(None)
        self._show_status(snapshot.status)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.items):
            self._show_item(self.model.items[current.row()], current.row())

    def _show_item(self, item: OutboxItem | None, row: int = -1) -> None:
        if item is None:
            self._selected = None
            self.detail_title.setText(text("outbox_ui.no_selection"))
            self.detail_error.hide()
            self.copy_button.hide()
            self.open_button.setEnabled(False)
            self.timeline.set_events(())
            return
        same = item.voucher_id == self._selected
        standing = self.model.standing(item)
        # the voucher's own state is part of the stamp: a rejection read by the sync re-reads
        # the timeline at once (it never goes stale until reselected)
        stamp = (item.state, item.attempts, item.updated_at, standing)
        self._selected = item.voucher_id
        number = item.number or item.voucher_id[:8]
        title = text("outbox_ui.detail.title", number=number)
        self.detail_title.setText(f"{title} · {item.payee}" if item.payee else title)
        refused = row >= 0 and self.model.refused(row)
        words = refusal_words(standing.status, standing.reason) if standing is not None else ""
        if not words:
            words = item.last_error.render() if item.last_error else ""
        if item.maybe_committed and item.state is ItemState.PENDING:
            words = f"{words}\n{text('outbox_ui.maybe_committed')}".strip()
        colour = STATE_COLOURS[ItemState.REFUSED] if refused else "#6a4b00"
        self.detail_error.setStyleSheet(f"color: {colour};")
        self.detail_error.setText(words)
        self.detail_error.setVisible(bool(words))
        self.copy_button.setVisible(refused)
        self.open_button.setEnabled(True)
        if not same or stamp != self._selected_stamp:
            self._selected_stamp = stamp
            wanted = item.voucher_id
            self.bridge.timeline(wanted, lambda events: self._show_timeline(wanted, events))

    def voucher_moved(self, voucher_ids: tuple[str, ...]) -> None:
        """These vouchers' statuses moved (delivered, refused, the treasury's news): the
        timeline of the one chosen is read again, so it never goes stale."""
        wanted = self._selected
        if wanted is not None and wanted in voucher_ids:
            self.bridge.timeline(wanted, lambda events: self._show_timeline(wanted, events))

    def _show_timeline(self, voucher_id: str, events: list[TimelineEvent]) -> None:
        if voucher_id == self._selected:
            self.timeline.set_events(events)

    def _show_delivered(self, on: bool) -> None:
        self.bridge.set_shown_states(
            SHOWN_BY_DEFAULT | {ItemState.DELIVERED} if on else SHOWN_BY_DEFAULT)

    # -- actions -----------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        """The voucher chosen in the table."""
        return self._selected

    def copy_selected(self) -> None:
        """Copy the refused voucher chosen into a new draft (with the treasury's reason)."""
        if self._selected is not None:
            self.bridge.copy_refused(self._selected, self._copied)

    def _copied(self, copied: RefusedCopy) -> None:
        self.draft_copied.emit(copied)

    def _open_selected(self) -> None:
        if self._selected is not None:
            self.open_requested.emit(self._selected)

    def _activated(self, index: QModelIndex) -> None:
        voucher_id = self.model.data(index, ID_ROLE)
        if voucher_id:
            self.open_requested.emit(voucher_id)
