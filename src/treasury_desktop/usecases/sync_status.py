"""Following vouchers after sending (theo dõi trạng thái): timeline, copy a refused voucher as
a new draft with the reason beside it, balance warnings, notification texts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import REFUSED, TREASURY_WORD, VoucherState
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.store.timeline import EventSource, TimelineEvent, timeline
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.sync.balances import BalanceBook, EstimateWarning
from treasury_desktop.sync.feed import FinalNotice
from treasury_desktop.usecases.drafting import DraftingService


@dataclass(frozen=True)
class CopiedDraft:
    """A new draft made from a refused voucher, and why the treasury refused the original."""

    draft: Voucher
    source_id: str
    source_status: VoucherState
    reason: str


def notification(notice: FinalNotice) -> Message:
    """The desktop notification's sentence for a voucher's final word."""
    return Message(f"sync.notify.{notice.status.value}",
                   {"number": notice.number or notice.voucher_id[:8], "reason": notice.reason})


class StatusService:
    """What the window shows about a sent voucher, and what it offers to do next."""

    def __init__(self, conn: sqlite3.Connection, drafting: DraftingService,
                 balances: BalanceBook) -> None:
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._drafting = drafting
        self._balances = balances

    def timeline(self, voucher_id: str) -> list[TimelineEvent]:
        """Queued, sent, received, checking … paid / rejected (with the reason) / returned.

        The voucher's state is the one source of truth: when the treasury's word for it is
        not among the recorded steps (a voucher moved by another desk, or imported), the
        timeline ends with that state and its reason all the same, never "not sent yet"."""
        events = timeline(self._conn, voucher_id)
        stored = self._repo.get(voucher_id)
        if stored is None or stored.status not in TREASURY_WORD:
            return events
        if not any(event.status == stored.status.value for event in events):
            events.append(TimelineEvent(voucher_id, stored.status.value, stored.updated_at,
                                        "", stored.status_reason, EventSource.TREASURY))
        return events

    def copy_refused_as_new(self, voucher_id: str) -> CopiedDraft:
        """A new draft (new id, today's date, unsigned) from a rejected or returned voucher,
        with the treasury's reason to show beside it. The draft is saved."""
        stored = self._drafting.open(voucher_id)
        if stored.status not in REFUSED:
            raise ExpectedError("sync.copy_not_refused", status=stored.status.value)
        draft = self._drafting.copy_as_new(voucher_id)
        self._drafting.save(draft)
        return CopiedDraft(draft, voucher_id, stored.status, stored.status_reason)

    def over_estimate(self, voucher: Voucher) -> list[EstimateWarning]:
        """The editor's warning: this voucher exceeds the remaining estimate, as of when."""
        return self._balances.over_estimate(voucher)
