"""What one printed voucher needs: its document, content hash, stamps and the treasury's part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from treasury_desktop.printing.stamps import Stamp

QR_PREFIX = "TDV1"
"""The QR code reads ``TDV1;id=<voucher_id>;sha256=<content hash>``."""


@dataclass(frozen=True)
class TreasuryPart:
    """The treasury's part of the printout, filled from its receipt (chứng từ báo nợ)."""

    reference: str  # the electronic voucher number, e.g. 261120_1171277_0011001
    dossier: str  # mã hồ sơ, e.g. H26_1171277_001100101
    accounting_date: str  # ISO date the treasury booked the payment
    officers: tuple[Stamp, ...] = ()  # role = the officer's title (Kế toán, Giám đốc …)


@dataclass(frozen=True)
class PrintJob:
    """One voucher to print."""

    document: Mapping[str, Any]
    content_hash: str
    stamps: tuple[Stamp, ...] = ()
    roles_required: tuple[str, ...] = ("chief-accountant", "account-holder")
    treasury: TreasuryPart | None = None

    @property
    def voucher_id(self) -> str:
        """The voucher's id."""
        return str(self.document.get("id", ""))

    @property
    def is_draft(self) -> bool:
        """Not every required signer has a stamp: the page says BẢN NHÁP."""
        have = {s.role for s in self.stamps}
        return not all(role in have for role in self.roles_required)

    @property
    def qr_text(self) -> str:
        """What the QR code carries."""
        return f"{QR_PREFIX};id={self.voucher_id};sha256={self.content_hash}"

    def stamp_for(self, role: str) -> Stamp | None:
        """The stamp of a role, if signed."""
        return next((s for s in self.stamps if s.role == role), None)
