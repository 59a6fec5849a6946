"""Checking a voucher's detached CMS: the content, each signature, certificate and role.

The sandbox treasury uses the same function, so the desk refuses exactly what the server would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.x509.oid import ExtendedKeyUsageOID

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.signing.certificates import CertificateInfo, key_is_allowed, vn_date
from treasury_desktop.signing.chain import ChainRefused, build_chain
from treasury_desktop.signing.cms import role_of, signed_attribute
from treasury_desktop.signing.signer_info import (
    HASHES,
    SignatureInvalid,
    certificates_of,
    check_signature,
    find_certificate,
    hash_name,
)
from treasury_desktop.signing.stamp_check import StampVerdict, check_stamp

CLOCK_SKEW = timedelta(minutes=5)

__all__ = ["SignatureInvalid", "VerifiedSigner", "signer_order_ok", "validity_moment",
           "verify_detached"]


@dataclass(frozen=True)
class VerifiedSigner:
    """One valid signature of a voucher."""

    certificate_der: bytes
    cert_sha256: str
    role: SignerRole
    signing_time: datetime
    holder_name: str
    timestamp: datetime | None = None  # the genTime a trusted timestamp proves, if any


def _parse(cms_der: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(cms_der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed: cms.SignedData = info["content"]
        signed["certificates"].native  # noqa: B018 - parse now, so garbage fails here
        for signer_info in signed["signer_infos"]:
            signer_info["sid"].native  # noqa: B018
            signer_info["signature_algorithm"].native  # noqa: B018
            for attr in signer_info["signed_attrs"]:
                attr["type"].native  # noqa: B018
    except (ValueError, TypeError, KeyError):
        raise SignatureInvalid("signing.verify.malformed") from None
    return signed


_UNTRUSTED = frozenset({"trust.chain.untrusted", "trust.chain.no_anchors"})


def _check_chain(
    cert_der: bytes, signed: cms.SignedData, roots: Sequence[bytes], when: datetime,
    holder: str,
) -> None:
    """The signer's certificate chains to one of ``roots``, every certificate on the way valid
    at ``when``, through the CA certificates the CMS carries (signing/chain.py builds it)."""
    carried = [c.dump() for c in certificates_of(signed)]
    try:
        build_chain(cert_der, roots, when, intermediates=[c for c in carried if c != cert_der])
    except ChainRefused as refused:
        if refused.message.key in _UNTRUSTED:
            raise SignatureInvalid("signing.verify.untrusted", holder=holder) from None
        raise SignatureInvalid(refused.message.key, **refused.message.params) from None


def _not_valid(holder: str, info: CertificateInfo, moment: datetime,
               stamp: StampVerdict | None) -> SignatureInvalid:
    """The certificate was not valid at ``moment``: its signing time (``stamp`` None), or the
    receipt (no timestamp, or one that proves nothing: then the reason says why)."""
    key = "signing.verify.cert_not_valid"
    if stamp is not None:
        key = "signing.verify.cert_not_valid_at_receipt"
        if stamp.problem is not None:
            key = f"signing.verify.stamp_{stamp.problem.value}"
    return SignatureInvalid(
        key, holder=holder, date=vn_date(moment), not_before=vn_date(info.not_before),
        not_after=vn_date(info.not_after),
    )


def _verify_one(
    content: bytes,
    signed: cms.SignedData,
    signer_info: cms.SignerInfo,
    roots: Sequence[bytes] | None,
    tsa_roots: Sequence[bytes] | None,
    at: datetime,
) -> VerifiedSigner:
    cert_der = find_certificate(certificates_of(signed), signer_info)
    if cert_der is None:
        raise SignatureInvalid("signing.verify.no_certificate")
    info = CertificateInfo.from_der(cert_der)
    holder = info.holder_name
    if not isinstance(signer_info["signed_attrs"], cms.CMSAttributes):
        raise SignatureInvalid("signing.verify.no_signed_attrs", holder=holder)
    hash_used = hash_name(signer_info)
    if not key_is_allowed(info.key_type):
        raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=info.key_type)
    cert = x509.load_der_x509_certificate(cert_der)
    check_signature(signer_info, cert, holder)
    content_type = signed_attribute(signer_info, "content_type")
    if content_type is None or content_type.native != "data":
        raise SignatureInvalid("signing.verify.malformed")
    digest = signed_attribute(signer_info, "message_digest")
    if digest is None or digest.native != hashlib.new(hash_used, content).digest():
        raise SignatureInvalid("signing.verify.content_changed", holder=holder)
    signing_time_attr = signed_attribute(signer_info, "signing_time")
    if signing_time_attr is None:
        raise SignatureInvalid("signing.verify.no_signing_time", holder=holder)
    signing_time: datetime = signing_time_attr.native.astimezone(UTC)
    _check_signing_certificate(signer_info, cert_der, holder)
    role = role_of(signer_info)
    if role is None:
        raise SignatureInvalid("signing.verify.no_role", holder=holder)
    stamp = check_stamp(signer_info, signed, tsa_roots, at)
    # The signing time is a claim: never after the moment of checking, nor after the moment
    # a timestamp proves.
    if signing_time > min(at, stamp.proven or at) + CLOCK_SKEW:
        raise SignatureInvalid("signing.verify.future", holder=holder)
    if not info.not_before <= signing_time <= info.not_after:
        raise _not_valid(holder, info, signing_time, None)
    valid_at = validity_moment(at, stamp.proven)
    if not info.not_before <= valid_at <= info.not_after:
        raise _not_valid(holder, info, valid_at, stamp)
    if not info.can_sign:
        raise SignatureInvalid("signing.verify.key_usage", holder=holder)
    _check_purpose(cert, holder)
    if roots is not None:
        _check_chain(cert_der, signed, roots, valid_at, holder)
    return VerifiedSigner(cert_der, info.sha256, role, signing_time, holder, stamp.proven)


def validity_moment(received: datetime, proven: datetime | None = None) -> datetime:
    """When the signer's certificate (and its chain) must have been valid: at receipt
    (``received``), unless a trusted timestamp proves the signature existed earlier
    (``proven``, its genTime: see :mod:`~treasury_desktop.signing.stamp_check`). The
    signing-time attribute is only the signer's claim: a PC clock set back would make an expired
    certificate look valid. Desk and sandbox both check through :func:`verify_detached`, so
    one rule."""
    return received if proven is None else min(received, proven)


_SIGNING_EKUS = frozenset({ExtendedKeyUsageOID.EMAIL_PROTECTION})


def _check_purpose(cert: x509.Certificate, holder: str) -> None:
    """As strict as ``openssl cms -verify`` (purpose smimesign): the signer is not a CA, and an
    extended key usage, when present, allows signing documents (emailProtection), so a TLS
    server's certificate is never a signer's."""
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise SignatureInvalid("signing.verify.not_a_signer", holder=holder)
    except x509.ExtensionNotFound:
        pass
    try:
        usages = set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return
    if not usages & _SIGNING_EKUS:
        raise SignatureInvalid("signing.verify.not_a_signer", holder=holder)


def _check_signing_certificate(signer_info: cms.SignerInfo, cert_der: bytes, holder: str) -> None:
    value: Any = signed_attribute(signer_info, "signing_certificate_v2")
    if value is None:
        raise SignatureInvalid("signing.verify.wrong_certificate", holder=holder)
    first = value["certs"][0]
    algorithm = first["hash_algorithm"]["algorithm"].native
    if (
        algorithm not in HASHES
        or first["cert_hash"].native != hashlib.new(algorithm, cert_der).digest()
    ):
        raise SignatureInvalid("signing.verify.wrong_certificate", holder=holder)


def verify_detached(
    content: bytes,
    cms_der: bytes,
    *,
    trusted_roots: Sequence[bytes] | None = None,
    at: datetime | None = None,
    tsa_roots: Sequence[bytes] | None = None,
) -> list[VerifiedSigner]:
    """Every signer of ``cms_der`` over ``content``, in signing order; SignatureInvalid if any
    signature, certificate or algorithm fails.

    ``at`` is the moment of checking, i.e. of receipt (default now): no signing time may be
    later. Each certificate must be valid at its own signing time and at ``at``, or at the
    earlier time a trusted timestamp proves (:func:`validity_moment`), and be a signer's
    certificate (key usage, not a CA, not a TLS server). When ``trusted_roots`` (DER) are
    given, it must chain to one of them, through the CA certificates the CMS carries, every
    one valid at that moment. A timestamp is trusted when its TSA chains to ``tsa_roots``
    (default: ``trusted_roots``; none given: no timestamp is trusted).
    """
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    roots = None if trusted_roots is None else tuple(trusted_roots)
    stamp_roots = roots if tsa_roots is None else tuple(tsa_roots)
    try:
        signed = _parse(cms_der)
        if signed["encap_content_info"]["content"].native not in (None, content):
            raise SignatureInvalid("signing.verify.content_changed", holder="")
        signer_infos = list(signed["signer_infos"])
        if not signer_infos:
            raise SignatureInvalid("signing.verify.unsigned")
        signers = [_verify_one(content, signed, si, roots, stamp_roots, moment)
                   for si in signer_infos]
    except SignatureInvalid:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
            x509.InvalidVersion, UnsupportedAlgorithm):
        # Garbage deep inside the structure (a mangled certificate, attribute or OID):
        # whatever the parser tripped on, it is a signature the treasury would refuse.
        raise SignatureInvalid("signing.verify.malformed") from None
    return sorted(signers, key=lambda s: (s.role.order, s.signing_time))


def signer_order_ok(signers: Sequence[VerifiedSigner]) -> bool:
    """Whether the signers are the chief accountant, then (not earlier) the account holder."""
    ordered = sorted(signers, key=lambda s: s.role.order)
    roles = tuple(s.role for s in ordered)
    if roles != SIGNING_ORDER[: len(roles)]:
        return False
    return all(a.signing_time <= b.signing_time for a, b in zip(ordered, ordered[1:], strict=False))
