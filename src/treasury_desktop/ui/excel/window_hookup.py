"""The main window's Excel menu: «Nhập từ Excel…» and «Xuất danh sách ra Excel…».

One call from the window (``WindowExcel(window)``) adds the menu. The export writes the list as
it is shown: its folder, search text and order. File choosers are injectable (tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from treasury_desktop.domain.money import format_vnd
from treasury_desktop.i18n import current_language, text
from treasury_desktop.ui.texts import t

if TYPE_CHECKING:  # the sheets and their readers load at the first use (cold start)
    from treasury_desktop.sheets.export import ExportTotals
    from treasury_desktop.ui.excel.import_dialog import ImportDialog
    from treasury_desktop.ui.shell import WindowShell

ChooseFile = Callable[[str, str], str | None]


class WindowExcel(QObject):
    """The Excel actions of one main window."""

    def __init__(
        self, window: WindowShell, choose_open: ChooseFile | None = None,
        choose_save: ChooseFile | None = None,
    ) -> None:
        super().__init__(window.host())
        self._window = window
        self.choose_open = choose_open or self._open_dialog
        self.choose_save = choose_save or self._save_dialog
        self.dialog: ImportDialog | None = None
        menu = window.host().menuBar().addMenu(t("excel.menu"))
        self.actions: dict[str, QAction] = {}
        for key, shortcut, handler in (
            ("import", "Ctrl+Shift+I", self.start_import),
            ("export", "Ctrl+Shift+E", self.export_list),
        ):
            action = QAction(t(f"excel.action.{key}"), window.host())
            action.setObjectName(f"action_excel_{key}")
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(handler)
            window.host().addAction(action)
            menu.addAction(action)
            self.actions[key] = action

    def start_import(self) -> None:
        """Choose a file, then open the import dialog on it."""
        path = self.choose_open(t("excel.action.import"), "")
        if not path:
            return
        from treasury_desktop.ui.excel.import_dialog import ImportDialog

        self.dialog = ImportDialog(
            self._window.session, Path(path), self.choose_save,
            on_imported=self._window.refresh, parent=self._window.host(),
        )
        self.dialog.show()

    def export_list(self) -> None:
        """Write the list as shown to an .xlsx, on the worker."""
        path = self.choose_save(t("excel.action.export"), t("excel.export_name"))
        if not path:
            return
        pane = self._window.list_pane
        query = replace(pane.model.query, text=pane.search.text().strip())
        from treasury_desktop.ui.excel.jobs import export_job

        job = export_job(self._window.session.ctx, query, path, current_language())
        self._window.session.run(job, lambda totals: self._exported(path, totals))

    def _exported(self, path: str, totals: ExportTotals) -> None:
        self._window.show_status(text(
            "excel.exported", path=path, vouchers=totals.vouchers, lines=totals.lines,
            total=format_vnd(totals.total)))

    def _open_dialog(self, title: str, _suggested: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self._window.host(), title, "", t("excel.file_filter"))
        return path or None

    def _save_dialog(self, title: str, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self._window.host(), title, suggested)
        return path or None
