"""``voucher pdf`` as a user runs it: a real process over a real store, signed with SoftHSM2."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pdf_tools import page_count, pdftotext, png_page, zbar


def run(data_dir: Path, *args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    env.pop("TREASURY_PIN", None)
    if pin is not None:
        env["TREASURY_PIN"] = pin
    return subprocess.run([sys.executable, "-m", "treasury_desktop", *args], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def signed_voucher(data_dir: Path, softhsm: Any, example_file: Path) -> str:
    """The example voucher, signed by both session tokens through the command line."""
    module = str(softhsm.config.module_path)
    voucher_id = run(data_dir, "voucher", "new", "--json", str(example_file)).stdout.strip()
    assert run(data_dir, "trust", "add", str(softhsm.ca.cert_path)).returncode == 0
    for role, label, pin in (("chief-accountant", "KTT-RSA", softhsm.chief.user_pin),
                             ("account-holder", "CTK-EC", softhsm.holder.user_pin)):
        added = run(data_dir, "signers", "add", "--role", role, "--module", module,
                    "--token", label)
        assert added.returncode == 0, added.stderr
        signed = run(data_dir, "sign", voucher_id, "--role", role, "--module", module,
                     "--token", label, pin=pin)
        assert signed.returncode == 0, signed.stderr
    return voucher_id


def test_signed_and_draft_vouchers_in_one_file(
    data_dir: Path, softhsm: Any, example_file: Path, tmp_path: Path,
    example_document: dict[str, Any],
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=2)
    signed_id = signed_voucher(data_dir, softhsm, example_file)
    after = datetime.now(UTC) + timedelta(seconds=2)
    draft_file = tmp_path / "draft.json"
    del example_document["id"], example_document["total"], example_document["amount_in_words"]
    example_document["number"] = "126"
    draft_file.write_text(json.dumps(example_document), encoding="utf-8")
    voucher_id = run(data_dir, "voucher", "new", "--json", str(draft_file)).stdout.strip()

    out = tmp_path / "both.pdf"
    done = run(data_dir, "voucher", "pdf", signed_id, voucher_id, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert page_count(out) == 2
    signed_page = " ".join(pdftotext(out, first=1, last=1).split())
    draft_page = " ".join(pdftotext(out, first=2, last=2).split())
    assert "Số: 125" in signed_page and "Số: 126" in draft_page
    assert "BẢN NHÁP" not in signed_page and "BẢN NHÁP" in draft_page
    for name, title in (("Nguyễn Thị Lan", "Kế toán trưởng"), ("Trần Văn Minh", "Chủ tài khoản")):
        assert f"Người ký: {name}" in signed_page
        assert f"Chức danh: {title}" in signed_page
    assert "Đơn vị: Trường THCS Phú Lương" in signed_page
    times = re.findall(r"Ngày ký: (\d\d/\d\d/\d{4} \d\d:\d\d:\d\d)", signed_page)
    assert len(times) == 2
    vietnam = timezone(timedelta(hours=7))
    for stamp in times:
        moment = datetime.strptime(stamp, "%d/%m/%Y %H:%M:%S").replace(tzinfo=vietnam)
        assert before <= moment <= after
    assert "Người ký" not in draft_page

    exported = run(data_dir, "export", signed_id, "--out", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    digest = hashlib.sha256((tmp_path / "export" / f"{signed_id}.json").read_bytes()).hexdigest()
    [decoded] = zbar(png_page(out, 1, 150, tmp_path / "page1"))
    assert decoded == f"TDV1;id={signed_id};sha256={digest}"


def test_an_unknown_voucher_is_a_plain_refusal(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    done = run(data_dir, "voucher", "pdf", "0193a9c6-5f1e-7c2a-9d7e-000000000000", "--out",
               str(out))
    assert done.returncode == 1 and "Không tìm thấy chứng từ" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_stored_payroll_and_statement_vouchers_print_their_parts(
    data_dir: Path, tmp_path: Path, example_document: dict[str, Any],
) -> None:
    """Through the store and the document model: a C2-02b/NS payroll voucher (tests/data) and a
    C2-02a/NS with its Bảng kê, printed into one file."""
    payroll = Path(__file__).parents[1] / "data" / "payroll_c2_02b.json"
    payroll_id = run(data_dir, "voucher", "new", "--json", str(payroll))
    assert payroll_id.returncode == 0, payroll_id.stderr
    example_document["statement"] = {"kind": "direct", "items": [
        {"document_number": "HĐ 0012", "document_date": "2026-11-02", "ndkt": "6501",
         "content": "Tiền điện tháng 10/2026", "quantity": 2, "unit_price": 617_000,
         "amount": 1_234_000}]}
    with_statement = tmp_path / "statement.json"
    with_statement.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    statement_id = run(data_dir, "voucher", "new", "--json", str(with_statement))
    assert statement_id.returncode == 0, statement_id.stderr
    out = tmp_path / "stored.pdf"
    done = run(data_dir, "voucher", "pdf", payroll_id.stdout.strip(),
               statement_id.stdout.strip(), "--out", str(out))
    assert done.returncode == 0, done.stderr
    pages = page_count(out)  # the payroll voucher (1 or 2 pages), the C2-02a/NS, its Bảng kê
    assert pages in (3, 4)
    payroll_page = " ".join(pdftotext(out, first=1, last=1).split())
    assert f"Trang 1/{pages - 2}" in payroll_page
    assert "Ký hiệu: C2-02b/NS" in payroll_page and "Chia ra" in payroll_page
    assert "Tổng cộng: 91.785.500 1.755.000 90.030.500" in payroll_page
    assert "Tổng số tiền nộp thuế: 1.755.000" in payroll_page
    assert "Mã số thuế: 4600123456" in payroll_page and "Kỳ thuế: 02/2026" in payroll_page
    assert "Một triệu bảy trăm năm mươi lăm nghìn đồng chẵn./." in payroll_page
    statement_page = " ".join(pdftotext(out, first=pages, last=pages).split())
    assert "BẢNG KÊ NỘI DUNG THANH TOÁN/TẠM ỨNG" in statement_page
    assert "0012" in statement_page and "02/11/2026" in statement_page
    assert "617.000" in statement_page and "Tổng cộng: 1.234.000" in statement_page
