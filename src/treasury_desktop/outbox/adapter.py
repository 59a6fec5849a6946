"""The real treasury client (``api.client.TreasuryClient``) behind the outbox's port."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.errors import (
    ApiError,
    AuthError,
    RequestRefused,
    TransientError,
)
from treasury_desktop.api.models import DeliveryOutcome as ApiOutcome
from treasury_desktop.api.models import DeliveryResult, StatusEvent
from treasury_desktop.api.port import (
    BudgetBalance,
    ChangesPage,
    DeliveryAnswer,
    DeliveryOutcome,
    DocumentState,
    Fetched,
    ServerReason,
    StatusChange,
    TreasuryAuthRefused,
    TreasuryFailure,
    TreasuryMisconfigured,
    TreasurySigner,
    TreasuryUnavailable,
)
from treasury_desktop.domain.canonical import content_hash
from treasury_desktop.i18n import Message, text

_OUTCOMES = {o: DeliveryOutcome(o.value) for o in ApiOutcome}


def translate(error: ApiError) -> TreasuryFailure:
    """The port's exception for a client exception. A transport refusal (400, 413, 415 after
    the uncompressed retry) is never the treasury's word on a voucher: it pauses the outbox,
    which keeps the items (only 2xx, 409 and 422 are final)."""
    key = error.message.key
    if isinstance(error, RequestRefused):
        said = str(error.message.params.get("server_message") or error.code or key)
        return TreasuryMisconfigured(key, message=Message(
            "delivery.paused.refused", {"status": error.status or 0, "detail": said}))
    if isinstance(error, TransientError):
        return TreasuryUnavailable(
            key, retry_after=error.retry_after, maybe_committed=error.maybe_committed,
            offline=key in ("api.offline", "api.connection_lost", "api.timeout",
                            "delivery.offline_call", "delivery.lost_call", "delivery.timeout_call"),
            message=error.message,
        )
    if isinstance(error, AuthError):
        return TreasuryAuthRefused(key, message=error.message)
    return TreasuryMisconfigured(key, message=error.message)


class ClientPort:
    """Adapts one pooled :class:`TreasuryClient` (one unit) to :class:`TreasuryPort`.

    Safe from several threads: httpx's client pools connections under its own locks.
    """

    def __init__(self, client: TreasuryClient, *, batch_size: int = 20) -> None:
        self.client = client
        self._batch_size = batch_size
        self._batch_limit: int | None = None
        self._ask_again = 0.0

    def deliver(
        self, unit: str, voucher_id: str, document: bytes, signature: bytes
    ) -> DeliveryAnswer:
        """PUT the captured bytes. The client sends the parsed document; the treasury hashes
        its JCS form, which is exactly these bytes again."""
        if unit != self.client.unit:
            return self._other_unit(unit)
        try:
            result = self.client.deliver(json.loads(document), signature)
        except ApiError as error:
            raise translate(error) from error
        _check_echo(result, unit, voucher_id, document)
        return _answer(result, document)

    def batch_limit(self, unit: str) -> int:
        """``batch_size`` when /v1/health lists ``documents-batch`` (asked once), else 0."""
        if self._batch_limit is None and time.monotonic() >= self._ask_again:
            if self._batch_size <= 1:
                self._batch_limit = 0
            else:
                try:
                    offered = "documents-batch" in self.client.health().capabilities
                except ApiError:
                    self._ask_again = time.monotonic() + 60.0  # single PUTs meanwhile
                    return 0
                self._batch_limit = self._batch_size if offered else 0
        return self._batch_limit or 0

    def deliver_batch(
        self, unit: str, items: Sequence[tuple[str, bytes, bytes]]
    ) -> Sequence[DeliveryAnswer]:
        """POST documents:batch; each result read as its own PUT's."""
        if unit != self.client.unit:
            return [self._other_unit(unit)] * len(items)
        try:
            results = self.client.deliver_batch(
                [(json.loads(document), signature) for _, document, signature in items])
        except RequestRefused as error:
            self._batch_limit = 0  # the server took the endpoint away: back to single PUTs
            raise TreasuryUnavailable(error.message.key, maybe_committed=False,
                                      message=error.message) from error
        except ApiError as error:
            raise translate(error) from error
        for result, (voucher_id, document, _) in zip(results, items, strict=True):
            _check_echo(result, unit, voucher_id, document)
        return [_answer(result, document) for result, (_, document, _) in
                zip(results, items, strict=True)]

    def get_status(self, unit: str, voucher_id: str) -> DocumentState | None:
        """GET the document's status and history."""
        self._check_unit(unit)
        try:
            found = self.client.document_status(voucher_id)
        except ApiError as error:
            raise translate(error) from error
        if found is None:
            return None
        return DocumentState(found.id, found.status.value,
                             tuple(_change(found.id, e) for e in found.history),
                             found.content_hash)

    def receipt(self, unit: str, voucher_id: str) -> dict[str, Any] | None:
        """The treasury's signed receipt of a paid voucher, or None while there is none."""
        self._check_unit(unit)
        try:
            return self.client.receipt(voucher_id)
        except ApiError as error:
            raise translate(error) from error

    def changes(self, unit: str, after: str | None, limit: int) -> ChangesPage:
        """One page of the changes feed."""
        self._check_unit(unit)
        try:
            page = self.client.changes(after, limit)
        except ApiError as error:
            raise translate(error) from error
        changes = tuple(
            StatusChange(c.id, c.status.value, c.at.isoformat(), c.detail, c.reason or "",
                         c.content_hash)
            for c in page.changes
        )
        return ChangesPage(changes, page.next_cursor, page.has_more)

    def balances(self, unit: str, year: int, etag: str | None) -> Fetched:
        """Remaining estimates with ETag."""
        self._check_unit(unit)
        try:
            found = self.client.balances(year, etag)
        except ApiError as error:
            raise translate(error) from error
        if found is None:
            return Fetched(etag)
        items = tuple(BudgetBalance(b.chapter, b.industry, b.source, b.estimate, b.remaining)
                      for b in found.items)
        return Fetched(found.etag, {"unit": found.unit, "fiscal_year": found.fiscal_year}, items)

    def catalog(self, name: str, year: int, etag: str | None) -> Fetched:
        """A budget-code list with ETag."""
        try:
            found = self.client.catalog(name, year, etag)
        except ApiError as error:
            raise translate(error) from error
        if found is None:
            return Fetched(etag)
        entries = [{"code": e.code, "name": e.name, "parent": e.parent}
                   | ({"certificate": e.certificate} if e.certificate else {})
                   for e in found.entries]
        return Fetched(found.etag, {"name": found.name, "fiscal_year": found.fiscal_year,
                                    "version": found.version, "entries": entries})

    def signers(self, unit: str) -> tuple[TreasurySigner, ...]:
        """The register of the unit's signers."""
        self._check_unit(unit)
        try:
            found = self.client.signers()
        except ApiError as error:
            raise translate(error) from error
        return tuple(TreasurySigner(s.cert_sha256, s.certificate_der, s.role, s.name,
                                    s.not_before.isoformat(), s.not_after.isoformat())
                     for s in found)

    def finish_within(self, seconds: float) -> None:
        """Every exchange, those in flight included, ends within ``seconds`` from now."""
        self.client.finish_by(time.monotonic() + seconds)

    def close(self) -> None:
        """Close the client's pooled connections."""
        self.client.close()

    def _other_unit(self, unit: str) -> DeliveryAnswer:
        """A voucher of another unit is this item's refusal, not a reason to stop the outbox."""
        vi = text("outbox.other_unit", "vi", unit=unit, desk=self.client.unit)
        en = text("outbox.other_unit", "en", unit=unit, desk=self.client.unit)
        return DeliveryAnswer(DeliveryOutcome.INVALID, (ServerReason("unit_mismatch", "unit.code",
                                                                  vi, en),))

    def _check_unit(self, unit: str) -> None:
        if unit != self.client.unit:
            raise TreasuryMisconfigured(f"unit {unit} is not this desk's unit {self.client.unit}")


def _change(voucher_id: str, event: StatusEvent) -> StatusChange:
    return StatusChange(voucher_id, event.status.value, event.at.isoformat(), event.detail,
                        event.reason or "")


def _check_echo(result: DeliveryResult, unit: str, voucher_id: str, document: bytes) -> None:
    """A 200/201 names what the treasury holds: its id, unit and content hash must be exactly
    this voucher's signed bytes, or the item is not delivered (tried again later, never settled
    on a wrong word). 409 and 422 carry no document and are final as they are."""
    if result.outcome not in (ApiOutcome.CREATED, ApiOutcome.REPLAYED):
        return
    held = result.document
    if (held is None or held.id != voucher_id or held.unit != unit
            or not held.content_hash or held.content_hash != content_hash(document)):
        named = held.content_hash[:12] if held is not None else "nothing"
        raise TreasuryUnavailable(
            f"the treasury acknowledged {named}, not the signed bytes of {voucher_id}",
            message=Message("delivery.echo_wrong"),
        )


def _answer(result: DeliveryResult, document: bytes) -> DeliveryAnswer:
    outcome = _OUTCOMES[result.outcome]
    if outcome is DeliveryOutcome.CONFLICT:
        hashes = {"held": result.held_hash or "?", "sent": content_hash(document)}
        vi, en = (text("delivery.conflict_hashes", lang, **hashes) for lang in ("vi", "en"))
        reasons: tuple[ServerReason, ...] = (
            ServerReason("conflict", "id", f"{result.message}\n{vi}",
                         f"{result.message_en}\n{en}".lstrip()),
        )
    else:
        reasons = tuple(ServerReason(r.code, r.field, r.message, r.message_en)
                        for r in result.reasons)
    status = result.document.status.value if result.document else ""
    return DeliveryAnswer(outcome, reasons, status)
