"""Demo data: the demo unit and a few dozen realistic vouchers in every state."""

from __future__ import annotations

import random
from datetime import date, timedelta

from treasury_desktop.domain.voucher import (
    BudgetLine,
    Payee,
    PaymentKind,
    PaymentMethod,
    Unit,
    Voucher,
    new_voucher_id,
)
from treasury_desktop.domain.workflow import AWAITING_SIGNATURE, VoucherState
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.drafting import DraftingService

DEMO_UNIT = Unit(
    code="1171277", name="Trường THCS Phú Lương", account="9523.2.1171277", treasury="0011"
)

_PAYEES = (
    (Payee(name="Công ty Điện lực Thái Nguyên", account="102010000123456",
           bank="VietinBank Thái Nguyên"), "Tiền điện tháng {m}/{y}", "6501", 900_000, 3_500_000),
    (Payee(name="Công ty CP Nước sạch Thái Nguyên", account="3901000123789",
           bank="BIDV Thái Nguyên"), "Tiền nước tháng {m}/{y}", "6502", 250_000, 900_000),
    (Payee(name="VNPT Thái Nguyên", account="8600201001234", bank="Agribank Thái Nguyên"),
     "Cước điện thoại, Internet tháng {m}/{y}", "6601", 300_000, 1_200_000),
    (Payee(name="Nhà sách Đông Á Thái Nguyên", account="0071000654321",
           bank="Vietcombank Thái Nguyên"), "Mua văn phòng phẩm quý {q}/{y}", "6551",
     1_500_000, 6_000_000),
    (Payee(name="Công ty TNHH Tin học Hưng Phát", account="19033445566778",
           bank="Techcombank Thái Nguyên"), "Sửa chữa máy tính phòng tin học", "6912",
     2_000_000, 15_000_000),
    (Payee(name="Bảo hiểm xã hội huyện Phú Lương", account="9523.1.1054321",
           bank="KBNN Phú Lương"), "Nộp bảo hiểm xã hội tháng {m}/{y}", "6301",
     18_000_000, 25_000_000),
)
_CASH_PAYEE = Payee(
    name="Trần Văn Hùng", id_number="019085001234", id_date="2021-04-12",
    id_place="Cục Cảnh sát QLHC về TTXH",
)

# (state, how many): enough of each for every folder to show something.
_PLAN = (
    (VoucherState.DRAFT, 6),
    (VoucherState.SIGNED_CHIEF, 3),
    (VoucherState.SIGNED_HOLDER, 2),
    (VoucherState.QUEUED, 2),
    (VoucherState.SENT, 2),
    (VoucherState.RECEIVED, 2),
    (VoucherState.CHECKING, 3),
    (VoucherState.PAID, 14),
    (VoucherState.REJECTED, 2),
    (VoucherState.RETURNED, 1),
)
_REASONS = {
    VoucherState.REJECTED: "Mã NDKT 6912 không phù hợp với nội dung thanh toán (Mẫu 33).",
    VoucherState.RETURNED: "Thiếu hợp đồng sửa chữa kèm theo, đề nghị bổ sung hồ sơ.",
}


def _path_to(state: VoucherState) -> list[VoucherState]:
    order = [
        VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER, VoucherState.QUEUED,
        VoucherState.SENT, VoucherState.RECEIVED, VoucherState.CHECKING,
    ]
    if state is VoucherState.DRAFT:
        return []
    if state in order:
        return order[: order.index(state) + 1]
    return [*order, state]


def demo_vouchers(today: date, seed: int = 7) -> list[tuple[Voucher, VoucherState]]:
    """The demo vouchers, newest last, each with the state it should reach."""
    rng = random.Random(seed)
    result: list[tuple[Voucher, VoucherState]] = []
    count = sum(n for _, n in _PLAN)
    states = [s for s, n in _PLAN for _ in range(n)]
    rng.shuffle(states)
    # Older vouchers are the ones the treasury has finished with.
    states.sort(key=lambda s: s in AWAITING_SIGNATURE)
    start = max(date(today.year, 1, 5), today - timedelta(days=count * 4))
    for i, state in enumerate(states):
        day = min(today, start + timedelta(days=i * 4 + rng.randint(0, 2)))
        payee, content, ndkt, low, high = _PAYEES[i % len(_PAYEES)]
        month = f"{max(1, day.month - 1):02d}"
        words = {"m": month, "y": str(day.year), "q": str((day.month - 1) // 3 + 1)}
        amount = rng.randrange(low, high, 1000) + (rng.randrange(0, 999) if i % 5 == 0 else 0)
        lines = [BudgetLine(content.format(**words), ndkt, "422", "072", "13", amount)]
        method = PaymentMethod.TRANSFER
        if i % 9 == 4:
            payee, method = _CASH_PAYEE, PaymentMethod.CASH
            lines = [BudgetLine(f"Công tác phí tháng {month}", "6702", "422", "072", "13",
                                rng.randrange(400_000, 2_000_000, 10_000))]
        if i % 7 == 3:
            lines.append(BudgetLine("Phụ cấp trách nhiệm", "6113", "422", "072", "13", 745_000))
        voucher = Voucher(
            id=new_voucher_id(), fiscal_year=day.year, number=str(101 + i), date=day.isoformat(),
            unit=DEMO_UNIT, payment_kind=PaymentKind.ACTUAL, method=method,
            program_code="00000", payee=payee, lines=tuple(lines),
        )
        if state is VoucherState.DRAFT and i % 2 == 0:
            # An unfinished draft: the accountant has not picked the NDKT code yet.
            voucher = voucher.with_changes(
                lines=(BudgetLine(lines[0].content, "", "422", "072", "13", amount),)
            )
        result.append((voucher, state))
    return result


def seed_demo(
    profile: ProfileStore, drafting: DraftingService, today: date
) -> list[tuple[str, VoucherState]]:
    """Store the demo unit and vouchers as drafts; returns each id with the state it should
    reach (signing and later steps are done by the caller, with real demo tokens)."""
    profile.set_unit(DEMO_UNIT)
    planned = []
    for voucher, state in demo_vouchers(today):
        drafting.save(voucher)
        planned.append((voucher.id, state))
    return planned


def advance(
    repo: SqliteVoucherRepository, voucher_id: str, state: VoucherState, *, after: VoucherState
) -> None:
    """Move a signed voucher on to ``state`` (the treasury's answers of earlier days)."""
    actor = Actor("demo", "accountant")
    path = _path_to(state)
    for step in path[path.index(after) + 1 :] if after in path else path:
        repo.set_status(voucher_id, step, actor=actor, reason=_REASONS.get(step, ""))
