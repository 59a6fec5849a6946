"""English plurals instead of "(s)"."""

from __future__ import annotations

from treasury_desktop.i18n import english, text


def test_the_number_before_a_word_decides_its_plural() -> None:
    assert english("Sign 1 voucher(s), total 3.702 VND") == "Sign 1 voucher, total 3.702 VND"
    assert english("Sign 3 voucher(s)") == "Sign 3 vouchers"
    assert english("1 other selected voucher(s) cannot") == "1 other selected voucher cannot"
    assert english("Signed 1 of 2 voucher(s).") == "Signed 1 of 2 vouchers."
    assert english("Signing 2/1 voucher(s)") == "Signing 2/1 voucher"
    assert english("2.001 voucher(s)") == "2.001 vouchers"
    assert english("0 problem(s)") == "0 problems"
    assert english("applied 1 status change(s)") == "applied 1 status change"
    assert english("Sheet «Sheet 1», row(s) 3: refused") == "Sheet «Sheet 1», row(s) 3: refused"


def test_english_messages_use_plurals_and_vietnamese_is_untouched() -> None:
    summary = "ui.signing.pin.summary"
    assert text(summary, "en", count=1, total="5") == "Sign 1 voucher, total 5 VND"
    assert text(summary, "en", count=2, total="5") == "Sign 2 vouchers, total 5 VND"
    assert text(summary, "vi", count=1, total="5").startswith("Ký 1 chứng từ")
