"""The desk's connection: which server and unit (in the profile), and a client built from it.

What the desk learned about a server is kept in the profile too, per server URL: the servers
that answered 415 to a compressed body (RFC 7694), so that no restart sends one more.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from treasury_desktop.api.errors import ConfigError

if TYPE_CHECKING:  # httpx and the keyring load with the first client, not with the window
    from treasury_desktop.api.client import Timeouts, TreasuryClient
    from treasury_desktop.api.credentials import CredentialStore

PROFILE_KEY = "connection"
NO_COMPRESSION_KEY = "servers_without_compressed_bodies"


class Profile(Protocol):
    """The part of the profile store this module needs (``store.profile.ProfileStore``)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class Connection:
    """The treasury server of this desk, its unit, and an optional pinned CA bundle."""

    server: str
    unit: str
    ca_bundle: str | None = None
    proxy: str | None = None  # http://host:port of the office's proxy, from the settings


def load_connection(profile: Profile) -> Connection | None:
    """The saved connection, if ``connect`` was run."""
    data = profile.get(PROFILE_KEY)
    if not isinstance(data, Mapping) or not data.get("server") or not data.get("unit"):
        return None
    bundle = data.get("ca_bundle")
    proxy = data.get("proxy")
    return Connection(
        str(data["server"]), str(data["unit"]), str(bundle) if bundle else None,
        str(proxy) if proxy else None,
    )


def save_connection(profile: Profile, connection: Connection) -> None:
    """Remember the connection (never the credential: that goes to the keyring)."""
    value: dict[str, str] = {"server": connection.server, "unit": connection.unit}
    if connection.ca_bundle:
        value["ca_bundle"] = connection.ca_bundle
    if connection.proxy:
        value["proxy"] = connection.proxy
    profile.set(PROFILE_KEY, value)


class CompressionRefusals:
    """The servers (base URLs) that take no compressed request bodies, kept in the profile.

    Read once; a new refusal is written at once (from whichever thread met it)."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._lock = threading.Lock()
        stored = profile.get(NO_COMPRESSION_KEY, [])
        self._servers = {str(s) for s in stored} if isinstance(stored, list) else set()

    def refuses(self, server: str) -> bool:
        """Whether ``server`` answered 415 to a compressed body, in this or an earlier run."""
        with self._lock:
            return server in self._servers

    def remember_refusal(self, server: str) -> None:
        """Keep ``server`` as one that takes no compressed bodies."""
        with self._lock:
            if server in self._servers:
                return
            self._servers.add(server)
            self._profile.set(NO_COMPRESSION_KEY, sorted(self._servers))


def open_client(
    profile: Profile,
    credentials: CredentialStore,
    *,
    server: str | None = None,
    unit: str | None = None,
    environ: Mapping[str, str] | None = None,
    timeouts: Timeouts | None = None,
) -> TreasuryClient:
    """A client for the saved connection (``server`` overrides its URL, e.g. ``--server``).

    A desk never connected can still name a ``server``, with ``unit`` (the profile's unit).
    This is the one function that builds the treasury client for the app.
    """
    saved = load_connection(profile)
    if saved is None:
        if not server or not unit:
            raise ConfigError("api.not_connected")
        saved = Connection(server, unit)
    if server and server != saved.server:
        # Never hand the connected server's credential or pinned CA to another address.
        saved = Connection(server, saved.unit, proxy=saved.proxy)
    from treasury_desktop.api.credentials import resolve_token

    token = resolve_token(credentials, saved.server, saved.unit, environ)
    bundle = Path(saved.ca_bundle) if saved.ca_bundle else None
    from treasury_desktop.api.client import DEFAULT_TIMEOUTS, TreasuryClient

    return TreasuryClient(saved.server, saved.unit, token, ca_bundle=bundle,
                          timeouts=timeouts or DEFAULT_TIMEOUTS, proxy=saved.proxy,
                          compression_memory=CompressionRefusals(profile))
