"""Merging the signatures two desks made over the same signed bytes into one detached CMS.

Each SignerInfo signs the content's digest in its own signed attributes (CAdES-BES), so a
SignerInfo made on one desk can join a SignedData made on another: the merge keeps, role by
role in signing order (chief accountant first, then account holder), the desk's own SignerInfo
when it has one, else the incoming one, byte for byte. The result must still be verified (the
caller does, with the same checks as before queuing).
"""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import cms

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.signing import der
from treasury_desktop.signing.cms import ID_DATA, ID_SIGNED_DATA, role_of
from treasury_desktop.signing.verify import SignatureInvalid


class _Parts:
    """A SignedData taken apart: SignerInfos by role, certificates, digest algorithms."""

    def __init__(self, cms_der: bytes) -> None:
        try:
            signed = cms.ContentInfo.load(cms_der)["content"]
            self.by_role: dict[SignerRole, bytes] = {}
            for info in signed["signer_infos"]:
                role = role_of(info)
                if role is None or role in self.by_role:
                    raise ValueError("a SignerInfo without a role, or a role twice")
                self.by_role[role] = bytes(info.dump())
            self.certificates = [bytes(c.dump()) for c in signed["certificates"] or []]
            self.digest_algorithms = [bytes(a.dump()) for a in signed["digest_algorithms"]]
        except (ValueError, TypeError, KeyError, AttributeError):
            raise SignatureInvalid("signing.verify.malformed") from None


def merge_signatures(local: bytes | None, incoming: bytes) -> bytes:
    """One CMS with the local SignerInfo for each role the desk has, else the incoming one,
    in signing order up to the first role neither has."""
    theirs = _Parts(incoming)
    ours = _Parts(local) if local is not None else None
    chosen: list[bytes] = []
    for role in SIGNING_ORDER:
        info = (ours.by_role.get(role) if ours else None) or theirs.by_role.get(role)
        if info is None:
            break
        chosen.append(info)
    sources = [theirs] if ours is None else [ours, theirs]
    return _signed_data(
        chosen,
        (c for parts in sources for c in parts.certificates),
        (a for parts in sources for a in parts.digest_algorithms),
    )


def roles_of(cms_der: bytes) -> tuple[SignerRole, ...]:
    """The roles that signed, in signing order."""
    found = _Parts(cms_der).by_role
    return tuple(role for role in SIGNING_ORDER if role in found)


def first_signatures(cms_der: bytes, count: int) -> bytes:
    """The CMS as it stood after the first ``count`` signers (for the desk's signature rows)."""
    parts = _Parts(cms_der)
    chosen = [parts.by_role[role] for role in SIGNING_ORDER[:count] if role in parts.by_role]
    return _signed_data(chosen, parts.certificates, parts.digest_algorithms)


def _signed_data(
    signer_infos: list[bytes], certificates: Iterable[bytes], digest_algorithms: Iterable[bytes]
) -> bytes:
    # Built exactly as signing.cms.add_signature builds it (DER sets are sorted), so merging a
    # CMS into one that already holds all of it gives back the same bytes.
    signed_data = der.sequence(
        der.integer(1),
        der.set_of(set(digest_algorithms)),
        der.sequence(der.oid(ID_DATA)),
        der.set_of(set(certificates), der.CONTEXT_0),
        der.set_of(signer_infos),
    )
    return der.sequence(der.oid(ID_SIGNED_DATA), der.tlv(der.CONTEXT_0, signed_data))
