"""The main window's «Xem trước khi in» (Ctrl+P): the selected vouchers (or the one in view)
rendered by the core's renderer on the worker, then shown in :class:`PrintPreview`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QMenu

from treasury_desktop.ui.texts import t

if TYPE_CHECKING:
    from treasury_desktop.domain.roles import SignerRole
    from treasury_desktop.ui.printing.pdf_sign_flow import PdfSignFlow
    from treasury_desktop.ui.printing.preview import PrintPreview
    from treasury_desktop.ui.session import Lane
    from treasury_desktop.ui.shell import WindowShell
    from treasury_desktop.usecases.printing import PrintService

SHORTCUT = "Ctrl+P"


class WindowPrinting(QObject):
    """The print action of one main window."""

    def __init__(self, window: WindowShell) -> None:
        super().__init__(window.host())
        self._window = window
        self._service: PrintService | None = None  # made and used on the worker thread
        self.preview: PrintPreview | None = None
        self.pdf_flow: PdfSignFlow | None = None
        self.action = QAction(t("print.action"), window.host())
        self.action.setObjectName("action_print")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        shown = QKeySequence(SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.action.setToolTip(f"{self.action.text()} ({shown})")
        self.action.triggered.connect(self.open_preview)
        window.host().addAction(self.action)
        quit_action = window.action_map["quit"]  # «Chứng từ» menu, just above «Thoát»
        for menu in window.host().menuBar().findChildren(QMenu):
            if quit_action in menu.actions():
                menu.insertAction(quit_action, self.action)
                menu.insertSeparator(quit_action)

    def open_preview(self) -> bool:
        """Render the vouchers on the worker, then show the preview; False with none chosen."""
        ids = self._window.selected_ids()
        if not ids:
            return False
        self._window.editing.flush()  # print what was typed, not the last autosave
        self._window.session.run(lambda lane: self._render(lane, ids), self._show)
        return True

    def _render(self, _lane: Lane, ids: list[str]) -> tuple[bytes, list[QImage], str]:
        from treasury_desktop.ui.printing.pages import page_images
        from treasury_desktop.usecases.printing import PrintService, treasury_roots

        if self._service is None:
            ctx = self._window.session.ctx
            self._service = PrintService(self._window.session.connection(),
                                         treasury_roots(ctx.data_dir))
        pdf = self._service.pdf(ids)
        numbers = "-".join(i[:8] for i in ids[:3])
        return pdf, page_images(pdf, 96.0), f"chung-tu-{numbers}.pdf"

    def _show(self, rendered: tuple[bytes, list[QImage], str]) -> None:
        from treasury_desktop.ui.printing.preview import PrintPreview

        pdf, pages, name = rendered
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = PrintPreview(pdf, pages, name, self._window.host(), sign=self.sign_pdf)
        self.preview.open()

    def sign_pdf(self, role: SignerRole, pdf: bytes) -> None:
        """«Ký PDF»: sign the previewed PDF on the token as ``role`` (PAdES)."""
        from treasury_desktop.ui.printing.pdf_sign_flow import PdfSignFlow

        if self.pdf_flow is None:
            window = self._window
            self.pdf_flow = PdfSignFlow(window.token_runtime(), window.session.worker,
                                        window.session.connection, window.prompter,
                                        window.host())
            self.pdf_flow.signed.connect(self._pdf_signed)
        self.pdf_flow.start(role, pdf)

    def _pdf_signed(self, pdf: bytes) -> None:
        from treasury_desktop.usecases.pdf_signing import signed_fields

        if self.preview is not None:
            self.preview.set_signed(pdf, len(signed_fields(pdf)))
