"""The simulated treasury clerk (chuyên viên KBNN): moves received documents along.

received → checking (the treasury's own steps: chuyên viên hoàn thiện chứng từ, TABMIS) →
paid, or rejected when the total exceeds the remaining budget estimate, or now and then
returned for more papers. Each step takes ``step_seconds`` (±50 %, seeded) divided by the speed,
on an injected clock, and every step is written to the changes feed.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from treasury_desktop.domain.money import format_vnd
from treasury_desktop.sandbox.config import SandboxConfig, UnitConfig
from treasury_desktop.sandbox.store import SandboxStore, StoredDocument

Clock = Callable[[], datetime]

RECEIVED, CHECKING, PAID, REJECTED, RETURNED = (
    "received",
    "checking",
    "paid",
    "rejected",
    "returned",
)
FINAL = (PAID, REJECTED, RETURNED)

# The treasury's back-office labels (DOMAIN.md "Inside the treasury"), shown as details.
_STEPS: tuple[tuple[str, str], ...] = (
    (RECEIVED, "KBNN tiếp nhận – chờ chuyên viên xử lý"),
    (CHECKING, "Chuyên viên đã hoàn thiện chứng từ"),
    (CHECKING, "Chờ giao diện TABMIS"),
    (CHECKING, "Chờ phản hồi từ TABMIS"),
    (CHECKING, "Chờ phê duyệt báo nợ"),  # after the decision step: approved
    (PAID, "Đã thanh toán – KBNN đã thông báo kết quả xử lý"),
)
_DECISION_STEP = 4
_REJECTED_DETAIL = "TP từ chối – từ chối chứng từ thanh toán"
_RETURNED_DETAIL = "Trả lại để bổ sung"
_RETURNED_REASON = (
    "Trả lại chứng từ để bổ sung: hồ sơ chưa kèm đủ tài liệu chứng minh khoản chi "
    "(hợp đồng, biên bản nghiệm thu). Đề nghị đơn vị bổ sung và lập chứng từ mới."
)

BudgetKey = tuple[str, str, str]  # chapter, industry, source


def line_amounts(document: Mapping[str, Any]) -> dict[BudgetKey, int]:
    """The document's amounts per (chapter, industry, source)."""
    sums: dict[BudgetKey, int] = {}
    for line in document.get("lines", []) or []:
        key = (
            str(line.get("chapter", "")),
            str(line.get("industry", "")),
            str(line.get("source", "")),
        )
        sums[key] = sums.get(key, 0) + int(line.get("amount", 0))
    return sums


def estimates_of(unit: UnitConfig, year: int) -> dict[BudgetKey, int]:
    """The unit's budget estimates (dự toán giao) of a fiscal year."""
    return {
        (e.chapter, e.industry, e.source): e.amount for e in unit.estimates if e.fiscal_year == year
    }


def refusal_reason(
    unit: UnitConfig,
    document: Mapping[str, Any],
    spent: Mapping[BudgetKey, int],
) -> str | None:
    """The refusal notice (thông báo từ chối, mẫu 33) when the total exceeds the estimate."""
    year = int(document.get("fiscal_year", 0))
    estimates = estimates_of(unit, year)
    if not estimates:
        return None  # no estimates configured for that year: the sandbox does not check
    for key, amount in sorted(line_amounts(document).items()):
        codes = f"chương {key[0]}, ngành kinh tế {key[1]}, nguồn {key[2]}"
        if key not in estimates:
            return (
                f"Từ chối chứng từ thanh toán: đơn vị chưa được giao dự toán năm {year} "
                f"cho {codes}. Đề nghị đơn vị kiểm tra lại mã ngân sách."
            )
        remaining = estimates[key] - spent.get(key, 0)
        if amount > remaining:
            return (
                f"Từ chối chứng từ thanh toán: số tiền đề nghị thanh toán "
                f"{format_vnd(amount)} đồng vượt số dự toán còn lại {format_vnd(remaining)} "
                f"đồng ({codes}, năm ngân sách {year}). "
                "Đề nghị đơn vị kiểm tra lại dự toán được giao."
            )
    return None


def reference_numbers(day: datetime, unit: str, treasury: str, seq: int) -> tuple[str, str]:
    """Số chứng từ điện tử (261120_1171277_0011001) and mã hồ sơ (H26_1171277_001100101)."""
    return (f"{day:%y%m%d}_{unit}_{treasury}{seq:03d}", f"H{day:%y}_{unit}_{treasury}{seq:03d}01")


@dataclass
class Clerk:
    """Moves documents along on an injected clock; ``speed`` scales every delay."""

    store: SandboxStore
    config: SandboxConfig
    clock: Clock
    speed: float = 1.0
    seed: int | None = None

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._rng_lock = threading.Lock()

    def _delay(self) -> timedelta:
        with self._rng_lock:
            factor = self._rng.uniform(0.5, 1.5)
        return timedelta(seconds=self.config.clerk.step_seconds * factor / max(self.speed, 1e-9))

    def _returns(self) -> bool:
        with self._rng_lock:
            return self._rng.random() < self.config.clerk.return_rate

    def receive(
        self,
        unit: UnitConfig,
        voucher_id: str,
        document: Mapping[str, Any],
        digest: str,
        signature: bytes,
    ) -> None:
        """Record a document at the door: reference numbers, status ``received``.

        Call under ``store.lock`` after checking that the id is free.
        """
        now = self.clock()
        with self.store.transaction() as conn:
            seq = self.store.next_sequence(conn, unit.treasury, f"{now:%Y%m%d}")
            reference, dossier = reference_numbers(now, unit.code, unit.treasury, seq)
            stored = StoredDocument(
                unit.code,
                voucher_id,
                digest,
                document,
                int(document.get("fiscal_year", 0)),
                reference,
                dossier,
                now.isoformat(),
                0,
                (now + self._delay()).isoformat(),
            )
            self.store.insert_document(conn, stored, signature)
            status, detail = _STEPS[0]
            self.store.add_event(conn, unit.code, voucher_id, status, detail, None, now)

    def run_due(self) -> int:
        """Take every step that is due now; returns how many were taken."""
        taken = 0
        for doc in self.store.due(self.clock()):
            unit = self.config.unit(doc.unit)
            if unit is not None:
                self._step(unit, doc)
                taken += 1
        return taken

    def _step(self, unit: UnitConfig, doc: StoredDocument) -> None:
        now = self.clock()
        step = doc.step + 1
        reason: str | None = None
        with self.store.transaction() as conn:
            current = self.store.document(doc.unit, doc.id)
            if current is None or current.step != doc.step or current.due_at is None:
                return  # someone else took this step
            status, detail = _STEPS[step]
            if step == _DECISION_STEP:
                spent = self.store.spent(unit.code, doc.fiscal_year)
                reason = refusal_reason(unit, doc.document, spent)
                if reason is not None:
                    status, detail = REJECTED, _REJECTED_DETAIL
                elif self._returns():
                    status, detail, reason = RETURNED, _RETURNED_DETAIL, _RETURNED_REASON
                else:  # approved: the money is drawn from the estimate now
                    self.store.add_spending(
                        conn, unit.code, doc.id, doc.fiscal_year, line_amounts(doc.document)
                    )
            final = status in FINAL
            due = None if final else (now + self._delay()).isoformat()
            self.store.set_step(conn, doc.unit, doc.id, step, due)
            self.store.add_event(conn, doc.unit, doc.id, status, detail, reason, now)
