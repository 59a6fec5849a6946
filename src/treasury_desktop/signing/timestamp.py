"""Signature timestamps (RFC 3161) on each SignerInfo: CAdES-BES becomes CAdES-T.

The timestamp covers the SHA-256 of the SignerInfo's signature value and sits in its unsigned
attribute signature-time-stamp-token (RFC 3161 appendix A, ETSI EN 319 122-1). Adding it does
not touch what was signed, so a signature made offline is stamped later, before delivery.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

import asn1crypto.tsp  # noqa: F401 - registers the ESS attributes
from asn1crypto import cms, core, tsp

from treasury_desktop.signing import der
from treasury_desktop.signing.revocation import Fetcher, Unreachable

ID_AA_SIGNATURE_TIME_STAMP_TOKEN = "1.2.840.113549.1.9.16.2.14"


class Timestamper(Protocol):
    """A time-stamping authority (TSA), as the signing code sees it."""

    def stamp(self, digest: bytes) -> bytes:
        """A DER TimeStampToken over the SHA-256 ``digest``; raises Unreachable."""


class TsaClient:
    """Asks an RFC 3161 TSA over HTTP, and checks the token is about what was asked."""

    def __init__(self, fetcher: Fetcher, url: str) -> None:
        self._fetcher = fetcher
        self.url = url

    def stamp(self, digest: bytes) -> bytes:
        """A DER TimeStampToken over ``digest`` (SHA-256)."""
        nonce = secrets.randbits(63)
        request = tsp.TimeStampReq({
            "version": 1,
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                "hashed_message": digest},
            "nonce": nonce,
            "cert_req": True,
        })
        raw = self._fetcher.post(self.url, request.dump(), "application/timestamp-query")
        try:
            response = tsp.TimeStampResp.load(raw)
            status = response["status"]["status"].native
            token = response["time_stamp_token"]
            if status not in ("granted", "granted_with_mods") or not token:
                raise Unreachable(f"{self.url}: {status}")
            info = token["content"]["encap_content_info"]["content"].parsed
            imprint = info["message_imprint"]
            if (imprint["hashed_message"].native != digest
                    or imprint["hash_algorithm"]["algorithm"].native != "sha256"
                    or info["nonce"].native != nonce):
                raise Unreachable(f"{self.url}: the token is about something else")
        except (ValueError, TypeError, KeyError, AttributeError):
            raise Unreachable(f"{self.url}: not a timestamp response") from None
        return bytes(token.dump())


def stamp_of(signer_info: cms.SignerInfo) -> cms.ContentInfo | None:
    """The SignerInfo's signature timestamp token (unsigned attribute
    id-aa-signatureTimeStampToken), or None."""
    attrs = signer_info["unsigned_attrs"]
    if not isinstance(attrs, cms.CMSAttributes):
        return None
    for attr in attrs:
        if attr["type"].dotted == ID_AA_SIGNATURE_TIME_STAMP_TOKEN:
            return cms.ContentInfo.load(attr["values"][0].dump())
    return None


def timestamp_time(signer_info: cms.SignerInfo) -> datetime | None:
    """The genTime of the SignerInfo's signature timestamp, or None when it has none."""
    token = stamp_of(signer_info)
    if token is None:
        return None
    info = token["content"]["encap_content_info"]["content"].parsed
    moment: datetime = info["gen_time"].native
    return moment


def signature_digest(signer_info: cms.SignerInfo) -> bytes:
    """What the timestamp covers: SHA-256 of the signature value."""
    return hashlib.sha256(signer_info["signature"].native).digest()


def has_timestamps(cms_der: bytes) -> bool:
    """Whether any SignerInfo carries a signature timestamp (False for what is no CMS)."""
    try:
        signed = cms.ContentInfo.load(cms_der)["content"]
        return any(stamp_of(info) is not None for info in signed["signer_infos"])
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return False


def unstamped_count(cms_der: bytes) -> int:
    """How many SignerInfos have no signature timestamp yet."""
    signed = cms.ContentInfo.load(cms_der)["content"]
    return sum(1 for info in signed["signer_infos"] if stamp_of(info) is None)


def add_timestamps(
    cms_der: bytes, timestamper: Timestamper,
    on_stamped: Callable[[int], None] | None = None,
) -> bytes:
    """``cms_der`` with a signature timestamp added to every SignerInfo that lacks one.

    Everything else is kept byte for byte; raises Unreachable when the TSA does not answer
    (then nothing is changed).
    """
    content_info = cms.ContentInfo.load(cms_der)
    signed = content_info["content"]
    infos: list[bytes] = []
    stamped = 0
    for info in signed["signer_infos"]:
        if stamp_of(info) is not None:
            infos.append(info.dump())
            continue
        token = timestamper.stamp(signature_digest(info))
        infos.append(_with_unsigned(info, token))
        stamped += 1
    if not stamped:
        return cms_der
    if on_stamped is not None:
        on_stamped(stamped)
    return _replace_signer_infos(signed, infos)


def _with_unsigned(info: cms.SignerInfo, token: bytes) -> bytes:
    attribute = der.sequence(der.oid(ID_AA_SIGNATURE_TIME_STAMP_TOKEN), der.set_of([token]))
    existing = info["unsigned_attrs"]
    others = [a.dump() for a in existing] if isinstance(existing, cms.CMSAttributes) else []
    unsigned = der.set_of([*others, attribute], 0xA1)  # [1] IMPLICIT SET OF Attribute
    # SignerInfo fields before unsignedAttrs are kept as they were encoded.
    head = b"".join(
        info[name].dump()
        for name in ("version", "sid", "digest_algorithm", "signed_attrs",
                     "signature_algorithm", "signature")
        if not isinstance(info[name], core.Void)
    )
    return der.sequence(head, unsigned)


def _replace_signer_infos(signed: cms.SignedData, infos: list[bytes]) -> bytes:
    parts = [signed[name].dump() for name in
             ("version", "digest_algorithms", "encap_content_info", "certificates", "crls")
             if not isinstance(signed[name], core.Void)]
    body = der.sequence(*parts, der.set_of(infos))
    return der.sequence(der.oid("1.2.840.113549.1.7.2"), der.tlv(der.CONTEXT_0, body))
