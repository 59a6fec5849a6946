"""One source for how a voucher's state looks, wherever it is shown (issue 12 point 6).

The list, the editor's banner and the outbox view all take the voucher's workflow state from
the store and show it through these functions: the same word, the same colour, and for a
voucher the treasury rejected or returned, its reason in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from treasury_desktop.domain.workflow import REFUSED, VoucherState
from treasury_desktop.i18n import text
from treasury_desktop.outbox.model import ACTIVE, ItemState, OutboxItem
from treasury_desktop.store.standings import Standing
from treasury_desktop.ui.texts import READY_COLOUR, STATUS_COLOURS, status_name

ITEM_COLOURS: dict[ItemState, str] = {
    ItemState.PENDING: STATUS_COLOURS[VoucherState.QUEUED],
    ItemState.IN_FLIGHT: "#1f5fa8",
    ItemState.DELIVERED: STATUS_COLOURS[VoucherState.SENT],
    ItemState.REFUSED: STATUS_COLOURS[VoucherState.REJECTED],
}


@dataclass(frozen=True)
class StateLook:
    """The word and colour of a state, and the treasury's reason ('' when none)."""

    words: str
    colour: str
    reason: str = ""


def look(status: VoucherState, problems: int = 0, reason: str = "") -> StateLook:
    """How a voucher in ``status`` is shown (a draft without problems reads 'ready')."""
    ready = status is VoucherState.DRAFT and problems == 0
    return StateLook(status_name(status, problems),
                     READY_COLOUR if ready else STATUS_COLOURS[status],
                     reason.strip() if status in REFUSED else "")


def outbox_look(item: OutboxItem, standing: Standing | None) -> StateLook:
    """An outbox row: while it is still being sent, the outbox's own word (Chờ gửi, Đang
    gửi); once the treasury has it (or refused it at the door), the voucher's state — the
    list's word, never a stale "Đã gửi" after a rejection."""
    if item.state in ACTIVE or standing is None or standing.status in (
            VoucherState.QUEUED, VoucherState.SIGNED_HOLDER):
        return StateLook(text(f"outbox.state.{item.state.value}"), ITEM_COLOURS[item.state])
    return look(standing.status, reason=standing.reason)


def refusal_words(status: VoucherState, reason: str) -> str:
    """'Kho bạc đã từ chối chứng từ này. Lý do: …' ('' for a state that is not a refusal)."""
    if status not in REFUSED:
        return ""
    kind = "returned" if status is VoucherState.RETURNED else "rejected"
    reason = reason.strip()
    if not reason:
        return text(f"state.reason.{kind}_silent")
    return text(f"state.reason.{kind}", reason=reason)


def refusal_banner(status: VoucherState, reason: str) -> str:
    """The editor's banner over a refused voucher: what the treasury said, and what to do."""
    words = refusal_words(status, reason)
    if not words:
        return ""
    if words[-1] not in ".!?":
        words += "."
    return f"{words}\n{text('state.reason.next')}"


def all_state_words() -> list[str]:
    """Every word a state can be shown with (the list's and the outbox's): columns that show
    a state are made wide enough for the longest."""
    words = [status_name(s) for s in VoucherState]
    words.append(status_name(VoucherState.DRAFT, 0))
    words.extend(text(f"outbox.state.{s.value}") for s in ItemState)
    return words
