"""The main window's two signing actions: Ký (Kế toán trưởng) and Ký (Chủ tài khoản).

One call from the window (``WindowSigning(window)``) adds the actions to a «Ký số» menu and the
toolbar, signs the vouchers selected in the list (or the one open in the editor), and refreshes
the list afterwards. The same menu opens «Người ký» (the unit's signers). The token thread and
the PKCS#11 modules are loaded at their first use and shut down when the window closes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import text
from treasury_desktop.ui.shell import WindowShell
from treasury_desktop.ui.texts import t

if TYPE_CHECKING:
    # PKCS#11, CMS and the dialogs load at the first signing, not with the window: they cost
    # a third of the cold start (benchmarks/bench_ui.py).
    from treasury_desktop.ui.signing.report import SigningOutcome
    from treasury_desktop.ui.signing.runtime import TokenRuntime, WatchableSource
    from treasury_desktop.ui.signing.sign_flow import SignFlow
    from treasury_desktop.ui.signing.signers_dialog import SignersDialog
    from treasury_desktop.ui.signing.trust_dialog import TrustDialog
    from treasury_desktop.usecases.tokens import ModuleSet
    from treasury_desktop.usecases.trust import DeskTrust

# Ctrl+Shift+K already removes a budget line in the editor.
SHORTCUTS = {
    SignerRole.CHIEF_ACCOUNTANT: "Ctrl+K",
    SignerRole.ACCOUNT_HOLDER: "Ctrl+Alt+K",
}


class WindowSigning(QObject):
    """The signing actions of one main window and the flow behind them; ``fully_signed(ids)``
    after the account holder signed (only sending is left)."""

    fully_signed = Signal(list)

    def __init__(
        self, shell: WindowShell, load: Callable[[], WatchableSource] | None = None
    ) -> None:
        window = shell.host()
        super().__init__(window)
        self._window = shell
        self.load = load  # where tokens come from; None: the PKCS#11 modules (tests: fakes)
        self._runtime: TokenRuntime | None = None
        self._flow: SignFlow | None = None
        self.signers_dialog: SignersDialog | None = None
        self.actions: dict[SignerRole, QAction] = {}
        menu = window.menuBar().addMenu(t("signing.menu"))
        toolbar = window.findChild(QToolBar, "mainToolbar")
        for role in SIGNING_ORDER:
            action = QAction(t(f"signing.action.{role.value}"), window)
            action.setObjectName(f"action_sign_{role.value}")
            action.setShortcut(QKeySequence(SHORTCUTS[role]))
            shown = QKeySequence(SHORTCUTS[role]).toString(
                QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text()} ({shown})")
            action.setIconText(f"{action.text()}  {shown}")  # as the window's other actions
            action.triggered.connect(partial(self.sign, role))
            window.addAction(action)
            menu.addAction(action)
            if isinstance(toolbar, QToolBar):
                toolbar.addAction(action)
            self.actions[role] = action
        menu.addSeparator()
        self.signers_action = QAction(t("signing.signers.action"), window)
        self.signers_action.setObjectName("action_signers")
        self.signers_action.triggered.connect(self.show_signers)
        menu.addAction(self.signers_action)
        self.trust_action = QAction(t("trust.action"), window)
        self.trust_action.setObjectName("action_trust")
        self.trust_action.triggered.connect(self.show_trust)
        menu.addAction(self.trust_action)
        self.trust_dialog: TrustDialog | None = None
        window.installEventFilter(self)

    @property
    def runtime(self) -> TokenRuntime:
        """The token thread and the modules it loads (made at the first use)."""
        if self._runtime is None:
            from treasury_desktop.ui.signing.runtime import TokenRuntime

            ctx = self._window.session.ctx
            self._runtime = TokenRuntime(self.load or partial(_load_modules, ctx.connect))
        return self._runtime

    @property
    def flow(self) -> SignFlow:
        """The signing flow (made, with the token thread, at the first use)."""
        if self._flow is None:
            from treasury_desktop.ui.signing.sign_flow import SignFlow, SigningDeps

            session = self._window.session
            ctx = session.ctx
            deps = SigningDeps(self.runtime, session.worker.submit, session.connection, ctx.actor,
                               self._window.prompter, catalog=ctx.catalog,
                               trust=partial(_desk_trust, ctx.data_dir))
            self._flow = SignFlow(deps, self._window.host())
            self._flow.finished.connect(self._finished)
            self._flow.asking.connect(self._window.host().statusBar().clearMessage)
        return self._flow

    def show_signers(self) -> SignersDialog:
        """Open «Người ký» (one at a time; brought to the front when already open)."""
        if self.signers_dialog is None:
            from treasury_desktop.ui.signing.signers_dialog import SignersDeps, SignersDialog

            session = self._window.session
            ctx = session.ctx
            deps = SignersDeps(lambda: self.runtime, session.worker.submit, session.connection,
                               ctx.actor, self._window.prompter)
            dialog = SignersDialog(deps, self._window.host())
            dialog.finished.connect(self._signers_closed)
            self.signers_dialog = dialog
            dialog.reload()
            dialog.open()
        self.signers_dialog.raise_()
        self.signers_dialog.activateWindow()
        return self.signers_dialog

    def show_trust(self) -> TrustDialog:
        """Open «Chứng thư gốc tin cậy» (the desk's trust anchors)."""
        if self.trust_dialog is None:
            from treasury_desktop.ui.signing.trust_dialog import TrustDialog
            from treasury_desktop.usecases.trust import open_trust_store

            store = open_trust_store(self._window.session.ctx.data_dir)
            self.trust_dialog = TrustDialog(store, self._window.prompter, self._window.host())
            self.trust_dialog.finished.connect(self._trust_closed)
            self.trust_dialog.open()
        self.trust_dialog.raise_()
        return self.trust_dialog

    def _trust_closed(self, _result: int) -> None:
        if self.trust_dialog is not None:
            self.trust_dialog.deleteLater()
            self.trust_dialog = None

    def _signers_closed(self, _result: int) -> None:
        if self.signers_dialog is not None:
            self.signers_dialog.deleteLater()
            self.signers_dialog = None

    def selected_ids(self) -> list[str]:
        """The vouchers selected in the list, else the one open in the editor."""
        return self._window.selected_ids()

    def sign(self, role: SignerRole) -> bool:
        """Sign the selection as ``role`` (the chooser and PIN dialog follow)."""
        if self._flow is not None and self._flow.busy:
            return False
        self._window.editing.flush()  # sign what is on screen, saved first on the same lane
        started = self.flow.start(role, self.selected_ids())
        if started:
            self._window.host().statusBar().showMessage(t("signing.flow.preparing"), 10_000)
        return started

    def _finished(self, outcome: SigningOutcome | None) -> None:
        self._window.host().statusBar().clearMessage()
        if outcome is None:  # cancelled (or could not start): say so, never close silently
            self._window.host().statusBar().showMessage(t("signing.flow.cancelled"), 15_000)
            return
        done = t("signing.flow.done", signed=len(outcome.signed), total=outcome.total,
                 role=text(f"role.{outcome.role.value}"))
        if outcome.not_timestamped:
            done += " " + text("trust.timestamp.later", count=len(outcome.not_timestamped))
        self._window.host().statusBar().showMessage(done, 10_000)
        if not outcome.signed:
            return
        if outcome.role is SignerRole.ACCOUNT_HOLDER:
            self.fully_signed.emit(list(outcome.signed))
        self._window.refresh()
        editing = self._window.editing
        if editing.voucher_id in outcome.signed:
            # Show the new state (signed, read-only rules) of the voucher that is open.
            voucher_id = editing.voucher_id
            editing.voucher_id = None
            editing.open(voucher_id)

    def close(self) -> None:
        """Unload the modules and end the token thread."""
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window.host() and event.type() is QEvent.Type.Close:
            self.close()
        return False


def _load_modules(connect: Callable[[], sqlite3.Connection]) -> ModuleSet:
    """On the token thread: the known CA drivers plus the user's own (from the settings).

    One read of the settings at load time, on a connection of its own.
    """
    from treasury_desktop.store.profile import ProfileStore
    from treasury_desktop.usecases.tokens import ModuleSet, module_paths

    return ModuleSet(module_paths(ProfileStore(connect())))


def _desk_trust(data_dir: Path, conn: sqlite3.Connection) -> DeskTrust:
    from treasury_desktop.store.profile import ProfileStore
    from treasury_desktop.usecases.trust import open_desk_trust

    return open_desk_trust(data_dir, ProfileStore(conn))
