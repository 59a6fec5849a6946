"""The main window: folders, the voucher list and the editor, side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QToolBar, QWidget

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.records import Folder
from treasury_desktop.ui.actions import build_actions
from treasury_desktop.ui.context_menus import list_menu
from treasury_desktop.ui.dialogs import Prompter, QtPrompter
from treasury_desktop.ui.editing import EditingController
from treasury_desktop.ui.editor import VoucherEditor
from treasury_desktop.ui.excel.window_hookup import WindowExcel
from treasury_desktop.ui.folders import ORDER, FolderList
from treasury_desktop.ui.packages.window_parts import WindowPackages
from treasury_desktop.ui.printing.window_hookup import WindowPrinting
from treasury_desktop.ui.screen_fit import DialogFit, ToolbarRows, fit_editor
from treasury_desktop.ui.session import Session
from treasury_desktop.ui.signing.window_hookup import WindowSigning
from treasury_desktop.ui.texts import t
from treasury_desktop.ui.voucher_list import VoucherListPane
from treasury_desktop.usecases.drafting import SaveResult

if TYPE_CHECKING:
    from treasury_desktop.ui.signing.runtime import TokenRuntime


class MainWindow(QMainWindow):
    """Everything an accountant needs to draft vouchers, keyboard first."""

    def __init__(
        self, session: Session, *, demo: bool = False, prompter: Prompter | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.qt_texts: QTranslator | None = None  # Vietnamese for Qt's own texts (launch.py)
        self.setObjectName("mainWindow")
        self.prompter: Prompter = prompter or QtPrompter(self, session.ctx.data_dir)
        session.on_error = self.report_error
        title = t("window.title")
        self.setWindowTitle(f"{title} — {t('window.demo')}" if demo else title)

        # The worker reads the list's first page and its first voucher while the window is
        # built (launch.py asks even earlier); the list's first query below is answered by it.
        session.prefetch()
        self.folders = FolderList()
        self.list_pane = VoucherListPane(session.run_query, session.request_page)
        self.editor = VoucherEditor(session.catalog)
        fit_editor(self.editor)  # never narrower than its form: the list gives way instead
        self.dialog_fit = DialogFit(self)  # every dialog opened over the window fits the screen
        self.editing = EditingController(session, self.editor, self.prompter)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("centralPane")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.folders)
        splitter.addWidget(self._padded(self.list_pane))
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 6)
        splitter.setSizes([130, 590, 680])
        self.setCentralWidget(splitter)
        self.folders.setMinimumWidth(120)
        self.folders.setMaximumWidth(200)

        handlers = {
            "new": self.editing.new, "save": self.editing.save_now,
            "copy": self.editing.copy_as_new, "delete": self.editing.delete,
            "quit": self.close, "add_line": self._add_line, "remove_line": self._remove_line,
            "find": self.focus_search, "refresh": self.refresh,
            **{f"folder{i}": self._folder_handler(folder) for i, folder in enumerate(ORDER, 1)},
        }
        self.action_map = build_actions(self, handlers, self.list_pane.table)
        self.excel = WindowExcel(self)  # Nhập từ Excel / Xuất danh sách ra Excel
        toolbar = self.findChild(QToolBar, "mainToolbar")
        assert isinstance(toolbar, QToolBar)
        self.toolbar_rows = ToolbarRows(self, toolbar)  # no action behind "»" on a laptop
        self.signing = WindowSigning(self)  # Ký (Kế toán trưởng) / Ký (Chủ tài khoản)
        self.packages = WindowPackages(self)  # Gửi ký / Nhận chứng từ / Nhận từ máy khác
        self.printing = WindowPrinting(self)  # Xem trước khi in (Ctrl+P)
        list_menu(self.list_pane.table, [
            self.action_map["copy"], None, *self.signing.actions.values(), None,
            self.action_map["refresh"]])
        self.state_label = QLabel()
        self.statusBar().addPermanentWidget(self.state_label)
        if demo:
            self.statusBar().showMessage(t("window.demo_note"))

        self.folders.folder_chosen.connect(self._folder_chosen)
        self.list_pane.chosen.connect(self.editing.open)
        self.list_pane.table.activated.connect(lambda _index: self.focus_editor())
        self.list_pane.answered.connect(self._list_answered)
        self.editing.saved.connect(self._saved)
        self.editing.opened.connect(self._count_problems)  # the counter follows the voucher
        self.editing.deleted.connect(self._deleted)
        self._first_answer = True  # folder counts follow the first answer: the list comes first
        self.list_pane.refresh()

    @staticmethod
    def _padded(widget: QWidget) -> QWidget:
        widget.setContentsMargins(6, 6, 6, 4)
        return widget

    # -- actions ----------------------------------------------------------------------------

    def host(self) -> QMainWindow:
        """The Qt window itself (the shell's host, for the window's features)."""
        return self

    def show_status(self, message: str, timeout_ms: int = 8000) -> None:
        """A passing message in the status bar (the shell's)."""
        self.statusBar().showMessage(message, timeout_ms)

    def selected_ids(self) -> list[str]:
        """The vouchers selected in the list, else the one open in the editor."""
        pane = self.list_pane
        rows = sorted(index.row() for index in pane.table.selectionModel().selectedRows())
        ids = [voucher_id for row in rows if (voucher_id := pane.model.voucher_id(row))]
        if not ids and self.editing.voucher_id is not None:
            ids = [self.editing.voucher_id]
        return ids

    def token_runtime(self) -> TokenRuntime:
        """The one token thread, owned by the window's signing."""
        return self.signing.runtime

    def show_signers(self) -> None:
        """«Người ký» (the window's signing opens it)."""
        self.signing.show_signers()

    def refresh(self) -> None:
        """List and counts again (F5); the list first, it is what the eye waits for."""
        self.list_pane.refresh()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """The folder counts again, from the worker."""
        self.session.folder_counts(self.folders.set_counts)

    def focus_search(self) -> None:
        """Ctrl+F: type to search."""
        self.list_pane.search.setFocus()
        self.list_pane.search.selectAll()

    def focus_editor(self) -> None:
        """Enter on a voucher in the list: start typing in its first field."""
        if self.editor.isEnabled() and not self.editor.read_only:
            self.editor.widget(self.editor.tab_fields()[0]).setFocus()

    def _folder_handler(self, folder: Folder) -> Callable[[], None]:
        return lambda: self.folders.choose(folder)

    def _folder_chosen(self, folder: Folder) -> None:
        self.list_pane.set_folder(folder)

    def _add_line(self) -> None:
        if not self.editor.read_only and (grid := self.editor.focused_grid()) is not None:
            grid.add_line()

    def _remove_line(self) -> None:
        if not self.editor.read_only and (grid := self.editor.focused_grid()) is not None:
            grid.remove_current_line()

    # -- results ----------------------------------------------------------------------------

    def _list_answered(self) -> None:
        if self._first_answer:
            self._first_answer = False
            if self.list_pane.model.rowCount():
                self.list_pane.select_first()
            else:  # a new desk: start the first voucher right away
                self.editing.new()
            self.session.folder_counts(self.folders.set_counts)
        elif self.editing.voucher_id is None:  # after a delete: show the next voucher
            self.list_pane.select_first()

    def _deleted(self, _voucher_id: str) -> None:
        self.refresh()

    def _count_problems(self, voucher_id: str) -> None:
        row = self.list_pane.model.row_of(voucher_id)
        problems = self.list_pane.model.row_record(row).problems if row >= 0 else 0
        self.state_label.setText(t("editor.problems", count=problems) if problems else "")

    def _saved(self, result: SaveResult) -> None:
        stored = result.stored
        if not self.list_pane.model.update_voucher(stored.voucher, stored.status, stored.problems):
            self.list_pane.refresh(keep_id=stored.voucher.id)
        self.session.folder_counts(self.folders.set_counts)
        self.state_label.setText(t("editor.problems", count=len(result.problems))
                                 if result.problems else "")

    def report_error(self, error: BaseException) -> None:
        """Expected errors as a plain message; anything else is a bug: the crash dialog."""
        if isinstance(error, ExpectedError):
            self.prompter.inform(t("error.title"), str(error))
        else:
            self.prompter.crash(error)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.editing.flush()
        super().closeEvent(event)
