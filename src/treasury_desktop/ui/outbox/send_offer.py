"""After the last signature, "Gửi Kho bạc" right there (issue 12 point 9).

When the account holder has signed, nothing is left but sending: a bar above the status bar
says so and offers the button; it goes away when pressed, closed, or another voucher is
signed or opened. Sending is never automatic: the accountant presses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from treasury_desktop.i18n import text


class SendOffer(QFrame):
    """"Đã ký đủ N chứng từ. [Gửi Kho bạc] [×]"; ``send(ids)`` when pressed."""

    send = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendOffer")
        self.setStyleSheet("QFrame#sendOffer { background: #e8f3ea; border-top: 1px solid"
                           " #9cc5a4; }")
        self.ids: tuple[str, ...] = ()
        self.words = QLabel()
        self.words.setObjectName("sendOfferWords")
        self.button = QPushButton(text("outbox_ui.queue"))
        self.button.setObjectName("sendOfferButton")
        self.button.clicked.connect(self._press)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(text("ui.button.close"))
        close.clicked.connect(self.withdraw)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.words, 1)
        row.addWidget(self.button)
        row.addWidget(close)
        self.hide()

    def offer(self, ids: Sequence[str]) -> None:
        """Offer to send ``ids`` (all signed by both signers now)."""
        self.ids = tuple(ids)
        if not self.ids:
            self.withdraw()
            return
        self.words.setText(text("ui.send_offer.words", count=len(self.ids)))
        self.show()
        self.button.setFocus()

    def withdraw(self) -> None:
        """Nothing to offer any more."""
        self.ids = ()
        self.hide()

    def _press(self) -> None:
        ids = list(self.ids)
        self.withdraw()
        if ids:
            self.send.emit(ids)

