"""The sandbox's OCSP responder (RFC 6960) for the certificates its own CA issued.

The CA signs the answers itself (no delegated responder). A certificate is ``revoked`` when its
serial is in the revocation list, with the time it was revoked; everything else the CA issued
is ``good``. Answers are valid for ``validity`` (their nextUpdate), so desks cache them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from asn1crypto import keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509 import ocsp

CaKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class RevocationList:
    """Serials revoked by the sandbox CA, with when; shared by the responder and the door."""

    def __init__(self, revoked: dict[int, datetime] | None = None) -> None:
        self._lock = threading.Lock()
        self._revoked = dict(revoked or {})

    def revoke(self, serial: int, at: datetime) -> None:
        """Revoke a certificate from ``at`` on (the first revocation time stands)."""
        with self._lock:
            self._revoked.setdefault(serial, at)

    def revoked_at(self, serial: int) -> datetime | None:
        """When the certificate with this serial was revoked, or None."""
        with self._lock:
            return self._revoked.get(serial)


class OcspResponder:
    """Builds signed OCSP answers for requests about the CA's certificates."""

    def __init__(
        self, ca_cert: x509.Certificate, ca_key: CaKey, revoked: RevocationList,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        validity: timedelta = timedelta(hours=1),
    ) -> None:
        self._ca_cert = ca_cert
        self._ca_key = ca_key
        self._revoked = revoked
        self._now = now
        self._validity = validity
        self.requests = 0  # how many answers were asked for (tests count them)

    def respond(self, request_der: bytes) -> bytes:
        """The DER OCSPResponse for a DER OCSPRequest (malformedRequest when unreadable)."""
        self.requests += 1
        try:
            request = ocsp.load_der_ocsp_request(request_der)
        except ValueError:
            return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        hashes_of_ca = _ca_hashes(self._ca_cert, request.hash_algorithm)
        if (request.issuer_name_hash, request.issuer_key_hash) != hashes_of_ca:
            return _failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        now = self._now()
        revoked_at = self._revoked.revoked_at(request.serial_number)
        status = ocsp.OCSPCertStatus.GOOD if revoked_at is None else ocsp.OCSPCertStatus.REVOKED
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=request.hash_algorithm,
            cert_status=status,
            this_update=now,
            next_update=now + self._validity,
            revocation_time=revoked_at,
            revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self._ca_cert)
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        response = builder.sign(self._ca_key, hashes.SHA256())
        return response.public_bytes(Encoding.DER)


def _ca_hashes(ca: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """issuerNameHash and issuerKeyHash of the CA, as RFC 6960 defines them."""
    name_hash = hashes.Hash(algorithm)
    name_hash.update(ca.subject.public_bytes())
    spki = ca.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    # The key hash covers the BIT STRING's value: the SubjectPublicKey inside the SPKI.
    key_hash = hashes.Hash(algorithm)
    key_hash.update(keys.PublicKeyInfo.load(spki)["public_key"].contents[1:])
    return name_hash.finalize(), key_hash.finalize()


def _failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(Encoding.DER)

