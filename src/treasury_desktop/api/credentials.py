"""The desk credential (mã xác thực máy trạm): in the OS keyring, never in a plain file.

Keyring entry: service ``treasury-desktop``, username ``<server URL>|<unit>``. The
``TREASURY_API_TOKEN`` environment variable, when set, overrides the stored credential (scripts,
headless machines). Tests inject :class:`InMemoryCredentialStore`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from treasury_desktop.api.errors import AuthError
from treasury_desktop.i18n import ExpectedError

SERVICE = "treasury-desktop"
TOKEN_ENV = "TREASURY_API_TOKEN"
# Backends that keep secrets in files anyone with the disk can read (keyrings.alt and kin).
_PLAINTEXT_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")


class CredentialStoreUnavailable(ExpectedError):
    """No safe keyring on this machine: say how to go on (env variable or a Secret Service)."""


class CredentialStore(Protocol):
    """Where desk credentials are kept, one per (server, unit)."""

    def get(self, server: str, unit: str) -> str | None:
        """The stored credential, or None."""
        ...

    def set(self, server: str, unit: str, token: str) -> None:
        """Store (or replace) the credential."""
        ...

    def delete(self, server: str, unit: str) -> None:
        """Forget the credential (no error when there is none)."""
        ...


def account_name(server: str, unit: str) -> str:
    """The keyring username of a (server, unit) pair."""
    return f"{server.rstrip('/')}|{unit}"


class KeyringCredentialStore:
    """The OS keyring: Windows Credential Manager, macOS Keychain, Secret Service on Linux."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        # A chainer (several backends at once) is only as safe as its weakest member.
        members = getattr(backend, "backends", None) or [backend]
        for member in (backend, *members):
            if type(member).__module__.startswith(_PLAINTEXT_MODULES) or member.priority <= 0:
                raise CredentialStoreUnavailable("api.no_keyring", env=TOKEN_ENV)
        return backend

    def get(self, server: str, unit: str) -> str | None:
        try:
            return self._keyring().get_password(SERVICE, account_name(server, unit))
        except keyring.errors.KeyringError as error:
            raise CredentialStoreUnavailable(
                "api.keyring_failed", env=TOKEN_ENV, reason=str(error)
            ) from error

    def set(self, server: str, unit: str, token: str) -> None:
        try:
            self._keyring().set_password(SERVICE, account_name(server, unit), token)
        except keyring.errors.KeyringError as error:
            raise CredentialStoreUnavailable(
                "api.keyring_failed", env=TOKEN_ENV, reason=str(error)
            ) from error

    def delete(self, server: str, unit: str) -> None:
        try:
            self._keyring().delete_password(SERVICE, account_name(server, unit))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as error:
            raise CredentialStoreUnavailable(
                "api.keyring_failed", env=TOKEN_ENV, reason=str(error)
            ) from error


class InMemoryCredentialStore:
    """A credential store for tests: a dict in memory."""

    def __init__(self) -> None:
        self.tokens: dict[tuple[str, str], str] = {}

    def get(self, server: str, unit: str) -> str | None:
        return self.tokens.get((server.rstrip("/"), unit))

    def set(self, server: str, unit: str, token: str) -> None:
        self.tokens[(server.rstrip("/"), unit)] = token

    def delete(self, server: str, unit: str) -> None:
        self.tokens.pop((server.rstrip("/"), unit), None)


def resolve_token(
    store: CredentialStore, server: str, unit: str, environ: Mapping[str, str] | None = None
) -> str:
    """The credential to send: ``TREASURY_API_TOKEN`` if set, else the stored one.

    Without either, an :class:`AuthError` telling the user to run ``connect``.
    """
    env = os.environ if environ is None else environ
    override = env.get(TOKEN_ENV, "").strip()
    if override:
        return override
    token = store.get(server, unit)
    if not token:
        raise AuthError("api.no_credential", server=server, unit=unit)
    return token
