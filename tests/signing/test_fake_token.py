"""What SoftHSM2 cannot show, on the fake token: lockout, last try, PIN pad, pulled out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from treasury_signing_fixtures import SoftwareKeys

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.errors import (
    LoginCancelled,
    PinIncorrect,
    PinInvalid,
    PinLocked,
    PinState,
    TokenError,
    TokenRemoved,
)
from treasury_desktop.signing.fake_token import FakeToken
from treasury_desktop.signing.token import SignatureAlgorithm, Token
from treasury_desktop.signing.verify import verify_detached

PIN = "246810"


def fake(software_keys: SoftwareKeys, **kwargs) -> FakeToken:
    keys = [
        (software_keys.rsa.key, software_keys.rsa.der),
        (software_keys.ec.key, software_keys.ec.der),
    ]
    return FakeToken(label="VNPT-CA 01", user_pin=PIN, keys=keys, **kwargs)


def test_fake_is_a_token(software_keys: SoftwareKeys) -> None:
    token: Token = fake(software_keys)
    assert {c.holder_name for c in token.certificates()} == {"Nguyễn Thị Lan", "Trần Văn Minh"}
    assert token.info().pin_state is PinState.NORMAL


def test_count_low_then_final_try_then_locked(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys, tries=3)
    with pytest.raises(PinIncorrect) as first:
        token.login("1")
    assert first.value.pin_state is PinState.COUNT_LOW
    with pytest.raises(PinIncorrect) as second:
        token.login("2")
    assert second.value.pin_state is PinState.FINAL_TRY
    assert second.value.message.key == "signing.pin.incorrect_final_try"
    assert token.info().pin_state is PinState.FINAL_TRY
    with pytest.raises(PinLocked) as third:
        token.login("3")
    assert "khóa" in str(third.value)
    # Locked: even the right PIN is refused, and the message says to contact the CA.
    with pytest.raises(PinLocked) as locked:
        token.login(PIN)
    assert "CA" in locked.value.message.render("vi")
    assert token.info().pin_state is PinState.LOCKED


def test_a_wrong_pin_is_tried_once_and_never_shown(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys)
    with pytest.raises(PinIncorrect) as caught:
        token.login("975310")
    assert [name for name, _ in token.calls].count("login") == 1
    for lang in ("vi", "en"):
        assert "975310" not in caught.value.message.render(lang)  # type: ignore[arg-type]
    assert "975310" not in repr(caught.value.message.params)


def test_right_pin_resets_the_counter(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys, tries=5, count_low_after=2)
    with pytest.raises(PinIncorrect) as caught:
        token.login("0")
    assert caught.value.pin_state is PinState.NORMAL
    assert caught.value.message.key == "signing.pin.incorrect"
    token.login(PIN)
    assert token.info().pin_state is PinState.NORMAL


def test_driver_that_does_not_report_pin_state(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys, report_pin_state=False)
    assert token.info().pin_state is PinState.UNKNOWN
    with pytest.raises(PinIncorrect) as caught:
        token.login("0")
    assert caught.value.pin_state is PinState.UNKNOWN


def test_pin_pad_login_without_a_pin(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys, protected_auth_path=True, pin_pad=lambda: PIN)
    assert token.info().protected_auth_path
    token.login(None)
    assert token.logged_in


def test_cancel_on_the_pin_pad_is_not_an_error(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys, protected_auth_path=True, pin_pad=lambda: None)
    with pytest.raises(LoginCancelled):
        token.login(None)
    assert token.tries_left == token.tries


def test_no_pin_without_a_pin_pad(software_keys: SoftwareKeys) -> None:
    with pytest.raises(PinInvalid):
        fake(software_keys).login(None)


def test_pulled_out_mid_batch_leaves_each_voucher_signed_or_untouched(
    software_keys: SoftwareKeys,
) -> None:
    token = fake(software_keys, remove_on_sign=3)
    token.login(PIN)
    cert = software_keys.rsa
    vouchers = {f"v{i}": f'{{"id":"v{i}","total":{i}000}}'.encode() for i in range(5)}
    signatures: dict[str, bytes] = {}
    errors = []
    for voucher_id, content in vouchers.items():
        try:
            signatures[voucher_id] = add_signature(
                content,
                None,
                cert.der,
                SignerRole.CHIEF_ACCOUNTANT,
                lambda data: token.sign(cert.sha256, data, SignatureAlgorithm.RSA_PKCS1_SHA256),
                SignatureAlgorithm.RSA_PKCS1_SHA256,
                datetime.now(UTC),
            )
        except TokenRemoved as exc:
            errors.append((voucher_id, exc))
    assert sorted(signatures) == ["v0", "v1"]
    assert [v for v, _ in errors] == ["v2", "v3", "v4"]
    assert "rút ra" in str(errors[0][1])
    for voucher_id, der in signatures.items():
        verify_detached(vouchers[voucher_id], der)
    with pytest.raises(TokenRemoved):
        token.info()
    token.plug_in()
    assert not token.logged_in


def test_wrong_algorithm_for_the_key(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys)
    token.login(PIN)
    with pytest.raises(TokenError) as caught:
        token.sign(software_keys.ec.sha256, b"x", SignatureAlgorithm.RSA_PSS_SHA256)
    assert caught.value.message.key == "signing.token.mechanism"


def test_sign_without_login(software_keys: SoftwareKeys) -> None:
    with pytest.raises(TokenError) as caught:
        fake(software_keys).sign(
            software_keys.rsa.sha256, b"x", SignatureAlgorithm.RSA_PKCS1_SHA256
        )
    assert caught.value.message.key == "signing.token.not_logged_in"
