"""The desk credential: keyring or injected store, the environment override, headless errors."""

from __future__ import annotations

import sys

import pytest
from keyring.backends import fail

from treasury_desktop.api.credentials import (
    SERVICE,
    TOKEN_ENV,
    CredentialStoreUnavailable,
    InMemoryCredentialStore,
    KeyringCredentialStore,
    resolve_token,
)
from treasury_desktop.api.errors import AuthError

keyrings = sys.modules["api_test_keyrings"]  # loaded by conftest.py

SERVER = "https://dvc.kbnn.example"


def test_keyring_store_round_trip(os_keyring) -> None:
    store = KeyringCredentialStore()
    store.set(SERVER + "/", "1171277", "s3cret")
    assert store.get(SERVER, "1171277") == "s3cret"
    assert os_keyring.secrets == {(SERVICE, f"{SERVER}|1171277"): "s3cret"}
    store.delete(SERVER, "1171277")
    store.delete(SERVER, "1171277")  # forgetting twice is fine
    assert store.get(SERVER, "1171277") is None


def test_headless_machine_says_what_to_do() -> None:
    store = KeyringCredentialStore(fail.Keyring())
    with pytest.raises(CredentialStoreUnavailable) as caught:
        store.set(SERVER, "1171277", "s3cret")
    assert TOKEN_ENV in str(caught.value)
    assert "Secret Service" in caught.value.message.render("vi")


def test_plain_text_backends_are_refused() -> None:
    store = KeyringCredentialStore(keyrings.PlainTextKeyring())
    with pytest.raises(CredentialStoreUnavailable):
        store.set(SERVER, "1171277", "s3cret")


def test_environment_overrides_the_stored_credential() -> None:
    store = InMemoryCredentialStore()
    store.set(SERVER, "1171277", "stored")
    assert resolve_token(store, SERVER, "1171277", {}) == "stored"
    assert resolve_token(store, SERVER, "1171277", {TOKEN_ENV: " from-env "}) == "from-env"
    with pytest.raises(AuthError) as caught:
        resolve_token(InMemoryCredentialStore(), SERVER, "1171277", {})
    assert caught.value.message.key == "api.no_credential"
