"""The signing flow in the window: survey the tokens, choose, prepare, PIN, sign, report.

Nothing here waits: token work runs on the token thread, database work on the window's
worker lane (SigningService calls the token thread from there), and each answer comes back
to the GUI thread as a callback. The chooser is shown only when there is a choice to make.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Message, text
from treasury_desktop.settings import DEMO_SIGNERS
from treasury_desktop.signing.errors import LoginCancelled, PinIncorrect, PinInvalid, PinLocked
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignerRegistry
from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.signing.cert_chooser import CertificateChooser
from treasury_desktop.ui.signing.pin_dialog import Mode, PinDialog, PinRequest
from treasury_desktop.ui.signing.report import SigningOutcome, SigningReport
from treasury_desktop.ui.signing.runtime import Survey, TokenRuntime, survey
from treasury_desktop.ui.signing.token_watch import TokenWatcher
from treasury_desktop.ui.texts import t
from treasury_desktop.ui.worker import Outcome
from treasury_desktop.usecases.estimate_check import estimate_warnings
from treasury_desktop.usecases.signing import (
    BatchResult,
    SigningPlan,
    SigningRequest,
    SigningService,
)
from treasury_desktop.usecases.trust import DeskTrust

Submit = Callable[[Callable[[Any], Any], Callable[[Outcome[Any]], None]], object]
"""The worker lane's submit: ``submit(job(resources), callback(outcome))`` (BackgroundWorker)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _demo_hints(profile: ProfileStore) -> dict[str, str]:
    """Practice mode: the demo tokens' PINs are meant to be shown (empty everywhere else)."""
    hints = {}
    for signer in DEMO_SIGNERS.read(profile):
        label, pin = signer.get("label"), signer.get("pin")
        if label and pin:
            hints[label] = text("ui.signing.pin.demo_hint", token=label, pin=pin)
    return hints


@dataclass
class SigningDeps:
    """What the flow works with, passed in (the window's, or a test's)."""

    runtime: TokenRuntime
    submit: Submit
    connect: Callable[[], sqlite3.Connection]  # called once, on the worker thread
    actor: Actor
    prompter: Prompter
    now: Callable[[], datetime] = _now
    watch_interval: float = 1.0
    catalog: Callable[[int], BudgetCatalog] | None = None  # re-validate before signing
    # The desk's chain/revocation checks and TSA, opened on the worker over its connection.
    trust: Callable[[sqlite3.Connection], DeskTrust] | None = None


class _Progress(QObject):
    """Emitted on the worker thread, delivered on the GUI thread."""

    advanced = Signal(int, int)


class SignFlow(QObject):
    """One signing at a time; ``finished(SigningOutcome | None)`` when it ends (None: nothing
    was signed because the user cancelled or it could not start)."""

    finished = Signal(object)
    asking = Signal()  # a dialog (chooser or PIN) is now in front of the user

    def __init__(self, deps: SigningDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deps = deps
        self._parent = parent
        # Made and used on the worker thread only.
        self._worker_state: tuple[sqlite3.Connection, SigningService] | None = None
        self._trust: DeskTrust | None = None  # made on the worker with the service
        self._progress = _Progress()
        self._progress.advanced.connect(self._advanced)
        self.role: SignerRole | None = None
        self._ids: tuple[str, ...] = ()
        self._plan: SigningPlan | None = None
        self._ended = True
        self.chooser: CertificateChooser | None = None
        self.watcher: TokenWatcher | None = None
        self.pin_dialog: PinDialog | None = None
        self.report: SigningReport | None = None
        self.outcome: SigningOutcome | None = None
        self._demo_hints: dict[str, str] = {}
        self._trust_labels: dict[str, Message] = {}

    @property
    def busy(self) -> bool:
        """A signing is under way (a second one is refused until it ends)."""
        return not self._ended

    def start(self, role: SignerRole, voucher_ids: Sequence[str]) -> bool:
        """Sign ``voucher_ids`` as ``role``; False when nothing started."""
        if self.busy:
            return False
        if not voucher_ids:
            self._deps.prompter.inform(t("error.title"), t("signing.flow.nothing_selected"))
            return False
        self._ended = False
        self.role, self._ids = role, tuple(dict.fromkeys(voucher_ids))
        self._plan, self.outcome, self.report = None, None, None
        runtime, now = self._deps.runtime, self._deps.now

        def job(_lane: object) -> tuple[frozenset[str], Survey]:
            conn = self._conn_on_worker()
            registered = frozenset(s.cert_sha256 for s in SignerRegistry(conn).for_role(role))
            self._demo_hints = _demo_hints(ProfileStore(conn))
            found = runtime.executor.call(survey, runtime, now())
            if self._trust is not None:  # what is known already, without asking the network
                checker = self._trust.checker
                self._trust_labels = {
                    c.info.sha256: label for v in found.tokens for c in v.certificates
                    if (label := checker.known_label(c.info.der)) is not None
                }
            return registered, found

        self._deps.submit(job, self._surveyed)
        return True

    # -- worker thread --------------------------------------------------------------------

    def _conn_on_worker(self) -> sqlite3.Connection:
        return self._on_worker()[0]

    def _service_on_worker(self) -> SigningService:
        return self._on_worker()[1]

    def _on_worker(self) -> tuple[sqlite3.Connection, SigningService]:
        if self._worker_state is None:
            d = self._deps
            conn = d.connect()
            trust = d.trust(conn) if d.trust is not None else None
            self._trust = trust
            service = SigningService(
                conn, d.runtime.executor, d.runtime, d.actor, d.now, catalog=d.catalog,
                trust=trust.checker if trust else None,
                timestamper=trust.timestamper if trust else None,
            )
            self._worker_state = (conn, service)
        return self._worker_state

    # -- step 1: which certificate --------------------------------------------------------

    def _surveyed(self, outcome: Outcome[tuple[frozenset[str], Survey]]) -> None:
        if outcome.error is not None or outcome.value is None:
            self._failed(outcome.error)
            return
        registered, found = outcome.value
        candidates = [
            (view.info, cert.info) for view in found.tokens for cert in view.certificates
            if cert.refusal is None and cert.info.sha256 in registered
        ]
        if len(candidates) == 1 and not found.problems:
            token, cert = candidates[0]
            self._prepare(token.serial or token.label, cert.sha256)
            return
        assert self.role is not None
        self.chooser = CertificateChooser(self.role, registered, self._parent)
        self.chooser.trust_labels = dict(self._trust_labels)
        self.chooser.set_survey(found)
        self.watcher = TokenWatcher(self._deps.runtime, self._deps.now,
                                    interval=self._deps.watch_interval, parent=self)
        self.watcher.changed.connect(self.chooser.set_survey)
        self.chooser.finished.connect(self._chosen)
        self.watcher.start()
        self.chooser.open()
        self.asking.emit()

    def _stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None

    def _chosen(self, result: int) -> None:
        chooser = self.chooser
        assert chooser is not None
        self._stop_watching()
        choice = chooser.chosen() if result == QDialog.DialogCode.Accepted else None
        chooser.deleteLater()
        self.chooser = None
        if choice is None:
            self._finish(None)
            return
        token, cert = choice
        self._prepare(token.serial or token.label, cert.sha256)

    # -- step 2: prepare (no PIN yet) -----------------------------------------------------

    def _prepare(self, token: str, cert_sha256: str) -> None:
        assert self.role is not None
        request = SigningRequest(self._ids, self.role, token, cert_sha256)
        self._deps.submit(lambda _lane: self._plan_on_worker(request), self._prepared)

    def _plan_on_worker(self, request: SigningRequest) -> SigningPlan:
        """The plan, with the estimate warnings the editor gives (over the remaining estimate,
        or no estimate at all on a line's chương/ngành/nguồn): said before the PIN."""
        conn, service = self._on_worker()
        plan = service.prepare(request)
        extra = estimate_warnings(conn, (i.voucher_id for i in plan.items), self._deps.now)
        return replace(plan, warnings=(*plan.warnings, *extra)) if extra else plan

    def _prepared(self, outcome: Outcome[SigningPlan]) -> None:
        if outcome.error is not None or outcome.value is None:
            self._failed(outcome.error)
            return
        plan = self._plan = outcome.value
        hint = self._demo_hints.get(plan.token_info.label, "")
        dialog = PinDialog(PinRequest.from_plan(plan, hint), self._pin_entered, self._parent)
        self.pin_dialog = dialog
        dialog.finished.connect(self._pin_closed)
        # While the PIN is being typed, a token pulled out is said at once (DigiDoc does too).
        self.watcher = TokenWatcher(self._deps.runtime, self._deps.now,
                                    interval=self._deps.watch_interval, parent=self)
        self.watcher.changed.connect(self._tokens_changed)
        self.watcher.start()
        dialog.open()
        self.asking.emit()
        dialog.begin()

    def _tokens_changed(self, found: Survey) -> None:
        dialog, plan = self.pin_dialog, self._plan
        if dialog is None or plan is None or dialog.mode is not Mode.ENTRY:
            return
        info = plan.token_info
        if not any((v.info.serial, v.info.label) == (info.serial, info.label)
                   for v in found.tokens):
            dialog.show_failure(Message("signing.token.removed", {"token": info.label}))

    # -- step 3: the PIN, then the batch --------------------------------------------------

    def _pin_entered(self, pin: str | None) -> None:
        plan, advanced = self._plan, self._progress.advanced
        assert plan is not None

        def job(_lane: object) -> BatchResult:
            return self._service_on_worker().execute(plan, pin, advanced.emit)

        self._deps.submit(job, self._executed)

    def _advanced(self, done: int, total: int) -> None:
        if self.pin_dialog is not None:
            self.pin_dialog.show_progress(done, total)

    def _executed(self, outcome: Outcome[BatchResult]) -> None:
        dialog, plan = self.pin_dialog, self._plan
        assert dialog is not None and plan is not None
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
            self._deps.prompter.crash(error or RuntimeError("signing returned nothing"))
        else:
            self.outcome = SigningOutcome.of(plan, outcome.value)
            dialog.accept()

    def _pin_closed(self, _result: int) -> None:
        self._stop_watching()
        if self.pin_dialog is not None:
            self.pin_dialog.deleteLater()
            self.pin_dialog = None
        outcome = self.outcome
        if outcome is not None and not outcome.complete:
            self.report = SigningReport(outcome, self._parent)
            self.report.open()
        self._finish(outcome)

    # -- the end --------------------------------------------------------------------------

    def _failed(self, error: BaseException | None) -> None:
        if isinstance(error, ExpectedError):
            self._deps.prompter.inform(t("error.title"), str(error))
        elif error is not None:
            self._deps.prompter.crash(error)
        self._finish(None)

    def _finish(self, outcome: SigningOutcome | None) -> None:
        self._plan = None
        self._ended = True
        self.finished.emit(outcome)
