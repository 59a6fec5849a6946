"""The narrow view of the treasury API that the outbox and the status sync need.

The real HTTP client is wrapped by a thin adapter (``outbox.adapter``); the tests use the
in-memory ``outbox.fake.FakeTreasury``. Results are frozen dataclasses; failures are the three
exceptions below, so the sender decides on types, never on strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message


class DeliveryOutcome(StrEnum):
    """The server's final word on one PUT."""

    CREATED = "created"  # 201: stored now
    REPLAYED = "replayed"  # 200: the same bytes were already there
    CONFLICT = "conflict"  # 409: the same id with other content
    INVALID = "invalid"  # 422: refused at the door, with reasons


@dataclass(frozen=True)
class ServerReason:
    """One reason the server gave, kept word for word (both languages when it sends them)."""

    code: str
    field: str
    message: str
    message_en: str = ""

    def as_json(self) -> dict[str, str]:
        """The form stored in the outbox row."""
        return {"code": self.code, "field": self.field, "message": self.message,
                "message_en": self.message_en}


@dataclass(frozen=True)
class DeliveryAnswer:
    """What one PUT ended with."""

    outcome: DeliveryOutcome
    reasons: tuple[ServerReason, ...] = ()
    status: str = ""  # the treasury status in the answer, when given (``received``)

    @property
    def delivered(self) -> bool:
        """201 or 200: the treasury holds exactly these bytes."""
        return self.outcome in (DeliveryOutcome.CREATED, DeliveryOutcome.REPLAYED)


@dataclass(frozen=True)
class StatusChange:
    """One entry of the changes feed (or of a document's history)."""

    voucher_id: str
    status: str
    at: str
    detail: str = ""
    reason: str = ""
    content_hash: str = ""  # of the document the treasury holds under this id ("": not said)


@dataclass(frozen=True)
class ChangesPage:
    """A page of the changes feed, oldest first, and the cursor to ask from next."""

    changes: tuple[StatusChange, ...]
    next_cursor: str
    has_more: bool = False


@dataclass(frozen=True)
class DocumentState:
    """A document's current status and history; ``None`` from ``get_status`` when unknown."""

    voucher_id: str
    status: str
    history: tuple[StatusChange, ...] = ()
    content_hash: str = ""  # of the document the treasury holds under this id


@dataclass(frozen=True)
class BudgetBalance:
    """The remaining budget estimate (dự toán còn lại) of one chapter/industry/source."""

    chapter: str
    industry: str
    source: str
    estimate: int
    remaining: int


@dataclass(frozen=True)
class Fetched:
    """A resource fetched with ETag; ``body`` is None when the server said 304 Not Modified."""

    etag: str | None
    body: Mapping[str, Any] | None = None
    items: Sequence[BudgetBalance] = field(default_factory=tuple)


@dataclass(frozen=True)
class TreasurySigner:
    """One entry of the treasury's register of the unit's signers (certificate in DER)."""

    cert_sha256: str
    certificate: bytes
    role: SignerRole
    name: str
    not_before: str  # ISO 8601, as the treasury says
    not_after: str


class TreasuryFailure(Exception):
    """A call failed; ``message`` is the plain sentence for the user (the client's own, when
    it has one), ``detail`` the technical word for the log."""

    def __init__(self, detail: str, *, message: Message | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.message = message

    def described(self) -> str:
        """The user's sentence, in the current language, else the detail."""
        return self.message.render() if self.message is not None else self.detail


class TreasuryUnavailable(TreasuryFailure):
    """Network trouble, a timeout, 5xx, 429 or 503: try again later.

    ``maybe_committed`` is True when the request may have reached the server (the answer was
    lost); ``retry_after`` is the server's Retry-After in seconds, when it sent one.
    """

    def __init__(
        self, detail: str, *, retry_after: float | None = None, maybe_committed: bool = True,
        offline: bool = False, message: Message | None = None,
    ) -> None:
        super().__init__(detail, message=message)
        self.retry_after = retry_after
        self.maybe_committed = maybe_committed
        self.offline = offline


class TreasuryAuthRefused(TreasuryFailure):
    """401/403: the desk credential is missing, wrong or revoked. Pauses the whole outbox."""


class TreasuryMisconfigured(TreasuryFailure):
    """No server, a wrong address, an unknown unit, a protocol the client does not speak."""


class TreasuryPort(Protocol):
    """The calls the outbox and sync make. Implementations must be safe to call from several
    threads at once (one pooled connection underneath)."""

    def deliver(
        self, unit: str, voucher_id: str, document: bytes, signature: bytes
    ) -> DeliveryAnswer:
        """PUT the signed bytes and the CMS (DER)."""
        ...

    def get_status(self, unit: str, voucher_id: str) -> DocumentState | None:
        """The document's status, or None when the server does not have it."""
        ...

    def changes(self, unit: str, after: str | None, limit: int) -> ChangesPage:
        """Status changes after a cursor (None: from the start)."""
        ...

    def balances(self, unit: str, year: int, etag: str | None) -> Fetched:
        """Remaining estimates per code, or Not Modified for this ETag."""
        ...

    def catalog(self, name: str, year: int, etag: str | None) -> Fetched:
        """A budget-code list (``body``: version and entries), or Not Modified."""
        ...

    def signers(self, unit: str) -> Sequence[TreasurySigner]:
        """The treasury's current register of the unit's signers."""
        ...


@runtime_checkable
class BatchPort(Protocol):
    """A treasury that also takes several documents in one request (``documents:batch``), used
    only when the server advertises it. Each item's answer is what its own PUT would say."""

    def batch_limit(self, unit: str) -> int:
        """How many documents one request may carry; 0 or 1 when there is no batch endpoint."""
        ...

    def deliver_batch(
        self, unit: str, items: Sequence[tuple[str, bytes, bytes]]
    ) -> Sequence[DeliveryAnswer]:
        """(id, signed bytes, CMS) items in one request; one answer per item, in order."""
        ...
