"""Connecting a desk to the treasury (kết nối máy với Kho bạc): once per desk.

The credential is checked against the server (it must read the unit's registered signers), then
kept in the OS keyring (never in a file) and the server and unit in the profile. The command
line's ``connect`` and the setup assistant both come here.
"""

from __future__ import annotations

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.connection import Connection, Profile, load_connection, save_connection
from treasury_desktop.api.credentials import CredentialStore, KeyringCredentialStore


def connect_desk(
    profile: Profile,
    server: str,
    unit: str,
    credential: str,
    *,
    ca_bundle: str | None = None,
    keep: CredentialStore | None = None,
    store_credential: bool = True,
) -> tuple[str, int]:
    """Check ``credential`` with the treasury and remember the connection.

    Returns the server's canonical address and how many registered signers it named.
    """
    earlier = load_connection(profile)
    proxy = earlier.proxy if earlier else None  # the office's proxy, kept from the settings
    with TreasuryClient(server, unit, credential, ca_bundle=ca_bundle, proxy=proxy) as client:
        signers = client.signers()
        canonical = client.server_url
    if store_credential:
        (keep or KeyringCredentialStore()).set(canonical, unit, credential)
    save_connection(profile, Connection(canonical, unit, ca_bundle, proxy))
    return canonical, len(signers)
