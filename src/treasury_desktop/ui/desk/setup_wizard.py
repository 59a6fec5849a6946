"""The setup assistant (trợ lý thiết lập): the unit, the treasury connection, the tokens and
the signers, each step skippable ("Để sau") and reopened from the Settings menu.

The assistant holds no rule: it collects answers and hands each to its :class:`SetupActions`
(the window's worker lane and token flow), which store them through the core's use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from treasury_desktop.domain.catalog import CatalogEntry
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.ui.desk.help_dialog import TOPIC_PROPERTY
from treasury_desktop.ui.texts import t


class SetupActions(Protocol):
    """What the assistant asks of the window; answers come back by callback (GUI thread)."""

    def save_unit(self, unit: Unit, done: Callable[[], None]) -> None: ...

    def connect_desk(
        self, server: str, unit: str, credential: str, done: Callable[[str | None], None]
    ) -> None: ...

    def driver_report(self, done: Callable[[str], None]) -> None: ...

    def open_signers(self) -> None: ...


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class UnitPage(QWizardPage):
    """Đơn vị: mã ĐVQHNS, tên, tài khoản, Kho bạc nơi giao dịch (from the catalogue)."""

    def __init__(self, unit: Unit | None, offices: tuple[CatalogEntry, ...]) -> None:
        super().__init__()
        self.setTitle(t("desk.setup.unit.title"))
        self.setSubTitle(t("desk.setup.unit.subtitle"))
        self.setProperty(TOPIC_PROPERTY, "start")
        unit = unit or Unit()
        self.code = QLineEdit(unit.code)
        self.code.setObjectName("setupUnitCode")
        self.code.setInputMask("9999999;_")
        self.name = QLineEdit(unit.name)
        self.name.setObjectName("setupUnitName")
        self.account = QLineEdit(unit.account)
        self.account.setObjectName("setupUnitAccount")
        self.treasury = QComboBox()
        self.treasury.setObjectName("setupTreasury")
        self.treasury.setEditable(True)
        self.treasury.addItem("", "")
        for office in offices:
            self.treasury.addItem(f"{office.code} — {office.name}", office.code)
        found = self.treasury.findData(unit.treasury)
        if found >= 0:
            self.treasury.setCurrentIndex(found)
        elif unit.treasury:
            self.treasury.setEditText(unit.treasury)
        form = QFormLayout(self)
        form.addRow(t("desk.setup.unit.code"), self.code)
        form.addRow(t("desk.setup.unit.name"), self.name)
        form.addRow(t("desk.setup.unit.account"), self.account)
        form.addRow(t("desk.setup.unit.treasury"), self.treasury)
        form.addRow(_wrapped(t("desk.setup.later_note")))

    def unit(self) -> Unit:
        """The unit as typed (the treasury code picked, or the text typed)."""
        # A picked office reads "0011 — KBNN …": its code is before the dash; typed text too.
        treasury = self.treasury.currentText().split("—")[0].strip()
        return Unit(self.code.text().strip(), self.name.text().strip(),
                    self.account.text().strip(), treasury)


class ConnectionPage(QWizardPage):
    """Kết nối: the treasury's address and this desk's credential (kept in the OS keyring)."""

    def __init__(self, server: str, actions: SetupActions, unit_code: Callable[[], str]) -> None:
        super().__init__()
        self.setTitle(t("desk.setup.connection.title"))
        self.setSubTitle(t("desk.setup.connection.subtitle"))
        self.setProperty(TOPIC_PROPERTY, "connection")
        self._actions = actions
        self._unit_code = unit_code
        self.server = QLineEdit(server)
        self.server.setObjectName("setupServer")
        self.server.setPlaceholderText("https://…")
        self.credential = QLineEdit()
        self.credential.setObjectName("setupCredential")
        self.credential.setEchoMode(QLineEdit.EchoMode.Password)
        self.check = QPushButton(t("desk.setup.connection.check"))
        self.check.setObjectName("setupConnect")
        self.check.clicked.connect(self.try_connect)
        self.result = _wrapped("")
        self.result.setObjectName("setupConnectResult")
        form = QFormLayout(self)
        form.addRow(t("desk.setup.connection.server"), self.server)
        form.addRow(t("desk.setup.connection.credential"), self.credential)
        form.addRow("", self.check)
        form.addRow(self.result)
        form.addRow(_wrapped(t("desk.setup.connection.later")))

    def try_connect(self) -> None:
        """Check the credential with the treasury now (on the worker) and keep it if good."""
        server, credential = self.server.text().strip(), self.credential.text().strip()
        if not server or not credential:
            self.result.setText(t("desk.setup.connection.missing"))
            return
        self.check.setEnabled(False)
        self.result.setText(t("desk.setup.connection.checking"))

        def done(problem: str | None) -> None:
            self.check.setEnabled(True)
            self.credential.clear()  # never kept in the widget longer than needed
            self.result.setText(problem or t("desk.setup.connection.ok"))

        self._actions.connect_desk(server, self._unit_code(), credential, done)


class TokensPage(QWizardPage):
    """Token: the drivers found on this computer and what is wrong with each, if anything."""

    def __init__(self, actions: SetupActions) -> None:
        super().__init__()
        self.setTitle(t("desk.setup.tokens.title"))
        self.setSubTitle(t("desk.setup.tokens.subtitle"))
        self.setProperty(TOPIC_PROPERTY, "token-not-detected")
        self._actions = actions
        self.report = QPlainTextEdit()
        self.report.setObjectName("setupDriverReport")
        self.report.setReadOnly(True)
        again = QPushButton(t("desk.setup.tokens.again"))
        again.clicked.connect(self.initializePage)
        layout = QVBoxLayout(self)
        layout.addWidget(self.report, 1)
        layout.addWidget(again)
        layout.addWidget(_wrapped(t("desk.setup.tokens.note")))

    def initializePage(self) -> None:  # noqa: N802
        self.report.setPlainText(t("desk.setup.tokens.looking"))
        self._actions.driver_report(self.report.setPlainText)


class SignersPage(QWizardPage):
    """Người ký: record the chief accountant's and the account holder's certificates."""

    def __init__(self, actions: SetupActions) -> None:
        super().__init__()
        self.setTitle(t("desk.setup.signers.title"))
        self.setSubTitle(t("desk.setup.signers.subtitle"))
        self.setProperty(TOPIC_PROPERTY, "signer-changed")
        button = QPushButton(t("desk.setup.signers.open"))
        button.setObjectName("setupOpenSigners")
        button.clicked.connect(actions.open_signers)
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(t("desk.setup.signers.note")))
        layout.addWidget(button)
        layout.addStretch(1)


class SetupWizard(QWizard):
    """The four steps; Finish (or Cancel) stores the unit typed so far."""

    def __init__(
        self,
        actions: SetupActions,
        *,
        unit: Unit | None,
        server: str,
        offices: tuple[CatalogEntry, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(t("desk.setup.title"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setProperty(TOPIC_PROPERTY, "start")
        self._actions = actions
        self.unit_page = UnitPage(unit, offices)
        self.connection_page = ConnectionPage(server, actions, lambda: self.unit_page.unit().code)
        self.tokens_page = TokensPage(actions)
        self.signers_page = SignersPage(actions)
        for page in (self.unit_page, self.connection_page, self.tokens_page, self.signers_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.CancelButton, t("desk.setup.later"))
        self.setButtonText(QWizard.WizardButton.NextButton, t("desk.setup.next"))
        self.setButtonText(QWizard.WizardButton.BackButton, t("desk.setup.back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, t("desk.setup.finish"))
        self.currentIdChanged.connect(self._left_page)
        self.resize(620, 440)
        self._unit_saved = unit

    def _left_page(self, _new_id: int) -> None:
        # The unit is stored as soon as the accountant moves on, so a later "Để sau" keeps it.
        self.save_unit()

    def save_unit(self) -> None:
        """Store the unit typed so far, when it changed and holds anything."""
        unit = self.unit_page.unit()
        if unit != (self._unit_saved or Unit()) and any(vars(unit).values()):
            self._unit_saved = unit
            self._actions.save_unit(unit, lambda: None)

    def done(self, result: int) -> None:  # noqa: D102 - Qt's own
        self.save_unit()
        super().done(result)
