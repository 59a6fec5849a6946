"""Puts the outbox into the main window: a dock, the status-bar indicator, the notices, the
Send now / Pause actions, and the follow-up panel under the editor.

Everything is attached from outside through the window's public parts, so the window itself
needs one call: ``OutboxWindowParts(window, sender, sync)``; ``close()`` before the sender.

The window's own "Sao chép thành mới" (Ctrl+D) is routed here first: for a voucher the treasury
rejected or returned it makes the copy with the reason shown beside it; for any other voucher it
calls the window's handler as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from treasury_desktop.domain.events import (
    Delivered,
    Event,
    FinalWord,
    Refused,
    StatusChanged,
    concerns,
)
from treasury_desktop.domain.workflow import EDITABLE, REFUSED, VoucherState
from treasury_desktop.i18n import text
from treasury_desktop.outbox.model import OutboxChange, OutboxStatus
from treasury_desktop.ui.outbox.bridge import OutboxBridge, RefusedCopy
from treasury_desktop.ui.outbox.estimate_warning import EstimateCheck
from treasury_desktop.ui.outbox.follow_up import FollowUpPanel
from treasury_desktop.ui.outbox.notifier import Notifier
from treasury_desktop.ui.outbox.outbox_view import OutboxView
from treasury_desktop.ui.outbox.send_offer import SendOffer
from treasury_desktop.ui.outbox.status_indicator import OutboxIndicator
from treasury_desktop.ui.outbox.status_refresh import add_status_refresh
from treasury_desktop.ui.shell import WindowShell
from treasury_desktop.usecases.queueing import QueueOutcome, QueueResult

if TYPE_CHECKING:
    from treasury_desktop.outbox.sender import Sender
    from treasury_desktop.sync.service import StatusSync

SHORTCUTS = {"queue": "Ctrl+Return", "show": "Ctrl+7", "send_now": "F9", "pause": "Shift+F9"}
LIST_REFRESH_MS = 1500  # statuses moved: the list and the counts follow, not at every commit


class OutboxWindowParts(QObject):
    """The outbox's pieces in ``window``, wired to ``sender`` (and ``sync`` when given)."""

    def __init__(self, shell: WindowShell, sender: Sender, sync: StatusSync | None = None, *,
                 use_tray: bool | None = None) -> None:
        window = shell.host()
        super().__init__(window)
        self.window = shell
        self.bridge = OutboxBridge(sender, shell.session, sync=sync, parent=self)
        self.notes: dict[str, str] = {}  # draft id -> the refusal note shown beside it

        self.view = OutboxView(self.bridge)
        self.dock = QDockWidget(text("outbox_ui.title"), window)
        self.dock.setObjectName("outboxDock")
        self.dock.setWidget(self.view)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()

        self.indicator = OutboxIndicator()
        self.notifier = Notifier(use_tray=use_tray)
        # permanent widgets: a status-bar message (the demo's note) must not hide them
        window.statusBar().addPermanentWidget(self.notifier, 1)
        window.statusBar().addPermanentWidget(self.indicator)

        self.panel = FollowUpPanel(self.bridge)
        self.send_offer = SendOffer()  # after the last signature: Gửi Kho bạc, right there
        editor_layout = shell.editor.layout()
        if editor_layout is not None:
            editor_layout.addWidget(self.send_offer)
            editor_layout.addWidget(self.panel)
        self.send_offer.send.connect(lambda ids: self.bridge.queue(ids, self._queued))
        signing = getattr(shell, "signing", None)  # the window's signing, when it has one
        if signing is not None:
            signing.fully_signed.connect(self.send_offer.offer)
        self.estimates = EstimateCheck(self.panel.estimate, shell.editor.voucher,
                                       self.bridge.over_estimate, self)

        self.actions = self._add_actions(window)
        self.status_sync = add_status_refresh(window, self.bridge.sync_now)  # Ctrl+F5
        self._route_copy(shell)
        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(LIST_REFRESH_MS)
        self._list_timer.timeout.connect(self._refresh_list)

        self.bridge.status_changed.connect(self._status)
        self.bridge.detached_changed.connect(
            lambda: self.indicator.set_detached(self.bridge.detached))
        events = shell.session.events  # the core's news: no polling
        self._unsubscribe = [
            events.subscribe(OutboxChange, self._changed),
            events.subscribe((Delivered, Refused, StatusChanged, FinalWord), self._moved),
            events.subscribe(StatusChanged, self.notifier.tell)]  # one notice per page
        self.indicator.clicked.connect(self.show_outbox)
        self.view.open_requested.connect(self.open_voucher)
        self.view.draft_copied.connect(self._copied)
        self.panel.copy_requested.connect(
            lambda voucher_id: self.bridge.copy_refused(voucher_id, self._copied))
        self.notifier.activated.connect(self.open_voucher)
        shell.editing.opened.connect(self._opened)
        shell.editing.saved.connect(lambda _result: self._queue_allowed())
        shell.editor.edited.connect(self._edited)
        if shell.editing.voucher_id is not None:  # a voucher was opened before we came
            self._opened(shell.editing.voucher_id)
        self.bridge.refresh()

    def _add_actions(self, window: QMainWindow) -> dict[str, QAction]:
        menu = window.menuBar().addMenu(text("outbox_ui.title"))
        toolbar = window.findChild(QToolBar, "mainToolbar")
        made: dict[str, QAction] = {}
        handlers: dict[str, Callable[[], None]] = {
            "queue": self.queue_shown, "show": self.show_outbox,
            "send_now": self.bridge.send_now, "pause": self.bridge.toggle_pause}
        for key, handler in handlers.items():
            action = QAction(text(f"outbox_ui.{key}" if key != "show" else "outbox_ui.title"),
                             window)
            action.setObjectName(f"action_outbox_{key}")
            action.triggered.connect(handler)
            made[key] = action
        for key, action in made.items():
            sequence = QKeySequence(SHORTCUTS[key])
            action.setShortcut(sequence)
            shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text()} ({shown})")
            window.addAction(action)
            menu.addAction(action)
            if toolbar is not None and key in ("queue", "send_now", "pause"):
                # like the window's own toolbar: the name with its shortcut, learnt by sight
                action.setIconText(f"{action.text()}  {shown}")
                toolbar.addAction(action)
        made["queue"].setEnabled(False)
        return made

    def _route_copy(self, window: WindowShell) -> None:
        copy = window.action_map.get("copy")
        if copy is None:
            return
        copy.triggered.disconnect()
        copy.triggered.connect(self.copy_shown)

    def copy_shown(self) -> None:
        """Ctrl+D: a refused voucher is copied with its reason; any other as the window does."""
        editing = self.window.editing
        if editing.voucher_id is not None and editing.status in REFUSED:
            self.bridge.copy_refused(editing.voucher_id, self._copied)
        else:
            editing.copy_as_new()

    # -- reacting ----------------------------------------------------------------------------

    def _status(self, status: OutboxStatus) -> None:
        self.indicator.set_status(status)
        paused = status.paused_reason is not None
        pause = self.actions["pause"]
        words = text("outbox_ui.resume" if paused else "outbox_ui.pause")
        if pause.text() != words:
            shown = pause.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            pause.setText(words)
            pause.setIconText(f"{words}  {shown}")
            pause.setToolTip(f"{words} ({shown})")

    def _changed(self, change: OutboxChange) -> None:
        if change.voucher_ids:
            self.panel.changed(change.voucher_ids)
            self._list_follows()

    def _moved(self, event: Event) -> None:
        """A voucher's status moved (delivered, refused, the feed's news): the timelines that
        show it, the editor when it shows it, and the list follow."""
        ids = concerns(event)
        self.panel.changed(ids)
        self.view.voucher_moved(ids)
        editing = self.window.editing
        if editing.voucher_id in ids and editing.status not in EDITABLE:
            editing.open(editing.voucher_id, force=True)  # its banner and state, now
        self._list_follows()

    def _list_follows(self) -> None:
        if not self._list_timer.isActive():  # a long drain still refreshes every 1.5 s
            self._list_timer.start()

    def _refresh_list(self) -> None:
        window = self.window
        window.list_pane.refresh(keep_id=window.editing.voucher_id)
        window.refresh_counts()

    def _opened(self, voucher_id: str) -> None:
        status = self.window.editing.status
        if voucher_id not in self.send_offer.ids:
            self.send_offer.withdraw()
        self._queue_allowed()
        self.panel.show_voucher(voucher_id, status)
        note = self.notes.get(voucher_id)
        if note and status in (None, VoucherState.DRAFT):  # a signed one keeps its own banner
            self.window.editor.set_read_only(self.window.editor.read_only, note)
        if status is None or status in EDITABLE:
            self.estimates.check_now()

    def _queue_allowed(self) -> None:
        """Gửi Kho bạc only for the voucher shown once both have signed it."""
        signed = self.window.editing.status is VoucherState.SIGNED_HOLDER
        self.actions["queue"].setEnabled(signed)

    def _edited(self) -> None:
        self.estimates.edited()

    # -- actions -----------------------------------------------------------------------------

    def show_outbox(self) -> None:
        """Show the outbox dock and put the keyboard in its table."""
        self.dock.show()
        self.dock.raise_()
        self.view.table.setFocus()

    def open_voucher(self, voucher_id: str) -> None:
        """Show a voucher in the editor (and in the list when its folder holds it)."""
        self.window.editing.open(voucher_id)
        self.window.list_pane.select(voucher_id)

    def queue_shown(self) -> None:
        """Gửi Kho bạc: put the voucher shown (signed by both) into the outbox."""
        editing = self.window.editing
        voucher_id = editing.voucher_id
        if voucher_id is None or editing.status is not VoucherState.SIGNED_HOLDER:
            return
        editing.flush()
        self.bridge.queue([voucher_id], self._queued)

    def _queued(self, results: list[QueueResult]) -> None:
        window = self.window
        for result in results:
            if result.outcome is QueueOutcome.QUEUED:
                window.host().statusBar().showMessage(text("outbox_ui.queued"), 8000)
            elif not result.ok:
                window.prompter.inform(text("outbox_ui.queue_failed"), result.message.render())
            if result.voucher_id == window.editing.voucher_id:
                window.editing.open(result.voucher_id, force=True)  # now read-only, followed
        self._refresh_list()

    def _copied(self, copy: RefusedCopy) -> None:
        self.notes[copy.voucher_id] = copy.note()
        self.window.editing.open(copy.voucher_id)
        self.window.list_pane.refresh(keep_id=copy.voucher_id)
        self.window.refresh_counts()

    def close(self) -> None:
        """Stop listening to the sender and the sync (before they are closed)."""
        self._list_timer.stop()
        self.estimates.timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self.bridge.close()
        self.notifier.close_tray()
