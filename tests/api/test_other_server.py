"""``--server`` never carries the connected desk's credential to another address."""

from __future__ import annotations

from typing import Any

import pytest

from treasury_desktop.api.connection import Connection, open_client, save_connection
from treasury_desktop.api.credentials import InMemoryCredentialStore
from treasury_desktop.api.errors import AuthError


class Profile:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value


def test_another_server_gets_no_stored_credential() -> None:
    profile = Profile()
    save_connection(profile, Connection("https://dvc.kbnn.example", "1171277"))
    store = InMemoryCredentialStore()
    store.set("https://dvc.kbnn.example", "1171277", "desk-secret")
    with open_client(profile, store, environ={}) as api:
        assert api.server_url.startswith("https://dvc.kbnn.example")
    with pytest.raises(AuthError):
        open_client(profile, store, server="http://127.0.0.1:8000", environ={})
    with open_client(profile, store, server="http://127.0.0.1:8000",
                     environ={"TREASURY_API_TOKEN": "practice"}) as api:
        assert api.server_url.startswith("http://127.0.0.1:8000")
