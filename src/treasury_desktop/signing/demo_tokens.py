"""The two demo signers' SoftHSM2 tokens for ``--demo``: made once per demo folder.

A newcomer signs in the demo with real PKCS#11 tokens: the chief accountant's (RSA-2048) and
the account holder's (EC P-256), with PINs shown on screen. Demo only: the PINs are written
in the demo folder's manifest.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.certificates import sha256_hex
from treasury_desktop.signing.provision import (
    SoftHsmConfig,
    make_softhsm_config,
    provision_token,
    softhsm_module,
)
from treasury_desktop.signing.testca import SoftwareCA, make_test_ca

MANIFEST = "demo-tokens.json"
DEMO_SO_PIN = "87654321"
_SIGNERS = (
    (SignerRole.CHIEF_ACCOUNTANT, "DEMO-KTT", "111111", "Nguyễn Thị Lan", "RSA-2048"),
    (SignerRole.ACCOUNT_HOLDER, "DEMO-CTK", "222222", "Trần Văn Minh", "EC P-256"),
)


@dataclass(frozen=True)
class DemoSigner:
    """A demo signer's token: show the label and PIN to the user."""

    role: SignerRole
    label: str
    user_pin: str
    holder_name: str
    key_type: str
    cert_sha256: str
    certificate_der: bytes


@dataclass(frozen=True)
class DemoTokens:
    """The demo CA and tokens. Call ``config.activate()`` before loading the module."""

    config: SoftHsmConfig
    ca: SoftwareCA
    signers: tuple[DemoSigner, ...]

    def signer(self, role: SignerRole) -> DemoSigner:
        """The demo signer for a role."""
        return next(s for s in self.signers if s.role is role)


def provision_demo_tokens(
    folder: str | os.PathLike[str], *, unit_name: str = "Trường THCS Phú Lương"
) -> DemoTokens | None:
    """The demo tokens in ``folder`` (made on first use); None when SoftHSM2 is not installed.

    Sets SOFTHSM2_CONF for this process: do it before the SoftHSM2 module is loaded.
    """
    module = softhsm_module()
    if module is None:
        return None
    base = Path(folder)
    manifest = base / MANIFEST
    if manifest.is_file():
        demo = _load(manifest, module)
        demo.config.activate()
        return demo
    ca = make_test_ca(base / "ca", common_name="CA Demo Kho bạc (KHÔNG DÙNG THẬT)")
    config = make_softhsm_config(base / "softhsm", module)
    signers = []
    for role, label, pin, holder, key_type in _SIGNERS:
        token = provision_token(
            config,
            ca,
            label=label,
            user_pin=pin,
            so_pin=DEMO_SO_PIN,
            holder_name=holder,
            unit_name=unit_name,
            key_type=key_type,
        )
        key = token.key
        signers.append(
            DemoSigner(role, label, pin, holder, key_type, key.cert_sha256, key.certificate_der)
        )
    demo = DemoTokens(config, ca, tuple(signers))
    _save(manifest, demo)
    config.activate()
    return demo


def _save(manifest: Path, demo: DemoTokens) -> None:
    data = {
        "ca": {"cert": str(demo.ca.cert_path), "key": str(demo.ca.key_path)},
        "signers": [
            {
                "role": s.role.value,
                "label": s.label,
                "user_pin": s.user_pin,
                "holder_name": s.holder_name,
                "key_type": s.key_type,
                "certificate": s.certificate_der.hex(),
            }
            for s in demo.signers
        ],
    }
    manifest.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _load(manifest: Path, module: Path) -> DemoTokens:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    base = manifest.parent
    config = SoftHsmConfig(base / "softhsm" / "softhsm2.conf", base / "softhsm" / "tokens", module)
    ca_path = Path(data["ca"]["cert"])
    ca_der = x509.load_pem_x509_certificate(ca_path.read_bytes()).public_bytes(Encoding.DER)
    ca = SoftwareCA(ca_path, Path(data["ca"]["key"]), ca_der)
    signers = []
    for item in data["signers"]:
        der = bytes.fromhex(item["certificate"])
        signers.append(
            DemoSigner(
                SignerRole(item["role"]),
                item["label"],
                item["user_pin"],
                item["holder_name"],
                item["key_type"],
                sha256_hex(der),
                der,
            )
        )
    return DemoTokens(config, ca, tuple(signers))
