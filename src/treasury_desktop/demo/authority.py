"""The demo sandbox's CA services: its demo CA answers OCSP and stamps time (RFC 3161).

A time-stamping certificate (extended key usage timeStamping, critical) is issued by the demo
CA for the demo only, so that signatures made in the demo window are CAdES-T.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from treasury_desktop.sandbox.authority import SandboxAuthority
from treasury_desktop.signing.testca import SoftwareCA


def demo_authority(ca: SoftwareCA) -> SandboxAuthority:
    """OCSP and a TSA for the demo CA (a fresh TSA key each demo)."""
    ca_key = ca.private_key()
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    tsa = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Dấu thời gian Demo (KHÔNG DÙNG THẬT)"),
        ]))
        .issuer_name(ca.certificate().subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return SandboxAuthority(ca.cert_der, ca_key, tsa.public_bytes(Encoding.DER), tsa_key)
