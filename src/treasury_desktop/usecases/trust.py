"""Certificate trust for a desk: its anchors, its revocation cache, and the checker over both.

Everything lives under the data folder's ``trust/``: ``anchors/`` (the user's and the
treasury's anchors), ``removed.txt`` (shipped anchors the user stopped trusting) and
``revocation.json`` (OCSP/CRL answers with their validity, and when each certificate was last
known good).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from treasury_desktop.api.port import Fetched
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.paths import resources_dir
from treasury_desktop.settings import ACCEPTED_CERT_POLICIES, TSA_URL
from treasury_desktop.signing.certificates import sha256_hex
from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import Fetcher, RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker
from treasury_desktop.signing.timestamp import Timestamper, TsaClient
from treasury_desktop.signing.trust import AnchorSource, TrustAnchor, TrustStore
from treasury_desktop.store.profile import ProfileStore


def trust_dir(data_dir: Path) -> Path:
    """The desk's own trust folder."""
    return data_dir / "trust"


def open_trust_store(data_dir: Path) -> TrustStore:
    """The shipped anchors plus the desk's own."""
    return TrustStore(resources_dir() / "trust", trust_dir(data_dir))


def desk_anchors(data_dir: Path) -> Callable[[], list[bytes]]:
    """The desk's trust anchors in force (DER), read when asked."""
    return lambda: [anchor.der for anchor in open_trust_store(data_dir).anchors()]


def open_checker(
    data_dir: Path, fetcher: Fetcher, now: Callable[[], datetime] = lambda: datetime.now(UTC),
    accepted_policies: frozenset[str] = frozenset(),
) -> CertificateChecker:
    """The certificate checker of a desk (anchors re-read at every check: a ``trust add`` in
    another window counts at once)."""
    store = open_trust_store(data_dir)
    cache = RevocationCache(trust_dir(data_dir) / "revocation.json")
    return CertificateChecker(store.anchors, RevocationChecker(fetcher, cache, now), now,
                              accepted_policies)


@dataclass(frozen=True)
class DeskTrust:
    """What signing needs from the trust side: the checker, the TSA (if any), their HTTP."""

    checker: CertificateChecker
    timestamper: Timestamper | None
    fetcher: HttpFetcher

    def close(self) -> None:
        """Close the HTTP connections."""
        self.fetcher.close()


def open_desk_trust(data_dir: Path, profile: ProfileStore) -> DeskTrust:
    """The desk's trust checks, with the TSA named in the settings."""
    fetcher = HttpFetcher()
    url = TSA_URL.read(profile).strip()
    policies = frozenset(str(p) for p in ACCEPTED_CERT_POLICIES.read(profile))
    return DeskTrust(open_checker(data_dir, fetcher, accepted_policies=policies),
                     TsaClient(fetcher, url) if url else None, fetcher)


TRUSTED_CA_CATALOG = "trusted_ca"


class CatalogSource(Protocol):
    """The part of the treasury API that serves catalogues (outbox.adapter's ClientPort)."""

    def catalog(self, name: str, year: int, etag: str | None) -> Fetched:
        """A catalogue with ETag."""


@dataclass(frozen=True)
class AnchorRefresh:
    """What the treasury's list of trusted CAs changed on this desk."""

    added: tuple[TrustAnchor, ...]
    known: int
    refused: tuple[str, ...]  # entries whose certificate did not match its fingerprint


def refresh_from_treasury(store: TrustStore, source: CatalogSource, year: int) -> AnchorRefresh:
    """Trust the CA certificates the treasury lists (catalogue ``trusted_ca``): each one's
    bytes must hash to the fingerprint it is listed under, and be a CA certificate."""
    fetched = source.catalog(TRUSTED_CA_CATALOG, year, None)
    entries = (fetched.body or {}).get("entries", [])
    added: list[TrustAnchor] = []
    refused: list[str] = []
    known = 0
    for entry in entries:
        code, encoded = str(entry.get("code", "")), entry.get("certificate")
        try:
            der = base64.b64decode(str(encoded), validate=True)
        except (ValueError, TypeError):
            refused.append(code)
            continue
        if sha256_hex(der) != code.lower():
            refused.append(code)
            continue
        try:
            new = store.add(der, AnchorSource.TREASURY)
        except ExpectedError:
            refused.append(code)
            continue
        added.extend(new)
        known += 0 if new else 1
    return AnchorRefresh(tuple(added), known, tuple(refused))
