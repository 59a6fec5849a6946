"""Signing the previewed PDF with the token (PAdES) from the window: the registered
certificate of the role (the chooser when there are several), the signing PIN dialog, then
pyHanko through the token thread. The preview keeps the signed PDF for «Lưu PDF…»."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.errors import LoginCancelled, PinIncorrect, PinInvalid, PinLocked
from treasury_desktop.store.signatures import SignerRegistry
from treasury_desktop.ui.signing.cert_chooser import CertificateChooser
from treasury_desktop.ui.signing.pin_dialog import PinDialog, PinRequest
from treasury_desktop.ui.signing.runtime import Survey, TokenRuntime, survey
from treasury_desktop.ui.worker import BackgroundWorker, Outcome
from treasury_desktop.usecases.pdf_signing import PdfSigningPlan, PdfSigningService

if TYPE_CHECKING:
    from treasury_desktop.ui.dialogs import Prompter

Choice = tuple[str, str]  # token serial or label, certificate SHA-256


class PdfSignFlow(QObject):
    """One PAdES signature at a time; ``signed(bytes)`` with the new PDF when it worked."""

    signed = Signal(bytes)

    def __init__(self, runtime: TokenRuntime, worker: BackgroundWorker[Any],
                 connect: Callable[[], sqlite3.Connection], prompter: Prompter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._worker = worker
        self._connect = connect
        self._prompter = prompter
        self._parent = parent
        self._service: PdfSigningService | None = None  # worker thread only
        self._registered: frozenset[str] = frozenset()
        self.role: SignerRole | None = None
        self._pdf = b""
        self._plan: PdfSigningPlan | None = None
        self.chooser: CertificateChooser | None = None
        self.pin_dialog: PinDialog | None = None

    def _on_worker(self) -> tuple[sqlite3.Connection, PdfSigningService]:
        if self._service is None:
            conn = self._connect()
            self._service = PdfSigningService(conn, self._runtime.executor, self._runtime)
            self._conn = conn
        return self._conn, self._service

    def start(self, role: SignerRole, pdf: bytes) -> None:
        """Sign ``pdf`` as ``role``."""
        self.role, self._pdf = role, pdf
        runtime = self._runtime

        def job(_lane: object) -> tuple[frozenset[str], Survey]:
            conn, _ = self._on_worker()
            registered = frozenset(s.cert_sha256 for s in SignerRegistry(conn).for_role(role))
            return registered, runtime.executor.call(survey, runtime, datetime.now(UTC))

        self._worker.submit(job, self._surveyed)

    def _surveyed(self, outcome: Outcome[tuple[frozenset[str], Survey]]) -> None:
        if outcome.error is not None or outcome.value is None or self.role is None:
            self._report(outcome.error)
            return
        self._registered, found = outcome.value
        candidates = [(v.info.serial or v.info.label, c.info.sha256) for v in found.tokens
                      for c in v.certificates
                      if c.refusal is None and c.info.sha256 in self._registered]
        if len(candidates) == 1 and not found.problems:
            self._prepare(candidates[0])
            return
        self.chooser = CertificateChooser(self.role, self._registered, self._parent)
        self.chooser.set_survey(found)
        self.chooser.finished.connect(self._chosen)
        self.chooser.open()

    def _chosen(self, result: int) -> None:
        chooser, self.chooser = self.chooser, None
        assert chooser is not None
        choice = chooser.chosen() if result == QDialog.DialogCode.Accepted else None
        chooser.deleteLater()
        if choice is not None:
            token, cert = choice
            self._prepare((token.serial or token.label, cert.sha256))

    def _prepare(self, choice: Choice) -> None:
        role = self.role
        assert role is not None
        self._worker.submit(lambda _lane: self._on_worker()[1].prepare(role, *choice),
                            self._prepared)

    def _prepared(self, outcome: Outcome[PdfSigningPlan]) -> None:
        if outcome.error is not None or outcome.value is None:
            self._report(outcome.error)
            return
        plan = self._plan = outcome.value
        info, cert = plan.token_info, plan.certificate
        request = PinRequest(plan.role, info.label, info.serial, info.pin_state,
                             info.protected_auth_path, cert.holder_name, cert.organisation,
                             cert.issuer_name, cert.not_after, 1, 0)
        self.pin_dialog = PinDialog(request, self._pin_entered, self._parent)
        self.pin_dialog.open()
        self.pin_dialog.begin()

    def _pin_entered(self, pin: str | None) -> None:
        plan, pdf = self._plan, self._pdf
        assert plan is not None
        self._worker.submit(lambda _lane: self._on_worker()[1].sign(plan, pin, pdf),
                            self._done)

    def _done(self, outcome: Outcome[bytes]) -> None:
        dialog = self.pin_dialog
        assert dialog is not None
        error = outcome.error
        if isinstance(error, PinIncorrect):
            dialog.show_wrong_pin(error)
        elif isinstance(error, PinLocked):
            dialog.show_locked(error.message)
        elif isinstance(error, PinInvalid):
            dialog.show_retryable(error.message)
        elif isinstance(error, LoginCancelled):
            dialog.close_quietly()
        elif isinstance(error, ExpectedError):
            dialog.show_failure(error.message)
        elif error is not None or outcome.value is None:
            dialog.close_quietly()
            self._prompter.crash(error or RuntimeError("PDF signing returned nothing"))
        else:
            dialog.close_quietly()
            self.signed.emit(outcome.value)

    def _report(self, error: BaseException | None) -> None:
        if isinstance(error, ExpectedError):
            from treasury_desktop.ui.texts import t

            self._prompter.inform(t("error.title"), str(error))
        elif error is not None:
            self._prompter.crash(error)
