"""The sandbox's own certification authority services: OCSP, timestamps, revocation.

Configured under ``authority:`` in the sandbox file (paths relative to it)::

    authority:
      certificate: {file: ca.pem}        # the CA whose certificates the sandbox answers for
      key: ca.key.pem                    # its private key (PEM, unencrypted: a sandbox only)
      tsa_certificate: {file: tsa.pem}   # optional: a TSA certificate (EKU timeStamping)
      tsa_key: tsa.key.pem
      revoked:                           # optional: certificates revoked from the start
        - {sha256: "ab12…", at: "2026-11-01T08:00:00+00:00"}
        - {serial: "4F2A…"}              # hex; ``at`` defaults to when the sandbox starts

It answers ``POST /ocsp`` (RFC 6960) and ``POST /tsa`` (RFC 3161); ``POST /v1/admin/revocations``
(``{"sha256": …}`` or ``{"serial": …}``, optional ``"at"``) revokes a certificate while running.
At the door, a signature whose certificate was revoked before receipt is refused, unless a
trusted timestamp proves it was made before the revocation (the signing time is only a claim).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from treasury_desktop.sandbox.ocsp import CaKey, OcspResponder, RevocationList
from treasury_desktop.sandbox.tsa import TimeStampAuthority
from treasury_desktop.signing.certificates import sha256_hex


class AuthorityError(ValueError):
    """The ``authority`` section cannot be used (the message says why)."""


@dataclass(frozen=True)
class SandboxAuthority:
    """The CA (and TSA) the sandbox speaks for, and its revocation list (shared, mutable)."""

    ca_der: bytes
    ca_key: CaKey = field(repr=False)
    tsa_der: bytes | None = None
    tsa_key: CaKey | None = field(default=None, repr=False)
    revocations: RevocationList = field(default_factory=RevocationList, compare=False)

    def certificate(self) -> x509.Certificate:
        """The CA certificate."""
        return x509.load_der_x509_certificate(self.ca_der)

    def responder(self) -> OcspResponder:
        """The OCSP responder over this CA."""
        return OcspResponder(self.certificate(), self.ca_key, self.revocations)

    def tsa(self) -> TimeStampAuthority | None:
        """The TSA, when one is configured."""
        if self.tsa_der is None or self.tsa_key is None:
            return None
        return TimeStampAuthority(x509.load_der_x509_certificate(self.tsa_der), self.tsa_key)

    def issued(self, cert_der: bytes) -> bool:
        """Whether this CA issued ``cert_der`` (its signature verifies)."""
        try:
            x509.load_der_x509_certificate(cert_der).verify_directly_issued_by(self.certificate())
        except (ValueError, TypeError, InvalidSignature):
            return False
        return True

    def revoked_before(self, cert_der: bytes, moment: datetime) -> datetime | None:
        """When ``cert_der`` was revoked, if that was at or before ``moment``."""
        if not self.issued(cert_der):
            return None
        serial = x509.load_der_x509_certificate(cert_der).serial_number
        when = self.revocations.revoked_at(serial)
        return when if when is not None and when <= moment else None

    def revoke(self, *, sha256: str = "", serial: str = "", at: datetime | None = None,
               known: tuple[bytes, ...] = ()) -> int:
        """Revoke by serial (hex) or by the SHA-256 of one of the ``known`` certificates."""
        moment = at or datetime.now(UTC)
        if serial:
            number = int(serial, 16)
        else:
            match = next((c for c in known if sha256_hex(c) == sha256.lower()), None)
            if match is None:
                raise AuthorityError(f"no known certificate with SHA-256 {sha256[:16]}")
            number = x509.load_der_x509_certificate(match).serial_number
        self.revocations.revoke(number, moment)
        return number


def _key(path: Path) -> CaKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise AuthorityError(f"key file {path}: {error}") from error
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise AuthorityError(f"key file {path}: RSA or EC keys only")
    return key


def _moment(raw: Any) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError as error:
        raise AuthorityError(f"'at' is an ISO date-time: {error}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def authority_from_mapping(
    raw: Any, base: Path, read_cert: Any, known: tuple[bytes, ...]
) -> SandboxAuthority:
    """Build the authority from its configuration section (``read_cert`` reads a certificate
    value the way the rest of the file does; ``known`` are the configured certificates)."""
    if not isinstance(raw, Mapping):
        raise AuthorityError("'authority' is a mapping")
    ca_der = read_cert(raw.get("certificate"), base, "authority.certificate")
    if "key" not in raw:
        raise AuthorityError("'authority.key' names the CA's key file")
    authority = SandboxAuthority(ca_der, _key(base / str(raw["key"])))
    if raw.get("tsa_certificate") is not None:
        tsa_der = read_cert(raw["tsa_certificate"], base, "authority.tsa_certificate")
        if "tsa_key" not in raw:
            raise AuthorityError("'authority.tsa_key' names the TSA's key file")
        authority = SandboxAuthority(ca_der, authority.ca_key, tsa_der,
                                     _key(base / str(raw["tsa_key"])))
    revoked = raw.get("revoked", [])
    if not isinstance(revoked, list):
        raise AuthorityError("'authority.revoked' is a list")
    for entry in revoked:
        if not isinstance(entry, Mapping):
            raise AuthorityError("each revoked entry is a mapping with sha256 or serial")
        authority.revoke(sha256=str(entry.get("sha256", "")), serial=str(entry.get("serial", "")),
                         at=_moment(entry.get("at")), known=(*known, ca_der))
    return authority
