"""Is a certificate revoked? OCSP first, then the CRL, from the URLs in the certificate.

Each answer is checked (signed by the issuer or by a responder it delegated to, about this
certificate, current) and cached with its validity: until its nextUpdate no second request is
made, so a batch of 500 vouchers asks once per certificate. The last good answer is kept after
it expires, so that an offline desk can say how old its knowledge is.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from treasury_desktop.signing.certificates import sha256_hex

CLOCK_SKEW = timedelta(minutes=5)
NO_NEXT_UPDATE_TTL = timedelta(minutes=10)
"""How long an answer without nextUpdate is reused (RFC 6960 says: newer information is always
available; we still do not ask again for every voucher of one batch)."""


class Unreachable(Exception):  # noqa: N818 - a state, not a bug
    """No OCSP responder or CRL server gave a usable answer."""


class Fetcher(Protocol):
    """The network, as the revocation checker sees it (HTTP GET and POST of bytes)."""

    def get(self, url: str) -> bytes:
        """The body at ``url``; raises Unreachable."""

    def post(self, url: str, body: bytes, content_type: str) -> bytes:
        """POST ``body``; raises Unreachable."""


class Status(StrEnum):
    """What a responder or CRL said."""

    GOOD = "good"
    REVOKED = "revoked"


class EvidenceKind(StrEnum):
    """The form of the evidence kept with a signature."""

    OCSP = "ocsp"  # a DER OCSPResponse
    CRL = "crl"  # a DER CertificateList


@dataclass(frozen=True)
class RevocationAnswer:
    """One checked answer about one certificate."""

    cert_sha256: str
    status: Status
    checked_at: datetime  # when we got it
    this_update: datetime
    next_update: datetime | None
    kind: EvidenceKind
    evidence: bytes
    revoked_at: datetime | None = None

    def fresh_at(self, now: datetime) -> bool:
        """Whether the answer may still be used without asking again."""
        until = self.next_update or self.checked_at + NO_NEXT_UPDATE_TTL
        return now <= until

    def to_json(self) -> dict[str, str | None]:
        """The cache file form."""
        return {
            "cert_sha256": self.cert_sha256, "status": self.status.value,
            "checked_at": self.checked_at.isoformat(), "this_update": self.this_update.isoformat(),
            "next_update": self.next_update.isoformat() if self.next_update else None,
            "kind": self.kind.value, "evidence": base64.b64encode(self.evidence).decode(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> RevocationAnswer:
        """Read back :meth:`to_json`."""
        def moment(key: str) -> datetime | None:
            raw = data.get(key)
            return datetime.fromisoformat(raw) if raw else None

        return cls(
            str(data["cert_sha256"]), Status(str(data["status"])), moment("checked_at") or _epoch(),
            moment("this_update") or _epoch(), moment("next_update"),
            EvidenceKind(str(data["kind"])), base64.b64decode(str(data["evidence"])),
            moment("revoked_at"),
        )


def _epoch() -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC)


class RevocationCache:
    """Answers by certificate fingerprint; kept in a JSON file when given one."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._answers: dict[str, RevocationAnswer] = {}
        self._last_good: dict[str, datetime] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                for item in data.get("answers", []):
                    answer = RevocationAnswer.from_json(item)
                    self._answers[answer.cert_sha256] = answer
                for key, value in data.get("last_good", {}).items():
                    self._last_good[key] = datetime.fromisoformat(value)
            except (ValueError, KeyError, TypeError):
                self._answers, self._last_good = {}, {}  # a damaged cache is only a cache

    def get(self, cert_sha256: str) -> RevocationAnswer | None:
        """The latest answer about a certificate, fresh or not."""
        return self._answers.get(cert_sha256)

    def last_good(self, cert_sha256: str) -> datetime | None:
        """When this certificate was last known to be good."""
        return self._last_good.get(cert_sha256)

    def put(self, answer: RevocationAnswer) -> None:
        """Remember an answer (and persist the cache)."""
        self._answers[answer.cert_sha256] = answer
        if answer.status is Status.GOOD:
            self._last_good[answer.cert_sha256] = answer.checked_at
        if self._path is not None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            data = {
                "answers": [a.to_json() for a in self._answers.values()],
                "last_good": {k: v.isoformat() for k, v in self._last_good.items()},
            }
            tmp = self._path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self._path)


def _urls(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp_urls = [
            str(d.access_location.value) for d in aia
            if d.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(d.access_location, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        for point in points:
            for name in point.full_name or []:
                if isinstance(name, x509.UniformResourceIdentifier):
                    crl_urls.append(str(name.value))
    except x509.ExtensionNotFound:
        pass
    web = ("http://", "https://")
    return ([u for u in ocsp_urls if u.startswith(web)], [u for u in crl_urls if u.startswith(web)])


def _verify_signed(
    key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm | None
) -> bool:
    if algorithm is None:
        return False
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def _responder_ok(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> bool:
    """Signed by the issuer itself, or by a certificate the issuer gave id-kp-OCSPSigning."""
    algorithm = response.signature_hash_algorithm
    if _verify_signed(issuer.public_key(), response.signature, response.tbs_response_bytes,
                      algorithm):
        return True
    for delegate in response.certificates:
        try:
            delegate.verify_directly_issued_by(issuer)
            usages = delegate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in usages and _verify_signed(
            delegate.public_key(), response.signature, response.tbs_response_bytes, algorithm
        ):
            return True
    return False


class RevocationChecker:
    """Asks the OCSP responder, else the CRL, and caches each answer with its validity."""

    def __init__(
        self, fetcher: Fetcher, cache: RevocationCache,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._fetcher = fetcher
        self._cache = cache
        self._now = now

    @property
    def cache(self) -> RevocationCache:
        """The answers so far."""
        return self._cache

    def publishes_status(self, cert_der: bytes) -> bool:
        """Whether the certificate names an OCSP responder or a CRL to ask."""
        ocsp_urls, crl_urls = _urls(x509.load_der_x509_certificate(cert_der))
        return bool(ocsp_urls or crl_urls)

    def check(self, cert_der: bytes, issuer_der: bytes) -> RevocationAnswer:
        """The current answer about ``cert_der``; raises Unreachable when none can be had."""
        fingerprint = sha256_hex(cert_der)
        now = self._now()
        cached = self._cache.get(fingerprint)
        if cached is not None and cached.fresh_at(now):
            return cached
        cert = x509.load_der_x509_certificate(cert_der)
        issuer = x509.load_der_x509_certificate(issuer_der)
        ocsp_urls, crl_urls = _urls(cert)
        for url in ocsp_urls:
            answer = self._ask_ocsp(url, cert, issuer, fingerprint, now)
            if answer is not None:
                self._cache.put(answer)
                return answer
        for url in crl_urls:
            answer = self._read_crl(url, cert, issuer, fingerprint, now)
            if answer is not None:
                self._cache.put(answer)
                return answer
        raise Unreachable(", ".join(ocsp_urls + crl_urls))

    def _ask_ocsp(
        self, url: str, cert: x509.Certificate, issuer: x509.Certificate, fingerprint: str,
        now: datetime,
    ) -> RevocationAnswer | None:
        request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
        try:
            raw = self._fetcher.post(
                url, request.public_bytes(Encoding.DER), "application/ocsp-request"
            )
            response = ocsp.load_der_ocsp_response(raw)
        except (Unreachable, ValueError):
            return None
        if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        for single in response.responses:
            if single.serial_number != cert.serial_number:
                continue
            expected = ocsp.OCSPRequestBuilder().add_certificate(
                cert, issuer, single.hash_algorithm
            ).build()
            if (single.issuer_key_hash, single.issuer_name_hash) != (
                expected.issuer_key_hash, expected.issuer_name_hash
            ):
                continue
            if not _responder_ok(response, issuer):
                return None
            this_update = single.this_update_utc
            next_update = single.next_update_utc
            if this_update > now + CLOCK_SKEW or (
                next_update is not None and next_update < now - CLOCK_SKEW
            ):
                return None
            if single.certificate_status is ocsp.OCSPCertStatus.UNKNOWN:
                return None
            revoked = single.certificate_status is ocsp.OCSPCertStatus.REVOKED
            return RevocationAnswer(
                fingerprint, Status.REVOKED if revoked else Status.GOOD, now, this_update,
                next_update, EvidenceKind.OCSP, raw,
                single.revocation_time_utc if revoked else None,
            )
        return None

    def _read_crl(
        self, url: str, cert: x509.Certificate, issuer: x509.Certificate, fingerprint: str,
        now: datetime,
    ) -> RevocationAnswer | None:
        try:
            raw = self._fetcher.get(url)
            crl = (
                x509.load_pem_x509_crl(raw) if raw.lstrip().startswith(b"-----")
                else x509.load_der_x509_crl(raw)
            )
        except (Unreachable, ValueError):
            return None
        key = issuer.public_key()
        if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            return None
        if crl.issuer != issuer.subject or not crl.is_signature_valid(key):
            return None
        next_update = crl.next_update_utc
        if crl.last_update_utc > now + CLOCK_SKEW or (
            next_update is not None and next_update < now - CLOCK_SKEW
        ):
            return None
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        return RevocationAnswer(
            fingerprint, Status.GOOD if entry is None else Status.REVOKED, now,
            crl.last_update_utc, next_update, EvidenceKind.CRL, crl.public_bytes(Encoding.DER),
            entry.revocation_date_utc if entry is not None else None,
        )
