"""The digital-signature stamps printed in the signers' blocks, read from a voucher's CMS.

Each stamp reads as the portal prints it: "Người ký: NAME / Ngày ký: dd/MM/yyyy HH:mm:ss /
Chức danh: Kế toán trưởng | Chủ tài khoản / Đơn vị: UNIT", with the certificate's serial. Only
signatures that verify over the voucher's signed bytes become stamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.verify import SignatureInvalid, verify_detached

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Signing times print in Vietnam's time (UTC+7), as the portal prints them."""

ROLE_TITLES = {"chief-accountant": "Kế toán trưởng", "account-holder": "Chủ tài khoản"}


@dataclass(frozen=True)
class Stamp:
    """One signer's stamp: who, when, in which role, for which unit, with which certificate."""

    role: str  # "chief-accountant", "account-holder", or a treasury officer's title
    name: str
    signed_at: datetime
    title: str  # Chức danh as printed
    organisation: str
    serial: str  # the certificate's serial number, hexadecimal

    def lines(self) -> tuple[str, ...]:
        """The stamp's printed lines."""
        when = self.signed_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
        out = [f"Người ký: {self.name}", f"Ngày ký: {when}", f"Chức danh: {self.title}"]
        if self.organisation:
            out.append(f"Đơn vị: {self.organisation}")
        if self.serial:
            out.append(f"Serial: {self.serial}")
        return tuple(out)


def stamps_from_cms(signed_bytes: bytes, cms_der: bytes | None, unit_name: str) -> list[Stamp]:
    """The stamps of every valid signature (none when the CMS is missing or fails to verify)."""
    if not cms_der:
        return []
    try:
        signers = verify_detached(signed_bytes, cms_der)
    except SignatureInvalid:
        return []
    stamps = []
    for signer in signers:
        info = CertificateInfo.from_der(signer.certificate_der)
        stamps.append(Stamp(
            role=signer.role.value, name=signer.holder_name, signed_at=signer.signing_time,
            title=ROLE_TITLES[signer.role.value], organisation=info.organisation or unit_name,
            serial=info.serial,
        ))
    return stamps

