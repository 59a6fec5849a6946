"""A token in memory with software keys, for what SoftHSM2 cannot show.

SoftHSM never locks a PIN, never reports the last try, cannot be pulled out and has no PIN pad.
The fake can, and it fails with the same PKCS#11 codes mapped by the same function as the real
token, so the messages the user reads are the same.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import PyKCS11
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import Operation, PinState, TokenRemoved, error_for_code
from treasury_desktop.signing.token import SignatureAlgorithm, TokenInfo

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class FakeToken:
    """A scriptable token. ``tries`` is the PIN retry limit; ``tries_left`` counts down.

    - ``count_low_after``: wrong PINs before CKF_USER_PIN_COUNT_LOW is reported;
    - ``remove_on_sign``: the Nth sign call finds the token pulled out (1-based);
    - ``protected_auth_path``: a PIN pad; ``pin_pad`` returns what the user types on it, or
      None when they press cancel on the reader.
    """

    label: str
    user_pin: str
    keys: Sequence[tuple[PrivateKey, bytes]]
    serial: str = "FAKE0001"
    tries: int = 5
    tries_left: int | None = None
    count_low_after: int = 1
    report_pin_state: bool = True
    protected_auth_path: bool = False
    pin_pad: Callable[[], str | None] | None = None
    remove_on_sign: int | None = None
    present: bool = True
    logged_in: bool = False
    sign_count: int = 0
    calls: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.tries_left is None:
            self.tries_left = self.tries
        self._keys = {CertificateInfo.from_der(der).sha256: (key, der) for key, der in self.keys}

    # -- what a test does to the token -------------------------------------------------------

    def pull_out(self) -> None:
        """The user pulls the token out of the USB port."""
        self.present = False
        self.logged_in = False

    def plug_in(self) -> None:
        """The token is back (not logged in)."""
        self.present = True

    # -- the Token interface -------------------------------------------------------------------

    def _record(self, name: str) -> None:
        self.calls.append((name, threading.get_ident()))

    def _fail(self, code: int, operation: Operation) -> Exception:
        return error_for_code(
            code, token=self.label, operation=operation, pin_state_now=self._pin_state
        )

    def _check_present(self, operation: Operation) -> None:
        if not self.present:
            raise self._fail(PyKCS11.CKR_DEVICE_REMOVED, operation)

    def _pin_state(self) -> PinState:
        if not self.report_pin_state:
            return PinState.UNKNOWN
        left = self.tries_left if self.tries_left is not None else self.tries
        if left <= 0:
            return PinState.LOCKED
        if left == 1:
            return PinState.FINAL_TRY
        if self.tries - left >= self.count_low_after:
            return PinState.COUNT_LOW
        return PinState.NORMAL

    def info(self) -> TokenInfo:
        """The token and its PIN state now."""
        self._record("info")
        if not self.present:
            raise TokenRemoved(token=self.label)
        return TokenInfo(
            label=self.label,
            serial=self.serial,
            manufacturer="Fake",
            model="FakeToken",
            module_path="fake",
            pin_state=self._pin_state(),
            protected_auth_path=self.protected_auth_path,
        )

    def certificates(self) -> list[CertificateInfo]:
        """Every certificate on the fake (all have a signing key)."""
        self._record("certificates")
        self._check_present("read")
        return [CertificateInfo.from_der(der) for _, der in self._keys.values()]

    def login(self, pin: str | None) -> None:
        """Check the PIN once, like C_Login; a PIN pad asks ``pin_pad`` instead."""
        self._record("login")
        self._check_present("login")
        if self.tries_left is not None and self.tries_left <= 0:
            raise self._fail(PyKCS11.CKR_PIN_LOCKED, "login")
        if pin is None:
            if not self.protected_auth_path or self.pin_pad is None:
                raise self._fail(PyKCS11.CKR_ARGUMENTS_BAD, "login")
            pin = self.pin_pad()
            if pin is None:
                raise self._fail(PyKCS11.CKR_FUNCTION_CANCELED, "login")
        if not pin:
            raise self._fail(PyKCS11.CKR_ARGUMENTS_BAD, "login")
        if pin != self.user_pin:
            self.tries_left = (self.tries_left or 0) - 1
            raise self._fail(PyKCS11.CKR_PIN_INCORRECT, "login")
        self.tries_left = self.tries
        self.logged_in = True

    def sign(self, cert_sha256: str, data: bytes, algorithm: SignatureAlgorithm) -> bytes:
        """Sign with the software key, failing on the ``remove_on_sign``-th call."""
        self._record("sign")
        self._check_present("sign")
        self.sign_count += 1
        if self.remove_on_sign is not None and self.sign_count >= self.remove_on_sign:
            self.pull_out()
            raise self._fail(PyKCS11.CKR_DEVICE_REMOVED, "sign")
        if not self.logged_in:
            raise self._fail(PyKCS11.CKR_USER_NOT_LOGGED_IN, "sign")
        entry = self._keys.get(cert_sha256.lower())
        if entry is None:
            raise ExpectedError("signing.cert.not_found", fingerprint=cert_sha256[:16])
        key = entry[0]
        if isinstance(key, ec.EllipticCurvePrivateKey):
            if algorithm is not SignatureAlgorithm.ECDSA_SHA256:
                raise self._fail(PyKCS11.CKR_KEY_TYPE_INCONSISTENT, "sign")
            return key.sign(data, ec.ECDSA(hashes.SHA256()))
        if algorithm is SignatureAlgorithm.ECDSA_SHA256:
            raise self._fail(PyKCS11.CKR_KEY_TYPE_INCONSISTENT, "sign")
        if algorithm is SignatureAlgorithm.RSA_PSS_SHA256:
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return key.sign(data, pss, hashes.SHA256())
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def logout(self) -> None:
        """Forget the login."""
        self._record("logout")
        self.logged_in = False


@dataclass
class FakeSlots:
    """A set of fake tokens that tests plug in and pull out; a TokenSource for the watcher."""

    inserted: list[FakeToken] = field(default_factory=list)

    def tokens(self) -> list[FakeToken]:
        """The tokens present now."""
        return [t for t in self.inserted if t.present]

    def token_infos(self) -> list[TokenInfo]:
        """What the slot watcher compares between two polls."""
        return [t.info() for t in self.tokens()]


def fingerprint(der: bytes) -> str:
    """SHA-256 hex of a certificate (handy in tests)."""
    return hashlib.sha256(der).hexdigest()
