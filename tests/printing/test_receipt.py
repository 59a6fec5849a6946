"""The treasury's receipt (chứng từ báo nợ): issued by the sandbox for a paid voucher, fetched
by the sync, verified, kept, and reprinted offline in the treasury's part of the voucher."""

from __future__ import annotations

import copy
import json
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from pdf_tools import pdftotext

sys.path.insert(0, str(Path(__file__).parents[1] / "chaos"))
sys.path.insert(0, str(Path(__file__).parents[1] / "outbox"))

from signed_desk import TOKEN, UNIT, make_kit  # noqa: E402
from signed_vouchers import seed_signed  # noqa: E402

from treasury_desktop import paths  # noqa: E402
from treasury_desktop.api.connection import Connection, save_connection  # noqa: E402
from treasury_desktop.cli.main import main  # noqa: E402
from treasury_desktop.sandbox.receipts import ReceiptSigner, issue_receipt  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402
from treasury_desktop.signing.receipt import ReceiptInvalid, verify_receipt  # noqa: E402
from treasury_desktop.signing.testca import (  # noqa: E402
    SoftwareCA,
    generate_key,
    issue_certificate,
    make_test_ca,
)
from treasury_desktop.store.db import connect  # noqa: E402
from treasury_desktop.store.profile import ProfileStore  # noqa: E402
from treasury_desktop.store.receipts import ReceiptStore  # noqa: E402

VOUCHER = "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"
PAID_AT = datetime.now(UTC) - timedelta(minutes=5)  # the test certificates start an hour ago
HASH = "ab" * 32


def treasury_signer(folder: Path) -> tuple[SoftwareCA, ReceiptSigner]:
    """A sandbox treasury CA and the receipt-signing key it certified."""
    ca = make_test_ca(folder, common_name="KBNN Sandbox Root (TEST)")
    key = generate_key("EC P-256")
    cert = issue_certificate(ca, key.public_key(), holder_name="KBNN khu vực I (sandbox)",
                             unit_name="Kho bạc Nhà nước")
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return ca, ReceiptSigner(pem, (cert,))


def _issue(signer: ReceiptSigner) -> dict[str, Any]:
    return issue_receipt(signer, unit=UNIT, treasury="0011", voucher_id=VOUCHER,
                         content_hash=HASH, document={"lines": [{"amount": 1_234_000}]},
                         reference="261121_1171277_0011001", dossier="H26_1171277_001100101",
                         paid_at=PAID_AT.isoformat())


def _check(envelope: Any, roots: list[bytes], content_hash: str = HASH) -> Any:
    return verify_receipt(envelope, voucher_id=VOUCHER, unit=UNIT, content_hash=content_hash,
                          trusted_roots=roots)


def test_a_receipt_verifies_and_any_change_is_refused(tmp_path: Path) -> None:
    ca, signer = treasury_signer(tmp_path / "treasury")
    envelope = _issue(signer)
    receipt = _check(envelope, [ca.cert_der])
    assert receipt.reference == "261121_1171277_0011001" and receipt.amount == 1_234_000
    vietnam = timezone(timedelta(hours=7))
    assert receipt.accounting_date == PAID_AT.astimezone(vietnam).date().isoformat()
    assert [o.title for o in receipt.officers] == ["Kế toán", "Kế toán trưởng", "Giám đốc"]

    changed = copy.deepcopy(envelope)
    changed["receipt"]["amount"] = 1_234_001
    other_ca, _ = treasury_signer(tmp_path / "other")
    cases = {
        "receipt.bad_signature": (changed, [ca.cert_der], HASH),
        "receipt.untrusted": (envelope, [other_ca.cert_der], HASH),
        "receipt.no_trust": (envelope, [], HASH),
        "receipt.other_voucher": (envelope, [ca.cert_der], "cd" * 32),
        "receipt.malformed": ({"receipt": envelope["receipt"]}, [ca.cert_der], HASH),
    }
    for key, (given, roots, digest) in cases.items():
        with pytest.raises(ReceiptInvalid) as refused:
            _check(given, roots, digest)
        assert refused.value.message.key == key


def test_a_paid_voucher_is_fetched_verified_and_reprinted_offline(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kit = make_kit(tmp_path / "ca")
    ca, signer = treasury_signer(tmp_path / "treasury")
    trust = paths.treasury_trust_dir(data_dir)
    trust.mkdir(parents=True)
    (trust / "kbnn-sandbox.pem").write_bytes(ca.cert_path.read_bytes())
    conn = connect(paths.database_path(data_dir))
    [voucher_id] = seed_signed(conn, 1, sign=kit.sign)
    kit.register_on_desk(conn)
    home = ["--data-dir", str(data_dir)]
    monkeypatch.setenv("TREASURY_API_TOKEN", TOKEN)
    assert main([*home, "submit", voucher_id]) == 0
    config = kit.sandbox_config(step_seconds=0.02, return_rate=0.0).with_receipt_signer(signer)
    with running_sandbox(config) as sandbox:
        save_connection(ProfileStore(conn), Connection(sandbox.url, UNIT))
        assert main([*home, "outbox", "run", "--until-empty"]) == 0
        for _ in range(200):
            assert main([*home, "sync"]) == 0
            if ReceiptStore(conn).envelope(voucher_id) is not None:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("no receipt was kept")
        capsys.readouterr()
        status = sandbox.state.store.history(UNIT, voucher_id)[-1]
        assert status.status == "paid"
        reference = sandbox.state.store.document(UNIT, voucher_id).reference
    # The treasury is gone: the paper is printed from what the desk kept.
    out = tmp_path / "paid.pdf"
    assert main([*home, "voucher", "pdf", voucher_id, "--out", str(out)]) == 0
    text = " ".join(pdftotext(out).split())
    assert f"Số chứng từ KBNN: {reference}" in text
    assert "Ngày hạch toán:" in text
    for name in ("Lê Thị Hồng", "Phạm Văn Đức", "Nguyễn Văn Bình"):
        assert f"Người ký: {name}" in text
    assert "Đơn vị: Kho bạc Nhà nước" in text
    stored = ReceiptStore(conn).envelope(voucher_id)
    assert json.dumps(stored).count(voucher_id) == 1
    conn.close()


def test_a_receipt_that_fails_verification_is_not_printed(
    data_dir: Path, tmp_path: Path,
) -> None:
    kit = make_kit(tmp_path / "ca")
    ca, signer = treasury_signer(tmp_path / "treasury")
    conn = connect(paths.database_path(data_dir))
    [voucher_id] = seed_signed(conn, 1, sign=kit.sign)
    stored = conn.execute("SELECT content_hash FROM vouchers WHERE id = ?",
                          (voucher_id,)).fetchone()[0]
    envelope = issue_receipt(signer, unit=UNIT, treasury="0011", voucher_id=voucher_id,
                             content_hash=stored, document={"lines": []}, reference="R-1",
                             dossier="D-1", paid_at=PAID_AT.isoformat())
    envelope["receipt"]["reference"] = "R-2"  # changed after signing
    ReceiptStore(conn).keep(voucher_id, envelope, reference="R-2", dossier="D-1",
                            accounting_date="2026-11-21", fetched_at="2026-11-21T03:00:00+00:00")
    trust = paths.treasury_trust_dir(data_dir)
    trust.mkdir(parents=True)
    (trust / "kbnn.pem").write_bytes(ca.cert_path.read_bytes())
    out = tmp_path / "x.pdf"
    assert main(["--data-dir", str(data_dir), "voucher", "pdf", voucher_id, "--out",
                 str(out)]) == 0
    text = pdftotext(out)
    assert "R-2" not in text and "Ngày hạch toán" not in text
    conn.close()
