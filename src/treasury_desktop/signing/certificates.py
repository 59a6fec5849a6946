"""X.509 certificates as the accountant sees them: holder, unit, CA, validity, key type."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from treasury_desktop.i18n import Message

SIGNING_USAGES = ("digital_signature", "content_commitment")
"""Key usages that allow signing a voucher (content_commitment is nonRepudiation)."""

KEY_USAGE_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


def vn_date(moment: datetime) -> str:
    """A date the Vietnamese way: 31/12/2026."""
    return moment.strftime("%d/%m/%Y")


def sha256_hex(der: bytes) -> str:
    """Lowercase hex SHA-256 of a certificate: its fingerprint."""
    return hashlib.sha256(der).hexdigest()


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = [str(a.value) for a in name.get_attributes_for_oid(oid)]
    return ", ".join(values)


_NIST_CURVES = {"secp256r1": "EC P-256", "secp384r1": "EC P-384", "secp521r1": "EC P-521"}


def key_type_of(cert: x509.Certificate) -> str:
    """``RSA-2048``, ``EC P-256`` … or the key class name for anything else."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        # Only the NIST prime curves are P-n; secp256k1 and others keep their own name (and
        # so are not allowed: key_is_allowed knows only P-256, P-384 and P-521).
        return _NIST_CURVES.get(key.curve.name, key.curve.name)
    return type(key).__name__


def key_is_allowed(key_type: str) -> bool:
    """RSA of at least 2048 bits, or a NIST curve of at least 256 bits (TT 15/2025)."""
    if key_type.startswith("RSA-"):
        return int(key_type[4:]) >= 2048
    if key_type.startswith("EC P-"):
        return int(key_type[5:]) >= 256
    return False


def key_usages_of(cert: x509.Certificate) -> tuple[str, ...] | None:
    """The key usage flags set, or None when the certificate has no key usage extension."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    flags: list[str] = []
    for flag in KEY_USAGE_NAMES:
        if getattr(usage, flag):
            flags.append(flag)
    return tuple(flags)


@dataclass(frozen=True)
class CertificateInfo:
    """A signing certificate on a token (chứng thư số), as listed to the user."""

    holder_name: str
    organisation: str
    issuer_name: str
    serial: str
    not_before: datetime
    not_after: datetime
    key_type: str
    sha256: str
    key_usage: tuple[str, ...]
    der: bytes

    @classmethod
    def from_der(cls, der: bytes) -> CertificateInfo:
        """Describe a DER certificate."""
        cert = x509.load_der_x509_certificate(der)
        usages = key_usages_of(cert)
        subject = cert.subject
        issuer_cn = _name_attr(cert.issuer, NameOID.COMMON_NAME)
        return cls(
            holder_name=_name_attr(subject, NameOID.COMMON_NAME) or subject.rfc4514_string(),
            organisation=_name_attr(subject, NameOID.ORGANIZATION_NAME)
            or _name_attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
            issuer_name=issuer_cn or _name_attr(cert.issuer, NameOID.ORGANIZATION_NAME),
            serial=format(cert.serial_number, "X"),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            key_type=key_type_of(cert),
            sha256=sha256_hex(der),
            # No extension means any use is allowed (RFC 5280 4.2.1.3).
            key_usage=SIGNING_USAGES if usages is None else usages,
            der=der,
        )

    @property
    def can_sign(self) -> bool:
        """Whether the key usage allows digitalSignature or nonRepudiation."""
        return any(flag in self.key_usage for flag in SIGNING_USAGES)

    def usable_at(self, now: datetime) -> Message | None:
        """Why this certificate cannot sign at ``now``, or None when it can."""
        holder = self.holder_name
        if now < self.not_before:
            return Message(
                "signing.cert.not_yet_valid", {"holder": holder, "date": vn_date(self.not_before)}
            )
        if now > self.not_after:
            return Message(
                "signing.cert.expired", {"holder": holder, "date": vn_date(self.not_after)}
            )
        if not self.can_sign:
            return Message("signing.cert.no_signing_usage", {"holder": holder})
        if not key_is_allowed(self.key_type):
            return Message("signing.cert.weak_key", {"holder": holder, "key_type": self.key_type})
        return None

    def expires_soon(self, now: datetime, days: int = 30) -> bool:
        """Whether the certificate is still valid but expires within ``days`` days."""
        return now <= self.not_after < now + timedelta(days=days)
