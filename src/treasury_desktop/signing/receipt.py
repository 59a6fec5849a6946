"""The treasury's receipt (chứng từ báo nợ): a signed JSON the treasury issues once it paid.

The envelope is ``{"receipt": {...}, "signature": {"algorithm", "value", "certificates"}}``.
The signature is over the RFC 8785 canonical bytes of ``receipt``, made with the treasury's key
(ES256: ECDSA P-256 with SHA-256, DER; RS256: RSA PKCS#1 v1.5 with SHA-256); ``certificates``
holds the signing certificate first (base64 DER), then any intermediates. A desk accepts a
receipt whose certificate chains to a treasury root it trusts, was valid when the receipt was
issued, may sign, and whose receipt names the voucher's id, unit and content hash.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.domain.canonical import canonical_bytes
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.chain import ChainRefused, build_chain

RECEIPT_KIND = "debit_advice"


class ReceiptInvalid(ExpectedError):  # noqa: N818 - an ExpectedError, named like SignatureInvalid
    """A receipt the desk does not accept, with the reason in plain words."""


@dataclass(frozen=True)
class Officer:
    """A treasury officer who processed the voucher: their stamp in the treasury's part."""

    title: str  # Kế toán, Kế toán trưởng, Giám đốc …
    name: str
    signed_at: datetime


@dataclass(frozen=True)
class Receipt:
    """A verified receipt."""

    voucher_id: str
    unit: str
    content_hash: str
    reference: str
    dossier: str
    accounting_date: str  # ISO date
    amount: int
    issued_at: datetime
    treasury: str  # mã KBNN
    officers: tuple[Officer, ...]
    signer_name: str  # the treasury certificate's holder
    signer_organisation: str
    signer_serial: str


def _b64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    return base64.b64decode(value, validate=True)


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a time needs its offset")
    return moment


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def _check_signature(cert: x509.Certificate, algorithm: str, signature: bytes,
                     data: bytes) -> None:
    key = cert.public_key()
    if algorithm == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif algorithm == "RS256" and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ReceiptInvalid("receipt.algorithm", algorithm=algorithm)


def verify_receipt(envelope: Any, *, voucher_id: str, unit: str, content_hash: str,
                   trusted_roots: Sequence[bytes]) -> Receipt:
    """The receipt, verified; ReceiptInvalid (a plain sentence) when it cannot be accepted."""
    if not trusted_roots:
        raise ReceiptInvalid("receipt.no_trust")
    try:
        body = envelope["receipt"]
        signature = envelope["signature"]
        data = canonical_bytes(body)
        algorithm = _text(signature, "algorithm")
        value = _b64(signature.get("value"))
        chain = [x509.load_der_x509_certificate(_b64(c)) for c in signature["certificates"]]
        issued_at = _moment(body.get("issued_at"))
        officers = tuple(Officer(_text(o, "title"), _text(o, "name"), _moment(o.get("signed_at")))
                         for o in body.get("officers") or [])
        amount = body.get("amount")
        if not chain or not isinstance(amount, int) or isinstance(amount, bool):
            raise ValueError("no certificate or no amount")
        roots = [x509.load_der_x509_certificate(der).public_bytes(Encoding.DER)
                 for der in trusted_roots]
    except (KeyError, TypeError, ValueError, IndexError, binascii.Error):
        raise ReceiptInvalid("receipt.malformed") from None
    leaf = chain[0]
    try:
        _check_signature(leaf, algorithm, value, data)
    except InvalidSignature:
        raise ReceiptInvalid("receipt.bad_signature") from None
    try:  # the one path builder (signing/chain.py), at the moment the receipt was issued
        build_chain(leaf.public_bytes(Encoding.DER), roots, issued_at,
                    intermediates=[c.public_bytes(Encoding.DER) for c in chain[1:]])
    except ChainRefused:
        raise ReceiptInvalid("receipt.untrusted") from None
    info = CertificateInfo.from_der(leaf.public_bytes(Encoding.DER))
    if not info.can_sign:
        raise ReceiptInvalid("receipt.untrusted")
    if (body.get("kind") != RECEIPT_KIND or body.get("voucher_id") != voucher_id
            or body.get("unit") != unit or body.get("content_hash") != content_hash):
        raise ReceiptInvalid("receipt.other_voucher")
    try:
        return Receipt(voucher_id, unit, content_hash, _text(body, "reference"),
                       _text(body, "dossier"), _text(body, "accounting_date"), amount, issued_at,
                       _text(body, "treasury"), officers, info.holder_name, info.organisation,
                       info.serial)
    except ValueError:
        raise ReceiptInvalid("receipt.malformed") from None


def sign_receipt(body: Mapping[str, Any], key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
                 certificates: Sequence[bytes]) -> dict[str, Any]:
    """The envelope of ``body`` signed with ``key`` (the sandbox treasury's; software key)."""
    data = canonical_bytes(body)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm, value = "ES256", key.sign(data, ec.ECDSA(hashes.SHA256()))
    else:
        algorithm, value = "RS256", key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return {
        "receipt": dict(body),
        "signature": {
            "algorithm": algorithm,
            "value": base64.b64encode(value).decode(),
            "certificates": [base64.b64encode(der).decode() for der in certificates],
        },
    }

