"""The demo treasury's receipt key: a sandbox treasury CA made for the demo folder, whose root
the demo desk trusts, so paid demo vouchers come back with a verifiable chứng từ báo nợ."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization

from treasury_desktop import paths
from treasury_desktop.sandbox.receipts import ReceiptSigner
from treasury_desktop.signing.testca import generate_key, issue_certificate, make_test_ca


def demo_receipt_signer(data_dir: Path, folder: Path) -> ReceiptSigner:
    """A receipt signer under a fresh demo treasury CA; the desk's trust folder gets its root."""
    ca = make_test_ca(folder / "treasury-ca", common_name="KBNN Sandbox Root (DEMO)")
    key = generate_key("EC P-256")
    cert = issue_certificate(ca, key.public_key(), holder_name="KBNN khu vực I (sandbox)",
                             unit_name="Kho bạc Nhà nước")
    trust = paths.treasury_trust_dir(data_dir)
    trust.mkdir(parents=True, exist_ok=True)
    (trust / "kbnn-sandbox-demo.pem").write_bytes(ca.cert_path.read_bytes())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return ReceiptSigner(pem, (cert,))
