"""The verifier is at least as strict as ``openssl cms -verify`` and checks the certificate at
receipt: a CA's or a TLS server's certificate never signs, the declared digest algorithm is the
one used, and a certificate expired at receipt is refused whatever signing time is claimed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.testca import (
    SoftwareCA,
    generate_key,
    issue_certificate,
    make_test_ca,
)
from treasury_desktop.signing.token import SignatureAlgorithm
from treasury_desktop.signing.verify import SignatureInvalid, verify_detached

CONTENT = b'{"id":"0193a9c6","total":1234000}'
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> SoftwareCA:
    return make_test_ca(tmp_path_factory.mktemp("strict-ca"))


def certificate(ca: SoftwareCA, key: ec.EllipticCurvePrivateKey, *, is_ca: bool = False,
                eku: list[x509.ObjectIdentifier] | None = None) -> bytes:
    issuer = ca.certificate()
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lê Văn Tâm")]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, is_ca, is_ca, False, False),
                       critical=True)
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    cert = builder.sign(ca.private_key(), hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def signed_by(der: bytes, key: ec.EllipticCurvePrivateKey, when: datetime = NOW) -> bytes:
    return add_signature(CONTENT, None, der, SignerRole.CHIEF_ACCOUNTANT,
                         lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())),
                         SignatureAlgorithm.ECDSA_SHA256, when)


def refused(cms_der: bytes, ca: SoftwareCA, at: datetime = NOW) -> str:
    root = ca.certificate().public_bytes(serialization.Encoding.DER)
    with pytest.raises(SignatureInvalid) as caught:
        verify_detached(CONTENT, cms_der, trusted_roots=[root], at=at + timedelta(minutes=1))
    return caught.value.message.key


@pytest.mark.parametrize(("is_ca", "eku"), [
    (True, None),
    (False, [ExtendedKeyUsageOID.SERVER_AUTH]),
    (False, [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
])
def test_a_ca_or_tls_server_certificate_never_signs(
        ca: SoftwareCA, is_ca: bool, eku: list[x509.ObjectIdentifier] | None) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    assert refused(signed_by(certificate(ca, key, is_ca=is_ca, eku=eku), key), ca) \
        == "signing.verify.not_a_signer"


def test_a_document_signing_certificate_still_signs(ca: SoftwareCA) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    der = certificate(ca, key, eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                    ExtendedKeyUsageOID.CLIENT_AUTH])
    root = ca.certificate().public_bytes(serialization.Encoding.DER)
    [signer] = verify_detached(CONTENT, signed_by(der, key), trusted_roots=[root],
                               at=NOW + timedelta(minutes=1))
    assert signer.holder_name == "Lê Văn Tâm"


def test_the_declared_digest_algorithm_must_be_the_one_used(ca: SoftwareCA) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    info = cms.ContentInfo.load(signed_by(certificate(ca, key), key))
    info["content"]["signer_infos"][0]["digest_algorithm"] = {"algorithm": "sha512"}
    assert refused(info.dump(force=True), ca) == "signing.verify.digest_mismatch"


def test_a_certificate_expired_at_receipt_is_refused_whatever_time_is_claimed(
        ca: SoftwareCA, tmp_path: Path) -> None:
    key = generate_key("EC P-256")
    der = issue_certificate(ca, key.public_key(), holder_name="Phạm Thị Hoa", unit_name="THCS",
                            not_before=NOW - timedelta(days=400),
                            not_after=NOW - timedelta(days=20))
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    clock_set_back = NOW - timedelta(days=21)  # the PC's clock, when it signed today
    cms_der = signed_by(der, key, when=clock_set_back)
    assert refused(cms_der, ca) == "signing.verify.cert_not_valid_at_receipt"
    # Checked when it was (truly) received, three weeks ago, it was valid.
    root = ca.certificate().public_bytes(serialization.Encoding.DER)
    assert verify_detached(CONTENT, cms_der, trusted_roots=[root],
                           at=clock_set_back + timedelta(minutes=1))
