"""The app's client against a real sandbox: typed results, ETags, gzip, errors by kind."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from treasury_sandbox_world import OTHER_TOKEN, TOKEN, UNIT, document

from treasury_desktop.api.client import TreasuryClient, check_server_url
from treasury_desktop.api.errors import AuthError, ConfigError, TransientError
from treasury_desktop.api.models import DeliveryOutcome
from treasury_desktop.api.responses import retry_after_seconds
from treasury_desktop.domain.roles import SignerRole


def test_health_advertises_capabilities(client: TreasuryClient) -> None:
    info = client.health()
    assert info.status == "ok" and info.api_version.startswith("1.")
    assert {"documents", "changes", "balances", "catalogs", "signers"} <= info.capabilities


def test_signers_are_the_registered_ones(world, client: TreasuryClient) -> None:
    signers = client.signers()
    assert [(s.role, s.name) for s in signers] == [
        (SignerRole.CHIEF_ACCOUNTANT, "Nguyễn Thị Lan"),
        (SignerRole.ACCOUNT_HOLDER, "Trần Văn Minh"),
    ]
    assert signers[0].certificate_der == world.chief.der
    assert signers[0].not_before < datetime.now(UTC) < signers[0].not_after
    assert len(signers[0].cert_sha256) == 64


def test_balances_etag_and_304(world, sandbox, clock, client: TreasuryClient) -> None:
    first = client.balances(2026)
    assert first is not None and first.etag
    assert client.balances(2026, etag=first.etag) is None  # 304: unchanged
    doc = document(2_000_000)
    client.deliver(doc, world.sign(doc))
    for _ in range(6):
        clock.advance(100)
        sandbox.state.clerk.run_due()
    after = client.balances(2026, etag=first.etag)
    assert after is not None and after.etag != first.etag
    assert after.items[0].spent == 2_000_000


def test_catalog_etag_and_304(client: TreasuryClient) -> None:
    ndkt = client.catalog("ndkt", 2026)
    assert ndkt is not None and ndkt.etag
    assert any(e.code == "6501" and e.parent for e in ndkt.entries)
    assert client.catalog("ndkt", 2026, etag=ndkt.etag) is None
    assert client.catalog("ndkt", 2025, etag=ndkt.etag) is not None


def test_gzip_both_ways(world, sandbox, recorder) -> None:
    doc = document()
    with TreasuryClient(sandbox.url, UNIT, TOKEN, transport=recorder, gzip_above=0) as api:
        api.health()  # the sandbox lists gzip-requests: bodies are compressed from then on
        assert api.deliver(doc, world.sign(doc)).outcome is DeliveryOutcome.CREATED
        assert api.catalog("ndkt", 2026) is not None
    put_request, _ = recorder.exchanges[1]
    assert put_request.headers["content-encoding"] == "gzip"
    _, catalog_response = recorder.exchanges[2]
    assert catalog_response.headers["content-encoding"] == "gzip"


def test_small_bodies_are_sent_plain(world, sandbox, recorder) -> None:
    doc = document()
    with TreasuryClient(sandbox.url, UNIT, TOKEN, transport=recorder, gzip_above=10**6) as api:
        api.deliver(doc, world.sign(doc))
    assert "content-encoding" not in recorder.exchanges[0][0].headers


def test_unknown_document_is_none(client: TreasuryClient) -> None:
    assert client.document_status("0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60") is None


def test_wrong_credential_is_an_auth_error(sandbox, recorder) -> None:
    with (
        TreasuryClient(sandbox.url, UNIT, "wrong", transport=recorder) as api,
        pytest.raises(AuthError) as caught,
    ):
        api.signers()
    assert caught.value.status == 401
    assert "connect" in str(caught.value)


def test_credential_of_another_unit_is_forbidden(world, sandbox, recorder) -> None:
    doc = document()
    with (
        TreasuryClient(sandbox.url, UNIT, OTHER_TOKEN, transport=recorder) as api,
        pytest.raises(AuthError) as caught,
    ):
        api.deliver(doc, world.sign(doc))
    assert caught.value.status == 403


def test_unknown_unit_answers_like_a_unit_not_covered(sandbox, recorder) -> None:
    with (
        TreasuryClient(sandbox.url, "1234567", TOKEN, transport=recorder) as api,
        pytest.raises(AuthError) as caught,
    ):
        api.changes()
    assert caught.value.message.key == "api.auth_forbidden"


def test_nobody_listening_is_offline_and_not_committed() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        TreasuryClient(f"http://127.0.0.1:{port}", UNIT, TOKEN) as api,
        pytest.raises(TransientError) as caught,
    ):
        api.deliver(document(), b"cms")
    assert caught.value.message.key == "api.offline"
    assert not caught.value.maybe_committed


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://kbnn.example/", "api.insecure_url"),
        ("ftp://127.0.0.1/", "api.bad_url"),
        ("https://", "api.bad_url"),
        ("https://kbnn.example/?x=1", "api.bad_url"),
    ],
)
def test_bad_server_addresses(url: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_server_url(url)
    assert caught.value.message.key == key


def test_https_and_loopback_http_are_accepted() -> None:
    assert check_server_url("https://dvc.kbnn.example/") == "https://dvc.kbnn.example"
    assert check_server_url("http://[::1]:8765") == "http://[::1]:8765"
    with pytest.raises(ConfigError):
        TreasuryClient("https://dvc.kbnn.example", "12345", TOKEN)


def test_retry_after_forms() -> None:
    assert retry_after_seconds("7") == 7.0
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after_seconds(soon) or 0) <= 31
    assert retry_after_seconds("whenever") is None and retry_after_seconds(None) is None
