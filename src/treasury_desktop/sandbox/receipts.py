"""The sandbox treasury's receipts (chứng từ báo nợ): issued for a paid voucher, signed with
the sandbox treasury's certificate (a software key: practice and tests only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from treasury_desktop.signing.receipt import RECEIPT_KIND, sign_receipt

if TYPE_CHECKING:  # config.py imports ReceiptSigner from here
    from treasury_desktop.sandbox.config import SandboxConfig, UnitConfig
    from treasury_desktop.sandbox.store import SandboxStore

VIETNAM = timezone(timedelta(hours=7))
PAID = "paid"
DEFAULT_OFFICERS = (
    ("Kế toán", "Lê Thị Hồng"),
    ("Kế toán trưởng", "Phạm Văn Đức"),
    ("Giám đốc", "Nguyễn Văn Bình"),
)


@dataclass(frozen=True)
class ReceiptSigner:
    """The key and certificates the sandbox treasury signs its receipts with."""

    key_pem: bytes
    certificates: tuple[bytes, ...]  # DER: the signing certificate first
    officers: tuple[tuple[str, str], ...] = DEFAULT_OFFICERS  # (title, name)

    def key(self) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
        """The private key."""
        key = serialization.load_pem_private_key(self.key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise TypeError("the receipt key must be EC or RSA")
        return key


def _total(document: Mapping[str, Any]) -> int:
    lines = document.get("lines") or []
    if lines:
        return sum(int(line.get("amount", 0)) for line in lines)
    return int(document.get("amount", 0))


def issue_receipt(signer: ReceiptSigner, *, unit: str, treasury: str, voucher_id: str,
                  content_hash: str, document: Mapping[str, Any], reference: str, dossier: str,
                  paid_at: str) -> dict[str, Any]:
    """The signed receipt of a paid voucher (its officers sign at the moment of payment)."""
    moment = datetime.fromisoformat(paid_at)
    body = {
        "kind": RECEIPT_KIND,
        "version": 1,
        "voucher_id": voucher_id,
        "unit": unit,
        "treasury": treasury,
        "content_hash": content_hash,
        "reference": reference,
        "dossier": dossier,
        "accounting_date": moment.astimezone(VIETNAM).date().isoformat(),
        "amount": _total(document),
        "issued_at": moment.isoformat(),
        "officers": [{"title": title, "name": name, "signed_at": moment.isoformat()}
                     for title, name in signer.officers],
    }
    return sign_receipt(body, signer.key(), signer.certificates)


def receipt_of(store: SandboxStore, config: SandboxConfig, unit: UnitConfig,
               voucher_id: str) -> dict[str, Any] | None:
    """The receipt of a paid document, or None (not paid, or no receipt signer configured)."""
    signer = config.receipt_signer
    doc = store.document(unit.code, voucher_id)
    if signer is None or doc is None:
        return None
    paid = [event for event in store.history(unit.code, voucher_id) if event.status == PAID]
    if not paid:
        return None
    return issue_receipt(signer, unit=unit.code, treasury=unit.treasury, voucher_id=doc.id,
                         content_hash=doc.content_hash, document=doc.document,
                         reference=doc.reference, dossier=doc.dossier, paid_at=paid[-1].at)
