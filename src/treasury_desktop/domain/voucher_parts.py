"""The parts of a voucher that only some forms have (DESIGN.md "Additions for the other forms").

- the tax block of a C2-02b/NS (Nộp thuế) and the tax part of each of its lines;
- the line table of a C4-02a/KB (Nội dung thanh toán | Mã nguồn NS | Niên độ NS | Số tiền);
- the Bảng kê nội dung thanh toán/tạm ứng (Mẫu 07) attached to a voucher;
- the kind of identity document of a cash recipient (Người nhận tiền);
- the "ứng trước" choice of a C3-01/NS.

Each appears in the document only on the forms that have it, so a document v1 without them keeps
its exact bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IdKind(StrEnum):
    """The identity document of a cash recipient; a document without one means CCCD."""

    CCCD = "cccd"  # căn cước công dân, 12 digits (the old 9-digit CMND is read as one too)
    PASSPORT = "passport"  # hộ chiếu
    OTHER = "other"  # another document, its kind named in ``id_kind_name``


class PreAdvance(StrEnum):
    """Ứng trước on a C3-01/NS: an advance before the estimate is fully assigned."""

    ELIGIBLE = "eligible"  # ứng trước đủ điều kiện thanh toán
    NOT_ELIGIBLE = "not_eligible"  # ứng trước chưa đủ điều kiện thanh toán


@dataclass(frozen=True)
class TaxPayment:
    """The NỘP THUẾ block of a C2-02b/NS: who pays which tax to which office, for which period."""

    payer_name: str = ""  # Tên đơn vị (Người nộp thuế)
    tax_code: str = ""  # Mã số thuế: 10 digits, or 10 + "-" + 3
    ndkt: str = ""  # the revenue NDKT, e.g. 1001 (thuế TNCN from salaries)
    chapter: str = ""  # Mã chương of the taxpayer, e.g. 557
    authority: str = ""  # Cơ quan quản lý thu (the tax office's name)
    period: str = ""  # Kỳ thuế: "MM/YYYY", "QN/YYYY" or "YYYY"
    treasury: str = ""  # KBNN hạch toán khoản thu, 4 digits
    authority_code: str = ""  # the tax office's code, optional


@dataclass(frozen=True)
class DepositLine:
    """One line of a C4-02a/KB (Ủy nhiệm chi): content, nguồn, niên độ NS and amount."""

    content: str = ""
    source: str = ""  # mã nguồn NS, 2 digits ("00" on a deposit account)
    budget_year: int = 0  # niên độ NS
    amount: int = 0  # whole đồng


class StatementKind(StrEnum):
    """What a Bảng kê (Mẫu 07) lists: a direct payment, an advance, or an advance recovered."""

    DIRECT = "direct"  # thanh toán trực tiếp
    ADVANCE = "advance"  # tạm ứng
    ADVANCE_RECOVERY = "advance_recovery"  # thu hồi tạm ứng


@dataclass(frozen=True)
class StatementItem:
    """One row of a Bảng kê: STT is its position; Chứng từ (Số, Ngày), NDKT, content, amount."""

    document_number: str = ""
    document_date: str = ""  # ISO date
    ndkt: str = ""
    content: str = ""
    quantity: int | float | None = None  # Số lượng, may be absent or fractional (2,5 ngày công)
    unit_price: int | None = None  # Định mức / Đơn giá, whole đồng, may be absent
    amount: int = 0  # Thành tiền, whole đồng


@dataclass(frozen=True)
class Statement:
    """Bảng kê nội dung thanh toán/tạm ứng (Mẫu 07): its items sum to the voucher's total."""

    kind: StatementKind = StatementKind.DIRECT
    items: tuple[StatementItem, ...] = ()

    @property
    def total(self) -> int:
        """Tổng cộng of the Bảng kê."""
        return sum(item.amount for item in self.items)
