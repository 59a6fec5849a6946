"""What the store hands out: frozen records, queries and folders. No SQL here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import (
    AWAITING_DELIVERY,
    AWAITING_SIGNATURE,
    WITH_TREASURY,
    VoucherState,
)
from treasury_desktop.store.os_account import os_account


@dataclass(frozen=True)
class Actor:
    """Who made a change: the OS user and the role they chose in the app."""

    os_user: str
    role: str = "accountant"

    @classmethod
    def current(cls, role: str = "accountant") -> Actor:
        """The person logged in to this desk, as the OS reports the account (not ``USER``)."""
        return cls(os_account(), role)


@dataclass(frozen=True)
class StoredVoucher:
    """A voucher as the store keeps it, with its workflow state."""

    voucher: Voucher
    status: VoucherState
    content_hash: str
    problems: int
    status_reason: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class VoucherRow:
    """One row of the voucher list: just what the table shows."""

    id: str
    form: str
    number: str
    date: str
    payee: str
    content: str
    total: int
    status: VoucherState
    problems: int
    status_reason: str


class Folder(StrEnum):
    """The folders on the left of the main window; each voucher is in exactly one."""

    ALL = "all"
    DRAFTS = "drafts"  # Nháp: still incomplete
    TO_SIGN = "to_sign"  # Chờ ký: complete, one or both signatures missing
    TO_SEND = "to_send"  # Chờ gửi: both signatures, or in the outbox
    SENT = "sent"  # Đã gửi: with the treasury, or paid
    REFUSED = "refused"  # Bị từ chối: rejected or returned


def folder_of(status: VoucherState, problems: int) -> Folder:
    """The folder a voucher is in (the SQLite column ``vouchers.folder`` computes the same;
    the repository contract test holds the two together)."""
    if status is VoucherState.DRAFT and problems > 0:
        return Folder.DRAFTS
    if status in AWAITING_SIGNATURE:
        return Folder.TO_SIGN
    if status in AWAITING_DELIVERY:
        return Folder.TO_SEND
    if status in WITH_TREASURY:
        return Folder.SENT
    return Folder.REFUSED


class SortKey(StrEnum):
    """Columns the list can be sorted by (in SQL, with an index each)."""

    DATE = "date"
    NUMBER = "number"
    AMOUNT = "amount"
    PAYEE = "payee"


@dataclass(frozen=True)
class VoucherQuery:
    """A folder, a search text and an order."""

    folder: Folder = Folder.ALL
    text: str = ""
    sort: SortKey = SortKey.DATE
    descending: bool = True
    status: VoucherState | None = None
    fiscal_year: int | None = None
    date_from: str = ""  # ISO, inclusive
    date_to: str = ""  # ISO, inclusive


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only audit log."""

    seq: int
    at: str
    os_user: str
    role: str
    voucher_id: str | None
    action: str
    detail: str
    hash_before: str | None
    hash_after: str | None
