"""CMS building and verification with software keys (fast); SoftHSM + openssl elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from treasury_signing_fixtures import SoftwareKeys

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.cms import add_signature, role_of
from treasury_desktop.signing.testca import PrivateKey
from treasury_desktop.signing.token import SignatureAlgorithm
from treasury_desktop.signing.verify import (
    SignatureInvalid,
    VerifiedSigner,
    signer_order_ok,
    verify_detached,
)

CHIEF = SignerRole.CHIEF_ACCOUNTANT
HOLDER = SignerRole.ACCOUNT_HOLDER
CONTENT = '{"id":"0193a9c6","total":1234000,"unit":"Trường THCS Phú Lương"}'.encode()
NOW = datetime.now(UTC).replace(microsecond=0)


def signer_for(key: PrivateKey, algorithm: SignatureAlgorithm) -> Callable[[bytes], bytes]:
    def sign(data: bytes) -> bytes:
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hashes.SHA256()))
        if algorithm is SignatureAlgorithm.RSA_PSS_SHA256:
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return key.sign(data, pss, hashes.SHA256())
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    return sign


def sign(software_signer, role, algorithm, existing=None, content=CONTENT, when=NOW):
    return add_signature(
        content,
        existing,
        software_signer.der,
        role,
        signer_for(software_signer.key, algorithm),
        algorithm,
        when,
    )


def two_signatures(keys) -> bytes:
    first = sign(keys.rsa, CHIEF, SignatureAlgorithm.RSA_PSS_SHA256)
    return sign(
        keys.ec, HOLDER, SignatureAlgorithm.ECDSA_SHA256, first, when=NOW + timedelta(minutes=3)
    )


@pytest.mark.parametrize("algorithm", list(SignatureAlgorithm))
def test_one_signature_verifies_with_role_and_time(software_keys: SoftwareKeys, algorithm) -> None:
    signer = software_keys.ec if algorithm is SignatureAlgorithm.ECDSA_SHA256 else software_keys.rsa
    der = sign(signer, CHIEF, algorithm)
    [verified] = verify_detached(CONTENT, der, trusted_roots=[software_keys.ca.cert_der])
    assert verified.role is CHIEF
    assert verified.signing_time == NOW
    assert verified.certificate_der == signer.der
    assert verified.cert_sha256 == signer.sha256
    expected = "Trần Văn Minh" if signer is software_keys.ec else "Nguyễn Thị Lan"
    assert verified.holder_name == expected


def test_second_signer_appends_and_keeps_the_first_intact(software_keys: SoftwareKeys) -> None:
    first = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    both = sign(software_keys.ec, HOLDER, SignatureAlgorithm.ECDSA_SHA256, first)
    first_info = cms.ContentInfo.load(first)["content"]["signer_infos"][0].dump()
    infos = [si.dump() for si in cms.ContentInfo.load(both)["content"]["signer_infos"]]
    assert first_info in infos and len(infos) == 2
    certs = cms.ContentInfo.load(both)["content"]["certificates"]
    assert len(certs) == 2
    signers = verify_detached(CONTENT, both, trusted_roots=[software_keys.ca.cert_der])
    assert [s.role for s in signers] == [CHIEF, HOLDER]
    assert [s.holder_name for s in signers] == ["Nguyễn Thị Lan", "Trần Văn Minh"]
    assert signer_order_ok(signers)


def test_role_is_recoverable_from_each_signer_info(software_keys: SoftwareKeys) -> None:
    der = two_signatures(software_keys)
    roles = {role_of(si) for si in cms.ContentInfo.load(der)["content"]["signer_infos"]}
    assert roles == {CHIEF, HOLDER}


def test_account_holder_cannot_sign_first(software_keys: SoftwareKeys) -> None:
    with pytest.raises(ExpectedError) as caught:
        sign(software_keys.ec, HOLDER, SignatureAlgorithm.ECDSA_SHA256)
    assert caught.value.message.key == "signing.order.chief_first"


def test_a_role_signs_once(software_keys: SoftwareKeys) -> None:
    first = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    with pytest.raises(ExpectedError) as caught:
        sign(software_keys.ec, CHIEF, SignatureAlgorithm.ECDSA_SHA256, first)
    assert caught.value.message.key == "signing.order.already_signed"


def test_second_signature_refused_when_content_changed(software_keys: SoftwareKeys) -> None:
    first = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    with pytest.raises(ExpectedError) as caught:
        sign(
            software_keys.ec, HOLDER, SignatureAlgorithm.ECDSA_SHA256, first, content=CONTENT + b" "
        )
    assert caught.value.message.key == "signing.cms.content_changed"


def reason(content: bytes, der: bytes, **kwargs) -> str:
    with pytest.raises(SignatureInvalid) as caught:
        verify_detached(content, der, **kwargs)
    assert str(caught.value)  # renders in Vietnamese without a missing placeholder
    return caught.value.message.key


def test_tampered_content_is_refused(software_keys: SoftwareKeys) -> None:
    der = two_signatures(software_keys)
    assert reason(CONTENT.replace(b"1234000", b"9234000"), der) == "signing.verify.content_changed"


def test_tampered_signed_attributes_are_refused(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    # Turn the claimed role into another one of the same length: the signature must break.
    tampered = der.replace(b"chief-accountant", b"chief-accountanx")
    assert tampered != der
    assert reason(CONTENT, tampered) == "signing.verify.bad_signature"


def test_garbage_is_malformed() -> None:
    assert reason(CONTENT, b"\x30\x03\x02\x01\x01") == "signing.verify.malformed"
    assert reason(CONTENT, b"not a cms") == "signing.verify.malformed"


def test_untrusted_root_is_refused(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    roots = [software_keys.other_ca.cert_der]
    assert reason(CONTENT, der, trusted_roots=roots) == "signing.verify.untrusted"


def test_certificate_must_be_valid_at_signing_time(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.expired, CHIEF, SignatureAlgorithm.ECDSA_SHA256)
    assert reason(CONTENT, der) == "signing.verify.cert_not_valid"
    # Signed and received while still valid: fine.
    earlier = NOW - timedelta(days=2)
    der = sign(software_keys.expired, CHIEF, SignatureAlgorithm.ECDSA_SHA256, when=earlier)
    [verified] = verify_detached(CONTENT, der, trusted_roots=[software_keys.ca.cert_der],
                                 at=earlier + timedelta(minutes=1))
    assert verified.signing_time == earlier
    # The same signature received today, after the expiry: only its own claim says "earlier"
    # (a PC clock set back would say the same), so it is refused at receipt.
    assert reason(CONTENT, der) == "signing.verify.cert_not_valid_at_receipt"


def test_signing_time_in_the_future_is_refused(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    assert reason(CONTENT, der, at=NOW - timedelta(hours=1)) == "signing.verify.future"


def test_weak_rsa_key_is_refused(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.weak_rsa, CHIEF, SignatureAlgorithm.RSA_PKCS1_SHA256)
    assert reason(CONTENT, der) == "signing.verify.weak_algorithm"


def test_certificate_without_signing_usage_is_refused(software_keys: SoftwareKeys) -> None:
    der = sign(software_keys.encipher_only, CHIEF, SignatureAlgorithm.ECDSA_SHA256)
    assert reason(CONTENT, der) == "signing.verify.key_usage"


def _signer(role: SignerRole, minutes: int) -> VerifiedSigner:
    return VerifiedSigner(b"", "", role, NOW + timedelta(minutes=minutes), "x")


def test_signer_order_rule() -> None:
    assert signer_order_ok([])
    assert signer_order_ok([_signer(CHIEF, 0)])
    assert signer_order_ok([_signer(HOLDER, 5), _signer(CHIEF, 0)])
    assert not signer_order_ok([_signer(HOLDER, 0)])
    assert not signer_order_ok([_signer(CHIEF, 5), _signer(HOLDER, 0)])
    assert not signer_order_ok([_signer(CHIEF, 0), _signer(CHIEF, 1)])
