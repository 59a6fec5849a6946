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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asn1crypto.tsp  # noqa: F401 - registers the signing_certificate_v2 attribute
from asn1crypto import algos, cms, core
from asn1crypto import x509 as ax509

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.token import SignatureAlgorithm

SIGNER_ATTRIBUTES_V2 = "0.4.0.19122.1.1"  # id-aa-ets-signerAttrV2
ID_AT_ROLE = "2.5.4.72"  # id-at-role, values of type RoleSyntax (RFC 5755)
PSS_SALT_LENGTH = 32


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
    value = SignerAttributeV2(
        {
            "claimed_attributes": [
                {"type": ID_AT_ROLE, "values": [{"role_name": _RoleName("uri", role.value)}]}
            ]
        }
    )
    return cms.CMSAttribute({"type": SIGNER_ATTRIBUTES_V2, "values": [core.Any.load(value.dump())]})


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


def _signed_attrs(
    content: bytes, cert: ax509.Certificate, role: SignerRole, signing_time: datetime
) -> cms.CMSAttributes:
    utc = signing_time.astimezone(UTC).replace(microsecond=0)
    time_kind = "utc_time" if 1950 <= utc.year < 2050 else "generalized_time"
    cert_id = {
        "cert_hash": hashlib.sha256(cert.dump()).digest(),
        "issuer_serial": {
            "issuer": [ax509.GeneralName("directory_name", cert.issuer)],
            "serial_number": cert.serial_number,
        },
    }
    return cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {"type": "signing_time", "values": [cms.Time(time_kind, utc)]},
            {"type": "signing_certificate_v2", "values": [{"certs": [cert_id]}]},
            role_attribute(role),
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


def add_signature(
    content: bytes,
    existing_cms: bytes | None,
    certificate_der: bytes,
    role: SignerRole,
    signer: Callable[[bytes], bytes],
    algorithm: SignatureAlgorithm,
    signing_time: datetime,
) -> bytes:
    """A detached CMS (DER) with one more SignerInfo by ``certificate_der`` acting as ``role``.

    ``signer`` receives the DER of the signed attributes and returns the signature value (for
    ECDSA a DER Ecdsa-Sig-Value). Existing SignerInfos are kept byte for byte; the chief
    accountant must sign first and each role signs once.
    """
    cert = ax509.Certificate.load(certificate_der)
    certificates: list[Any] = []
    signer_infos: list[Any] = []
    if existing_cms is not None:
        signed_data = cms.ContentInfo.load(existing_cms)["content"]
        certificates = list(signed_data["certificates"] or [])
        signer_infos = list(signed_data["signer_infos"])
    _check_can_add(content, signer_infos, role)
    attrs = _signed_attrs(content, cert, role, signing_time)
    signature = signer(attrs.dump())
    signer_infos.append(
        cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    "issuer_and_serial_number",
                    {"issuer": cert.issuer, "serial_number": cert.serial_number},
                ),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attrs,
                "signature_algorithm": signature_algorithm_id(algorithm),
                "signature": signature,
            }
        )
    )
    if all(c.chosen.dump() != cert.dump() for c in certificates):
        certificates.append(cms.CertificateChoices("certificate", cert))
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": certificates,
            "signer_infos": signer_infos,
        }
    )
    result: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    return result
