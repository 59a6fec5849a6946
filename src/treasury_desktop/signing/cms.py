"""Detached CMS SignedData at CAdES-BES level (RFC 5652, ETSI EN 319 122-1), with asn1crypto.

Each signer adds one SignerInfo with these signed attributes: content-type, message-digest,
signing-time, signing-certificate-v2, and the role in signer-attributes-v2 (OID
0.4.0.19122.1.1) as a claimed attribute ``id-at-role`` (2.5.4.72) whose RoleSyntax roleName is
the URI-form GeneralName ``chief-accountant`` or ``account-holder`` (what BouncyCastle's
``RoleSyntax(String)`` and the EU DSS library write for a claimed role).

SignerInfos is a SET OF: its encoding has no order (DER sorts it). The signing order is carried
by the roles and the signing times, and checked by ``verify.signer_order_ok``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import asn1crypto.tsp  # noqa: F401 - registers signing_certificate_v2 for parsing
from asn1crypto import algos, cms, core
from asn1crypto import x509 as ax509

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing import der
from treasury_desktop.signing.token import SignatureAlgorithm

SIGNER_ATTRIBUTES_V2 = "0.4.0.19122.1.1"  # id-aa-ets-signerAttrV2
ID_AT_ROLE = "2.5.4.72"  # id-at-role, values of type RoleSyntax (RFC 5755)
PSS_SALT_LENGTH = 32
ID_DATA = "1.2.840.113549.1.7.1"
ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
ID_SIGNING_TIME = "1.2.840.113549.1.9.5"
ID_AA_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
ID_RI_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2"  # RFC 5940 other revocation info: an OCSPResponse
CONTEXT_1 = 0xA1
_SHA256_ALGORITHM = der.sequence(der.oid("2.16.840.1.101.3.4.2.1"))
_CONTENT_TYPE_DATA_ATTR = der.sequence(der.oid(ID_CONTENT_TYPE), der.set_of([der.oid(ID_DATA)]))


class _RoleName(core.Choice):  # type: ignore[misc]
    """The one GeneralName alternative we write: uniformResourceIdentifier [6] IA5String."""

    _alternatives = [("uri", core.IA5String, {"implicit": 6})]


class RoleSyntax(core.Sequence):  # type: ignore[misc]
    """RoleSyntax ::= SEQUENCE { roleAuthority [0] GeneralNames OPT, roleName [1] GeneralName }"""

    _fields = [
        ("role_authority", ax509.GeneralNames, {"implicit": 0, "optional": True}),
        ("role_name", _RoleName, {"explicit": 1}),
    ]


class _RoleSyntaxes(core.SetOf):  # type: ignore[misc]
    _child_spec = RoleSyntax


class _ClaimedAttribute(core.Sequence):  # type: ignore[misc]
    _fields = [("type", core.ObjectIdentifier), ("values", _RoleSyntaxes)]


class _ClaimedAttributes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _ClaimedAttribute


class SignerAttributeV2(core.Sequence):  # type: ignore[misc]
    """SignerAttributeV2 with only claimedAttributes [0] (ETSI EN 319 122-1, explicit tags)."""

    _fields = [
        ("claimed_attributes", _ClaimedAttributes, {"explicit": 0, "optional": True}),
        ("certified_attributes_v2", core.Any, {"explicit": 1, "optional": True}),
        ("signed_assertions", core.Any, {"explicit": 2, "optional": True}),
    ]


def role_attribute(role: SignerRole) -> cms.CMSAttribute:
    """The signed attribute that names the signer's role."""
    return cms.CMSAttribute.load(_role_attribute_der(role))


def role_of(signer_info: cms.SignerInfo) -> SignerRole | None:
    """The claimed role of a SignerInfo, or None when it has none we know."""
    for attr in signer_info["signed_attrs"]:
        if attr["type"].dotted != SIGNER_ATTRIBUTES_V2:
            continue
        for raw in attr["values"]:
            parsed = SignerAttributeV2.load(raw.dump())
            for claimed in parsed["claimed_attributes"] or []:
                if claimed["type"].dotted != ID_AT_ROLE:
                    continue
                for syntax in claimed["values"]:
                    try:
                        return SignerRole(syntax["role_name"].chosen.native)
                    except ValueError:
                        continue
    return None


def signed_attribute(signer_info: cms.SignerInfo, name: str) -> Any:
    """The first value of the signed attribute ``name`` (asn1crypto name), or None."""
    attrs = signer_info["signed_attrs"]
    if not isinstance(attrs, cms.CMSAttributes):
        return None
    for attr in attrs:
        if attr["type"].native == name:
            return attr["values"][0]
    return None


def signature_algorithm_id(algorithm: SignatureAlgorithm) -> algos.SignedDigestAlgorithm:
    """The SignerInfo's signatureAlgorithm for a scheme."""
    if algorithm is SignatureAlgorithm.RSA_PSS_SHA256:
        params = {
            "hash_algorithm": {"algorithm": "sha256"},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
            "salt_length": PSS_SALT_LENGTH,
            "trailer_field": "trailer_field_bc",
        }
        return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": params})
    name = "sha256_ecdsa" if algorithm is SignatureAlgorithm.ECDSA_SHA256 else "sha256_rsa"
    return algos.SignedDigestAlgorithm({"algorithm": name})


@dataclass(frozen=True)
class _SignerParts:
    """What stays the same for every voucher a certificate signs: encoded once."""

    sid: bytes  # IssuerAndSerialNumber
    signing_certificate: bytes  # the signing-certificate-v2 attribute
    certificate: bytes


@lru_cache(maxsize=64)
def _signer_parts(certificate_der: bytes) -> _SignerParts:
    cert = ax509.Certificate.load(certificate_der)
    tbs = cert["tbs_certificate"]
    issuer, serial = tbs["issuer"].dump(), tbs["serial_number"].dump()
    # ESSCertIDv2 with the default hash (SHA-256) left out, as DER requires.
    ess_cert_id = der.sequence(
        der.tlv(der.OCTET_STRING, hashlib.sha256(certificate_der).digest()),
        der.sequence(der.sequence(der.tlv(der.CONTEXT_4, issuer)), serial),
    )
    attribute = der.sequence(
        der.oid(ID_AA_SIGNING_CERTIFICATE_V2),
        der.set_of([der.sequence(der.sequence(ess_cert_id))]),
    )
    return _SignerParts(der.sequence(issuer, serial), attribute, certificate_der)


@lru_cache(maxsize=8)
def _role_attribute_der(role: SignerRole) -> bytes:
    # Written as DER by hand: a library imported later (pyHanko, for PAdES) registers its own
    # class for this attribute type in asn1crypto, which our value would not fit.
    value = SignerAttributeV2(
        {
            "claimed_attributes": [
                {"type": ID_AT_ROLE, "values": [{"role_name": _RoleName("uri", role.value)}]}
            ]
        }
    )
    return der.sequence(der.oid(SIGNER_ATTRIBUTES_V2), der.set_of([bytes(value.dump())]))


@lru_cache(maxsize=8)
def _algorithm_der(algorithm: SignatureAlgorithm) -> bytes:
    return bytes(signature_algorithm_id(algorithm).dump())


def _signing_time(moment: datetime) -> bytes:
    utc = moment.astimezone(UTC)
    if 1950 <= utc.year < 2050:  # RFC 5652: UTCTime for these years
        return der.tlv(der.UTC_TIME, utc.strftime("%y%m%d%H%M%SZ").encode())
    return der.tlv(der.GENERALIZED_TIME, utc.strftime("%Y%m%d%H%M%SZ").encode())


def signed_attributes_der(
    content: bytes, certificate_der: bytes, role: SignerRole, signing_time: datetime
) -> bytes:
    """The DER SET OF signed attributes: what the token signs."""
    parts = _signer_parts(certificate_der)
    return der.set_of(
        [
            _CONTENT_TYPE_DATA_ATTR,
            der.sequence(
                der.oid(ID_MESSAGE_DIGEST),
                der.set_of([der.tlv(der.OCTET_STRING, hashlib.sha256(content).digest())]),
            ),
            der.sequence(der.oid(ID_SIGNING_TIME), der.set_of([_signing_time(signing_time)])),
            parts.signing_certificate,
            _role_attribute_der(role),
        ]
    )


def _check_can_add(content: bytes, signer_infos: list[cms.SignerInfo], role: SignerRole) -> None:
    digest = hashlib.sha256(content).digest()
    for info in signer_infos:
        if signed_attribute(info, "message_digest").native != digest:
            raise ExpectedError("signing.cms.content_changed")
    roles = [role_of(info) for info in signer_infos]
    if role in roles:
        raise ExpectedError("signing.order.already_signed", role=role.value)
    position = len(roles)
    if tuple(roles) != SIGNING_ORDER[:position] or SIGNING_ORDER[position] is not role:
        raise ExpectedError("signing.order.chief_first")


def _ocsp_choice(response: bytes) -> bytes:
    """RevocationInfoChoice other [1]: OtherRevocationInfoFormat with an OCSPResponse."""
    return der.tlv(CONTEXT_1, der.oid(ID_RI_OCSP_RESPONSE) + response)


def add_signature(
    content: bytes,
    existing_cms: bytes | None,
    certificate_der: bytes,
    role: SignerRole,
    signer: Callable[[bytes], bytes],
    algorithm: SignatureAlgorithm,
    signing_time: datetime,
    *,
    chain: Sequence[bytes] = (),
    ocsp_responses: Sequence[bytes] = (),
    crls: Sequence[bytes] = (),
) -> bytes:
    """A detached CMS (DER) with one more SignerInfo by ``certificate_der`` acting as ``role``.

    ``signer`` receives the DER of the signed attributes and returns the signature value (for
    ECDSA a DER Ecdsa-Sig-Value). Existing SignerInfos are kept byte for byte; the chief
    accountant must sign first and each role signs once. ``chain`` (intermediate CA
    certificates) joins the certificates; the revocation evidence checked before signing
    (``ocsp_responses``, ``crls``, DER) goes into RevocationInfoChoices (RFC 5652, RFC 5940).
    """
    certificates: list[bytes] = []
    revocation: list[bytes] = []
    signer_infos: list[bytes] = []
    digest_algorithms = {_SHA256_ALGORITHM}
    if existing_cms is not None:
        signed_data = cms.ContentInfo.load(existing_cms)["content"]
        parsed = list(signed_data["signer_infos"])
        _check_can_add(content, parsed, role)
        signer_infos = [info.dump() for info in parsed]
        certificates = [choice.dump() for choice in signed_data["certificates"] or []]
        revocation = [choice.dump() for choice in signed_data["crls"] or []]
        digest_algorithms |= {alg.dump() for alg in signed_data["digest_algorithms"]}
    else:
        _check_can_add(content, [], role)
    parts = _signer_parts(certificate_der)
    attrs = signed_attributes_der(content, certificate_der, role, signing_time)
    signature = signer(attrs)
    signer_infos.append(
        der.sequence(
            der.integer(1),
            parts.sid,
            _SHA256_ALGORITHM,
            bytes([der.CONTEXT_0]) + attrs[1:],  # [0] IMPLICIT: same bytes, other tag
            _algorithm_der(algorithm),
            der.tlv(der.OCTET_STRING, signature),
        )
    )
    for cert in (certificate_der, *chain):
        if cert not in certificates:
            certificates.append(cert)
    for item in (*crls, *(_ocsp_choice(response) for response in ocsp_responses)):
        if item not in revocation:
            revocation.append(item)
    # RFC 5652 5.1: version 5 when an "other" revocation format (the OCSP responses) is present.
    has_other = any(item[0] == CONTEXT_1 for item in revocation)
    signed_data_der = der.sequence(
        der.integer(5 if has_other else 1),
        der.set_of(digest_algorithms),
        der.sequence(der.oid(ID_DATA)),
        der.set_of(certificates, der.CONTEXT_0),
        der.set_of(revocation, CONTEXT_1) if revocation else b"",
        der.set_of(signer_infos),
    )
    return der.sequence(der.oid(ID_SIGNED_DATA), der.tlv(der.CONTEXT_0, signed_data_der))
