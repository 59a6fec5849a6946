"""The sandbox's time-stamping authority (RFC 3161), for the demo, practice mode and tests.

A TimeStampToken is a CMS SignedData over a TSTInfo, signed by a certificate whose extended key
usage is (critically) timeStamping, with signing-certificate-v2 naming it (RFC 5816).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, datetime

import asn1crypto.tsp  # noqa: F401 - registers signing_certificate_v2
from asn1crypto import algos, cms, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.signing import der

SANDBOX_TSA_POLICY = "2.25.225011236698412683253837582221211431754"
"""The policy the sandbox's tokens name: our own OID under the UUID arc 2.25 (ITU-T X.667,
generated once from a random UUID), so it claims no other organisation's policy. The desk does
not require a particular policy."""

TsaKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_ID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_ID_CT_TST_INFO = "1.2.840.113549.1.9.16.1.4"
_ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
_SHA256 = der.sequence(der.oid("2.16.840.1.101.3.4.2.1"))


class TimeStampAuthority:
    """Answers TimeStampReq with signed tokens."""

    def __init__(
        self, cert: x509.Certificate, key: TsaKey,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._cert_der = cert.public_bytes(Encoding.DER)
        self._key = key
        parsed = ax509.Certificate.load(self._cert_der)
        self._sid = der.sequence(parsed.issuer.dump(), parsed["tbs_certificate"][
            "serial_number"].dump())
        self._content_type_attr = der.sequence(
            der.oid(_ID_CONTENT_TYPE), der.set_of([der.oid(_ID_CT_TST_INFO)]))
        self._signing_certificate_attr = bytes(cms.CMSAttribute({
            "type": "signing_certificate_v2", "values": [{"certs": [{
                "cert_hash": hashlib.sha256(self._cert_der).digest(),
                "issuer_serial": {"issuer": [ax509.GeneralName("directory_name", parsed.issuer)],
                                  "serial_number": parsed.serial_number},
            }]}],
        }).dump())
        self._algorithm = bytes(algos.SignedDigestAlgorithm({
            "algorithm": "sha256_rsa" if isinstance(key, rsa.RSAPrivateKey) else "sha256_ecdsa"
        }).dump())
        self._now = now
        self._serials = itertools.count(int(now().timestamp() * 1000))
        self.requests = 0

    def respond(self, request_der: bytes) -> bytes:
        """The DER TimeStampResp for a DER TimeStampReq."""
        self.requests += 1
        try:
            request = tsp.TimeStampReq.load(request_der)
            imprint = request["message_imprint"]
            algorithm = imprint["hash_algorithm"]["algorithm"].native
            digest = imprint["hashed_message"].native
            if algorithm not in ("sha256", "sha384", "sha512") or len(digest) != hashlib.new(
                algorithm
            ).digest_size:
                return _refusal("bad_alg")
        except (ValueError, TypeError, KeyError):
            return _refusal("bad_data_format")
        info = tsp.TSTInfo({
            "version": 1,
            "policy": SANDBOX_TSA_POLICY,
            "message_imprint": imprint,
            "serial_number": next(self._serials),
            "gen_time": self._now().astimezone(UTC).replace(microsecond=0),
            "nonce": request["nonce"].native,
        })
        token = self._sign(info, bool(request["cert_req"].native))
        return bytes(tsp.TimeStampResp({"status": {"status": "granted"},
                                        "time_stamp_token": token}).dump())

    def _sign(self, info: tsp.TSTInfo, with_certificate: bool) -> cms.ContentInfo:
        # Spliced from pre-encoded parts (signing/der.py): asn1crypto re-encoding the
        # certificate for every token costs ~30 ms; this costs well under one.
        content = info.dump()
        attrs = der.set_of([
            self._content_type_attr,
            der.sequence(der.oid(_ID_MESSAGE_DIGEST), der.set_of(
                [der.tlv(der.OCTET_STRING, hashlib.sha256(content).digest())])),
            self._signing_certificate_attr,
        ])
        if isinstance(self._key, rsa.RSAPrivateKey):
            signature = self._key.sign(attrs, padding.PKCS1v15(), hashes.SHA256())
        else:
            signature = self._key.sign(attrs, ec.ECDSA(hashes.SHA256()))
        signer_info = der.sequence(
            der.integer(1), self._sid, _SHA256, bytes([der.CONTEXT_0]) + attrs[1:],
            self._algorithm, der.tlv(der.OCTET_STRING, signature),
        )
        signed = der.sequence(
            der.integer(3), der.set_of([_SHA256]),
            der.sequence(der.oid(_ID_CT_TST_INFO),
                         der.tlv(der.CONTEXT_0, der.tlv(der.OCTET_STRING, content))),
            der.tlv(der.CONTEXT_0, self._cert_der) if with_certificate else b"",
            der.set_of([signer_info]),
        )
        return cms.ContentInfo.load(
            der.sequence(der.oid(_ID_SIGNED_DATA), der.tlv(der.CONTEXT_0, signed)))


def _refusal(failure: str) -> bytes:
    return bytes(tsp.TimeStampResp({
        "status": {"status": "rejection", "fail_info": tsp.PKIFailureInfo({failure})},
    }).dump())
