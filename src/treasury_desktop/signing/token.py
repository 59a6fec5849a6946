"""What every token offers the app, whether a USB token over PKCS#11 or the test fake.

Tokens are chosen by label or serial and certificates by SHA-256 fingerprint, never by slot id:
slot ids change when tokens are plugged in again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import PinState

__all__ = [
    "CertificateInfo",
    "PinState",
    "SignatureAlgorithm",
    "Token",
    "TokenInfo",
    "TokenSource",
    "default_algorithm",
    "select_certificate",
    "select_token",
]


class SignatureAlgorithm(Enum):
    """The signature schemes the treasury accepts, all with SHA-256."""

    RSA_PKCS1_SHA256 = "rsa-pkcs1-sha256"
    RSA_PSS_SHA256 = "rsa-pss-sha256"
    ECDSA_SHA256 = "ecdsa-sha256"

    def fits(self, key_type: str) -> bool:
        """Whether this scheme works with a key of ``key_type`` (``RSA-2048``, ``EC P-256``)."""
        if self is SignatureAlgorithm.ECDSA_SHA256:
            return key_type.startswith("EC ")
        return key_type.startswith("RSA-")


def default_algorithm(key_type: str) -> SignatureAlgorithm:
    """PKCS#1 v1.5 for RSA keys (what every verifier accepts), ECDSA for EC keys."""
    if key_type.startswith("EC "):
        return SignatureAlgorithm.ECDSA_SHA256
    return SignatureAlgorithm.RSA_PKCS1_SHA256


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed to the user."""

    label: str
    serial: str
    manufacturer: str
    model: str
    module_path: str
    pin_state: PinState
    protected_auth_path: bool  # a PIN pad reader: the PIN is typed on the reader


class Token(Protocol):
    """One token. Every call may block: run them all on the token thread (executor.py)."""

    def info(self) -> TokenInfo:
        """The token's description, with its PIN state read now."""
        ...

    def certificates(self) -> list[CertificateInfo]:
        """The certificates on the token whose private key can sign."""
        ...

    def login(self, pin: str | None) -> None:
        """Log the user in; ``None`` on a PIN pad reader. Raises PinIncorrect, PinLocked …"""
        ...

    def sign(self, cert_sha256: str, data: bytes, algorithm: SignatureAlgorithm) -> bytes:
        """Sign ``data`` (the DER of the signed attributes) with the certificate's key.

        Returns the signature value as CMS carries it (ECDSA as a DER Ecdsa-Sig-Value).
        """
        ...

    def logout(self) -> None:
        """End the login (never fails loudly: the token may be gone)."""
        ...


class TokenSource(Protocol):
    """Where tokens come from: a loaded PKCS#11 module, or a set of fakes."""

    def tokens(self) -> Sequence[Token]:
        """The tokens present now."""
        ...


def select_token(tokens: Sequence[Token], label_or_serial: str | None) -> Token:
    """The token with this label or serial; the only token when None is given."""
    if label_or_serial is None:
        if len(tokens) == 1:
            return tokens[0]
        if not tokens:
            raise ExpectedError("signing.token.none")
        raise ExpectedError("signing.token.choose", count=len(tokens))
    wanted = label_or_serial.strip()
    matches = []
    for token in tokens:
        info = token.info()
        if wanted in (info.label, info.serial):
            matches.append(token)
    if not matches:
        raise ExpectedError("signing.token.not_found", token=wanted)
    if len(matches) > 1:
        raise ExpectedError("signing.token.ambiguous", token=wanted)
    return matches[0]


def select_certificate(
    certificates: Sequence[CertificateInfo], sha256: str | None
) -> CertificateInfo:
    """The certificate with this fingerprint (any case, colons allowed); the only one if None."""
    if sha256 is None:
        if len(certificates) == 1:
            return certificates[0]
        if not certificates:
            raise ExpectedError("signing.cert.none")
        raise ExpectedError("signing.cert.choose", count=len(certificates))
    wanted = sha256.replace(":", "").strip().lower()
    for cert in certificates:
        if cert.sha256 == wanted:
            return cert
    raise ExpectedError("signing.cert.not_found", fingerprint=wanted[:16])
