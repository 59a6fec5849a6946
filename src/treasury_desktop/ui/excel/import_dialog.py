"""«Nhập từ Excel»: choose the sheet, confirm or change the column mapping while the first rows
show underneath, check (dry run) or import with a progress bar, read the report, save the
refused rows to fix. Every file read and every import runs on the worker lane."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.i18n import current_language, text
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.columns import FIELDS_BY_KIND, IGNORED, SALARY_PREFIX, SheetKind
from treasury_desktop.sheets.error_report import write_error_report
from treasury_desktop.sheets.mapping import ColumnMapping, MappingCheck
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.ui.excel.jobs import (
    Finished,
    Progress,
    Proposal,
    import_job,
    propose_job,
    recheck,
)
from treasury_desktop.ui.session import Session
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.import_report import describe_check

ChooseSave = Callable[[str, str], str | None]  # (title, suggested name) -> path or None


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def _field_name(field: str | None) -> str:
    if field is None:
        return t("excel.unmapped")
    if field.startswith(SALARY_PREFIX):
        return f"{text('excel.field.salary')}: {field.removeprefix(SALARY_PREFIX)}"
    return text(f"excel.field.{field}")


class ImportDialog(QDialog):
    """One import, from the proposal to the report. ``finished_import`` runs after a real
    (not dry-run) import so the window can refresh its list."""

    def __init__(
        self, session: Session, path: Path, choose_save: ChooseSave,
        on_imported: Callable[[], None] | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("excelImportDialog")
        self.setWindowTitle(t("excel.import_title", name=path.name))
        self.resize(980, 640)
        self._session = session
        self._path = path
        self._choose_save = choose_save
        self._on_imported = on_imported
        self.proposal: Proposal | None = None
        self.mapping: ColumnMapping | None = None
        self.finished_result: Finished | None = None
        self.progress = Progress(self)
        self.progress.changed.connect(self._progressed)

        self.sheet = _named(QComboBox(), "sheet")
        self.kind = _named(QComboBox(), "kind")
        for kind in SheetKind:
            self.kind.addItem(t(f"excel.kind.{kind.value}"), kind)
        top = QHBoxLayout()
        top.addWidget(QLabel(t("excel.sheet")))
        top.addWidget(self.sheet, 1)
        top.addWidget(QLabel(t("excel.kind")))
        top.addWidget(self.kind, 1)

        self.columns = _named(QTableWidget(0, 2), "mappingTable")
        self.columns.setHorizontalHeaderLabels([t("excel.column"), t("excel.field")])
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.columns.verticalHeader().setVisible(False)
        self.preview = _named(QTableWidget(0, 0), "previewTable")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.check_label = _named(QLabel(), "mappingCheck")
        self.check_label.setWordWrap(True)
        self.bar = _named(QProgressBar(), "importProgress")
        self.bar.setVisible(False)
        self.report = _named(QPlainTextEdit(), "importReport")
        self.report.setReadOnly(True)
        self.report.setVisible(False)

        self.dry_run = _named(QCheckBox(t("excel.dry_run")), "dryRun")
        self.save_mapping = _named(QPushButton(t("excel.save_mapping")), "saveMapping")
        self.save_errors = _named(QPushButton(t("excel.save_errors")), "saveErrors")
        self.save_errors.setEnabled(False)
        self.start = _named(QPushButton(t("excel.start")), "startImport")
        self.start.setDefault(True)
        self.start.setEnabled(False)
        close = _named(QPushButton(t("excel.close")), "closeImport")
        buttons = QHBoxLayout()
        for widget in (self.save_mapping, self.save_errors, self.dry_run):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.start)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(t("excel.mapping_hint")))
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.check_label)
        self._preview_label = QLabel(t("excel.preview", rows=0))
        layout.addWidget(self._preview_label)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.bar)
        layout.addWidget(self.report, 2)
        layout.addLayout(buttons)

        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentText(), None))
        self.kind.activated.connect(
            lambda _i: self.load(self.sheet.currentText() or None, self.kind.currentData()))
        self.save_mapping.clicked.connect(self._save_mapping)
        self.save_errors.clicked.connect(self._save_errors)
        self.start.clicked.connect(self._start)
        close.clicked.connect(self.reject)
        self.load(None, None)

    # -- the proposal ------------------------------------------------------------------------

    def load(self, sheet: str | None, kind: SheetKind | None) -> None:
        """Read (again) the header and the first rows, on the worker."""
        self.start.setEnabled(False)
        path = self._path
        self._session.run(lambda _lane: propose_job(path, sheet, kind), self._proposed)

    def _proposed(self, proposal: Proposal) -> None:
        self.proposal = proposal
        self.sheet.clear()
        self.sheet.addItems(list(proposal.sheets))
        self.sheet.setCurrentText(proposal.sheet)
        self.kind.setCurrentIndex(self.kind.findData(proposal.mapping.kind))
        self._show_mapping(proposal.mapping, proposal.check)
        self._show_preview(proposal)

    def _show_mapping(self, mapping: ColumnMapping, check: MappingCheck) -> None:
        self.mapping = mapping
        self.columns.setRowCount(len(mapping.headers))
        choices = [IGNORED, *sorted(FIELDS_BY_KIND[mapping.kind] - {IGNORED})]
        for row, (header, field) in enumerate(zip(mapping.headers, mapping.fields, strict=True)):
            self.columns.setItem(row, 0, QTableWidgetItem(header or "—"))
            combo = QComboBox()
            combo.setObjectName(f"field_{row}")
            if field is None:
                combo.addItem(t("excel.unmapped"), None)
            extra = [field] if field and field not in choices else []
            for choice in [*extra, *choices]:
                combo.addItem(_field_name(choice), choice)
            combo.setCurrentIndex(combo.findData(field) if field else 0)
            combo.activated.connect(lambda _i, r=row, c=combo: self.set_field(r, c.currentData()))
            self.columns.setCellWidget(row, 1, combo)
        self._show_check(check)

    def set_field(self, column: int, field: str | None) -> None:
        """The accountant maps a column to another field (or to none)."""
        if self.mapping is None:
            return
        self.mapping = self.mapping.with_field(column, field)
        self._show_check(recheck(self.mapping))
        if self.proposal is not None:
            self._show_preview(self.proposal)

    def _show_check(self, check: MappingCheck) -> None:
        complete = check.complete
        self.check_label.setText(t("excel.mapping_ok") if complete else describe_check(check))
        self.check_label.setStyleSheet("" if complete else "color: #b42318;")
        self.start.setEnabled(complete)

    def _show_preview(self, proposal: Proposal) -> None:
        mapping = self.mapping or proposal.mapping
        self.preview.setColumnCount(len(mapping.headers))
        self.preview.setHorizontalHeaderLabels([
            f"{h}\n{_field_name(f)}" for h, f in zip(mapping.headers, mapping.fields, strict=True)
        ])
        self.preview.setRowCount(len(proposal.preview))
        self.preview.setVerticalHeaderLabels([str(r.number) for r in proposal.preview])
        for r, row in enumerate(proposal.preview):
            for c in range(len(mapping.headers)):
                value = row.cells[c] if c < len(row.cells) else None
                self.preview.setItem(r, c, QTableWidgetItem(cells.shown(value)))
        self._preview_label.setText(t("excel.preview", rows=len(proposal.preview)))

    # -- running -----------------------------------------------------------------------------

    def _start(self) -> None:
        if self.mapping is None or self.proposal is None:
            return
        self.start.setEnabled(False)
        self.bar.setVisible(True)
        self.bar.setValue(0)
        self.bar.setMaximum(0)  # busy until the first figure arrives
        dry_run = self.dry_run.isChecked()
        job = import_job(self._session.ctx, self._path, self.proposal.sheet, self.mapping,
                         dry_run, self.progress, current_language())
        self._session.run(job, lambda result: self._finished(result, dry_run))

    def _progressed(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _finished(self, result: Finished, dry_run: bool) -> None:
        self.finished_result = result
        self.bar.setMaximum(1)
        self.bar.setValue(1)
        self.report.setVisible(True)
        self.report.setPlainText("\n".join(result.lines))
        self.save_errors.setEnabled(bool(result.refused))
        self.start.setEnabled(True)
        if not dry_run and self._on_imported is not None:
            self._on_imported()

    # -- saving ------------------------------------------------------------------------------

    def _save_mapping(self) -> None:
        if self.mapping is None:
            return
        path = self._choose_save(t("excel.save_mapping"), f"{self._path.stem}.mapping.json")
        if path:
            self.mapping.to_file(path)

    def _save_errors(self) -> None:
        result, proposal = self.finished_result, self.proposal
        if result is None or proposal is None or self.mapping is None:
            return
        path = self._choose_save(t("excel.save_errors"), f"{self._path.stem}-loi.xlsx")
        if not path:
            return
        header_row, sheet, source_path = self.mapping.header_row, proposal.sheet, self._path
        lang = current_language()

        def job(_lane: object) -> int:
            return write_error_report(
                SheetSource(source_path, sheet), header_row, result.refused, path, lang)

        self._session.run(job, lambda _rows: None)
