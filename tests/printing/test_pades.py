"""A printed voucher signed as PDF (PAdES) by both session SoftHSM2 tokens in turn, checked by
poppler's pdfsig and pyHanko's validator; one changed byte breaks both."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from test_print_command import run

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.testca import generate_key, issue_certificate
from treasury_desktop.signing.token import SignatureAlgorithm
from treasury_desktop.signing.verify import verify_detached


def _pdfsig(pdf: Path) -> str:
    done = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def _pyhanko(pdf: bytes, ca_der: bytes) -> list[tuple[str, bool, bool]]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context = ValidationContext(trust_roots=[x509.Certificate.load(ca_der)])
    out = []
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, context)
        out.append((sig.field_name, status.intact and status.valid, status.trusted))
    return out


def test_both_signers_sign_the_pdf_in_turn(
    data_dir: Path, softhsm: Any, example_file: Path, tmp_path: Path,
) -> None:
    module = str(softhsm.config.module_path)
    voucher_id = run(data_dir, "voucher", "new", "--json", str(example_file)).stdout.strip()
    for role, label in (("chief-accountant", "KTT-RSA"), ("account-holder", "CTK-EC")):
        assert run(data_dir, "signers", "add", "--role", role, "--module", module,
                   "--token", label).returncode == 0
    out = tmp_path / "signed.pdf"
    no_pin = run(data_dir, "voucher", "pdf", voucher_id, "--out", str(out), "--sign",
                 "--role", "chief-accountant", "--module", module, "--token", "KTT-RSA")
    assert no_pin.returncode == 1 and "TREASURY_PIN" in no_pin.stderr and not out.exists()
    first = run(data_dir, "voucher", "pdf", voucher_id, "--out", str(out), "--sign", "--role",
                "chief-accountant", "--module", module, "--token", "KTT-RSA",
                pin=softhsm.chief.user_pin)
    assert first.returncode == 0, first.stderr
    after_first = out.read_bytes()
    second = run(data_dir, "voucher", "pdf", voucher_id, "--out", str(out), "--sign", "--role",
                 "account-holder", "--module", module, "--token", "CTK-EC",
                 pin=softhsm.holder.user_pin)
    assert second.returncode == 0, second.stderr
    signed = out.read_bytes()
    assert signed.startswith(after_first)  # an incremental update: the first bytes stay

    report = _pdfsig(out)
    assert report.count("Signature is Valid.") == 2, report
    assert "Nguyễn Thị Lan" in report and "Trần Văn Minh" in report
    checked = _pyhanko(signed, softhsm.ca.cert_der)
    assert [(name, ok, trusted) for name, ok, trusted in checked] == [
        ("KeToanTruong", True, True), ("ChuTaiKhoan", True, True)]

    again = run(data_dir, "voucher", "pdf", voucher_id, "--out", str(out), "--sign", "--role",
                "account-holder", "--module", module, "--token", "CTK-EC",
                pin=softhsm.holder.user_pin)
    assert again.returncode == 1 and "Traceback" not in again.stderr

    where = signed.index(b"treasury-desktop")  # the producer, inside the first signed range
    tampered = bytearray(signed)
    tampered[where] ^= 0x01
    broken = tmp_path / "tampered.pdf"
    broken.write_bytes(bytes(tampered))
    assert "Signature is Valid." not in _pdfsig(broken)
    assert not any(ok for _, ok, _ in _pyhanko(bytes(tampered), softhsm.ca.cert_der))


def test_voucher_signing_still_works_once_pyhanko_is_loaded(softhsm: Any) -> None:
    """pyHanko registers its own class for the signer-attributes-v2 attribute in asn1crypto;
    our CAdES signatures (the role attribute) must not depend on that registry."""
    import pyhanko.sign  # noqa: F401 - the import is the point

    key = generate_key("EC P-256")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    cert = issue_certificate(softhsm.ca, key.public_key(), holder_name="Nguyễn Thị Lan",
                             unit_name="Trường THCS Phú Lương")
    content = b'{"id":"x"}'
    cms_der = add_signature(content, None, cert, SignerRole.CHIEF_ACCOUNTANT,
                            lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())),
                            SignatureAlgorithm.ECDSA_SHA256, datetime.now(UTC))
    [signer] = verify_detached(content, cms_der, trusted_roots=[softhsm.ca.cert_der])
    assert signer.role is SignerRole.CHIEF_ACCOUNTANT
