"""A software certificate authority for tests and the demo: never for real signatures."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from treasury_desktop.signing.certificates import KEY_USAGE_NAMES

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
SIGNING_KEY_USAGE = ("digital_signature", "content_commitment")


@dataclass(frozen=True)
class SoftwareCA:
    """The test CA: its certificate (PEM file for ``openssl -CAfile``, and DER) and its key."""

    cert_path: Path
    key_path: Path
    cert_der: bytes

    def private_key(self) -> PrivateKey:
        """The CA's signing key."""
        key = serialization.load_pem_private_key(self.key_path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise TypeError("unexpected CA key type")
        return key

    def certificate(self) -> x509.Certificate:
        """The CA certificate."""
        return x509.load_der_x509_certificate(self.cert_der)


def generate_key(key_type: str) -> PrivateKey:
    """A software key: ``RSA-2048`` (or another size), ``EC P-256`` or ``EC P-384``."""
    if key_type.startswith("RSA-"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key_type[4:]))
    curves = {"EC P-256": ec.SECP256R1(), "EC P-384": ec.SECP384R1()}
    return ec.generate_private_key(curves[key_type])


def make_test_ca(
    folder: str | os.PathLike[str],
    *,
    common_name: str = "CA Thử nghiệm Kho bạc (TEST)",
    valid_from: datetime | None = None,
    days: int = 3650,
) -> SoftwareCA:
    """Create a self-signed test CA in ``folder`` (ca.pem, ca.key.pem) and return it."""
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = valid_from or datetime.now(UTC) - timedelta(days=400)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Treasury Desktop Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(("key_cert_sign", "crl_sign")), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = base / "ca.pem"
    key_path = base / "ca.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return SoftwareCA(cert_path, key_path, cert.public_bytes(serialization.Encoding.DER))


def _key_usage(flags: Sequence[str]) -> x509.KeyUsage:
    values = {name: name in flags for name in KEY_USAGE_NAMES}
    return x509.KeyUsage(**values, encipher_only=False, decipher_only=False)


def issue_certificate(
    ca: SoftwareCA,
    public_key: PublicKey,
    *,
    holder_name: str,
    unit_name: str,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_usage: Sequence[str] = SIGNING_KEY_USAGE,
) -> bytes:
    """A DER certificate for ``public_key`` (subject CN=holder, O=unit, C=VN), signed by ``ca``."""
    start = not_before or datetime.now(UTC) - timedelta(hours=1)
    end = not_after or start + timedelta(days=730)
    issuer = ca.certificate()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name),
            x509.NameAttribute(NameOID.COMMON_NAME, holder_name),
        ]
    )
    ca_key = ca.private_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(key_usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)
