"""Tokens behind a PKCS#11 module (PyKCS11): listing, PIN state, login and signing.

Every method here blocks on the driver: call them only from the token thread (executor.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from typing import Any, TypeVar

import PyKCS11
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import (
    Operation,
    PinInvalid,
    PinLocked,
    PinState,
    TokenError,
    TokenRemoved,
    error_for_code,
    pin_state_from_flags,
)
from treasury_desktop.signing.modules import load_module
from treasury_desktop.signing.token import SignatureAlgorithm, TokenInfo

T = TypeVar("T")

_PSS_SALT = 32  # the SHA-256 digest length, as RFC 4055 recommends


def _mechanism(algorithm: SignatureAlgorithm) -> Any:
    if algorithm is SignatureAlgorithm.RSA_PKCS1_SHA256:
        return PyKCS11.Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS, None)
    if algorithm is SignatureAlgorithm.RSA_PSS_SHA256:
        return PyKCS11.RSA_PSS_Mechanism(
            PyKCS11.CKM_SHA256_RSA_PKCS_PSS, PyKCS11.CKM_SHA256, PyKCS11.CKG_MGF1_SHA256, _PSS_SALT
        )
    # Many tokens (SoftHSM too) have no CKM_ECDSA_SHA256: hash here, sign the digest.
    return PyKCS11.Mechanism(PyKCS11.CKM_ECDSA, None)


def ecdsa_raw_to_der(raw: bytes) -> bytes:
    """PKCS#11 ECDSA output (r‖s, each half the length) as a DER Ecdsa-Sig-Value."""
    half = len(raw) // 2
    r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    return encode_dss_signature(r, s)


def token_info_from(raw: Any, module_path: str) -> TokenInfo:
    """A TokenInfo from PyKCS11's CK_TOKEN_INFO."""
    return TokenInfo(
        label=raw.label.strip(),
        serial=raw.serialNumber.strip(),
        manufacturer=raw.manufacturerID.strip(),
        model=raw.model.strip(),
        module_path=module_path,
        pin_state=pin_state_from_flags(raw.flags),
        protected_auth_path=bool(raw.flags & PyKCS11.CKF_PROTECTED_AUTHENTICATION_PATH),
    )


class Pkcs11Module:
    """One loaded PKCS#11 module (a CA's token driver) and the tokens it sees."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.lib: Any = load_module(path)

    def tokens(self) -> list[Pkcs11Token]:
        """Tokens present now, in slot order."""
        result = []
        for slot in self._slots():
            try:
                info = self.lib.getTokenInfo(slot)
            except PyKCS11.PyKCS11Error:
                continue  # pulled out between the two calls
            if not info.flags & PyKCS11.CKF_TOKEN_INITIALIZED:
                continue
            result.append(Pkcs11Token(self, info.serialNumber.strip(), info.label.strip()))
        return result

    def token_infos(self) -> list[TokenInfo]:
        """What the slot watcher compares between two polls (one C_GetTokenInfo per slot)."""
        infos = []
        for slot in self._slots():
            try:
                raw = self.lib.getTokenInfo(slot)
            except PyKCS11.PyKCS11Error:
                continue
            if raw.flags & PyKCS11.CKF_TOKEN_INITIALIZED:
                infos.append(token_info_from(raw, self.path))
        return infos

    def _slots(self) -> list[int]:
        try:
            slots: list[int] = self.lib.getSlotList(tokenPresent=True)
        except PyKCS11.PyKCS11Error as err:
            raise ExpectedError("signing.module.failed", module=self.path, code=str(err)) from None
        return slots

    def slot_of(self, serial: str) -> int | None:
        """The slot that holds the token with this serial now (slot ids change)."""
        for slot in self._slots():
            try:
                if self.lib.getTokenInfo(slot).serialNumber.strip() == serial:
                    return slot
            except PyKCS11.PyKCS11Error:
                continue
        return None

    def close(self) -> None:
        """Unload the module (C_Finalize once no one else uses it)."""
        if self.lib is not None:
            self.lib.unload()
            self.lib = None


class Pkcs11Token:
    """A token found by its serial; implements :class:`~treasury_desktop.signing.token.Token`."""

    def __init__(self, module: Pkcs11Module, serial: str, label: str) -> None:
        self.module = module
        self.serial = serial
        self.label = label
        self._session: Any = None
        self._keys: dict[str, Any] = {}  # fingerprint -> private key handle, while logged in
        self._key_ids: dict[str, bytes] = {}  # fingerprint -> CKA_ID
        self._key_types: dict[str, str] = {}  # fingerprint -> "RSA-2048", "EC P-256" …

    def _call(self, operation: Operation, action: Callable[[], T]) -> T:
        try:
            return action()
        except PyKCS11.PyKCS11Error as err:
            raise self._error(err.value, operation) from None

    def _error(self, code: int, operation: Operation) -> Exception:
        error = error_for_code(
            code, token=self.label, operation=operation, pin_state_now=self._pin_state
        )
        if isinstance(error, TokenRemoved):
            # The session died with the token: plugged in again, it needs a new one.
            self._session = None
            self._keys.clear()
        return error

    def _slot(self) -> int:
        slot = self.module.slot_of(self.serial)
        if slot is None:
            raise TokenRemoved(token=self.label)
        return slot

    def _pin_state(self) -> PinState:
        return self.info().pin_state

    def info(self) -> TokenInfo:
        """The token with its PIN state as the driver reports it now."""
        raw = self._call("read", lambda: self.module.lib.getTokenInfo(self._slot()))
        return token_info_from(raw, self.module.path)

    def _open(self) -> Any:
        if self._session is None:
            slot = self._slot()
            self._session = self._call(
                "read", lambda: self.module.lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
            )
        return self._session

    def certificates(self) -> list[CertificateInfo]:
        """X.509 certificates with a key (same CKA_ID) that may sign."""
        session = self._open()
        return self._call("read", lambda: self._read_certificates(session))

    def _read_certificates(self, session: Any) -> list[CertificateInfo]:
        certs: list[tuple[bytes, bytes]] = []
        template = [
            (PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
            (PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKC_X_509),
        ]
        for handle in session.findObjects(template):
            value, key_id = session.getAttributeValue(
                handle, [PyKCS11.CKA_VALUE, PyKCS11.CKA_ID], allAsBinary=True
            )
            if key_id:
                certs.append((bytes(value), bytes(key_id)))
        private = self._key_ids_of(session, PyKCS11.CKO_PRIVATE_KEY)
        # Before login private keys are hidden: the public key (or the ID alone) stands in.
        usable = private if private else self._key_ids_of(session, PyKCS11.CKO_PUBLIC_KEY)
        result = []
        for der, key_id in certs:
            if usable and key_id not in usable:
                continue
            try:
                info = CertificateInfo.from_der(der)
            except ValueError:
                continue  # a malformed certificate is not offered
            self._key_ids[info.sha256] = key_id
            self._key_types[info.sha256] = info.key_type
            result.append(info)
        return result

    @staticmethod
    def _key_ids_of(session: Any, key_class: int) -> set[bytes]:
        ids = set()
        for handle in session.findObjects([(PyKCS11.CKA_CLASS, key_class)]):
            key_id, can_sign = session.getAttributeValue(handle, [PyKCS11.CKA_ID, PyKCS11.CKA_SIGN])
            if can_sign is not False:
                ids.add(bytes(key_id))
        return ids

    def login(self, pin: str | None) -> None:
        """C_Login once. The PIN is passed through and not kept; a wrong one is never retried."""
        info = self.info()
        if info.pin_state is PinState.LOCKED:
            raise PinLocked(token=self.label)
        if pin is None and not info.protected_auth_path:
            raise PinInvalid(token=self.label)
        session = self._open()
        try:
            session.login(pin)
        except PyKCS11.PyKCS11Error as err:
            if err.value != PyKCS11.CKR_USER_ALREADY_LOGGED_IN:
                raise self._error(err.value, "login") from None
        finally:
            del pin
        self._keys.clear()

    def _private_key(self, cert_sha256: str) -> Any:
        handle = self._keys.get(cert_sha256)
        if handle is not None:
            return handle
        if cert_sha256 not in self._key_ids:
            self.certificates()
        key_id = self._key_ids.get(cert_sha256)
        if key_id is None:
            raise ExpectedError("signing.cert.not_found", fingerprint=cert_sha256[:16])
        session = self._open()
        found = self._call(
            "sign",
            lambda: session.findObjects(
                [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_ID, key_id)]
            ),
        )
        if not found:
            raise ExpectedError("signing.token.not_logged_in", token=self.label)
        self._keys[cert_sha256] = found[0]
        return found[0]

    def sign(self, cert_sha256: str, data: bytes, algorithm: SignatureAlgorithm) -> bytes:
        """Sign the DER of the signed attributes; the key never leaves the token."""
        fingerprint = cert_sha256.lower()
        key = self._private_key(fingerprint)
        if not algorithm.fits(self._key_types[fingerprint]):
            raise TokenError("signing.token.mechanism", token=self.label)
        session = self._session
        mechanism = _mechanism(algorithm)
        if algorithm is SignatureAlgorithm.ECDSA_SHA256:
            digest = hashlib.sha256(data).digest()
            raw = self._call("sign", lambda: session.sign(key, digest, mechanism))
            return ecdsa_raw_to_der(bytes(raw))
        return bytes(self._call("sign", lambda: session.sign(key, data, mechanism)))

    def logout(self) -> None:
        """Log out and close the session; a pulled token is not an error here."""
        session, self._session = self._session, None
        self._keys.clear()
        if session is None:
            return
        for step in (session.logout, session.closeSession):
            with contextlib.suppress(PyKCS11.PyKCS11Error):
                step()
