"""Real signatures for the chaos tests and benchmarks: a software CA, two registered signers
(chief accountant, account holder) with EC P-256 keys, and a sandbox configuration that trusts
them. Signing is done once per voucher, in-process; no token is involved."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).parents[1] / "outbox"))

from treasury_desktop.domain.roles import SignerRole  # noqa: E402
from treasury_desktop.sandbox.config import ClerkTiming, SandboxConfig, default_config  # noqa: E402
from treasury_desktop.signing.certificates import CertificateInfo  # noqa: E402
from treasury_desktop.signing.cms import add_signature  # noqa: E402
from treasury_desktop.signing.testca import issue_certificate, make_test_ca  # noqa: E402
from treasury_desktop.signing.token import SignatureAlgorithm  # noqa: E402
from treasury_desktop.store.records import Actor  # noqa: E402
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry  # noqa: E402

UNIT = "1171277"
TOKEN = "chaos-desk-credential"


@dataclass
class SigningKit:
    """Two software signers registered with the sandbox unit."""

    chief_key: ec.EllipticCurvePrivateKey
    chief_cert: bytes
    holder_key: ec.EllipticCurvePrivateKey
    holder_cert: bytes
    ca_der: bytes

    def sign(self, data: bytes) -> bytes:
        """The detached CMS of both signers over ``data``, in order."""
        now = datetime.now(UTC)
        first = add_signature(data, None, self.chief_cert, SignerRole.CHIEF_ACCOUNTANT,
                              _signer(self.chief_key), SignatureAlgorithm.ECDSA_SHA256, now)
        return add_signature(data, first, self.holder_cert, SignerRole.ACCOUNT_HOLDER,
                             _signer(self.holder_key), SignatureAlgorithm.ECDSA_SHA256, now)

    def register_on_desk(self, conn: sqlite3.Connection) -> None:
        """Record both certificates as the desk's signers, as ``signers add`` would."""
        registry = SignerRegistry(conn)
        for der, role in ((self.chief_cert, SignerRole.CHIEF_ACCOUNTANT),
                          (self.holder_cert, SignerRole.ACCOUNT_HOLDER)):
            info = CertificateInfo.from_der(der)
            registry.add(RegisteredSigner(info.sha256, role, info.holder_name, der),
                         actor=Actor("test", "admin"))

    def sandbox_config(self, step_seconds: float = 0.05, return_rate: float = 0.03
                       ) -> SandboxConfig:
        """The built-in sandbox unit with these signers, this CA and a fast clerk."""
        config = (default_config().with_trusted_ca(self.ca_der)
                  .with_signer(UNIT, self.chief_cert, SignerRole.CHIEF_ACCOUNTANT, "Kế toán trưởng")
                  .with_signer(UNIT, self.holder_cert, SignerRole.ACCOUNT_HOLDER, "Hiệu trưởng")
                  .with_token(UNIT, TOKEN))
        return SandboxConfig(config.units, config.trusted_cas,
                             ClerkTiming(step_seconds, return_rate), config.max_body_bytes)


def _signer(key: ec.EllipticCurvePrivateKey):  # type: ignore[no-untyped-def]
    return lambda attrs: key.sign(attrs, ec.ECDSA(hashes.SHA256()))


def make_kit(folder: Path) -> SigningKit:
    """A fresh CA and two signers under ``folder``."""
    ca = make_test_ca(folder)
    chief, holder = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    return SigningKit(
        chief, issue_certificate(ca, chief.public_key(), holder_name="Nguyễn Thị Lan",
                                 unit_name="Trường THCS Phú Lương"),
        holder, issue_certificate(ca, holder.public_key(), holder_name="Trần Văn Minh",
                                  unit_name="Trường THCS Phú Lương"),
        ca.cert_der,
    )
