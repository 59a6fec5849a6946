"""A signing certificate's standing before the PIN is asked: chain, then revocation.

The policy: a certificate that does not chain to a trusted anchor, or that its CA revoked, is
refused with a plain reason. When neither the OCSP responder nor the CRL server answers, the
user is warned with the age of the last known good status and may go on: drafting and signing
offline stay possible, and the warning goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.chain import Chain, ChainRefused, build_chain
from treasury_desktop.signing.revocation import (
    RevocationAnswer,
    RevocationChecker,
    Status,
    Unreachable,
)
from treasury_desktop.signing.trust import TrustAnchor


class TrustState(StrEnum):
    """The certificate's standing, as shown next to it."""

    GOOD = "good"  # chains to an anchor, and the CA says it is not revoked
    REVOKED = "revoked"
    UNTRUSTED = "untrusted"  # no chain to a trusted anchor
    NOT_CHECKED = "not_checked"  # chains, but no revocation server answered


def _time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M %d/%m/%Y")


@dataclass(frozen=True)
class CertificateStatus:
    """What the desk knows about a certificate now, and the evidence for it."""

    state: TrustState
    holder: str
    chain: Chain | None = None
    answers: tuple[RevocationAnswer, ...] = ()
    checked_at: datetime | None = None
    last_good_at: datetime | None = None
    refusal: Message | None = None

    @property
    def label(self) -> Message:
        """One line for the certificate chooser and the PIN dialog."""
        if self.state is TrustState.GOOD and self.checked_at is not None:
            return Message("trust.status.good", {"time": _time(self.checked_at)})
        if self.state is TrustState.NOT_CHECKED:
            if self.last_good_at is not None:
                return Message("trust.status.offline_since", {"time": _time(self.last_good_at)})
            return Message("trust.status.never_checked")
        if self.state is TrustState.REVOKED:
            return Message("trust.status.revoked")
        return Message("trust.status.untrusted")

    def warning(self, now: datetime) -> Message | None:
        """The warning shown before the PIN when revocation could not be checked."""
        if self.state is not TrustState.NOT_CHECKED:
            return None
        if self.last_good_at is None:
            return Message("trust.offline.never", {"holder": self.holder})
        hours = max(0, int((now - self.last_good_at).total_seconds() // 3600))
        return Message(
            "trust.offline.last_good",
            {"holder": self.holder, "time": _time(self.last_good_at), "hours": hours},
        )

    def raise_if_refused(self) -> None:
        """ExpectedError with the plain reason when the certificate may not sign."""
        if self.refusal is not None:
            raise ExpectedError(self.refusal.key, **self.refusal.params)


class CertificateChecker:
    """Checks a certificate's chain against the anchors, then its revocation status."""

    def __init__(
        self,
        anchors: Callable[[], Sequence[TrustAnchor]],
        revocation: RevocationChecker,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        accepted_policies: frozenset[str] = frozenset(),
        intermediates: Sequence[bytes] = (),
    ) -> None:
        self._intermediates = tuple(intermediates)  # CA certificates known to be on the way
        self._anchors = anchors
        self._revocation = revocation
        self._now = now
        self._policies = accepted_policies

    def anchor_certificates(self) -> list[bytes]:
        """The trust anchors in force (DER), e.g. to judge a signature's timestamp."""
        return [anchor.der for anchor in self._anchors()]

    def known_label(self, cert_der: bytes) -> Message | None:
        """What the cache says about a certificate, without asking the network (None when it
        was never checked): for the certificate chooser."""
        fingerprint = CertificateInfo.from_der(cert_der).sha256
        cache = self._revocation.cache
        answer = cache.get(fingerprint)
        if answer is None:
            return None
        if answer.status is Status.REVOKED:
            return Message("trust.status.revoked")
        if answer.fresh_at(self._now()):
            return Message("trust.status.good", {"time": _time(answer.checked_at)})
        last_good = cache.last_good(fingerprint)
        if last_good is None:
            return Message("trust.status.never_checked")
        return Message("trust.status.offline_since", {"time": _time(last_good)})

    def check(self, cert_der: bytes, intermediates: Sequence[bytes] = ()) -> CertificateStatus:
        """The standing of ``cert_der`` now (the network is asked only when the cache is stale).
        """
        holder = CertificateInfo.from_der(cert_der).holder_name
        now = self._now()
        try:
            chain = build_chain(
                cert_der, self._anchors(), now,
                intermediates=(*intermediates, *self._intermediates),
                accepted_policies=self._policies,
            )
        except ChainRefused as refused:
            return CertificateStatus(TrustState.UNTRUSTED, holder, refusal=refused.message)
        answers: list[RevocationAnswer] = []
        try:
            for cert, issuer in chain.pairs():
                # A CA certificate that names no OCSP/CRL cannot be asked about; the signer's
                # own certificate must be.
                if cert == cert_der or self._revocation.publishes_status(cert):
                    answers.append(self._revocation.check(cert, issuer))
        except Unreachable:
            last_good = self._revocation.cache.last_good(CertificateInfo.from_der(cert_der).sha256)
            return CertificateStatus(
                TrustState.NOT_CHECKED, holder, chain, tuple(answers), last_good_at=last_good
            )
        revoked = next((a for a in answers if a.status is Status.REVOKED), None)
        if revoked is not None:
            when = revoked.revoked_at or revoked.this_update
            return CertificateStatus(
                TrustState.REVOKED, holder, chain, tuple(answers), revoked.checked_at,
                refusal=Message(
                    "trust.revoked", {"holder": holder, "time": _time(when)}
                ),
            )
        checked = min(a.checked_at for a in answers) if answers else now
        return CertificateStatus(
            TrustState.GOOD, holder, chain, tuple(answers), checked, checked
        )
