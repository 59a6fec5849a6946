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
from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

SANDBOX_TSA_POLICY = "1.3.6.1.4.1.4146.1.2"
"""The policy the sandbox's tokens name. Any OID works for RFC 3161; the desk does not require
one. (This one is borrowed as a placeholder and means nothing here.)"""

TsaKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class TimeStampAuthority:
    """Answers TimeStampReq with signed tokens."""

    def __init__(
        self, cert: x509.Certificate, key: TsaKey,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._cert_der = cert.public_bytes(Encoding.DER)
        self._key = key
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
        content = info.dump()
        cert = ax509.Certificate.load(self._cert_der)
        signed_attrs = cms.CMSAttributes([
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {"type": "signing_certificate_v2", "values": [{"certs": [{
                "cert_hash": hashlib.sha256(self._cert_der).digest(),
                "issuer_serial": {"issuer": [ax509.GeneralName("directory_name", cert.issuer)],
                                  "serial_number": cert.serial_number},
            }]}]},
        ])
        to_sign = signed_attrs.dump()
        if isinstance(self._key, rsa.RSAPrivateKey):
            signature = self._key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
            algorithm = "sha256_rsa"
        else:
            signature = self._key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
            algorithm = "sha256_ecdsa"
        signer_info = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier("issuer_and_serial_number", {
                "issuer": cert.issuer, "serial_number": cert.serial_number}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": algorithm}),
            "signature": signature,
        })
        signed = cms.SignedData({
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "tst_info",
                                   "content": core.ParsableOctetString(content)},
            "certificates": [cert] if with_certificate else None,
            "signer_infos": [signer_info],
        })
        if not with_certificate:
            del signed["certificates"]
        return cms.ContentInfo({"content_type": "signed_data", "content": signed})


def _refusal(failure: str) -> bytes:
    return bytes(tsp.TimeStampResp({
        "status": {"status": "rejection", "fail_info": tsp.PKIFailureInfo({failure})},
    }).dump())
