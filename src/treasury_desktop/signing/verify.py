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
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo, key_is_allowed, vn_date
from treasury_desktop.signing.cms import role_of, signed_attribute

CLOCK_SKEW = timedelta(minutes=5)
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class SignatureInvalid(ExpectedError):  # noqa: N818 - the name the sandbox imports
    """A signature the treasury would refuse, with the reason in plain words."""


@dataclass(frozen=True)
class VerifiedSigner:
    """One valid signature of a voucher."""

    certificate_der: bytes
    cert_sha256: str
    role: SignerRole
    signing_time: datetime
    holder_name: str


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


def _find_certificate(signed: cms.SignedData, signer_info: cms.SignerInfo) -> bytes:
    sid = signer_info["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return bytes(cert.dump())
        elif cert.key_identifier == sid.chosen.native:
            return bytes(cert.dump())
    raise SignatureInvalid("signing.verify.no_certificate")


def _hash_name(signer_info: cms.SignerInfo) -> str:
    algorithm = signer_info["signature_algorithm"]
    declared = str(signer_info["digest_algorithm"]["algorithm"].native)
    try:
        name = str(algorithm.hash_algo)
    except ValueError:  # rsaEncryption / plain ecdsa: the digest algorithm says it
        name = declared
    if name not in _HASHES:
        raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=name)
    if declared != name:  # openssl refuses a digestAlgorithm other than the hash signed with
        raise SignatureInvalid("signing.verify.digest_mismatch", declared=declared, used=name)
    return name


def _check_signature(signer_info: cms.SignerInfo, cert: x509.Certificate, holder: str) -> None:
    attrs_der = signer_info["signed_attrs"].dump()
    data = b"\x31" + attrs_der[1:]  # signed over the SET OF, not the [0] IMPLICIT tag
    signature = signer_info["signature"].native
    hash_algo = _HASHES[_hash_name(signer_info)]()
    algorithm = signer_info["signature_algorithm"]
    kind = algorithm.signature_algo
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(signature, data, padding.PKCS1v15(), hash_algo)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            params = algorithm["parameters"]
            mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
            if mgf_hash != hash_algo.name:
                raise SignatureInvalid("signing.verify.weak_algorithm", algorithm="pss-mgf")
            pss = padding.PSS(
                mgf=padding.MGF1(_HASHES[mgf_hash]()), salt_length=params["salt_length"].native
            )
            key.verify(signature, data, pss, hash_algo)
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(signature, data, ec.ECDSA(hash_algo))
        else:
            raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=str(kind))
    except InvalidSignature:
        raise SignatureInvalid("signing.verify.bad_signature", holder=holder) from None


def _check_chain(
    cert: x509.Certificate, roots: Sequence[x509.Certificate], when: datetime, holder: str
) -> None:
    for root in roots:
        if root == cert:
            return
        if root.subject != cert.issuer:
            continue
        if not root.not_valid_before_utc <= when <= root.not_valid_after_utc:
            continue
        try:
            cert.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return
    raise SignatureInvalid("signing.verify.untrusted", holder=holder)


def _verify_one(
    content: bytes,
    signed: cms.SignedData,
    signer_info: cms.SignerInfo,
    roots: Sequence[x509.Certificate] | None,
    at: datetime,
) -> VerifiedSigner:
    cert_der = _find_certificate(signed, signer_info)
    info = CertificateInfo.from_der(cert_der)
    holder = info.holder_name
    if not isinstance(signer_info["signed_attrs"], cms.CMSAttributes):
        raise SignatureInvalid("signing.verify.no_signed_attrs", holder=holder)
    hash_name = _hash_name(signer_info)
    if not key_is_allowed(info.key_type):
        raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=info.key_type)
    cert = x509.load_der_x509_certificate(cert_der)
    _check_signature(signer_info, cert, holder)
    content_type = signed_attribute(signer_info, "content_type")
    if content_type is None or content_type.native != "data":
        raise SignatureInvalid("signing.verify.malformed")
    digest = signed_attribute(signer_info, "message_digest")
    if digest is None or digest.native != hashlib.new(hash_name, content).digest():
        raise SignatureInvalid("signing.verify.content_changed", holder=holder)
    signing_time_attr = signed_attribute(signer_info, "signing_time")
    if signing_time_attr is None:
        raise SignatureInvalid("signing.verify.no_signing_time", holder=holder)
    signing_time: datetime = signing_time_attr.native.astimezone(UTC)
    _check_signing_certificate(signer_info, cert_der, holder)
    role = role_of(signer_info)
    if role is None:
        raise SignatureInvalid("signing.verify.no_role", holder=holder)
    if signing_time > at + CLOCK_SKEW:
        raise SignatureInvalid("signing.verify.future", holder=holder)
    for moment in (signing_time, validity_moment(at)):
        if not info.not_before <= moment <= info.not_after:
            raise SignatureInvalid(
                "signing.verify.cert_not_valid",
                holder=holder,
                date=vn_date(moment),
                not_before=vn_date(info.not_before),
                not_after=vn_date(info.not_after),
            )
    if not info.can_sign:
        raise SignatureInvalid("signing.verify.key_usage", holder=holder)
    _check_purpose(cert, holder)
    if roots is not None:
        _check_chain(cert, roots, signing_time, holder)
    return VerifiedSigner(cert_der, info.sha256, role, signing_time, holder)


def validity_moment(received: datetime, proven: datetime | None = None) -> datetime:
    """When the signer's certificate must (also) have been valid: at receipt (``at``), unless
    a trusted timestamp proves the signature existed earlier (``proven``). The signing-time
    attribute is only the signer's claim: a PC clock set back would make an expired certificate
    look valid. Desk and sandbox both check through :func:`verify_detached`, so one rule."""
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
    hash_name = first["hash_algorithm"]["algorithm"].native
    if (
        hash_name not in _HASHES
        or first["cert_hash"].native != hashlib.new(hash_name, cert_der).digest()
    ):
        raise SignatureInvalid("signing.verify.wrong_certificate", holder=holder)


def verify_detached(
    content: bytes,
    cms_der: bytes,
    *,
    trusted_roots: Sequence[bytes] | None = None,
    at: datetime | None = None,
) -> list[VerifiedSigner]:
    """Every signer of ``cms_der`` over ``content``, in signing order; SignatureInvalid if any
    signature, certificate or algorithm fails.

    ``at`` is the moment of checking, i.e. of receipt (default now): no signing time may be
    later. Each certificate must be valid at its own signing time and at ``at`` (see
    :func:`validity_moment`), be a signer's certificate (key usage, not a CA, not a TLS server)
    and, when ``trusted_roots`` (DER) are given, be issued by one of them.
    """
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    roots = None
    if trusted_roots is not None:
        roots = [x509.load_der_x509_certificate(der) for der in trusted_roots]
    try:
        signed = _parse(cms_der)
        if signed["encap_content_info"]["content"].native not in (None, content):
            raise SignatureInvalid("signing.verify.content_changed", holder="")
        signer_infos = list(signed["signer_infos"])
        if not signer_infos:
            raise SignatureInvalid("signing.verify.unsigned")
        signers = [_verify_one(content, signed, si, roots, moment) for si in signer_infos]
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
