"""«Người ký»: the certificates recorded for the chief accountant and the account holder.

Lists every recorded signer (role, holder, fingerprint, validity, source, token), says which of
the desk's own certificates the treasury's register lacks, records a certificate from a token
for a role (the certificate chooser: only the usable ones can be chosen) and removes one after
asking. Database work runs on the window's worker lane and token work on the token thread; the
answers come back as callbacks on the GUI thread, which never waits.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.signing.certificates import CertificateInfo, vn_date
from treasury_desktop.signing.token import TokenInfo
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignerRegistry
from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.signing.cert_chooser import (
    CertificateChooser,
    CertificateDetails,
    role_name,
)
from treasury_desktop.ui.signing.runtime import Survey, TokenRuntime, survey
from treasury_desktop.ui.signing.token_watch import TokenWatcher
from treasury_desktop.ui.signing.visuals import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    badge,
    grouped_fingerprint,
    refusal_short,
)
from treasury_desktop.ui.texts import t
from treasury_desktop.ui.worker import Outcome
from treasury_desktop.usecases.signers import (
    TREASURY,
    ListedSigner,
    SignerListing,
    forget,
    listing,
    record_from_token,
)

ROLE, HOLDER, FINGERPRINT, VALIDITY, SOURCE, TOKEN = range(6)
_COLUMNS = ("role", "holder", "fingerprint", "validity", "source", "token")
_ROW = Qt.ItemDataRole.UserRole
Submit = Callable[[Callable[[Any], Any], Callable[[Outcome[Any]], None]], object]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SignersDeps:
    """What the dialog works with: the window's, or a test's."""

    runtime: Callable[[], TokenRuntime]  # the token thread, made at the first use
    submit: Submit  # the worker lane: submit(job(lane), callback(outcome))
    connect: Callable[[], sqlite3.Connection]  # called once, on the worker thread
    actor: Actor
    prompter: Prompter
    now: Callable[[], datetime] = _now
    watch_interval: float = 1.0


def source_name(source: str) -> str:
    """Trên token / Kho bạc / Demo."""
    known = source if source in ("local", TREASURY, "demo") else "other"
    return text(f"signing.signers.source.{known}")


class SignersDialog(QDialog):
    """The unit's signers; every change is written by the registry, which audits it."""

    def __init__(self, deps: SignersDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signersDialog")
        self.setWindowTitle(t("signing.signers.title"))
        self._deps = deps
        self._conn: sqlite3.Connection | None = None  # the worker thread's, made there
        self._rows: list[ListedSigner] = []
        self.chooser: CertificateChooser | None = None
        self.watcher: TokenWatcher | None = None
        self.busy = False

        intro = QLabel(t("signing.signers.intro"))
        intro.setWordWrap(True)
        self.register_note = QLabel()
        self.register_note.setObjectName("registerNote")
        self.register_note.setWordWrap(True)
        self.register_note.setStyleSheet("color: #444444;")
        self.warnings = QLabel()
        self.warnings.setObjectName("signerWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setStyleSheet(
            "background: #fff4d6; color: #6a4b00; padding: 6px 8px; border-radius: 3px;")
        self.warnings.hide()

        self.tree = QTreeWidget()
        self.tree.setObjectName("signerTree")
        self.tree.setColumnCount(len(_COLUMNS))
        self.tree.setHeaderLabels([t(f"signing.signers.col.{c}") for c in _COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet(
            "QTreeWidget { selection-background-color: #dbe7f5; selection-color: #1b1b1b; }")
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((ROLE, 130), (HOLDER, 230), (FINGERPRINT, 200), (VALIDITY, 190),
                              (SOURCE, 95)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel(t("signing.signers.empty"))
        self.empty.setObjectName("noSigners")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(
            "color: #444444; background: #ffffff; border: 1px solid #d9d9d4; padding: 24px;")
        self.empty.hide()
        self.details = CertificateDetails()

        self.add_buttons: dict[SignerRole, QPushButton] = {}
        actions = QHBoxLayout()
        for role in SIGNING_ORDER:
            button = QPushButton(t(f"signing.signers.add.{role.value}"))
            button.setObjectName(f"addSigner_{role.value}")
            button.clicked.connect(partial(self.add, role))
            actions.addWidget(button)
            self.add_buttons[role] = button
        self.remove_button = QPushButton(t("signing.signers.remove"))
        self.remove_button.setObjectName("removeSigner")
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("signersStatus")
        actions.addWidget(self.status)
        buttons = QDialogButtonBox()
        buttons.addButton(t("button.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.register_note)
        layout.addWidget(self.warnings)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self.resize(1080, 560)
        self.details.show_certificate(None)

    # -- the list -------------------------------------------------------------------------

    def _on_worker(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._deps.connect()
        return self._conn

    def reload(self) -> None:
        """Read the signers again (on the worker) and show them."""
        self._deps.submit(lambda _lane: listing(self._on_worker()), self._loaded)

    def _loaded(self, outcome: Outcome[SignerListing]) -> None:
        if self._failed(outcome):
            return
        assert outcome.value is not None
        self.show_listing(outcome.value)

    def show_listing(self, found: SignerListing) -> None:
        """Fill the table, the register note and the warnings (keeps the selection)."""
        kept = self.selected()
        key = (kept.signer.cert_sha256, kept.signer.role) if kept else None
        now = self._deps.now()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._rows = list(found.signers)
        for index, row in enumerate(self._rows):
            self._add_row(index, row, now)
        self.tree.blockSignals(False)
        self.tree.setVisible(bool(self._rows))
        self.empty.setVisible(not self._rows)
        if found.register is None:
            self.register_note.setText(t("signing.signers.register.none"))
        else:
            moment = found.register.fetched_at.astimezone()
            self.register_note.setText(t("signing.signers.register.at",
                                         time=f"{moment:%H:%M}", date=vn_date(moment)))
        sentences = [w.render() for r in self._rows if (w := r.warning) is not None]
        # Rich text for the line height: stacked Vietnamese accents touch the line above at 100%.
        self.warnings.setText("".join(
            f"<p style='margin: 0 0 4px 0; line-height: 125%;'>• {html.escape(s)}</p>"
            for s in sentences))
        self.warnings.setVisible(bool(sentences))
        for i, row in enumerate(self._rows):
            if key == (row.signer.cert_sha256, row.signer.role):
                item = self.tree.topLevelItem(i)
                if item is not None:
                    self.tree.setCurrentItem(item)
        self._selection_changed()

    def _add_row(self, index: int, row: ListedSigner, now: datetime) -> None:
        signer, info = row.signer, row.info
        item = QTreeWidgetItem(self.tree)
        item.setData(ROLE, _ROW, index)
        item.setText(ROLE, role_name(signer.role))
        item.setText(HOLDER, signer.holder_name)
        short = grouped_fingerprint(signer.cert_sha256, lines=1)
        item.setText(FINGERPRINT, f"{short[:23]}…")
        item.setToolTip(FINGERPRINT, f"SHA-256: {short}")
        item.setText(SOURCE, source_name(signer.source))
        item.setText(TOKEN, signer.token_label or "—")
        if row.warning is not None:
            item.setIcon(HOLDER, badge(WARN_COLOUR, "!"))
            item.setToolTip(HOLDER, row.warning.render())
            item.setForeground(HOLDER, QBrush(QColor(WARN_COLOUR)))
        if info is None:
            item.setText(VALIDITY, t("signing.status.unusable"))
            return
        refusal = info.usable_at(now)
        if refusal is not None:
            item.setText(VALIDITY, refusal_short(refusal))
            item.setIcon(VALIDITY, badge(BAD_COLOUR, "×"))
            item.setToolTip(VALIDITY, refusal.render())
            return
        item.setText(VALIDITY, t("signing.detail.range", start=vn_date(info.not_before),
                                 end=vn_date(info.not_after)))
        soon = info.expires_soon(now)
        item.setIcon(VALIDITY, badge(WARN_COLOUR if soon else OK_COLOUR, "!" if soon else "✓"))
        if soon:
            item.setToolTip(VALIDITY, text("signing.cert.expires_soon", holder=info.holder_name,
                                           date=vn_date(info.not_after)))

    def selected(self) -> ListedSigner | None:
        """The signer selected in the table, if any."""
        for item in self.tree.selectedItems():
            index = item.data(ROLE, _ROW)
            if isinstance(index, int) and index < len(self._rows):
                return self._rows[index]
        return None

    def _selection_changed(self) -> None:
        row = self.selected()
        self.details.show_certificate(row.info if row else None)
        treasury = row is not None and row.signer.source == TREASURY
        self.remove_button.setEnabled(row is not None and not treasury and not self.busy)
        self.remove_button.setToolTip(t("signing.signers.remove_treasury") if treasury else "")

    def rows(self) -> list[tuple[str, ...]]:
        """The table's texts, row by row (what tests and screen readers read)."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None:
                found.append(tuple(item.text(c) for c in range(len(_COLUMNS))))
        return found

    # -- adding from a token --------------------------------------------------------------

    def add(self, role: SignerRole) -> None:
        """Read the tokens (token thread, waited on by the worker), then open the chooser."""
        if self.busy:
            return
        self._set_busy(True, t("signing.signers.reading_tokens"))
        runtime, now = self._deps.runtime(), self._deps.now

        def job(_lane: object) -> tuple[frozenset[str], Survey]:
            registry = SignerRegistry(self._on_worker())
            recorded = frozenset(s.cert_sha256 for s in registry.for_role(role))
            return recorded, runtime.executor.call(survey, runtime, now())

        self._deps.submit(job, partial(self._surveyed, role, runtime))

    def _surveyed(self, role: SignerRole, runtime: TokenRuntime,
                  outcome: Outcome[tuple[frozenset[str], Survey]]) -> None:
        if self._failed(outcome):
            return
        assert outcome.value is not None
        recorded, found = outcome.value
        chooser = CertificateChooser(role, recorded, self, purpose="signing.signers.chooser")
        chooser.set_survey(found)
        self.chooser = chooser
        self.watcher = TokenWatcher(runtime, self._deps.now, interval=self._deps.watch_interval,
                                    parent=self)
        self.watcher.changed.connect(chooser.set_survey)
        self.watcher.start()
        chooser.finished.connect(partial(self._chosen, role))
        chooser.open()

    def _chosen(self, role: SignerRole, result: int) -> None:
        chooser = self.chooser
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
        choice = chooser.chosen() if chooser and result == QDialog.DialogCode.Accepted else None
        if chooser is not None:
            chooser.deleteLater()
        self.chooser = None
        if choice is None:
            self._set_busy(False)
            return
        token, cert = choice
        self._record(role, token, cert)

    def _record(self, role: SignerRole, token: TokenInfo, cert: CertificateInfo) -> None:
        deps = self._deps

        def job(_lane: object) -> SignerListing:
            registry = SignerRegistry(self._on_worker())
            record_from_token(registry, token, cert, role, deps.actor, deps.now())
            return listing(self._on_worker())

        done = t("signing.signers.added", holder=cert.holder_name, role=role_name(role))
        self._deps.submit(job, partial(self._changed, done))

    # -- removing -------------------------------------------------------------------------

    def remove_selected(self) -> None:
        """Ask, then forget the selected certificate for its role."""
        row = self.selected()
        if row is None or row.signer.source == TREASURY or self.busy:
            return
        signer = row.signer
        names = {"holder": signer.holder_name, "role": role_name(signer.role)}
        if not self._deps.prompter.confirm(t("signing.signers.remove_title"),
                                           t("signing.signers.remove_confirm", **names),
                                           t("signing.signers.remove")):
            return
        self._set_busy(True)
        actor = self._deps.actor

        def job(_lane: object) -> SignerListing:
            forget(SignerRegistry(self._on_worker()), signer, actor)
            return listing(self._on_worker())

        self._deps.submit(job, partial(self._changed, t("signing.signers.removed", **names)))

    # -- common ---------------------------------------------------------------------------

    def _changed(self, said: str, outcome: Outcome[SignerListing]) -> None:
        if self._failed(outcome):
            return
        assert outcome.value is not None
        self._set_busy(False, said)
        self.show_listing(outcome.value)

    def _failed(self, outcome: Outcome[Any]) -> bool:
        error = outcome.error
        if error is None and outcome.value is not None:
            return False
        self._set_busy(False)
        if isinstance(error, ExpectedError):
            self._deps.prompter.inform(t("error.title"), str(error))
        else:
            self._deps.prompter.crash(error or RuntimeError("the signers job returned nothing"))
        return True

    def _set_busy(self, busy: bool, said: str = "") -> None:
        self.busy = busy
        for button in self.add_buttons.values():
            button.setEnabled(not busy)
        self.status.setText(said)
        self._selection_changed()

    def done(self, result: int) -> None:  # Close, Esc and the title bar's ×
        if self.watcher is not None:
            self.watcher.stop()
        super().done(result)
