"""An in-memory treasury behind :class:`TreasuryPort`, with faults on demand (tests, demos).

Faults are drawn per request from a seeded RNG (``rates``) or scripted per call (``script``):
``reset_before`` (nothing stored, the answer lost), ``reset_after`` (stored, the answer lost),
``busy`` (429 with Retry-After), ``auth`` (401), ``config`` (404 unit).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
    TreasuryMisconfigured,
    TreasurySigner,
    TreasuryUnavailable,
)

FAULTS = ("reset_before", "reset_after", "busy", "auth", "config")


@dataclass
class FakeTreasury:
    """Documents, a changes feed and balances in memory; every PUT is idempotent."""

    rates: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    retry_after: float = 1.0
    refuse: Mapping[str, tuple[ServerReason, ...]] = field(default_factory=dict)
    balances_items: tuple[BudgetBalance, ...] = ()
    balances_etag: str = '"b1"'
    latency: float = 0.0
    catalogs: Mapping[tuple[str, int], Mapping[str, object]] = field(default_factory=dict)
    batch: int = 0  # documents per batch request; 0: no batch endpoint advertised
    register: dict[str, tuple[TreasurySigner, ...]] = field(default_factory=dict)  # per unit
    signers_failure: Exception | None = None  # raised by ``signers`` (faults drawn elsewhere)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(self.seed)
        self.script: list[str | None] = []
        self.documents: dict[tuple[str, str], str] = {}
        self.events: list[tuple[str, StatusChange]] = []
        self.puts = 0
        self.requests = 0
        self.conflicts = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def _fault(self) -> str | None:
        with self._lock:
            if self.script:
                return self.script.pop(0)
            for name in FAULTS:
                if self._rng.random() < self.rates.get(name, 0.0):
                    return name
        return None

    def deliver(
        self, unit: str, voucher_id: str, document: bytes, signature: bytes
    ) -> DeliveryAnswer:
        """PUT: 201, 200 for the same bytes, 409 for other bytes, 422 for ``refuse`` ids."""
        with self._lock:
            self.puts += 1
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            fault = self._fault()
            if fault == "reset_before":
                raise TreasuryUnavailable("connection reset", maybe_committed=False, offline=True)
            if fault == "busy":
                raise TreasuryUnavailable("429 Too Many Requests", retry_after=self.retry_after,
                                          maybe_committed=False)
            if fault == "auth":
                raise TreasuryAuthRefused("401 Unauthorized")
            if fault == "config":
                raise TreasuryMisconfigured("404 unit unknown")
            answer = self._store(unit, voucher_id, document)
            if fault == "reset_after":
                raise TreasuryUnavailable("connection reset after the request", offline=True)
            return answer
        finally:
            with self._lock:
                self.in_flight -= 1

    def _store(self, unit: str, voucher_id: str, document: bytes) -> DeliveryAnswer:
        if voucher_id in self.refuse:
            return DeliveryAnswer(DeliveryOutcome.INVALID, self.refuse[voucher_id])
        digest = hashlib.sha256(document).hexdigest()
        with self._lock:
            known = self.documents.get((unit, voucher_id))
            if known is None:
                self.documents[(unit, voucher_id)] = digest
                self._add(unit, voucher_id, "received", "KBNN tiếp nhận")
                return DeliveryAnswer(DeliveryOutcome.CREATED, status="received")
            if known == digest:
                return DeliveryAnswer(DeliveryOutcome.REPLAYED, status="received")
            self.conflicts += 1
        reason = ServerReason("conflict", "id", "Mã chứng từ đã dùng cho nội dung khác.")
        return DeliveryAnswer(DeliveryOutcome.CONFLICT, (reason,))

    def _add(self, unit: str, voucher_id: str, status: str, detail: str, reason: str = "") -> None:
        at = f"2026-11-20T08:00:{len(self.events) % 60:02d}.{len(self.events):06d}+00:00"
        digest = self.documents.get((unit, voucher_id), "")
        self.events.append((unit, StatusChange(voucher_id, status, at, detail, reason, digest)))

    def advance(self, unit: str, voucher_id: str, status: str, detail: str = "",
                reason: str = "") -> None:
        """The clerk moves a document on (written to the changes feed)."""
        with self._lock:
            self._add(unit, voucher_id, status, detail or status, reason)

    def get_status(self, unit: str, voucher_id: str) -> DocumentState | None:
        """The document's history from the feed."""
        with self._lock:
            if (unit, voucher_id) not in self.documents:
                return None
            history = tuple(c for u, c in self.events if u == unit and c.voucher_id == voucher_id)
        return DocumentState(voucher_id, history[-1].status, history,
                             self.documents[(unit, voucher_id)])

    def changes(self, unit: str, after: str | None, limit: int) -> ChangesPage:
        """The feed: the cursor is the index of the last event read."""
        start = int(after or 0)
        with self._lock:
            mine = [(i + 1, c) for i, (u, c) in enumerate(self.events) if u == unit and i >= start]
        page = mine[:limit]
        cursor = str(page[-1][0]) if page else str(start)
        return ChangesPage(tuple(c for _, c in page), cursor, len(mine) > limit)

    def balances(self, unit: str, year: int, etag: str | None) -> Fetched:
        """Balances with an ETag; Not Modified when it matches."""
        if etag == self.balances_etag:
            return Fetched(etag)
        return Fetched(self.balances_etag, {"unit": unit, "year": year}, self.balances_items)

    def catalog(self, name: str, year: int, etag: str | None) -> Fetched:
        """A catalogue from ``catalogs``; its ETag is its version."""
        body = self.catalogs.get((name, year))
        if body is None:
            raise TreasuryMisconfigured(f"no catalogue {name} {year}")
        tag = f'"{body.get("version", "")}"'
        return Fetched(tag) if etag == tag else Fetched(tag, body)

    def signers(self, unit: str) -> tuple[TreasurySigner, ...]:
        """The unit's register of signers (``register``), or ``signers_failure`` raised."""
        if self.signers_failure is not None:
            raise self.signers_failure
        with self._lock:
            return self.register.get(unit, ())

    def batch_limit(self, unit: str) -> int:
        """``batch`` (0: not advertised)."""
        return self.batch

    def deliver_batch(
        self, unit: str, items: Sequence[tuple[str, bytes, bytes]]
    ) -> Sequence[DeliveryAnswer]:
        """One request, one fault draw, each item answered as its own PUT."""
        if not self.batch or len(items) > self.batch:
            raise TreasuryMisconfigured("no batch endpoint")
        with self._lock:
            self.requests += 1
            self.puts += len(items)
        fault = self._fault()
        if fault == "reset_before":
            raise TreasuryUnavailable("connection reset", maybe_committed=False, offline=True)
        if fault == "busy":
            raise TreasuryUnavailable("503", retry_after=self.retry_after, maybe_committed=False)
        if fault == "auth":
            raise TreasuryAuthRefused("401 Unauthorized")
        answers = [self._store(unit, voucher_id, document) for voucher_id, document, _ in items]
        if fault == "reset_after":
            raise TreasuryUnavailable("connection reset after the request", offline=True)
        return answers
