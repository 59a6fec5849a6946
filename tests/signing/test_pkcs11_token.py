"""The real PKCS#11 path: SoftHSM2 tokens made by the suite, checked by openssl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import treasury_signing_fixtures as fx
from treasury_signing_fixtures import SigningWorld

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.errors import (
    PinIncorrect,
    PinInvalid,
    PinState,
    TokenError,
    TokenRemoved,
)
from treasury_desktop.signing.pkcs11_token import Pkcs11Module, Pkcs11Token
from treasury_desktop.signing.token import (
    SignatureAlgorithm,
    default_algorithm,
    select_certificate,
    select_token,
)
from treasury_desktop.signing.verify import signer_order_ok, verify_detached

CONTENT = '{"id":"0193a9c6","total":1234000,"payee":"Công ty Điện lực Thái Nguyên"}'.encode()


def token(module: Pkcs11Module, label: str) -> Pkcs11Token:
    found = select_token(module.tokens(), label)
    assert isinstance(found, Pkcs11Token)
    return found


def test_lists_tokens_by_label_and_serial(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    infos = {i.label: i for i in softhsm_module_loaded.token_infos()}
    assert {"KTT-RSA", "CTK-EC", "PIN-TEST", "DATED"} <= set(infos)
    chief = infos["KTT-RSA"]
    assert chief.serial == softhsm.chief.serial
    assert chief.manufacturer.startswith("SoftHSM")
    assert chief.module_path == str(softhsm.config.module_path)
    assert chief.pin_state is PinState.NORMAL
    assert chief.protected_auth_path is False
    by_serial = select_token(softhsm_module_loaded.tokens(), softhsm.chief.serial)
    assert by_serial.info().label == "KTT-RSA"


def test_unknown_token_is_explained(softhsm_module_loaded: Pkcs11Module) -> None:
    with pytest.raises(ExpectedError) as caught:
        select_token(softhsm_module_loaded.tokens(), "KHONG-CO")
    assert caught.value.message.key == "signing.token.not_found"


def test_lists_certificates_with_fingerprints(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    chief = token(softhsm_module_loaded, "KTT-RSA")
    [cert] = chief.certificates()
    assert cert.sha256 == softhsm.chief.key.cert_sha256
    assert cert.holder_name == "Nguyễn Thị Lan"
    assert cert.organisation == fx.UNIT
    assert cert.issuer_name == "CA Thử nghiệm Kho bạc (TEST)"
    assert cert.key_type == "RSA-2048"
    assert set(cert.key_usage) >= {"digital_signature", "content_commitment"}
    assert cert.usable_at(datetime.now(UTC)) is None
    [ec_cert] = token(softhsm_module_loaded, "CTK-EC").certificates()
    assert ec_cert.key_type == "EC P-256"
    assert select_certificate([cert, ec_cert], cert.sha256.upper()) is cert


def test_expired_and_not_yet_valid_certificates_are_refused(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    certs = {c.sha256: c for c in token(softhsm_module_loaded, "DATED").certificates()}
    now = datetime.now(UTC)
    expired = certs[softhsm.expired.cert_sha256].usable_at(now)
    future = certs[softhsm.not_yet_valid.cert_sha256].usable_at(now)
    assert expired is not None and expired.key == "signing.cert.expired"
    assert future is not None and future.key == "signing.cert.not_yet_valid"
    assert "hết hạn" in expired.render("vi")
    valid = [c for c in certs.values() if c.usable_at(now) is None]
    assert len(valid) == 1


def test_wrong_pin_reports_the_new_state_and_is_not_retried(
    softhsm_module_loaded: Pkcs11Module,
) -> None:
    pin_test = token(softhsm_module_loaded, "PIN-TEST")
    with pytest.raises(PinIncorrect) as caught:
        pin_test.login("000000")
    assert caught.value.pin_state is PinState.COUNT_LOW  # SoftHSM sets it after one failure
    assert caught.value.message.key == "signing.pin.incorrect_count_low"
    assert "PIN-TEST" in str(caught.value)
    assert pin_test.info().pin_state is PinState.COUNT_LOW
    pin_test.login(fx.USER_PIN)  # the user types it again: no automatic retry happened
    pin_test.logout()


@pytest.mark.parametrize("pin", ["", None])
def test_empty_pin_is_explained(softhsm_module_loaded: Pkcs11Module, pin) -> None:
    with pytest.raises(PinInvalid) as caught:
        token(softhsm_module_loaded, "KTT-RSA").login(pin)
    assert caught.value.message.key == "signing.pin.invalid"


def test_wrong_mechanism_for_the_key_is_a_plain_error(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    holder = token(softhsm_module_loaded, "CTK-EC")
    holder.login(fx.USER_PIN)
    try:
        with pytest.raises(TokenError):
            holder.sign(softhsm.holder.key.cert_sha256, b"x", SignatureAlgorithm.RSA_PKCS1_SHA256)
    finally:
        holder.logout()


def sign_with(module, provisioned, role, algorithm, existing=None, when=None):
    tok = token(module, provisioned.label)
    tok.login(fx.USER_PIN)
    try:
        return add_signature(
            CONTENT,
            existing,
            provisioned.key.certificate_der,
            role,
            lambda data: tok.sign(provisioned.key.cert_sha256, data, algorithm),
            algorithm,
            when or datetime.now(UTC),
        )
    finally:
        tok.logout()


@pytest.mark.parametrize(
    ("label", "algorithm"),
    [
        ("chief", SignatureAlgorithm.RSA_PKCS1_SHA256),
        ("chief", SignatureAlgorithm.RSA_PSS_SHA256),
        ("holder", SignatureAlgorithm.ECDSA_SHA256),
    ],
)
def test_token_signature_is_accepted_by_openssl(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module, tmp_path: Path, label, algorithm
) -> None:
    provisioned = getattr(softhsm, label)
    der = sign_with(softhsm_module_loaded, provisioned, SignerRole.CHIEF_ACCOUNTANT, algorithm)
    assert fx.openssl_verify(CONTENT, der, softhsm.ca.cert_path, tmp_path / "ok") == 0
    tampered = CONTENT.replace(b"1234000", b"1234001")
    assert fx.openssl_verify(tampered, der, softhsm.ca.cert_path, tmp_path / "bad") != 0
    [signer] = verify_detached(CONTENT, der, trusted_roots=[softhsm.ca.cert_der])
    assert signer.cert_sha256 == provisioned.key.cert_sha256
    assert signer.role is SignerRole.CHIEF_ACCOUNTANT


def test_two_token_signers_in_order(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module, tmp_path: Path
) -> None:
    module = softhsm_module_loaded
    first = sign_with(
        module, softhsm.chief, SignerRole.CHIEF_ACCOUNTANT, SignatureAlgorithm.RSA_PKCS1_SHA256
    )
    both = sign_with(
        module,
        softhsm.holder,
        SignerRole.ACCOUNT_HOLDER,
        default_algorithm("EC P-256"),
        existing=first,
        when=datetime.now(UTC) + timedelta(seconds=1),
    )
    assert fx.openssl_verify(CONTENT, both, softhsm.ca.cert_path, tmp_path) == 0
    signers = verify_detached(CONTENT, both, trusted_roots=[softhsm.ca.cert_der])
    assert [s.holder_name for s in signers] == ["Nguyễn Thị Lan", "Trần Văn Minh"]
    assert [s.role for s in signers] == [SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER]
    assert signer_order_ok(signers)


def test_signing_key_is_sign_only(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    import PyKCS11

    tok = token(softhsm_module_loaded, "KTT-RSA")
    tok.login(fx.USER_PIN)
    try:
        session = tok._open()
        [key] = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)])
        sign, decrypt, unwrap, extractable = session.getAttributeValue(
            key,
            [PyKCS11.CKA_SIGN, PyKCS11.CKA_DECRYPT, PyKCS11.CKA_UNWRAP, PyKCS11.CKA_EXTRACTABLE],
        )
        assert (sign, decrypt, unwrap, extractable) == (True, False, False, False)
    finally:
        tok.logout()


def test_lost_session_reads_as_pulled_out_and_recovers(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    tok = token(softhsm_module_loaded, "KTT-RSA")
    tok.login(fx.USER_PIN)
    fingerprint = softhsm.chief.key.cert_sha256
    tok.sign(fingerprint, b"a", SignatureAlgorithm.RSA_PKCS1_SHA256)
    # What a real token's removal does to the session (SoftHSM cannot be pulled out).
    softhsm_module_loaded.lib.closeAllSessions(softhsm_module_loaded.slot_of(tok.serial))
    with pytest.raises(TokenRemoved) as caught:
        tok.sign(fingerprint, b"b", SignatureAlgorithm.RSA_PKCS1_SHA256)
    assert "KTT-RSA" in str(caught.value)
    tok.login(fx.USER_PIN)  # plugged in again: a new session, a new login
    assert tok.sign(fingerprint, b"c", SignatureAlgorithm.RSA_PKCS1_SHA256)
    tok.logout()
