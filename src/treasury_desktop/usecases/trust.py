"""Certificate trust for a desk: its anchors, its revocation cache, and the checker over both.

Everything lives under the data folder's ``trust/``: ``anchors/`` (the user's and the
treasury's anchors), ``removed.txt`` (shipped anchors the user stopped trusting) and
``revocation.json`` (OCSP/CRL answers with their validity, and when each certificate was last
known good).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.paths import resources_dir
from treasury_desktop.signing.revocation import Fetcher, RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker
from treasury_desktop.signing.trust import TrustStore


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
