"""TLS: verified by default; a pinned CA bundle makes a private treasury certificate work."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from treasury_sandbox_world import TOKEN, UNIT

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.errors import ConfigError, TransientError
from treasury_desktop.sandbox.server import RunningSandbox, running_sandbox


@dataclass(frozen=True)
class Pki:
    ca_pem: Path
    other_ca_pem: Path
    cert_pem: Path
    key_pem: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _ca(common: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("tls")
    ca_key, ca = _ca("KBNN Test Root")
    _, other = _ca("Someone Else")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(folder / "ca.pem", folder / "other.pem", folder / "server.pem", folder / "key.pem")
    pki.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.other_ca_pem.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    pki.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pki


@pytest.fixture(scope="module")
def https_sandbox(world, pki: Pki, tmp_path_factory) -> Iterator[RunningSandbox]:
    with running_sandbox(
        world.config,
        tmp_path_factory.mktemp("tls-db") / "db.sqlite3",
        ssl_certfile=pki.cert_pem,
        ssl_keyfile=pki.key_pem,
    ) as running:
        yield running


def test_pinned_ca_works(https_sandbox: RunningSandbox, pki: Pki) -> None:
    assert https_sandbox.url.startswith("https://127.0.0.1:")
    with TreasuryClient(https_sandbox.url, UNIT, TOKEN, ca_bundle=pki.ca_pem) as api:
        assert api.health().status == "ok"
        assert len(api.signers()) == 2


def test_without_the_pin_verification_fails(https_sandbox: RunningSandbox) -> None:
    with (
        TreasuryClient(https_sandbox.url, UNIT, TOKEN) as api,
        pytest.raises(ConfigError) as caught,
    ):
        api.health()
    assert caught.value.message.key == "api.tls"
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value) or "certificate" in str(caught.value)


def test_another_pinned_ca_fails(https_sandbox: RunningSandbox, pki: Pki) -> None:
    with (
        TreasuryClient(https_sandbox.url, UNIT, TOKEN, ca_bundle=pki.other_ca_pem) as api,
        pytest.raises(ConfigError) as caught,
    ):
        api.signers()
    assert caught.value.message.key == "api.tls"


def test_a_missing_bundle_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        TreasuryClient("https://127.0.0.1:1", UNIT, TOKEN, ca_bundle=tmp_path / "nope.pem")
    assert caught.value.message.key == "api.ca_bundle"



def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_http2_is_used_where_the_server_offers_it(world: Any, pki: Pki, tmp_path: Path) -> None:
    """uvicorn speaks HTTP/1.1 only; hypercorn offers h2 over TLS (ALPN), as a treasury's
    front end would. The client then talks HTTP/2 over its one pooled connection."""
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from treasury_desktop.sandbox.app import create_app

    app = create_app(world.config, tmp_path / "db.sqlite3", None, 1.0, 1, None, 0.05)
    port = _free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.certfile, config.keyfile = str(pki.cert_pem), str(pki.key_pem)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(serve(app, config, shutdown_trigger=stop.wait))  # type: ignore[arg-type]

    thread = threading.Thread(target=run, name="hypercorn", daemon=True)
    thread.start()
    versions: list[str] = []
    try:
        with TreasuryClient(f"https://127.0.0.1:{port}", UNIT, TOKEN, ca_bundle=pki.ca_pem) as api:
            # Only a test looks inside: which protocol each answer came over.
            api._http.event_hooks["response"].append(lambda r: versions.append(r.http_version))
            deadline = time.monotonic() + 10
            while True:
                try:
                    api.health()
                    break
                except TransientError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            assert len(api.signers()) == 2
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()
    assert versions and set(versions) == {"HTTP/2"}
