"""Signing a package's manifest with the sender's token, so the receiving desk sees who sent it.

The same path as signing vouchers: the token and certificate are picked on the token thread,
the certificate must be usable now and registered for the role on this desk, and the token
signs a detached CAdES-BES CMS (signing.cms.add_signature) over the manifest bytes. The PIN is
handed to the token thread for the login only, never kept or retried.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.errors import PinLocked, PinState
from treasury_desktop.signing.executor import TokenExecutor
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


@dataclass(frozen=True)
class SenderPlan:
    """The token and certificate that will sign the manifest."""

    role: SignerRole
    token: Token = field(compare=False, repr=False)
    token_info: TokenInfo
    certificate: CertificateInfo
    algorithm: SignatureAlgorithm


class ManifestSigner:
    """Signs manifests with a registered signer's token, on the token thread."""

    def __init__(self, conn: sqlite3.Connection, executor: TokenExecutor, tokens: TokenSource,
                 now: Callable[[], datetime]) -> None:
        self._registry = SignerRegistry(conn)
        self._executor = executor
        self._tokens = tokens
        self._now = now

    def prepare(self, role: SignerRole, token: str | None = None, cert_sha256: str | None = None
                ) -> SenderPlan:
        """Pick the token and certificate; ExpectedError when they cannot sign for ``role``."""
        def pick() -> tuple[Token, TokenInfo, CertificateInfo]:
            chosen = select_token(self._tokens.tokens(), token)
            return chosen, chosen.info(), select_certificate(chosen.certificates(), cert_sha256)

        chosen, info, cert = self._executor.call(pick)
        reason = cert.usable_at(self._now())
        if reason is not None:
            raise ExpectedError(reason.key, **reason.params)
        if info.pin_state is PinState.LOCKED:
            raise PinLocked(token=info.label)
        if not self._registry.is_registered(cert.sha256, role):
            raise ExpectedError("signing.role.not_registered", holder=cert.holder_name,
                                role=Message(f"role.{role.value}").render())
        return SenderPlan(role, chosen, info, cert, default_algorithm(cert.key_type))

    def sign(self, plan: SenderPlan, pin: str | None, manifest: bytes) -> bytes:
        """Log in once and return the detached CMS over ``manifest``."""
        self._executor.call(plan.token.login, pin)
        del pin
        try:
            return self._executor.call(
                add_signature, manifest, None, plan.certificate.der, plan.role,
                lambda data: plan.token.sign(plan.certificate.sha256, data, plan.algorithm),
                plan.algorithm, self._now(),
            )
        finally:
            self._executor.call(plan.token.logout)
