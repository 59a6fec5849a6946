"""Xem trước khi in: the PDF's pages, then «In…» (Qt's print dialog) or «Lưu PDF…»."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.ui.printing.pages import page_count, page_images
from treasury_desktop.ui.texts import t

PREVIEW_DPI = 96.0
PRINT_DPI = 300  # enough for the QR code and 7-point stamps; more only slows the spooler


class PrintPreview(QDialog):
    """The pages of one PDF, as the printer will get them."""

    def __init__(self, pdf: bytes, pages: list[QImage], suggested_name: str,
                 parent: QWidget | None = None,
                 sign: Callable[[SignerRole, bytes], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(t("print.preview_title", count=len(pages)))
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.page_labels: list[QLabel] = []
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for image in pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            layout.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll.setStyleSheet("QScrollArea { background: #707070; }")
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(t("print.print"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = buttons.addButton(t("print.save_pdf"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.sign_buttons: dict[SignerRole, QPushButton] = {}
        for role in SIGNING_ORDER if sign is not None else ():
            button = buttons.addButton(t("print.sign_pdf", role=t(f"print.role.{role.value}")),
                                       QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, r=role: sign(r, self.pdf))  # type: ignore[misc]
            self.sign_buttons[role] = button
        self.signed_label = QLabel()
        self.signed_label.setObjectName("pdfSignedNote")
        self.signed_label.hide()
        close = buttons.addButton(t("print.close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        close.clicked.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll)
        outer.addWidget(self.signed_label)
        outer.addWidget(buttons)
        width = max((image.width() for image in pages), default=600)
        self.resize(width + 60, 900)

    def set_signed(self, pdf: bytes, count: int) -> None:
        """The PDF now carries ``count`` signatures (the pages look the same: they are
        invisible PAdES signatures); «Lưu PDF…» saves this one."""
        self.pdf = pdf
        self.signed_label.setText(t("print.signed", count=count))
        self.signed_label.show()

    def choose_printer(self) -> None:
        """Qt's print dialog, then the pages to the chosen printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setFromTo(1, page_count(self.pdf))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Send the pages (the printer's chosen range) to ``printer``; returns pages sent."""
        total = page_count(self.pdf)
        first = max(printer.fromPage(), 1) - 1 if printer.fromPage() else 0
        last = min(printer.toPage(), total) - 1 if printer.toPage() else total - 1
        dpi = min(printer.resolution(), PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        sent = 0
        try:
            for index in range(first, last + 1):
                [image] = page_images(self.pdf, dpi, index, index)
                if sent:
                    printer.newPage()
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), scaled), image)
                sent += 1
        finally:
            painter.end()
        return sent

    def choose_file(self) -> None:
        """«Lưu PDF…»: where to keep the very PDF shown."""
        path, _ = QFileDialog.getSaveFileName(self, t("print.save_pdf"), self.suggested_name,
                                              "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF to ``path``."""
        path.write_bytes(self.pdf)
