"""Every form on A4, read back with poppler: title, code, number, each line's codes and
amounts as 1.234.567, the total, the amount in words, fonts embedded, numbered pages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from pdf_tools import fonts, page_count, pdftotext, png_page, zbar
from print_documents import FORMS, STATEMENT, document, many_lines

from treasury_desktop.domain.canonical import canonical_bytes
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.printing.job import PrintJob
from treasury_desktop.printing.layout import find_layout, shipped_layouts
from treasury_desktop.printing.render import render_pdf
from treasury_desktop.printing.view import DocumentView


def _write(tmp_path: Path, name: str, *docs: dict[str, Any]) -> Path:
    jobs = [PrintJob(d, hashlib.sha256(canonical_bytes(d)).hexdigest()) for d in docs]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_pdf(jobs))
    return path


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_form_the_app_drafts_has_a_layout() -> None:
    codes = {layout.form for layout in shipped_layouts()}
    assert set(FORMS) | {"statement"} <= codes


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_prints_its_parts(form: str, tmp_path: Path) -> None:
    doc = document(form)
    pdf = _write(tmp_path, form.replace("/", "_"), doc)
    text = _flat(pdftotext(pdf))
    layout = find_layout(form)
    assert layout is not None
    assert FORMS[form]["title"] in text
    assert f"Ký hiệu: {form}" in text
    if layout.form_number:
        assert layout.form_number in text
    assert "Số: 125" in text
    for line in doc["lines"]:
        for code in (line.get("ndkt"), line.get("chapter"), line.get("industry"),
                     line["source"]):
            if code:
                assert code in text
        assert format_vnd(line["amount"]) in text
    total = sum(line["amount"] for line in doc["lines"])
    assert re.search(rf"Tổng cộng: {re.escape(format_vnd(total))}\b", text)
    words = DocumentView(doc).text("amount_in_words", "words")
    assert words.endswith("đồng chẵn./.") and _flat(words) in text
    assert "Ngày 20 tháng 11 năm 2026" in text
    assert "PHẦN KBNN GHI" in text and "KHO BẠC NHÀ NƯỚC" in text
    assert "Kế toán trưởng" in text and "(1)" in text and "(4)" in text
    assert "Trang 1/1" in text
    rows = fonts(pdf)
    assert rows and all(row[-5] == "yes" for row in rows), rows  # the "emb" column


def test_cash_recipient_and_checkboxes(tmp_path: Path) -> None:
    doc = document("C2-02a/NS", method="cash_bank", payment_kind="advance",
                   payee=FORMS["C4-02a/KB"]["payee"])
    text = _flat(pdftotext(_write(tmp_path, "cash", doc)))
    assert "Hoặc người nhận tiền: Hoàng Thị Mai" in text
    assert "019190001234" in text and "15/04/2021" in text
    assert "Đơn vị nhận tiền: .........." in text  # the transfer lines stay blank
    assert "X Tạm ứng" in text and "X Tiền mặt tại NH" in text
    assert "X Thực chi" not in text and "X Chuyển khoản" not in text


def test_tax_voucher_splits_each_line_and_reads_both_totals(tmp_path: Path) -> None:
    doc = document("C2-02b/NS")
    text = _flat(pdftotext(_write(tmp_path, "tax", doc)))
    assert "Chia ra" in text and "Nộp thuế" in text and "(8)" in text
    assert "43.750.000" in text  # 45.000.000 - 1.250.000 for the payee
    assert "NỘP THUẾ" in text and "THANH TOÁN CHO ĐƠN VỊ HƯỞNG" in text
    assert "4600123456" in text and "1001" in text and "557" in text and "02/2023" in text
    assert "Tổng số tiền nộp thuế: 1.250.000" in text
    assert "Một triệu hai trăm năm mươi nghìn đồng chẵn./." in text
    assert "47.250.000" in text  # paid to the unit: 48.500.000 - 1.250.000


def test_payment_order_without_lines_prints_its_content_and_amount(tmp_path: Path) -> None:
    doc = document("C4-02a/KB", lines=[], content="Chuyển tiền học bổng", amount=7_500_000)
    text = _flat(pdftotext(_write(tmp_path, "c4", doc)))
    assert "Chuyển tiền học bổng" in text and "Tổng cộng: 7.500.000" in text
    assert "Bảy triệu năm trăm nghìn đồng chẵn./." in text


def test_statement_follows_its_voucher_on_a_new_page(tmp_path: Path) -> None:
    doc = document("C2-02a/NS", statement=STATEMENT)
    pdf = _write(tmp_path, "statement", doc)
    assert page_count(pdf) == 2
    second = _flat(pdftotext(pdf, first=2, last=2))
    assert "BẢNG KÊ NỘI DUNG THANH TOÁN/TẠM ỨNG" in second and "Mẫu số 07" in second
    assert "Kèm theo Giấy rút dự toán ngân sách nhà nước số: 125" in second
    assert "X Thanh toán trực tiếp" in second
    assert "02/11/2026" in second and "1.152.263" in second
    assert "Tổng cộng: 4.690.789" in second
    assert "Bốn triệu sáu trăm chín mươi nghìn bảy trăm tám mươi chín đồng chẵn./." in second


def test_forty_lines_flow_onto_numbered_pages_with_the_header_repeated(tmp_path: Path) -> None:
    doc = document("C2-02a/NS", lines=many_lines(40))
    pdf = _write(tmp_path, "long", doc)
    pages = page_count(pdf)
    assert pages >= 2
    for n in range(1, pages + 1):
        page = pdftotext(pdf, first=n, last=n)
        assert f"Trang {n}/{pages}" in page
        if n > 1:
            assert "(tiếp theo)" in page
    text = _flat(pdftotext(pdf))
    for i in (0, 19, 39):
        assert f"Chi hoạt động dòng số {i + 1} " in text
        assert format_vnd(1_000_000 + i) in text
    assert f"Tổng cộng: {format_vnd(sum(1_000_000 + i for i in range(40)))}" in text


def test_rows_on_a_following_page_come_under_the_repeated_header(tmp_path: Path) -> None:
    pdf = _write(tmp_path, "longer", document("C2-02a/NS", lines=many_lines(90)))
    pages = page_count(pdf)
    assert pages >= 3
    for n in range(2, pages + 1):
        page = _flat(pdftotext(pdf, first=n, last=n))
        if "Chi hoạt động dòng số" in page:
            assert "Nội dung thanh toán" in page and "(6)" in page, n  # the header, repeated
    assert "Chi hoạt động dòng số 90 " in _flat(pdftotext(pdf, first=pages - 1))


def test_several_vouchers_each_start_a_page_and_count_their_own(tmp_path: Path) -> None:
    long = document("C2-02a/NS", lines=many_lines(40), number="7")
    short = document("C2-12/NS", number="8")
    pdf = _write(tmp_path, "two", long, short)
    pages = page_count(pdf)
    last = _flat(pdftotext(pdf, first=pages, last=pages))
    assert "Số: 8" in last and "Trang 1/1" in last
    assert f"Trang {pages - 1}/{pages - 1}" in _flat(pdftotext(pdf, first=pages - 1,
                                                                last=pages - 1))


def test_an_unsigned_draft_says_so(tmp_path: Path) -> None:
    assert "BẢN NHÁP" in pdftotext(_write(tmp_path, "draft", document("C2-02a/NS")))


def test_the_qr_code_carries_the_id_and_the_content_hash(tmp_path: Path) -> None:
    doc = document("C2-02a/NS")
    pdf = _write(tmp_path, "qr", doc)
    [decoded] = zbar(png_page(pdf, 1, 150, tmp_path / "qr"))
    digest = hashlib.sha256(canonical_bytes(doc)).hexdigest()
    assert decoded == f"TDV1;id={doc['id']};sha256={digest}"
