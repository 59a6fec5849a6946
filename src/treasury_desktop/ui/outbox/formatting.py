"""How the outbox widgets write times and states: dd/mm/yyyy hh:mm in the desk's local time."""

from __future__ import annotations

from datetime import datetime

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import has_text, text
from treasury_desktop.ui.texts import STATUS_COLOURS

QUIET_COLOUR = "#6b6b6b"


def moment(value: datetime | str | None) -> str:
    """A stored time (aware datetime or ISO text) as '20/11/2026 15:04' in local time."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        when = value
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%d/%m/%Y %H:%M")


def voucher_status(code: str) -> VoucherState | None:
    """The workflow state of a timeline row, or None for a word the desk does not know."""
    try:
        return VoucherState(code)
    except ValueError:
        return None


def status_words(code: str) -> str:
    """'paid' -> 'Đã thanh toán'; an unknown status is shown as the treasury wrote it."""
    return text(f"status.{code}") if has_text(f"status.{code}") else code


def status_colour(code: str) -> str:
    """The list's colour for a status (quiet grey when unknown)."""
    state = voucher_status(code)
    return STATUS_COLOURS.get(state, QUIET_COLOUR) if state is not None else QUIET_COLOUR
