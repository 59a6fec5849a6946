"""What delivery and the status sync tell the rest of the app, as typed events.

The outbox's sender and the status sync publish these to whoever listens (the window's one
bus in ``ui/events.py``; a test's list): one frozen dataclass per kind of news, each naming the
vouchers it concerns, so a listener re-reads exactly what moved instead of polling. (The
outbox's every committed change, with the indicator's status, is ``outbox.model.OutboxChange``.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Message


@dataclass(frozen=True)
class Delivered:
    """The treasury holds exactly these vouchers' signed bytes (2xx): answers are expected."""

    voucher_ids: tuple[str, ...]


@dataclass(frozen=True)
class Refused:
    """The treasury refused these vouchers at delivery (409, 422): they are rejected."""

    voucher_ids: tuple[str, ...]


@dataclass(frozen=True)
class Paused:
    """The outbox stopped sending (persisted) for ``reason``."""

    reason: Message


@dataclass(frozen=True)
class Resumed:
    """The outbox sends again."""


@dataclass(frozen=True)
class FinalWord:
    """The treasury's final word on one voucher (see :class:`Paid`, :class:`Rejected`,
    :class:`Returned`), with its number and the treasury's reason as written."""

    voucher_id: str
    number: str
    reason: str = ""

    @property
    def status(self) -> VoucherState:
        """The state the voucher reached."""
        raise NotImplementedError


@dataclass(frozen=True)
class Paid(FinalWord):
    """The treasury paid the voucher."""

    @property
    def status(self) -> VoucherState:
        """PAID."""
        return VoucherState.PAID


@dataclass(frozen=True)
class Rejected(FinalWord):
    """The treasury rejected the voucher for good."""

    @property
    def status(self) -> VoucherState:
        """REJECTED."""
        return VoucherState.REJECTED


@dataclass(frozen=True)
class Returned(FinalWord):
    """The treasury returned the voucher to be completed."""

    @property
    def status(self) -> VoucherState:
        """RETURNED."""
        return VoucherState.RETURNED


@dataclass(frozen=True)
class StatusChanged:
    """The treasury's changes feed reported on these vouchers (their status and timeline may
    have moved); ``finals``: the final words among them, told together (one notice per page).
    Each final word is also published on its own (:class:`Paid` …) after this event."""

    voucher_ids: tuple[str, ...]
    finals: tuple[FinalWord, ...] = ()


FINAL_WORDS: dict[VoucherState, type[FinalWord]] = {
    VoucherState.PAID: Paid, VoucherState.REJECTED: Rejected, VoucherState.RETURNED: Returned}

Event = Delivered | Refused | Paused | Resumed | StatusChanged | FinalWord
EventSink = Callable[[Event], None]


def final_word(voucher_id: str, number: str, status: VoucherState, reason: str) -> FinalWord:
    """The event of a voucher that reached ``status`` (one of the final states)."""
    return FINAL_WORDS[status](voucher_id, number, reason)


def concerns(event: Event) -> tuple[str, ...]:
    """The vouchers an event is about (none for a pause or a resumption)."""
    if isinstance(event, FinalWord):
        return (event.voucher_id,)
    if isinstance(event, Delivered | Refused | StatusChanged):
        return event.voucher_ids
    return ()
