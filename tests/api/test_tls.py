"""TLS: verified by default; a pinned CA bundle makes a private treasury certificate work."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from treasury_sandbox_world import TOKEN, UNIT

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.errors import ConfigError
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
