"""«Nhận từ máy khác»: what arrived from other desks, from which desk, when, and what each
voucher still needs on this desk (a signature, queueing, or nothing)."""

from __future__ import annotations

import sqlite3

from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Message
from treasury_desktop.store.outbox import message_from_json
from treasury_desktop.store.packages import ArrivalRow, PackageLog


def arrivals(conn: sqlite3.Connection, limit: int = 1000) -> list[ArrivalRow]:
    """Each voucher's latest arrival, newest first."""
    return PackageLog(conn).arrivals(limit)


def needs(row: ArrivalRow) -> Message:
    """What the voucher still needs on this desk."""
    if row.status is None:
        reason = refusal(row)
        return Message("package.needs.refused", {"reason": reason.render() if reason else ""})
    if row.status is VoucherState.DRAFT:
        return Message("package.needs.chief")
    if row.status is VoucherState.SIGNED_CHIEF:
        return Message("package.needs.holder")
    if row.status is VoucherState.SIGNED_HOLDER:
        if row.queued_elsewhere and not row.in_outbox:
            return Message("package.needs.queued_elsewhere")
        return Message("package.needs.queue")
    return Message("package.needs.nothing")


def refusal(row: ArrivalRow) -> Message | None:
    """The reason a refused or conflicting arrival gave, in the reader's language."""
    return message_from_json(row.reason)
