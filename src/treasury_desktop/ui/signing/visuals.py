"""How signing things look: PIN state colours and icons, short certificate statuses."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from treasury_desktop.i18n import Message
from treasury_desktop.signing.errors import PinState
from treasury_desktop.ui.texts import t

OK_COLOUR = "#1a7f37"
WARN_COLOUR = "#9a6700"
BAD_COLOUR = "#b42318"
QUIET_COLOUR = "#6b6b6b"

PIN_STATE_COLOURS: dict[PinState, str] = {
    PinState.NORMAL: OK_COLOUR,
    PinState.COUNT_LOW: WARN_COLOUR,
    PinState.FINAL_TRY: BAD_COLOUR,
    PinState.LOCKED: BAD_COLOUR,
    PinState.UNKNOWN: QUIET_COLOUR,
}
_PIN_STATE_GLYPHS: dict[PinState, str] = {
    PinState.NORMAL: "✓",
    PinState.COUNT_LOW: "!",
    PinState.FINAL_TRY: "!",
    PinState.LOCKED: "×",
    PinState.UNKNOWN: "?",
}
# Short statuses for the chooser's column; the full sentence is the refusal message itself.
_SHORT_REFUSALS = {
    "signing.cert.expired": "signing.status.expired",
    "signing.cert.not_yet_valid": "signing.status.not_yet_valid",
    "signing.cert.no_signing_usage": "signing.status.no_signing_usage",
    "signing.cert.weak_key": "signing.status.weak_key",
}


def badge(colour: str, glyph: str, size: int = 16) -> QIcon:
    """A filled circle with a white glyph: the same shape in every colour, never colour alone."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    font = QFont("DejaVu Sans")
    font.setPixelSize(int(size * 0.7))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


def pin_state_icon(state: PinState, size: int = 16) -> QIcon:
    """The PIN state's badge."""
    return badge(PIN_STATE_COLOURS[state], _PIN_STATE_GLYPHS[state], size)


def pin_state_text(state: PinState) -> str:
    """Bình thường, Đã có lần nhập sai …"""
    return state.message.render()


def refusal_short(refusal: Message) -> str:
    """A few words for the chooser's status column (the full sentence goes in the tooltip)."""
    key = _SHORT_REFUSALS.get(refusal.key)
    if key is None:
        return t("signing.status.unusable")
    return t(key, **refusal.params)


def grouped_fingerprint(sha256: str, lines: int = 2) -> str:
    """'ab12cd…' -> 'AB:12:CD:…' (in one or two lines), the way certificate viewers show it."""
    pairs = [sha256[i:i + 2].upper() for i in range(0, len(sha256), 2)]
    if lines == 1:
        return ":".join(pairs)
    half = len(pairs) // 2
    return ":".join(pairs[:half]) + "\n" + ":".join(pairs[half:])
