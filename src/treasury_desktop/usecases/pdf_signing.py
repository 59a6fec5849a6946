"""Signing a printed voucher's PDF with the token (PAdES), one signer per incremental update.

The same rules as signing a voucher: a registered certificate valid now, a token that is not
locked, the PIN handed to the token thread for the login only and never retried.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pyhanko.pdf_utils.reader import PdfFileReader

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import PinLocked, PinState
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.pades import TokenPdfSigner, sign_pdf
from treasury_desktop.signing.token import (
    SignatureAlgorithm,
    Token,
    TokenInfo,
    TokenSource,
    default_algorithm,
    select_certificate,
    select_token,
)
from treasury_desktop.store.signatures import SignerRegistry

FIELD_NAMES = {SignerRole.CHIEF_ACCOUNTANT: "KeToanTruong",
               SignerRole.ACCOUNT_HOLDER: "ChuTaiKhoan"}
ROLE_TITLES = {SignerRole.CHIEF_ACCOUNTANT: "Kế toán trưởng",
               SignerRole.ACCOUNT_HOLDER: "Chủ tài khoản"}


@dataclass(frozen=True)
class PdfSigningPlan:
    """Who signs with what, checked before the PIN is asked."""

    role: SignerRole
    token: Token
    token_info: TokenInfo
    certificate: CertificateInfo
    algorithm: SignatureAlgorithm


def signed_fields(pdf: bytes) -> list[str]:
    """The names of the signature fields already signed in ``pdf``."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [sig.field_name for sig in reader.embedded_signatures]


class PdfSigningService:
    """Signs PDFs on the token thread."""

    def __init__(self, conn: sqlite3.Connection, executor: TokenExecutor, tokens: TokenSource,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._registry = SignerRegistry(conn)
        self._executor = executor
        self._tokens = tokens
        self._now = now

    def prepare(self, role: SignerRole, token_label: str | None,
                cert_sha256: str | None = None) -> PdfSigningPlan:
        """Pick the token and certificate and check them (ExpectedError when unusable)."""

        def pick() -> tuple[Token, TokenInfo, CertificateInfo]:
            token = select_token(self._tokens.tokens(), token_label)
            return token, token.info(), select_certificate(token.certificates(), cert_sha256)

        token, info, cert = self._executor.call(pick)
        reason = cert.usable_at(self._now())
        if reason is not None:
            raise ExpectedError(reason.key, **reason.params)
        if info.pin_state is PinState.LOCKED:
            raise PinLocked(token=info.label)
        if not self._registry.is_registered(cert.sha256, role):
            raise ExpectedError("signing.role.not_registered", holder=cert.holder_name,
                                role=Message(f"role.{role.value}").render())
        return PdfSigningPlan(role, token, info, cert, default_algorithm(cert.key_type))

    def sign(self, plan: PdfSigningPlan, pin: str | None, pdf: bytes) -> bytes:
        """Log in once with ``pin`` (None on a PIN pad), add the signature, log out."""
        field = FIELD_NAMES[plan.role]
        if field in signed_fields(pdf):
            raise ExpectedError("print.pades.role_signed",
                                role=Message(f"role.{plan.role.value}").render())
        self._executor.call(plan.token.login, pin)
        del pin
        try:
            cert = plan.certificate

            def raw_sign(data: bytes) -> bytes:
                return self._executor.call(plan.token.sign, cert.sha256, data, plan.algorithm)

            signer = TokenPdfSigner(raw_sign, cert.der)
            return sign_pdf(pdf, signer, field_name=field, name=cert.holder_name,
                            reason=ROLE_TITLES[plan.role], location=cert.organisation)
        finally:
            self._executor.call(plan.token.logout)


def printed_ids(pdf: bytes) -> list[str]:
    """The voucher ids a printout carries (its keywords hold each voucher's QR text)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    if info is not None and hasattr(info, "get_object"):
        info = info.get_object()
    keywords = str(info.get("/Keywords", "")) if info is not None else ""
    return [part.split("=", 1)[1].split(";", 1)[0]
            for part in keywords.split() if part.startswith("TDV1;id=")]
