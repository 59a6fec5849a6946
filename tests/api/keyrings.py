"""Keyring backends for tests: one in memory (a safe OS keyring's stand-in), one plain-text."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Behaves like an OS keyring, in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class PlainTextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backend: secrets readable from the disk."""


PlainTextKeyring.__module__ = "keyrings.alt.file"
