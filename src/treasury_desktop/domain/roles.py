"""The two signers of a voucher, in signing order."""

from __future__ import annotations

from enum import StrEnum


class SignerRole(StrEnum):
    """Kế toán trưởng signs first, then chủ tài khoản."""

    CHIEF_ACCOUNTANT = "chief-accountant"  # Kế toán trưởng (KTT)
    ACCOUNT_HOLDER = "account-holder"  # Chủ tài khoản (CTK), thủ trưởng đơn vị

    @property
    def order(self) -> int:
        """0 for the first signature, 1 for the second."""
        return SIGNING_ORDER.index(self)


SIGNING_ORDER: tuple[SignerRole, ...] = (SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER)
