"""Signing vouchers with a token (ký số): the chief accountant first, then the account holder.

Two steps, so that a window can ask for the PIN in between on its own thread:
:meth:`SigningService.prepare` checks everything that can be checked without the PIN (token,
certificate, role, each voucher, the first signature), and :meth:`SigningService.execute`
logs in once and signs the batch. Every token call runs on the token thread; each voucher's
signature is committed with its new state in one transaction, so a batch cut short (a token
pulled out) leaves each voucher either signed or untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.validation import validate
from treasury_desktop.domain.workflow import (
    VoucherState,
    state_after_signature,
    state_before_signature,
)
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.errors import PinLocked, PinState, TokenRemoved
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.revocation import EvidenceKind, Unreachable
from treasury_desktop.signing.status import CertificateChecker, CertificateStatus
from treasury_desktop.signing.timestamp import Timestamper, add_timestamps, has_timestamps
from treasury_desktop.signing.token import (
    SignatureAlgorithm,
    Token,
    TokenInfo,
    TokenSource,
    default_algorithm,
    select_certificate,
    select_token,
)
from treasury_desktop.signing.verify import VerifiedSigner, signer_order_ok, verify_detached
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore, SignerRegistry, StoredSignature
from treasury_desktop.store.vouchers import SqliteVoucherRepository


@dataclass(frozen=True)
class SigningRequest:
    """What the user chose: vouchers, role, token (label or serial) and certificate."""

    voucher_ids: tuple[str, ...]
    role: SignerRole
    token: str | None = None
    cert_sha256: str | None = None


@dataclass(frozen=True)
class PreparedVoucher:
    """A voucher checked and ready to be signed: its exact bytes and the CMS so far."""

    voucher_id: str
    number: str
    total: int
    content: bytes
    content_hash: str
    existing_cms: bytes | None


@dataclass(frozen=True)
class SigningPlan:
    """Everything the PIN dialog shows, and what :meth:`SigningService.execute` signs."""

    role: SignerRole
    token: Token = field(compare=False, repr=False)
    token_info: TokenInfo
    certificate: CertificateInfo
    algorithm: SignatureAlgorithm
    items: tuple[PreparedVoucher, ...]
    refused: tuple[tuple[str, Message], ...]
    warnings: tuple[Message, ...]
    status: CertificateStatus | None = None  # chain and revocation, checked before the PIN

    @property
    def total(self) -> int:
        """The sum of the vouchers to be signed, in đồng."""
        return sum(item.total for item in self.items)


@dataclass(frozen=True)
class BatchResult:
    """How a batch ended: signed, failed (with the reason), or never attempted."""

    signed: tuple[str, ...]
    failed: tuple[tuple[str, Message], ...]
    not_attempted: tuple[str, ...]
    not_timestamped: tuple[str, ...] = ()  # signed offline from the TSA: CAdES-BES for now


class SigningService:
    """The signing use case over one store connection and the token thread."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        executor: TokenExecutor,
        tokens: TokenSource,
        actor: Actor,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        catalog: Callable[[int], BudgetCatalog] | None = None,
        trust: CertificateChecker | None = None,
        timestamper: Timestamper | None = None,
    ) -> None:
        self._trust = trust  # when given, the chain and revocation are checked before the PIN
        self._timestamper = timestamper  # when given, each signature gets an RFC 3161 stamp
        self._catalog = catalog  # when given, each voucher is validated again before signing
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._signatures = SignatureStore(conn)
        self._registry = SignerRegistry(conn)
        self._executor = executor
        self._tokens = tokens
        self._actor = actor
        self._now = now

    # -- step 1: everything but the PIN ----------------------------------------------------

    def prepare(self, request: SigningRequest) -> SigningPlan:
        """Check the token, certificate, role and vouchers. Raises ExpectedError when nothing
        can be signed; individual vouchers that cannot be signed are listed in ``refused``."""
        token, info, cert = self._executor.call(self._pick, request)
        now = self._now()
        reason = cert.usable_at(now)
        if reason is not None:
            raise ExpectedError(reason.key, **reason.params)
        if info.pin_state is PinState.LOCKED:
            raise PinLocked(token=info.label)
        if not self._registry.is_registered(cert.sha256, request.role):
            raise ExpectedError(
                "signing.role.not_registered", holder=cert.holder_name,
                role=Message(f"role.{request.role.value}").render(),
            )
        status = self._check_trust(cert)
        warnings = []
        offline = status.warning(now) if status is not None else None
        if offline is not None:
            warnings.append(offline)
        if cert.expires_soon(now):
            warnings.append(
                Message("signing.cert.expires_soon",
                        {"holder": cert.holder_name, "date": cert.not_after.strftime("%d/%m/%Y")})
            )
        items, refused = [], []
        for voucher_id in dict.fromkeys(request.voucher_ids):
            try:
                items.append(self._prepare_one(voucher_id, request.role, now, cert.sha256))
            except ExpectedError as error:
                refused.append((voucher_id, error.message))
        for item in items:
            stored = self._repo.get(item.voucher_id)
            others = self._repo.same_number(stored.voucher) if stored is not None else []
            if stored is not None and others:
                warnings.append(Message("signing.number_reused", {
                    "number": item.number, "year": stored.voucher.fiscal_year,
                    "count": len(others)}))
        if not items:
            if len(refused) == 1:
                raise ExpectedError(refused[0][1].key, **refused[0][1].params)
            raise ExpectedError("signing.batch.nothing_to_sign", count=len(refused))
        return SigningPlan(
            request.role, token, info, cert, default_algorithm(cert.key_type), tuple(items),
            tuple(refused), tuple(warnings), status,
        )

    def _check_trust(self, cert: CertificateInfo) -> CertificateStatus | None:
        """Chain and revocation, before the PIN: refused with the reason, or warned offline
        (the warning also goes into the audit log)."""
        if self._trust is None:
            return None
        status = self._trust.check(cert.der)
        status.raise_if_refused()
        warning = status.warning(self._now())
        if warning is not None:
            with transaction(self._conn) as conn:
                append_audit(conn, self._actor, None, "trust.not_checked",
                             f"{cert.sha256[:16]} {warning.render('en')}", None, None)
        return status

    def _pick(self, request: SigningRequest) -> tuple[Token, TokenInfo, CertificateInfo]:
        token = select_token(self._tokens.tokens(), request.token)
        info = token.info()
        cert = select_certificate(token.certificates(), request.cert_sha256)
        return token, info, cert

    def _prepare_one(
        self, voucher_id: str, role: SignerRole, now: datetime, cert_sha256: str
    ) -> PreparedVoucher:
        stored = self._repo.get(voucher_id)
        if stored is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        number = stored.voucher.number or voucher_id[:8]
        if stored.status is not state_before_signature(role):
            if role is SignerRole.ACCOUNT_HOLDER and stored.status is VoucherState.DRAFT:
                raise ExpectedError("signing.voucher.chief_first", number=number)
            raise ExpectedError(
                "signing.voucher.wrong_state", number=number,
                status=Message(f"status.{stored.status.value}").render(),
            )
        problems = stored.problems
        if self._catalog is not None and not problems:
            # The catalogue may have changed since the last save (a new fiscal year's codes).
            try:
                catalog = self._catalog(stored.voucher.fiscal_year)
                problems = len(validate(stored.voucher, catalog, today=now.date()))
            except ExpectedError:
                problems = 1
        if problems:
            raise ExpectedError("signing.voucher.incomplete", number=number, count=problems)
        content = voucher_bytes(stored.voucher)
        digest = content_hash(content)
        if digest != stored.content_hash:
            raise ExpectedError("signing.voucher.changed", number=number)
        existing = self._signatures.latest_cms(voucher_id)
        if role is SignerRole.ACCOUNT_HOLDER:
            if existing is None:
                raise ExpectedError("signing.voucher.chief_first", number=number)
            [chief] = self._check_signatures(
                content, existing, now, {SignerRole.CHIEF_ACCOUNTANT}, number
            )
            if chief.cert_sha256 == cert_sha256:
                raise ExpectedError("signing.role.same_person", holder=chief.holder_name)
            if now < chief.signing_time:
                raise ExpectedError("signing.voucher.clock_behind", number=number)
        return PreparedVoucher(
            voucher_id, number, stored.voucher.total, content, digest, existing
        )

    def _check_signatures(
        self, content: bytes, cms_der: bytes, now: datetime, roles: set[SignerRole],
        number: str,
    ) -> list[VerifiedSigner]:
        anchors = self._trust.anchor_certificates if self._trust is not None else None
        return check_signatures(self._registry, content, cms_der, now, roles, number,
                                tsa_roots=anchors)

    # -- step 2: log in once, sign the batch -----------------------------------------------

    def execute(
        self,
        plan: SigningPlan,
        pin: str | None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BatchResult:
        """Log in with ``pin`` (None on a PIN-pad reader) and sign every prepared voucher.

        A wrong PIN raises PinIncorrect at once (nothing signed, never retried). The PIN is
        handed to the token thread for the login call only.
        """
        self._executor.call(plan.token.login, pin)
        del pin
        signed: list[str] = []
        failed: list[tuple[str, Message]] = []
        unstamped: list[str] = []
        pending = [item.voucher_id for item in plan.items]
        stamper = self._timestamper
        try:
            for index, item in enumerate(plan.items):
                pending.remove(item.voucher_id)
                try:
                    stamped = self._sign_one(plan, item, stamper)
                    if not stamped and self._timestamper is not None:
                        unstamped.append(item.voucher_id)
                        stamper = None  # the TSA is down: do not wait on it for every voucher
                    signed.append(item.voucher_id)
                except TokenRemoved as error:
                    failed.append((item.voucher_id, error.message))
                    break
                except ExpectedError as error:
                    failed.append((item.voucher_id, error.message))
                if progress is not None:
                    progress(index + 1, len(plan.items))
        finally:
            self._executor.call(plan.token.logout)
        return BatchResult(tuple(signed), tuple(failed), tuple(pending), tuple(unstamped))

    def _sign_one(
        self, plan: SigningPlan, item: PreparedVoucher, stamper: Timestamper | None
    ) -> bool:
        """Sign one voucher; whether it got its signature timestamp."""
        moment = self._now()
        status = plan.status
        answers = status.answers if status is not None else ()
        cms_der = self._executor.call(
            lambda: add_signature(
                item.content, item.existing_cms, plan.certificate.der, plan.role,
                lambda data: plan.token.sign(plan.certificate.sha256, data, plan.algorithm),
                plan.algorithm, moment,
                chain=status.chain.intermediates if status and status.chain else (),
                ocsp_responses=[a.evidence for a in answers if a.kind is EvidenceKind.OCSP],
                crls=[a.evidence for a in answers if a.kind is EvidenceKind.CRL],
            )
        )
        stamped = False
        if stamper is not None:
            try:
                cms_der = add_timestamps(cms_der, stamper)
                stamped = True
            except Unreachable:
                stamped = False
        with transaction(self._conn) as conn:
            if self._repo.status_in(conn, item.voucher_id) != (
                state_before_signature(plan.role), item.content_hash
            ):
                raise ExpectedError("signing.voucher.changed", number=item.number)
            SignatureStore.add_in(conn, StoredSignature(
                item.voucher_id, plan.role, plan.certificate.sha256,
                plan.certificate.holder_name, moment.isoformat(), item.content_hash, cms_der,
            ))
            self._repo.set_status_in(
                conn, item.voucher_id, state_after_signature(plan.role), actor=self._actor,
                reason=f"{plan.certificate.holder_name} ({plan.certificate.sha256[:16]})",
            )
        return stamped

    # -- checks others use -----------------------------------------------------------------

    def verify_fully_signed(self, voucher_id: str) -> list[VerifiedSigner]:
        """Before queuing: both signatures intact over the current bytes, in order, by
        registered signers whose certificates were valid when they signed."""
        stored = self._repo.get(voucher_id)
        if stored is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        number = stored.voucher.number or voucher_id[:8]
        cms_der = self._signatures.latest_cms(voucher_id)
        if cms_der is None:
            raise ExpectedError("signing.voucher.chief_first", number=number)
        content = voucher_bytes(stored.voucher)
        if content_hash(content) != stored.content_hash:
            raise ExpectedError("signing.voucher.changed", number=number)
        return self._check_signatures(
            content, cms_der, self._now(),
            {SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER}, number,
        )



def check_signatures(
    registry: SignerRegistry, content: bytes, cms_der: bytes, now: datetime,
    roles: set[SignerRole], number: str,
    tsa_roots: Callable[[], Sequence[bytes]] | None = None,
) -> list[VerifiedSigner]:
    """The signatures over ``content`` are intact, exactly ``roles``, in signing order, by
    certificates registered for their roles and valid when they signed and now, or when a
    timestamp from a TSA chained to ``tsa_roots`` (the desk's anchors, read only for a CMS that
    carries timestamps) proves they signed; else ExpectedError."""
    roots = tsa_roots() if tsa_roots is not None and has_timestamps(cms_der) else None
    signers = verify_detached(content, cms_der, at=now, tsa_roots=roots)
    if {s.role for s in signers} != roles or len(signers) != len(roles):
        raise ExpectedError("signing.voucher.signers_mismatch", number=number)
    if len({s.cert_sha256 for s in signers}) != len(signers):
        raise ExpectedError("signing.role.same_person", holder=signers[0].holder_name)
    if not signer_order_ok(signers):
        raise ExpectedError("signing.order.chief_first")
    for signer in signers:
        if not registry.is_registered(signer.cert_sha256, signer.role):
            raise ExpectedError(
                "signing.role.not_registered", holder=signer.holder_name,
                role=Message(f"role.{signer.role.value}").render(),
            )
    return signers
