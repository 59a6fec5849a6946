"""What a signature's RFC 3161 timestamp proves: that the signature existed at its genTime.

A token proves it only when all of this holds (RFC 3161, RFC 5816, ETSI EN 319 122-1):

- it is a SignedData over a TSTInfo whose messageImprint is the hash of this SignerInfo's
  signature value (SHA-256/384/512);
- its one SignerInfo verifies with the TSA's certificate (found in the token or in the
  voucher's CMS), over content-type id-ct-TSTInfo and the TSTInfo's message digest, and its
  signing-certificate(-v2) attribute names that certificate;
- the TSA certificate's extended key usage is timeStamping only, marked critical (what
  ``openssl ts -verify`` requires), and the certificate was valid at genTime;
- the TSA certificate chains to a trusted anchor now (:func:`~.chain.build_chain`);
- genTime is not after the moment of checking.

Otherwise the token proves nothing and the signature is judged as if it had none; the reason
is kept so that a refusal can say why the timestamp did not help.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509.oid import ExtendedKeyUsageOID

from treasury_desktop.signing.chain import ChainRefused, build_chain
from treasury_desktop.signing.signer_info import (
    HASHES,
    SignatureInvalid,
    certificates_of,
    check_signature,
    find_certificate,
    hash_name,
)
from treasury_desktop.signing.timestamp import stamp_of

ID_CT_TST_INFO = "1.2.840.113549.1.9.16.1.4"
CLOCK_SKEW = timedelta(minutes=5)


class StampProblem(StrEnum):
    """Why a timestamp token proves nothing."""

    INVALID = "invalid"  # damaged, or about another signature, or its signature fails
    NOT_TSA = "not_tsa"  # signed by a certificate that is not a time-stamping authority's
    UNTRUSTED = "untrusted"  # the TSA does not chain to a trusted anchor


@dataclass(frozen=True)
class StampVerdict:
    """The moment a timestamp proves (``proven``), or why a present one proves nothing."""

    proven: datetime | None = None
    problem: StampProblem | None = None


class _Refused(Exception):
    def __init__(self, problem: StampProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _ess_names(signer_info: cms.SignerInfo, cert_der: bytes) -> bool:
    for attr in signer_info["signed_attrs"]:
        name = attr["type"].native
        if name not in ("signing_certificate_v2", "signing_certificate"):
            continue
        first: Any = attr["values"][0]["certs"][0]
        if name == "signing_certificate":
            algorithm = "sha1"
        else:
            algorithm = first["hash_algorithm"]["algorithm"].native
        return bool(first["cert_hash"].native == hashlib.new(algorithm, cert_der).digest())
    return False


def _signed_value(signer_info: cms.SignerInfo, name: str) -> Any:
    for attr in signer_info["signed_attrs"]:
        if attr["type"].native == name:
            return attr["values"][0]
    return None


def _is_tsa(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return False
    return eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def _check(
    token: cms.ContentInfo, signer_info: cms.SignerInfo, outer: Sequence[ax509.Certificate],
    roots: Sequence[bytes], at: datetime,
) -> datetime:
    if token["content_type"].native != "signed_data":
        raise _Refused(StampProblem.INVALID)
    signed: cms.SignedData = token["content"]
    encap = signed["encap_content_info"]
    if encap["content_type"].dotted != ID_CT_TST_INFO:
        raise _Refused(StampProblem.INVALID)
    tst_der = bytes(encap["content"].contents)
    info = encap["content"].parsed
    imprint = info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm not in HASHES or imprint["hashed_message"].native != hashlib.new(
        algorithm, signer_info["signature"].native
    ).digest():
        raise _Refused(StampProblem.INVALID)  # a timestamp of another signature
    [tsa_info] = list(signed["signer_infos"])
    carried = certificates_of(signed)
    tsa_der = find_certificate([*carried, *outer], tsa_info)
    if tsa_der is None:
        raise _Refused(StampProblem.INVALID)
    tsa_cert = x509.load_der_x509_certificate(tsa_der)
    content_type = _signed_value(tsa_info, "content_type")
    digest = _signed_value(tsa_info, "message_digest")
    if (content_type is None or content_type.dotted != ID_CT_TST_INFO or digest is None
            or digest.native != hashlib.new(hash_name(tsa_info), tst_der).digest()):
        raise _Refused(StampProblem.INVALID)
    check_signature(tsa_info, tsa_cert, "TSA")
    if not _ess_names(tsa_info, tsa_der):
        raise _Refused(StampProblem.INVALID)
    if not _is_tsa(tsa_cert):
        raise _Refused(StampProblem.NOT_TSA)
    gen_time: datetime = info["gen_time"].native
    if gen_time > at + CLOCK_SKEW or not (
        tsa_cert.not_valid_before_utc <= gen_time <= tsa_cert.not_valid_after_utc
    ):
        raise _Refused(StampProblem.INVALID)
    others = [c.dump() for c in (*carried, *outer) if c.dump() != tsa_der]
    try:
        build_chain(tsa_der, roots, at, intermediates=others)
    except ChainRefused:
        raise _Refused(StampProblem.UNTRUSTED) from None
    return gen_time


def check_stamp(
    signer_info: cms.SignerInfo, signed: cms.SignedData, roots: Sequence[bytes] | None,
    at: datetime,
) -> StampVerdict:
    """What the timestamp of ``signer_info`` (one SignerInfo of ``signed``) proves, checked at
    ``at`` against ``roots`` (DER trust anchors; None: none known, so it proves nothing and
    nothing is said about it)."""
    token = stamp_of(signer_info)
    if token is None or roots is None:  # no token, or no anchors to judge one by
        return StampVerdict()
    try:
        return StampVerdict(_check(token, signer_info, certificates_of(signed), roots, at))
    except _Refused as refused:
        return StampVerdict(problem=refused.problem)
    except (SignatureInvalid, ValueError, TypeError, KeyError, AttributeError, IndexError,
            OverflowError, x509.InvalidVersion, UnsupportedAlgorithm):
        return StampVerdict(problem=StampProblem.INVALID)
