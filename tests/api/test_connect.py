"""``treasury-desktop connect``: verify against the server, profile + keyring, never a file."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from treasury_sandbox_world import OTHER_TOKEN, TOKEN, UNIT

from treasury_desktop.api.connection import load_connection, open_client
from treasury_desktop.api.credentials import SERVICE, TOKEN_ENV, KeyringCredentialStore
from treasury_desktop.cli.main import main
from treasury_desktop.context import AppContext


def _connect(data_dir: Path, url: str, token: str, monkeypatch, *extra: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(token + "\n"))
    return main(
        [
            "--data-dir",
            str(data_dir),
            "connect",
            "--server",
            url,
            "--unit",
            UNIT,
            "--token-stdin",
            *extra,
        ]
    )


def _files_containing(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_connect_stores_profile_and_keyring(
    sandbox, data_dir, os_keyring, monkeypatch, capsys
) -> None:
    assert _connect(data_dir, sandbox.url + "/", TOKEN, monkeypatch) == 0
    assert "2 người ký" in capsys.readouterr().out
    assert os_keyring.secrets == {(SERVICE, f"{sandbox.url}|{UNIT}"): TOKEN}
    assert _files_containing(data_dir, TOKEN) == []
    ctx = AppContext(data_dir)
    try:
        _, profile = ctx.repositories()
        saved = load_connection(profile)
        assert saved is not None and (saved.server, saved.unit) == (sandbox.url, UNIT)
        with open_client(profile, KeyringCredentialStore(), environ={}) as api:
            assert len(api.signers()) == 2
    finally:
        ctx.close()


def test_a_refused_credential_saves_nothing(
    sandbox, data_dir, os_keyring, monkeypatch, capsys
) -> None:
    assert _connect(data_dir, sandbox.url, OTHER_TOKEN, monkeypatch) == 1
    assert "không được cấp cho đơn vị 1171277" in capsys.readouterr().err
    assert os_keyring.secrets == {}
    ctx = AppContext(data_dir)
    try:
        assert load_connection(ctx.repositories()[1]) is None
    finally:
        ctx.close()


def test_headless_without_keyring_explains(sandbox, data_dir, monkeypatch, capsys) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert _connect(data_dir, sandbox.url, TOKEN, monkeypatch) == 1
    finally:
        keyring.set_keyring(previous)
    assert TOKEN_ENV in capsys.readouterr().err
    assert _files_containing(data_dir, TOKEN) == []


def test_token_from_the_environment_is_not_stored(
    sandbox, data_dir, os_keyring, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    code = main(["--data-dir", str(data_dir), "connect", "--server", sandbox.url, "--unit", UNIT])
    assert code == 0
    assert TOKEN_ENV in capsys.readouterr().out
    assert os_keyring.secrets == {}
    assert _files_containing(data_dir, TOKEN) == []


def test_empty_credential_is_refused(sandbox, data_dir, os_keyring, monkeypatch) -> None:
    assert _connect(data_dir, sandbox.url, "", monkeypatch) == 1


def test_not_connected_is_a_config_error(data_dir) -> None:
    from treasury_desktop.api.credentials import InMemoryCredentialStore
    from treasury_desktop.api.errors import ConfigError

    ctx = AppContext(data_dir)
    try:
        with pytest.raises(ConfigError):
            open_client(ctx.repositories()[1], InMemoryCredentialStore(), environ={})
    finally:
        ctx.close()


def test_connect_without_a_terminal_or_token_says_what_to_do(
        sandbox, data_dir, os_keyring, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal, nothing to read
    code = main(["--data-dir", str(data_dir), "--lang", "en", "connect", "--server", sandbox.url,
                 "--unit", UNIT])
    err = capsys.readouterr().err
    assert code == 1 and TOKEN_ENV in err and "Traceback" not in err


def test_connect_refuses_a_credential_with_a_newline_or_accents(
        sandbox, data_dir, os_keyring, monkeypatch, capsys) -> None:
    for bad in ("bí mật", "ab\ncd"):
        monkeypatch.setenv(TOKEN_ENV, bad)
        code = main(["--data-dir", str(data_dir), "--lang", "en", "connect", "--server",
                     sandbox.url, "--unit", UNIT])
        assert code == 1 and "credential is not valid" in capsys.readouterr().err
    assert os_keyring.secrets == {}
