"""The PIN dialog (after DigiDoc4): what is signed, with which token, and the PIN state first.

The PIN goes from the field straight to ``submit`` and the field is cleared at once: it is
never kept in an attribute, logged or sent twice. A wrong PIN shows the token's new state and
waits for the user to press Ký again; a locked PIN explains the unlock procedure and offers
no retry; on a PIN-pad reader there is no field at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message
from treasury_desktop.signing.certificates import vn_date
from treasury_desktop.signing.errors import PinIncorrect, PinState
from treasury_desktop.ui.signing.cert_chooser import role_name
from treasury_desktop.ui.signing.visuals import (
    BAD_COLOUR,
    PIN_STATE_COLOURS,
    WARN_COLOUR,
    pin_state_icon,
    pin_state_text,
)
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.signing import SigningPlan

_TINTS = {
    PinState.NORMAL: "#eef7f0",
    PinState.COUNT_LOW: "#fff4d6",
    PinState.FINAL_TRY: "#fdecea",
    PinState.LOCKED: "#fdecea",
    PinState.UNKNOWN: "#f1f1ef",
}


@dataclass(frozen=True)
class PinRequest:
    """What the PIN dialog shows (taken from a SigningPlan, or made directly in tests)."""

    role: SignerRole
    token_label: str
    token_serial: str
    pin_state: PinState
    pin_pad: bool
    holder: str
    organisation: str
    issuer: str
    not_after: datetime
    count: int
    total: int
    refused: int = 0
    warnings: tuple[Message, ...] = ()
    demo_hint: str = ""  # practice mode only: the demo token's PIN, shown on screen
    trust_status: Message | None = None  # good, checked at …; not checked: offline since …

    @classmethod
    def from_plan(cls, plan: SigningPlan, demo_hint: str = "") -> PinRequest:
        """The request for a prepared batch."""
        info, cert = plan.token_info, plan.certificate
        return cls(
            plan.role, info.label, info.serial, info.pin_state, info.protected_auth_path,
            cert.holder_name, cert.organisation, cert.issuer_name, cert.not_after,
            len(plan.items), plan.total, len(plan.refused), plan.warnings, demo_hint,
            plan.status.label if plan.status is not None else None,
        )


class Mode(Enum):
    """Where the dialog is: waiting for a PIN, busy, or finished without a retry."""

    ENTRY = "entry"
    CHECKING = "checking"
    SIGNING = "signing"
    PAD = "pad"
    CLOSED_ONLY = "closed_only"


class PinDialog(QDialog):
    """Ask for the PIN once per press of Ký; ``submit(pin)`` (None on a PIN pad)."""

    def __init__(
        self,
        request: PinRequest,
        submit: Callable[[str | None], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.request = request
        self._submit = submit
        self.mode = Mode.ENTRY
        self.setWindowTitle(t("signing.pin.title", role=role_name(request.role)))
        self.setModal(True)

        self.summary = QLabel(t("signing.pin.summary", count=request.count,
                                total=format_vnd(request.total)))
        self.summary.setObjectName("pinSummary")
        big = QFont(self.summary.font())
        big.setPointSize(big.pointSize() + 2)
        big.setBold(True)
        self.summary.setFont(big)

        facts = QFormLayout()
        facts.setHorizontalSpacing(14)
        facts.setVerticalSpacing(4)
        facts.addRow(t("signing.pin.token") + ":", QLabel(t(
            "signing.pin.token_value", label=request.token_label, serial=request.token_serial)))
        holder = request.holder + (f" — {request.organisation}" if request.organisation else "")
        facts.addRow(t("signing.pin.holder") + ":", QLabel(holder))
        facts.addRow(t("signing.pin.role") + ":", QLabel(role_name(request.role)))
        facts.addRow(t("signing.pin.certificate") + ":", QLabel(t(
            "signing.pin.certificate_value", issuer=request.issuer,
            date=vn_date(request.not_after))))
        self.trust_status = QLabel(request.trust_status.render() if request.trust_status else "")
        self.trust_status.setObjectName("pinTrustStatus")
        self.trust_status.setWordWrap(True)
        if request.trust_status is not None:
            facts.addRow(t("trust.status") + ":", self.trust_status)

        self.state_box = QFrame()
        self.state_box.setObjectName("pinStateBox")
        self.state_icon = QLabel()
        self.state_label = QLabel()
        self.state_label.setObjectName("pinState")
        self.state_label.setWordWrap(True)
        state_row = QHBoxLayout(self.state_box)
        state_row.setContentsMargins(8, 6, 8, 6)
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_label, 1)

        notes = [w.render() for w in request.warnings]
        if request.refused:
            notes.append(t("signing.pin.refused", count=request.refused))
        self.notes = QLabel("\n".join(notes))
        self.notes.setObjectName("pinNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {WARN_COLOUR};")
        self.notes.setVisible(bool(notes))

        self.demo_hint = QLabel(request.demo_hint)
        self.demo_hint.setObjectName("pinDemoHint")
        self.demo_hint.setStyleSheet("color: #1f5fa8;")
        self.demo_hint.setVisible(bool(request.demo_hint))

        self.field_label = QLabel(t("signing.pin.label") + ":")
        self.field = QLineEdit()
        self.field.setObjectName("pinField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(64)
        self.field.setPlaceholderText(t("signing.pin.placeholder"))
        self.field.setAccessibleName(t("signing.pin.label"))
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self.field.textChanged.connect(self._typed)
        self.field_label.setBuddy(self.field)
        field_row = QHBoxLayout()
        field_row.addWidget(self.field_label)
        field_row.addWidget(self.field, 1)

        self.pad_label = QLabel(t("signing.pin.pad", token=request.token_label))
        self.pad_label.setObjectName("pinPadPrompt")
        self.pad_label.setWordWrap(True)
        pad_font = QFont(self.pad_label.font())
        pad_font.setBold(True)
        self.pad_label.setFont(pad_font)

        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.progress = QProgressBar()
        self.progress.setObjectName("signProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()
        self.busy_label = QLabel()
        self.busy_label.setObjectName("pinBusy")
        self.busy_label.setStyleSheet("color: #555555;")
        self.busy_label.hide()

        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton(
            t("signing.pin.sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(
            t("button.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        # Enter means Ký while the field holds a PIN, wherever the focus went meanwhile: no
        # button becomes the default by taking the focus (Hủy did, after a wrong PIN).
        for button in (self.sign_button, self.cancel_button):
            button.setAutoDefault(False)
        self.sign_button.setDefault(True)
        self.field.returnPressed.connect(self._press_sign)
        self.buttons.accepted.connect(self._press_sign)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(self.summary)
        layout.addLayout(facts)
        layout.addWidget(self.state_box)
        layout.addWidget(self.notes)
        layout.addWidget(self.demo_hint)
        layout.addLayout(field_row)
        layout.addWidget(self.pad_label)
        layout.addWidget(self.message)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # A fixed size follows the content: wrapped sentences get their full height, and the
        # dialog grows when a message appears instead of squeezing the rows above it.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        self.state_box.setMinimumWidth(480)

        self._show_state(request.pin_state)
        if request.pin_state is PinState.LOCKED:
            self.show_locked(Message("signing.pin.locked", {"token": request.token_label}))
        else:
            self._set_mode(Mode.ENTRY)

    # -- what the controller calls --------------------------------------------------------

    def begin(self) -> None:
        """After the dialog is shown: on a PIN pad, start the login on the token thread now."""
        if self.request.pin_pad and self.mode is Mode.ENTRY:
            self._set_mode(Mode.PAD)
            self._submit(None)
        elif self.mode is Mode.ENTRY:
            self.field.setFocus()

    def show_progress(self, done: int, total: int) -> None:
        """The PIN was right: signing, ``done`` of ``total``."""
        self._set_mode(Mode.SIGNING)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.busy_label.setText(t("signing.pin.progress", done=done, total=total))

    def show_wrong_pin(self, error: PinIncorrect) -> None:
        """A wrong PIN: the new state, the sentence, and wait (never resubmit)."""
        self._show_state(error.pin_state)
        self._show_message(error.message.render(), BAD_COLOUR)
        self._set_mode(Mode.ENTRY)

    def show_retryable(self, message: Message) -> None:
        """A problem the user can fix by typing again (an empty or too short PIN)."""
        self._show_message(message.render(), BAD_COLOUR)
        self._set_mode(Mode.ENTRY)

    def show_locked(self, message: Message) -> None:
        """Locked: how to unlock it, and only a Close button."""
        self._show_state(PinState.LOCKED)
        self._show_message(message.render(), BAD_COLOUR)
        self._set_mode(Mode.CLOSED_ONLY)

    def show_failure(self, message: Message) -> None:
        """A failure the dialog cannot recover from (token pulled out at login)."""
        self._show_message(message.render(), BAD_COLOUR)
        self._set_mode(Mode.CLOSED_ONLY)

    def close_quietly(self) -> None:
        """Close without a word (the user cancelled on the PIN pad)."""
        self._set_mode(Mode.CLOSED_ONLY)
        self.reject()

    # -- inside ---------------------------------------------------------------------------

    def _show_state(self, state: PinState) -> None:
        self.state = state
        self.state_icon.setPixmap(pin_state_icon(state, 18).pixmap(18, 18))
        self.state_label.setText(f"{t('signing.pin.state')}: {pin_state_text(state)}")
        self.state_label.setStyleSheet(f"color: {PIN_STATE_COLOURS[state]}; font-weight: 600;")
        self.state_box.setStyleSheet(
            f"QFrame#pinStateBox {{ background: {_TINTS[state]}; border-radius: 3px; }}")

    def _show_message(self, sentence: str, colour: str) -> None:
        self.message.setText(sentence)
        self.message.setStyleSheet(f"color: {colour};")
        self.message.show()

    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        if mode is Mode.CLOSED_ONLY:
            self.field.clear()  # nothing typed outlives a dead end
        entry = mode is Mode.ENTRY
        typing = not self.request.pin_pad and mode in (Mode.ENTRY, Mode.CHECKING)
        self.field_label.setVisible(typing)
        self.field.setVisible(typing)
        self.field.setEnabled(entry)
        self.pad_label.setVisible(self.request.pin_pad and mode in (Mode.ENTRY, Mode.PAD))
        self.sign_button.setVisible(mode is not Mode.CLOSED_ONLY)
        self.sign_button.setEnabled(entry and (self.request.pin_pad or bool(self.field.text())))
        self.cancel_button.setEnabled(mode in (Mode.ENTRY, Mode.CLOSED_ONLY))
        self.cancel_button.setText(
            t("button.close") if mode is Mode.CLOSED_ONLY else t("button.cancel"))
        busy = {Mode.CHECKING: "signing.pin.checking", Mode.PAD: "signing.pin.waiting_pad",
                Mode.SIGNING: None}
        self.busy_label.setVisible(mode in busy)
        if mode in busy and busy[mode] is not None:
            self.busy_label.setText(t(str(busy[mode])))
        self.progress.setVisible(mode in (Mode.SIGNING, Mode.CHECKING, Mode.PAD))
        if mode in (Mode.CHECKING, Mode.PAD):
            self.progress.setRange(0, 0)
        self.sign_button.setDefault(mode is not Mode.CLOSED_ONLY)
        if entry and not self.request.pin_pad:
            self.field.setFocus()

    def _typed(self, typed: str) -> None:
        if self.mode is Mode.ENTRY:
            self.sign_button.setEnabled(bool(typed))

    def _press_sign(self) -> None:
        if self.mode is not Mode.ENTRY:
            return
        if self.request.pin_pad:
            self._set_mode(Mode.PAD)
            self._submit(None)
            return
        if not self.field.text():
            return
        self.message.hide()
        self._set_mode(Mode.CHECKING)
        self._submit(self._take_pin())

    def _take_pin(self) -> str:
        # Read and clear in one go: after this line the PIN lives only in the call to submit.
        pin = self.field.text()
        self.field.clear()
        return pin

    def reject(self) -> None:
        """Cancel is not an error; while the token works it cannot be interrupted."""
        if self.mode in (Mode.CHECKING, Mode.SIGNING, Mode.PAD):
            return
        super().reject()

    def done(self, result: int) -> None:
        """Every way out clears the field."""
        self.field.clear()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.mode in (Mode.CHECKING, Mode.SIGNING, Mode.PAD):
            event.ignore()
            return
        self.field.clear()
        super().closeEvent(event)
