"""What the treasury answers, as frozen dataclasses read strictly from the JSON.

A reader raises ``ValueError`` (or ``KeyError``/``TypeError``) on a body of the wrong shape; the
client turns that into a :class:`~treasury_desktop.api.errors.TransientError`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from treasury_desktop.api.reading import (
    read_int,
    read_list,
    read_opt_str,
    read_str,
    read_time,
)
from treasury_desktop.domain.roles import SignerRole


class TreasuryStatus(StrEnum):
    """Where a voucher is at the treasury."""

    RECEIVED = "received"  # KBNN tiếp nhận
    CHECKING = "checking"  # đang kiểm soát
    PAID = "paid"  # đã thanh toán
    REJECTED = "rejected"  # từ chối, with the reason
    RETURNED = "returned"  # trả lại để bổ sung
    UNKNOWN = "unknown"  # a status a newer treasury added: kept on the timeline, moves nothing

    @classmethod
    def read(cls, raw: str) -> TreasuryStatus:
        """The status named ``raw``; one this version does not know is UNKNOWN, never an
        error (it would otherwise stop the whole feed and every retry)."""
        try:
            return cls(raw)
        except ValueError:
            return cls.UNKNOWN

    @property
    def is_final(self) -> bool:
        """Paid, rejected and returned do not change any more."""
        return self in (TreasuryStatus.PAID, TreasuryStatus.REJECTED, TreasuryStatus.RETURNED)


class DeliveryOutcome(Enum):
    """The four final words on a PUT."""

    CREATED = "created"  # 201: received for the first time
    REPLAYED = "replayed"  # 200: the treasury already had exactly these bytes
    CONFLICT = "conflict"  # 409: the id is taken by other content
    INVALID = "invalid"  # 422: refused at the door, with every reason


@dataclass(frozen=True)
class Reason:
    """One reason a voucher was refused, word for word from the server."""

    code: str
    field: str
    message: str
    message_en: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        return cls(
            read_str(data, "code"),
            read_str(data, "field"),
            read_str(data, "message"),
            read_opt_str(data, "message_en") or "",
        )


@dataclass(frozen=True)
class StatusEvent:
    """One step in a voucher's history at the treasury."""

    status: TreasuryStatus
    detail: str
    reason: str | None
    at: datetime

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatusEvent:
        return cls(
            TreasuryStatus.read(read_str(data, "status")),
            read_str(data, "detail"),
            read_opt_str(data, "reason"),
            read_time(data, "at"),
        )


@dataclass(frozen=True)
class DocumentStatus:
    """A voucher's status at the treasury, with its reference numbers and history."""

    id: str
    unit: str
    content_hash: str
    status: TreasuryStatus
    detail: str  # the treasury's own label, e.g. "Chờ phản hồi từ TABMIS"
    reason: str | None  # the refusal or return notice, word for word
    reference: str  # số chứng từ điện tử, e.g. 261120_1171277_0011001
    dossier: str  # mã hồ sơ
    received_at: datetime
    updated_at: datetime
    history: tuple[StatusEvent, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocumentStatus:
        return cls(
            read_str(data, "id"),
            read_str(data, "unit"),
            read_str(data, "content_hash"),
            TreasuryStatus.read(read_str(data, "status")),
            read_str(data, "detail"),
            read_opt_str(data, "reason"),
            read_str(data, "reference"),
            read_str(data, "dossier"),
            read_time(data, "received_at"),
            read_time(data, "updated_at"),
            tuple(StatusEvent.from_json(e) for e in read_list(data, "history")),
        )


@dataclass(frozen=True)
class DeliveryResult:
    """The final word on one PUT. ``document`` is set for CREATED and REPLAYED, ``reasons``
    for INVALID; ``message`` is the server's own sentence for CONFLICT and INVALID."""

    outcome: DeliveryOutcome
    http_status: int
    document: DocumentStatus | None = None
    reasons: tuple[Reason, ...] = ()
    message: str = ""
    message_en: str = ""
    held_hash: str = ""  # for CONFLICT: the content hash of what the treasury holds


@dataclass(frozen=True)
class Change:
    """One entry of the changes feed."""

    cursor: str
    id: str
    status: TreasuryStatus
    detail: str
    reason: str | None
    at: datetime
    content_hash: str = ""  # of the document the change is about ("" from older treasuries)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        return cls(
            read_str(data, "cursor"),
            read_str(data, "id"),
            TreasuryStatus.read(read_str(data, "status")),
            read_str(data, "detail"),
            read_opt_str(data, "reason"),
            read_time(data, "at"),
            read_opt_str(data, "content_hash") or "",
        )


@dataclass(frozen=True)
class ChangesPage:
    """Changes after a cursor, oldest first; ask again with ``next_cursor``."""

    changes: tuple[Change, ...]
    next_cursor: str
    has_more: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChangesPage:
        has_more = data["has_more"]
        if not isinstance(has_more, bool):
            raise TypeError("has_more is not a boolean")
        return cls(
            tuple(Change.from_json(c) for c in read_list(data, "changes")),
            read_str(data, "next_cursor"),
            has_more,
        )


@dataclass(frozen=True)
class BudgetBalance:
    """Dự toán còn lại: the estimate of one chapter/industry/source, what is spent, what is left."""

    chapter: str
    industry: str
    source: str
    estimate: int
    spent: int
    remaining: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BudgetBalance:
        return cls(
            read_str(data, "chapter"),
            read_str(data, "industry"),
            read_str(data, "source"),
            read_int(data, "estimate"),
            read_int(data, "spent"),
            read_int(data, "remaining"),
        )


@dataclass(frozen=True)
class Balances:
    """The unit's remaining budget estimates of a fiscal year; ``etag`` for If-None-Match."""

    unit: str
    fiscal_year: int
    items: tuple[BudgetBalance, ...]
    etag: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None) -> Balances:
        return cls(
            read_str(data, "unit"),
            read_int(data, "fiscal_year"),
            tuple(BudgetBalance.from_json(i) for i in read_list(data, "items")),
            etag,
        )


@dataclass(frozen=True)
class CatalogCode:
    """One code of a served catalogue."""

    code: str
    name: str
    parent: str | None
    certificate: str | None = None  # the ``trusted_ca`` list: the CA certificate, base64 DER


@dataclass(frozen=True)
class Catalog:
    """A budget-code list as the treasury serves it; ``etag`` for If-None-Match."""

    name: str
    fiscal_year: int
    version: str
    entries: tuple[CatalogCode, ...]
    etag: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], etag: str | None) -> Catalog:
        entries = tuple(
            CatalogCode(read_str(e, "code"), read_str(e, "name"), read_opt_str(e, "parent"),
                        read_opt_str(e, "certificate"))
            for e in read_list(data, "entries")
        )
        return cls(
            read_str(data, "name"),
            read_int(data, "fiscal_year"),
            read_str(data, "version"),
            entries,
            etag,
        )


@dataclass(frozen=True)
class Signer:
    """A signer the unit registered with the treasury."""

    cert_sha256: str
    certificate_der: bytes
    role: SignerRole
    name: str
    not_before: datetime
    not_after: datetime

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Signer:
        return cls(
            read_str(data, "cert_sha256"),
            base64.b64decode(read_str(data, "certificate"), validate=True),
            SignerRole(read_str(data, "role")),
            read_str(data, "name"),
            read_time(data, "not_before"),
            read_time(data, "not_after"),
        )


@dataclass(frozen=True)
class ServerInfo:
    """What /v1/health says: the API version and the optional features offered."""

    status: str
    api_version: str
    capabilities: frozenset[str]
    time: datetime

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ServerInfo:
        caps = data["capabilities"]
        if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
            raise TypeError("capabilities is not a list of strings")
        return cls(
            read_str(data, "status"),
            read_str(data, "api_version"),
            frozenset(caps),
            read_time(data, "time"),
        )
