"""Submitting a document and reading its status: the idempotent PUT and its GET.

Keyed on (unit, id) and the content hash (SHA-256 of the canonical bytes): the first PUT
answers 201, an identical replay 200 (whatever its signature bytes), the same id with other
content 409, and an invalid document 422 with every reason (nothing is stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from treasury_desktop.domain.canonical import canonical_bytes, content_hash
from treasury_desktop.i18n import text
from treasury_desktop.sandbox.checks import (
    Reason,
    check_document,
    check_signatures,
    read_envelope,
    reason,
    unique,
)
from treasury_desktop.sandbox.clerk import Clerk, Clock
from treasury_desktop.sandbox.config import SandboxConfig, UnitConfig
from treasury_desktop.sandbox.store import SandboxStore


@dataclass(frozen=True)
class Outcome:
    """What a PUT comes to: the HTTP status and the JSON body."""

    status: int
    body: Mapping[str, Any]


def status_view(store: SandboxStore, unit: str, voucher_id: str) -> dict[str, Any] | None:
    """The document's current status and history, as the API shows it."""
    doc = store.document(unit, voucher_id)
    if doc is None:
        return None
    history = store.history(unit, voucher_id)
    last = history[-1]
    return {
        "id": doc.id,
        "unit": doc.unit,
        "content_hash": doc.content_hash,
        "status": last.status,
        "detail": last.detail,
        "reason": last.reason,
        "reference": doc.reference,
        "dossier": doc.dossier,
        "received_at": doc.received_at,
        "updated_at": last.at,
        "history": [
            {"status": e.status, "detail": e.detail, "reason": e.reason, "at": e.at}
            for e in history
        ],
    }


def invalid(reasons: list[Reason]) -> Outcome:
    return Outcome(
        422,
        {
            "code": "invalid_document",
            "message": text("sandbox.error.invalid_document", "vi", count=len(reasons)),
            "message_en": text("sandbox.error.invalid_document", "en", count=len(reasons)),
            "details": {},
            "reasons": [r.as_json() for r in unique(reasons)],
        },
    )


def _conflict(existing_hash: str) -> Outcome:
    return Outcome(
        409,
        {
            "code": "conflict",
            "message": text("sandbox.error.conflict", "vi"),
            "message_en": text("sandbox.error.conflict", "en"),
            "details": {"content_hash": existing_hash},
        },
    )


@dataclass
class Submissions:
    """The door of the treasury: checks, then hands the document to the clerk."""

    config: SandboxConfig
    store: SandboxStore
    clerk: Clerk
    clock: Clock

    def _known(self, unit: str, voucher_id: str, digest: str) -> Outcome | None:
        existing = self.store.document(unit, voucher_id)
        if existing is None:
            return None
        if existing.content_hash != digest:
            return _conflict(existing.content_hash)
        view = status_view(self.store, unit, voucher_id)
        assert view is not None
        return Outcome(200, view)

    def submit(self, unit: UnitConfig, voucher_id: str, body: Any) -> Outcome:
        """Handle one PUT body (already JSON-decoded)."""
        document, signature, reasons = read_envelope(body)
        if document is None or signature is None:
            return invalid(reasons)
        try:
            content = canonical_bytes(document)
        except (ValueError, TypeError):
            return invalid([*reasons, reason("not_canonical", "document")])
        digest = content_hash(content)
        known = self._known(unit.code, voucher_id, digest)
        if known is not None:
            return known
        now = self.clock()
        reasons.extend(check_document(unit, voucher_id, document, now.date()))
        reasons.extend(check_signatures(self.config, unit, content, signature, now))
        if reasons:
            return invalid(reasons)
        with self.store.lock:  # a racing identical PUT may have won: then this is a replay
            known = self._known(unit.code, voucher_id, digest)
            if known is not None:
                return known
            self.clerk.receive(unit, voucher_id, document, digest, signature)
        view = status_view(self.store, unit.code, voucher_id)
        assert view is not None
        return Outcome(201, view)
