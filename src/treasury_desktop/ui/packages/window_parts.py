"""Countersigning in the main window: «Gửi ký», «Nhận chứng từ», watching a folder, and the
folder «Nhận từ máy khác».

One call from the window: ``WindowPackages(window)``. Every read and write runs on the
session's worker (one connection of its own, made there); results come back by callback. Only
the file dialogs and the report run on the GUI thread.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QListWidgetItem, QSplitter, QToolBar

from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.ui.packages.arrivals_view import ArrivalsView
from treasury_desktop.ui.packages.choosers import FileChooser, QtFileChooser
from treasury_desktop.ui.packages.dialogs import ReceiveReport, SendDialog
from treasury_desktop.ui.texts import t
from treasury_desktop.ui.worker import Outcome
from treasury_desktop.usecases.package_arrivals import arrivals

if TYPE_CHECKING:
    # Verifying and merging CMS load at the first package, not with the window (cold start).
    from treasury_desktop.store.packages import ArrivalRow
    from treasury_desktop.ui.shell import WindowShell
    from treasury_desktop.usecases.package_export import ExportResult
    from treasury_desktop.usecases.package_import import ImportResult, PackageImporter
    from treasury_desktop.usecases.package_watch import FolderWatch, Picked

SHORTCUTS = {"send": "Ctrl+Shift+G", "receive": "Ctrl+Shift+R", "arrivals": "Ctrl+8"}
WATCH_KEY = "package_watch_folder"
WATCH_FALLBACK_MS = 60_000  # a folder the OS cannot watch (some network shares) is still read


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WindowPackages(QObject):
    """The countersigning actions and folder of one main window."""

    def __init__(self, window: WindowShell, chooser: FileChooser | None = None, *,
                 watch_interval_ms: int = WATCH_FALLBACK_MS, settle_seconds: float = 2.0,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(window.host())
        self.window = window
        self.chooser: FileChooser = chooser or QtFileChooser(window.host())
        self._settle, self._clock = settle_seconds, clock
        self.watch: FolderWatch | None = None
        self._scanning = False
        self._scan_again = False
        self.send_dialog: SendDialog | None = None
        self.report: ReceiveReport | None = None
        self.last_export: ExportResult | None = None
        self.last_import: ImportResult | None = None
        self.picked: list[Picked] = []
        self.start_dir = Path.home()

        self.actions: dict[str, QAction] = {}
        menu = window.host().menuBar().addMenu(t("package.menu"))
        toolbar = window.host().findChild(QToolBar, "mainToolbar")
        for key, handler in (("send", self.send), ("receive", self.receive),
                             ("arrivals", self.show_arrivals)):
            action = QAction(t(f"package.action.{key}"), window.host())
            action.setObjectName(f"action_package_{key}")
            sequence = QKeySequence(SHORTCUTS[key])
            action.setShortcut(sequence)
            shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text()} ({shown})")
            action.setIconText(f"{action.text()}  {shown}")
            action.triggered.connect(handler)
            window.host().addAction(action)
            menu.addAction(action)
            if key != "arrivals" and isinstance(toolbar, QToolBar):
                toolbar.addAction(action)
            self.actions[key] = action
        self.watch_action = QAction(t("package.action.watch"), window.host())
        self.watch_action.setObjectName("action_package_watch")
        self.watch_action.setCheckable(True)
        self.watch_action.toggled.connect(self._watch_toggled)
        menu.addAction(self.watch_action)
        # The OS says when the folder changes (inotify, ReadDirectoryChangesW); a file still
        # being copied is read again once it has settled; the slow timer is the safety net.
        self.folder_events = QFileSystemWatcher(self)
        self.folder_events.directoryChanged.connect(self._folder_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(watch_interval_ms)
        self.timer.timeout.connect(self.scan_now)

        self.view = ArrivalsView()
        self.view.hide()
        self.view.set_watching(None)
        self.view.chosen.connect(self._open)
        self.view.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._open_row(current.row()))
        splitter = window.host().findChild(QSplitter, "centralPane")
        if isinstance(splitter, QSplitter):
            splitter.insertWidget(splitter.indexOf(window.list_pane) + 1, self.view)
        self.folder_item = QListWidgetItem(t("package.folder.name"))
        self.folder_item.setToolTip(t("package.folder.tooltip"))
        window.folders.addItem(self.folder_item)
        window.folders.currentRowChanged.connect(self._folder_row)
        window.list_pane.answered.connect(self._list_answered)
        self._submit(lambda conn: ProfileStore(conn).get(WATCH_KEY), self._watch_loaded)

    # -- worker ---------------------------------------------------------------------------

    def _submit(self, job: Callable[[sqlite3.Connection], Any],
                callback: Callable[[Outcome[Any]], None]) -> None:
        self.window.session.worker.submit(lambda _lane: job(self._on_worker()), callback)

    def _on_worker(self) -> sqlite3.Connection:
        return self.window.session.connection()  # the worker lane's one connection

    def _importer(self) -> PackageImporter:
        """On the worker: the import use case, validating with this desk's catalogue."""
        from treasury_desktop.usecases.package_import import importer_for

        ctx, conn = self.window.session.ctx, self._on_worker()
        return importer_for(conn, ctx.drafting(conn), ctx.actor, _utc_now)

    def _failed(self, outcome: Outcome[Any]) -> bool:
        if outcome.error is None:
            return False
        if isinstance(outcome.error, ExpectedError):
            self.window.prompter.inform(t("package.error.title"), str(outcome.error))
        else:
            self.window.report_error(outcome.error)
        return True

    # -- «Gửi ký» -------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        """The vouchers selected in whichever list is showing, else the one open."""
        if self.view.isVisible():
            ids = self.view.selected_ids()
            if ids:
                return ids
            current = self.window.editing.voucher_id
            return [current] if current else []
        return self.window.selected_ids()

    def send(self) -> SendDialog | None:
        """Ask where, then write the selected vouchers into one package."""
        ids = self.selected_ids()
        if not ids:
            self.window.show_status(t("package.send.none"), 8000)
            return None
        self.window.editing.flush()
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        dialog = SendDialog(len(ids), self.chooser, self.start_dir,
                            f"goi-chung-tu-{stamp}.tdpkg", self.window.host())
        dialog.accepted.connect(lambda: self._export(ids, dialog.destination))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.send_dialog = dialog
        dialog.open()
        return dialog

    def _export(self, ids: list[str], destination: Path | None) -> None:
        if destination is None:
            return
        self.start_dir = destination if destination.is_dir() else destination.parent
        actor = self.window.session.ctx.actor

        def job(conn: sqlite3.Connection) -> ExportResult:
            from treasury_desktop.usecases.package_export import PackageExporter

            exporter = PackageExporter(conn, actor, _utc_now)
            return exporter.write(exporter.prepare(ids), destination)

        self._submit(job, self._exported)

    def _exported(self, outcome: Outcome[ExportResult]) -> None:
        if self._failed(outcome) or outcome.value is None:
            return
        result = self.last_export = outcome.value
        self.window.show_status(text(
            "package.cli.exported", path=str(result.path), count=len(result.exported),
            size=result.size), 15_000)
        if result.refused:
            self.window.prompter.inform(t("package.send.title"), "\n".join(
                message.render() for _id, message in result.refused))

    # -- «Nhận chứng từ» ------------------------------------------------------------------

    def receive(self) -> None:
        """Choose a package file and read it."""
        path = self.chooser.open_file(self.start_dir)
        if path is not None:
            self.start_dir = path.parent
            self.receive_file(path)

    def receive_file(self, path: Path) -> None:
        """Read one package on the worker; the report follows."""
        self._submit(lambda _conn: self._importer().import_file(path), self._received)

    def _received(self, outcome: Outcome[ImportResult]) -> None:
        if self._failed(outcome) or outcome.value is None:
            return
        self.last_import = outcome.value
        self.report = ReceiveReport(outcome.value, self.window.host())
        self.report.open()
        self.window.refresh()
        self.load_arrivals()

    # -- watching a folder ----------------------------------------------------------------

    def _watch_loaded(self, outcome: Outcome[Any]) -> None:
        if outcome.error is None and isinstance(outcome.value, str) and outcome.value:
            self.start_watching(Path(outcome.value), remember=False)

    def _watch_toggled(self, checked: bool) -> None:
        if checked and self.watch is None:
            folder = self.chooser.folder(self.start_dir)
            if folder is None:
                self.watch_action.setChecked(False)
                return
            self.start_watching(folder)
        elif not checked and self.watch is not None:
            self.stop_watching()

    def start_watching(self, folder: Path, *, remember: bool = True) -> None:
        """Pick up packages arriving in ``folder`` (read on the worker when the OS says the
        folder changed, and every minute in case it cannot say)."""
        from treasury_desktop.usecases.package_watch import FolderWatch

        self.watch = FolderWatch(folder, self._importer, settle_seconds=self._settle,
                                 clock=self._clock)
        self.view.set_watching(str(folder))
        self.watch_action.blockSignals(True)
        self.watch_action.setChecked(True)
        self.watch_action.blockSignals(False)
        if remember:
            self._submit(lambda conn: ProfileStore(conn).set(WATCH_KEY, str(folder)), _ignore)
        self.folder_events.addPath(str(folder))  # False where the OS cannot: the timer reads
        self.timer.start()
        self.scan_now()

    def stop_watching(self) -> None:
        """Stop watching (and forget the folder)."""
        self.timer.stop()
        if self.folder_events.directories():
            self.folder_events.removePaths(self.folder_events.directories())
        self.watch = None
        self.view.set_watching(None)
        self.watch_action.blockSignals(True)
        self.watch_action.setChecked(False)
        self.watch_action.blockSignals(False)
        self._submit(lambda conn: ProfileStore(conn).set(WATCH_KEY, ""), _ignore)

    def _folder_changed(self, _path: str) -> None:
        self.scan_now()
        # A file still being copied is skipped by that scan: look again once it has settled.
        QTimer.singleShot(int(self._settle * 1000) + 250, self.scan_now)

    def scan_now(self) -> None:
        """Look in the watched folder now (one scan at a time; asked during one, once more
        after it)."""
        watch = self.watch
        if watch is None:
            return
        if self._scanning:
            self._scan_again = True
            return
        self._scanning = True
        self._submit(lambda _conn: watch.scan(), self._scanned)

    def _scanned(self, outcome: Outcome[list[Picked]]) -> None:
        self._scanning = False
        if self._scan_again:
            self._scan_again = False
            QTimer.singleShot(0, self.scan_now)
        if self._failed(outcome) or not outcome.value:
            return
        self.picked.extend(outcome.value)
        notes = []
        for picked in outcome.value:
            if picked.result is not None:
                result = picked.result
                ok = sum(1 for item in result.items if item.ok)
                notes.append(t("package.watch.picked", desk=result.desk.name, ok=ok,
                               total=len(result.items), file=picked.path.name))
            elif picked.refusal is not None:
                notes.append(t("package.watch.refused", file=picked.path.name,
                               reason=picked.refusal.render()))
        self.window.show_status("  ·  ".join(notes), 30_000)
        self.window.refresh()
        self.load_arrivals()

    # -- «Nhận từ máy khác» ---------------------------------------------------------------

    def show_arrivals(self) -> None:
        """Ctrl+8: the folder of what arrived from other desks."""
        self.window.folders.setCurrentItem(self.folder_item)

    def load_arrivals(self) -> None:
        """Read the arrivals again (on the worker)."""
        self._submit(arrivals, self._arrivals_loaded)

    def _arrivals_loaded(self, outcome: Outcome[list[ArrivalRow]]) -> None:
        if not self._failed(outcome) and outcome.value is not None:
            self.view.set_rows(outcome.value)
            if outcome.value and self.view.isVisible():
                self.view.table.selectRow(0)  # the editor shows the newest arrival

    def _folder_row(self, row: int) -> None:
        showing = self.window.folders.item(row) is self.folder_item
        if showing == self.view.isVisible():
            return
        splitter = self.view.parentWidget()
        sizes = splitter.sizes() if isinstance(splitter, QSplitter) else []
        self.window.list_pane.setVisible(not showing)
        self.view.setVisible(showing)
        if isinstance(splitter, QSplitter):
            # The pane shown takes the place (and width) of the one hidden.
            shown, hidden = ((self.view, self.window.list_pane) if showing
                             else (self.window.list_pane, self.view))
            sizes[splitter.indexOf(shown)] = max(sizes[splitter.indexOf(hidden)], 400)
            sizes[splitter.indexOf(hidden)] = 0
            splitter.setSizes(sizes)
        if showing:
            self.load_arrivals()

    def _list_answered(self) -> None:
        if self.view.isVisible():
            self.load_arrivals()

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.view.model.rowCount():
            arrival = self.view.model.arrival(row)
            if arrival.status is not None:
                self._open(arrival.voucher_id)

    def _open(self, voucher_id: str) -> None:
        self.window.editing.open(voucher_id)

    def close(self) -> None:
        """Stop the timer (the worker's connection closes with the context)."""
        self.timer.stop()


def _ignore(_outcome: Outcome[Any]) -> None:
    pass
