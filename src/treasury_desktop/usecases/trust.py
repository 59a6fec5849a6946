"""Certificate trust for a desk: its anchors, its revocation cache, and the checker over both.

Everything lives under the data folder's ``trust/``: ``anchors/`` (the user's and the
treasury's anchors), ``removed.txt`` (shipped anchors the user stopped trusting) and
``revocation.json`` (OCSP/CRL answers with their validity, and when each certificate was last
known good).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.paths import resources_dir
from treasury_desktop.settings import TSA_URL
from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import Fetcher, RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker
from treasury_desktop.signing.timestamp import Timestamper, TsaClient
from treasury_desktop.signing.trust import TrustStore
from treasury_desktop.store.profile import ProfileStore


def trust_dir(data_dir: Path) -> Path:
    """The desk's own trust folder."""
    return data_dir / "trust"


def open_trust_store(data_dir: Path) -> TrustStore:
    """The shipped anchors plus the desk's own."""
    return TrustStore(resources_dir() / "trust", trust_dir(data_dir))


def open_checker(
    data_dir: Path, fetcher: Fetcher, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> CertificateChecker:
    """The certificate checker of a desk (anchors re-read at every check: a ``trust add`` in
    another window counts at once)."""
    store = open_trust_store(data_dir)
    cache = RevocationCache(trust_dir(data_dir) / "revocation.json")
    return CertificateChecker(store.anchors, RevocationChecker(fetcher, cache, now), now)


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
    return DeskTrust(open_checker(data_dir, fetcher), TsaClient(fetcher, url) if url else None,
                     fetcher)
