"""Choosing the certificate to sign with (chọn chứng thư số): every token, every certificate.

Unusable certificates stay in the list, greyed and not selectable, with the reason; the ones
registered for the role are marked and preselected. The list follows tokens being plugged in
and pulled out (``set_survey`` from a TokenWatcher).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message, text
from treasury_desktop.signing.certificates import CertificateInfo, vn_date
from treasury_desktop.signing.errors import PinState
from treasury_desktop.signing.token import TokenInfo
from treasury_desktop.ui.signing.runtime import Survey
from treasury_desktop.ui.signing.visuals import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    badge,
    grouped_fingerprint,
    pin_state_icon,
    pin_state_text,
    refusal_short,
)
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.tokens import CertificateView, TokenView

_KEY = Qt.ItemDataRole.UserRole
NAME, ISSUER, VALIDITY, STATUS = range(4)


def role_name(role: SignerRole) -> str:
    """Kế toán trưởng / Chủ tài khoản."""
    return text(f"role.{role.value}")


class CertificateChooser(QDialog):
    """Tokens and their signing certificates; ``chosen()`` after ``accepted``."""

    def __init__(
        self, role: SignerRole, registered: frozenset[str], parent: QWidget | None = None,
        *, purpose: str = "signing.chooser",
    ) -> None:
        """``purpose``: the texts' key prefix (its ``title``, ``intro`` and ``choose``), e.g.
        ``signing.signers.chooser`` when recording a signer rather than signing."""
        super().__init__(parent)
        self.setObjectName("certificateChooser")
        self.role = role
        self.registered = registered
        # Each certificate's last known trust status, by SHA-256 (from the desk's cache).
        self.trust_labels: dict[str, Message] = {}
        # Signing warns about a certificate not recorded for the role; recording one does not.
        self._unrecorded = ("signing.status.not_registered" if purpose == "signing.chooser"
                            else f"{purpose}.usable")
        self.setWindowTitle(t(f"{purpose}.title", role=role_name(role)))
        self._choices: dict[str, tuple[TokenInfo, CertificateInfo]] = {}
        self._wanted: str | None = None

        intro = QLabel(t(f"{purpose}.intro", role=role_name(role)))
        intro.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("moduleProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(
            "background: #fff4d6; color: #6a4b00; padding: 6px 8px; border-radius: 3px;"
        )
        self.problems.hide()
        self.empty = QLabel(t("signing.chooser.no_tokens"))
        self.empty.setObjectName("noTokens")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(
            "color: #444444; background: #ffffff; border: 1px solid #d9d9d4; padding: 24px;")

        self.tree = QTreeWidget()
        self.tree.setObjectName("certificateTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([
            t("signing.chooser.col.name"), t("signing.chooser.col.issuer"),
            t("signing.chooser.col.validity"), t("signing.chooser.col.status"),
        ])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setStyleSheet(  # the list's quiet selection colour, as in the voucher list
            "QTreeWidget { selection-background-color: #dbe7f5; selection-color: #1b1b1b; }")
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(NAME, 360)
        self.tree.setColumnWidth(ISSUER, 215)
        self.tree.setColumnWidth(VALIDITY, 165)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

        self.details = CertificateDetails()
        self.buttons = QDialogButtonBox()
        self.choose_button = self.buttons.addButton(
            t(f"{purpose}.choose"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(t("button.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.problems)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.resize(1040, 560)
        self.set_survey(Survey(()))

    # -- filling in -----------------------------------------------------------------------

    def set_survey(self, found: Survey) -> None:
        """Show what the tokens hold now, keeping the selection when it is still there."""
        current = self._selected_key() or self._wanted
        self._wanted = current
        self.tree.blockSignals(True)
        self.tree.clear()
        self._choices.clear()
        # Slot order changes from one plug-in to the next; the label order does not.
        for view in sorted(found.tokens, key=lambda v: (v.info.label, v.info.serial)):
            self._add_token(view)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self.empty.setVisible(not found.tokens)
        self.tree.setVisible(bool(found.tokens))
        self.details.setVisible(bool(found.tokens))
        if found.problems:
            lines = [t("signing.chooser.module_problems")]
            lines += [f"• {p.message.render()}" for p in found.problems]
            self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(found.problems))
        self._select(current if current in self._choices else self._preferred())

    def _add_token(self, view: TokenView) -> None:
        info = view.info
        item = QTreeWidgetItem(self.tree)
        item.setText(NAME, t("signing.chooser.token_row", label=info.label, serial=info.serial))
        state = t("signing.chooser.token_state", state=pin_state_text(info.pin_state))
        if info.protected_auth_path:
            state += " · " + t("signing.chooser.pin_pad")
        item.setText(STATUS, state)
        item.setIcon(STATUS, pin_state_icon(info.pin_state))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(item.font(NAME))
        font.setBold(True)
        item.setFont(NAME, font)
        item.setFirstColumnSpanned(False)
        if not view.certificates:
            empty = QTreeWidgetItem(item)
            empty.setText(NAME, t("signing.chooser.no_certs"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        for cert in view.certificates:
            self._add_certificate(item, info, cert)

    def _add_certificate(self, parent: QTreeWidgetItem, token: TokenInfo,
                         view: CertificateView) -> None:
        cert = view.info
        item = QTreeWidgetItem(parent)
        item.setText(NAME, f"{cert.holder_name} — {cert.organisation}"
                     if cert.organisation else cert.holder_name)
        item.setText(ISSUER, cert.issuer_name)
        item.setText(VALIDITY, t("signing.detail.range", start=vn_date(cert.not_before),
                                 end=vn_date(cert.not_after)))
        refusal: Message | None = view.refusal
        if refusal is None and token.pin_state is PinState.LOCKED:
            refusal = Message("signing.pin.locked", {"token": token.label})
        registered = cert.sha256 in self.registered
        tooltip = [f"SHA-256: {cert.sha256}"]
        if refusal is not None:
            short = (t("signing.status.pin_locked") if refusal.key == "signing.pin.locked"
                     else refusal_short(refusal))
            item.setText(STATUS, short)
            item.setIcon(STATUS, badge(BAD_COLOUR, "×"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            tooltip.insert(0, refusal.render())
        else:
            parts = [t("signing.status.registered", role=role_name(self.role)) if registered
                     else t(self._unrecorded, role=role_name(self.role))]
            if view.expires_soon:  # first: it is what the user must act on
                parts.insert(0, t("signing.status.expires_soon", date=vn_date(cert.not_after)))
                tooltip.insert(0, Message("signing.cert.expires_soon", {
                    "holder": cert.holder_name, "date": vn_date(cert.not_after)}).render())
            known = self.trust_labels.get(cert.sha256)
            if known is not None:
                parts.append(known.render())
                tooltip.insert(0, t("trust.status") + ": " + known.render())
            item.setText(STATUS, " · ".join(parts))
            warn = not registered and self._unrecorded == "signing.status.not_registered"
            warn = warn or (known is not None and known.key != "trust.status.good")
            colour = WARN_COLOUR if view.expires_soon or warn else OK_COLOUR
            item.setIcon(STATUS, badge(colour, "!" if colour == WARN_COLOUR else "✓"))
            item.setForeground(STATUS, QBrush(QColor(colour)))
            if registered:
                font = QFont(item.font(NAME))
                font.setBold(True)
                item.setFont(NAME, font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            key = f"{token.serial}/{cert.sha256}"
            item.setData(NAME, _KEY, key)
            self._choices[key] = (token, cert)
        for column in range(4):
            item.setToolTip(column, "\n".join(tooltip))

    def _preferred(self) -> str | None:
        for key, (_token, cert) in self._choices.items():
            if cert.sha256 in self.registered:
                return key
        return None

    # -- selection ------------------------------------------------------------------------

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    found.append(child)
        return found

    def _select(self, key: str | None) -> None:
        self.tree.clearSelection()
        for item in self._items():
            if key is not None and item.data(NAME, _KEY) == key:
                self.tree.setCurrentItem(item)
                item.setSelected(True)
                break
        self._selection_changed()

    def _selected_key(self) -> str | None:
        for item in self.tree.selectedItems():
            key = item.data(NAME, _KEY)
            if key in self._choices:
                return str(key)
        return None

    def _selection_changed(self) -> None:
        key = self._selected_key()
        if key is not None:
            self._wanted = key
        choice = self._choices.get(key) if key else None
        self.choose_button.setEnabled(choice is not None)
        self.details.show_certificate(choice[1] if choice else None)
        known = self.trust_labels.get(choice[1].sha256) if choice else None
        self.details.show_trust(known.render() if known is not None else "")

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(NAME, _KEY) in self._choices:
            self.accept()

    def chosen(self) -> tuple[TokenInfo, CertificateInfo] | None:
        """The token and certificate selected now, if any."""
        key = self._selected_key()
        return self._choices.get(key) if key else None

    def certificate_rows(self) -> list[tuple[str, bool, str]]:
        """(holder text, selectable, status) per certificate row (what tests and a11y read)."""
        return [
            (item.text(NAME), bool(item.flags() & Qt.ItemFlag.ItemIsSelectable),
             item.text(STATUS))
            for item in self._items()
        ]


class CertificateDetails(QWidget):
    """Holder, unit, CA, serial, validity, key type and fingerprint of the selection."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("certificateDetails")
        self.placeholder = QLabel(t("signing.detail.none"))
        self.placeholder.setStyleSheet("color: #6b6b6b;")
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(3)
        for key in ("holder", "unit", "issuer", "serial", "validity", "key_type", "fingerprint"):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"detail_{key}")
            self.values[key] = value
            form.addRow(t(f"signing.detail.{key}") + ":", value)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(8)
        self.values["fingerprint"].setFont(mono)
        self.trust = QLabel()
        self.trust.setObjectName("detail_trust")
        form.addRow(t("trust.status") + ":", self.trust)
        form.setRowVisible(self.trust, False)
        self.form = QWidget()
        self.form.setLayout(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.form)
        self.setStyleSheet("QWidget#certificateDetails { background: #f7f8fa; }")
        self.show_certificate(None)

    def show_certificate(self, cert: CertificateInfo | None) -> None:
        """Fill in the fields (or the placeholder when nothing is selected)."""
        self.placeholder.setVisible(cert is None)
        self.form.setVisible(cert is not None)
        if cert is None:
            return
        shown = {
            "holder": cert.holder_name,
            "unit": cert.organisation,
            "issuer": cert.issuer_name,
            "serial": cert.serial,
            "validity": t("signing.detail.range", start=vn_date(cert.not_before),
                          end=vn_date(cert.not_after)),
            "key_type": cert.key_type,
            "fingerprint": grouped_fingerprint(cert.sha256, lines=1),
        }
        for key, value in shown.items():
            self.values[key].setText(value)

    def show_trust(self, status: str) -> None:
        """The certificate's last known trust status (hidden when never checked)."""
        self.trust.setText(status)
        self.trust.setVisible(bool(status))
        label = self.form.layout()
        if isinstance(label, QFormLayout):
            label.setRowVisible(self.trust, bool(status))

    def fingerprint(self) -> str:
        """The fingerprint shown, as plain lowercase hex."""
        return self.values["fingerprint"].text().replace(":", "").lower()
