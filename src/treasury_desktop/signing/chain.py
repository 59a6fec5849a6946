"""Building a signing certificate's chain to a trust anchor (RFC 5280 path validation).

The path itself is built and checked by ``cryptography.x509.verification`` with the Web PKI
rules for the CA certificates (basic constraints, key usage keyCertSign, name chaining,
signatures, validity at the given moment). The end-entity rules are ours: a signing key usage
(digitalSignature or nonRepudiation), no CA flag, and, when the desk requires them, one of the
accepted certificate policies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import verification

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo, vn_date
from treasury_desktop.signing.trust import TrustAnchor


class ChainRefused(ExpectedError):  # noqa: N818 - a refusal, read by people
    """The certificate does not chain to a trusted anchor, or breaks a rule on the way."""


@dataclass(frozen=True)
class Chain:
    """A validated path: the signing certificate first, the trust anchor last (DER)."""

    certificates: tuple[bytes, ...]

    @property
    def leaf(self) -> bytes:
        """The signing certificate."""
        return self.certificates[0]

    @property
    def intermediates(self) -> tuple[bytes, ...]:
        """The certificates between the signer and the anchor (sent along in the CMS)."""
        return self.certificates[1:-1]

    def pairs(self) -> Iterable[tuple[bytes, bytes]]:
        """(certificate, its issuer) for every certificate whose status must be checked."""
        return zip(self.certificates[:-1], self.certificates[1:], strict=True)


def _policies_of(cert: x509.Certificate) -> set[str]:
    try:
        value = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        return set()
    return {policy.policy_identifier.dotted_string for policy in value}


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _issued(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _why_refused(
    leaf: x509.Certificate, roots: Sequence[x509.Certificate],
    untrusted: Sequence[x509.Certificate], at: datetime, holder: str,
) -> ChainRefused | None:
    """A plain reason for a refused path, found by following issuer names (not a path builder:
    the path was already refused; this only names the first certificate at fault)."""
    cert, seen = leaf, {leaf}
    while True:
        issuer = next((c for c in (*untrusted, *roots)
                       if c not in seen and _issued(cert, c)), None)
        if issuer is None:
            return None
        if not issuer.not_valid_before_utc <= at <= issuer.not_valid_after_utc:
            return ChainRefused(
                "trust.chain.ca_not_valid", holder=holder, ca=_common_name(issuer),
                date=vn_date(at), not_before=vn_date(issuer.not_valid_before_utc),
                not_after=vn_date(issuer.not_valid_after_utc),
            )
        if not _is_ca(issuer):
            return ChainRefused("trust.chain.not_a_ca", holder=holder, ca=_common_name(issuer))
        if issuer in roots:
            return None
        cert = issuer
        seen.add(cert)


def _certificate(anchor: TrustAnchor | bytes) -> x509.Certificate:
    if isinstance(anchor, TrustAnchor):
        return anchor.certificate()
    return x509.load_der_x509_certificate(anchor)


def build_chain(
    leaf_der: bytes,
    anchors: Sequence[TrustAnchor | bytes],
    at: datetime,
    *,
    intermediates: Sequence[bytes] = (),
    accepted_policies: frozenset[str] = frozenset(),
) -> Chain:
    """The chain of ``leaf_der`` to one of ``anchors`` (anchors or DER certificates), every
    certificate valid at ``at``, through ``intermediates`` as needed; ChainRefused if none."""
    info = CertificateInfo.from_der(leaf_der)
    holder = info.holder_name
    leaf = x509.load_der_x509_certificate(leaf_der)
    if not anchors:
        raise ChainRefused("trust.chain.no_anchors", holder=holder)
    if not info.can_sign:
        raise ChainRefused("trust.chain.key_usage", holder=holder)
    roots = [_certificate(a) for a in anchors]
    store = verification.Store(roots)
    verifier = (
        verification.PolicyBuilder()
        .store(store)
        .time(at)
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
        .build_client_verifier()
    )
    untrusted = [x509.load_der_x509_certificate(der) for der in intermediates]
    try:
        verified = verifier.verify(leaf, untrusted)
    except verification.VerificationError as error:
        plain = _why_refused(leaf, roots, untrusted, at, holder)
        if plain is not None:
            raise plain from None
        raise ChainRefused(
            "trust.chain.untrusted", holder=holder, issuer=info.issuer_name,
            detail=str(error)[:200],
        ) from None
    if accepted_policies and not _policies_of(leaf) & accepted_policies:
        raise ChainRefused("trust.chain.policy", holder=holder)
    return Chain(tuple(cert.public_bytes(Encoding.DER) for cert in verified.chain))
