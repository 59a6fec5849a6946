"""What a batch did, voucher by voucher: signed, not signed (why), not attempted, left out."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message
from treasury_desktop.ui.signing.cert_chooser import role_name
from treasury_desktop.ui.signing.visuals import BAD_COLOUR, OK_COLOUR, WARN_COLOUR
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.signing import BatchResult, SigningPlan


@dataclass(frozen=True)
class SigningOutcome:
    """A finished batch as the window reports it (ids, with voucher numbers to show)."""

    role: SignerRole
    signed: tuple[str, ...] = ()
    failed: tuple[tuple[str, Message], ...] = ()
    not_attempted: tuple[str, ...] = ()
    refused: tuple[tuple[str, Message], ...] = ()
    numbers: Mapping[str, str] = field(default_factory=dict)
    not_timestamped: tuple[str, ...] = ()  # signed while the TSA was out of reach

    @classmethod
    def of(cls, plan: SigningPlan, result: BatchResult) -> SigningOutcome:
        """Join the plan (what was left out, numbers) and the batch's result."""
        return cls(plan.role, result.signed, result.failed, result.not_attempted, plan.refused,
                   {item.voucher_id: item.number for item in plan.items},
                   result.not_timestamped)

    @property
    def total(self) -> int:
        """How many vouchers the user asked to sign."""
        return len(self.signed) + len(self.failed) + len(self.not_attempted) + len(self.refused)

    @property
    def token_pulled(self) -> bool:
        """Whether the batch stopped because the token went away."""
        return bool(self.not_attempted) or any(
            m.key == "signing.token.removed" for _, m in self.failed)

    @property
    def complete(self) -> bool:
        """Everything asked for was signed."""
        return len(self.signed) == self.total

    def name(self, voucher_id: str, reason: Message | None = None) -> str:
        """'Chứng từ số 125' (the number from the plan, else from the reason, else a short id)."""
        number = self.numbers.get(voucher_id)
        if number is None and reason is not None:
            number = reason.params.get("number")
        return t("signing.report.voucher", number=number or voucher_id[:8])


class SigningReport(QDialog):
    """The list of what happened; shown when anything was not signed."""

    def __init__(self, outcome: SigningOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signingReport")
        self.outcome = outcome
        self.setWindowTitle(t("signing.report.title", role=role_name(outcome.role)))
        headline = (t("signing.report.all_signed", count=len(outcome.signed)) if outcome.complete
                    else t("signing.report.partial", signed=len(outcome.signed),
                           total=outcome.total))
        self.headline = QLabel(headline)
        self.headline.setObjectName("reportHeadline")
        font = self.headline.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 1)
        self.headline.setFont(font)
        self.note = QLabel(t("signing.report.removed"))
        self.note.setObjectName("reportRemoved")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(
            "background: #fff4d6; color: #6a4b00; padding: 6px 8px; border-radius: 3px;")
        self.note.setVisible(outcome.token_pulled)
        self.details = QTextBrowser()
        self.details.setObjectName("reportDetails")
        self.details.setOpenLinks(False)
        self.details.setHtml(self._html())
        buttons = QDialogButtonBox()
        close = buttons.addButton(t("button.close"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def _html(self) -> str:
        o = self.outcome
        removed = Message("ui.signing.report.not_attempted_reason")
        sections: list[tuple[str, str, list[tuple[str, Message | None]]]] = [
            ("signing.report.signed", OK_COLOUR, [(v, None) for v in o.signed]),
            ("signing.report.failed", BAD_COLOUR, list(o.failed)),
            ("signing.report.not_attempted", WARN_COLOUR, [(v, removed) for v in o.not_attempted]),
            ("signing.report.refused", BAD_COLOUR, list(o.refused)),
        ]
        parts = []
        for key, colour, rows in sections:
            if not rows:
                continue
            parts.append(f'<p style="margin:8px 0 2px 0"><b style="color:{colour}">'
                         f"{html.escape(t(key, count=len(rows)))}</b></p><ul style='margin:0'>")
            for voucher_id, reason in rows:
                line = f"<b>{html.escape(o.name(voucher_id, reason))}</b>"
                if reason is not None:
                    line += f": {html.escape(reason.render())}"
                parts.append(f"<li>{line}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def plain_text(self) -> str:
        """Everything the report says, as text (tests read it)."""
        return "\n".join([self.headline.text(),
                          self.note.text() if self.outcome.token_pulled else "",
                          self.details.toPlainText()])
