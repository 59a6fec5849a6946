"""The window with real vouchers: a C2-02b/NS shows its tax and payee parts live, and
warnings (an unknown code, a reused number) sit beside their fields, apart from errors, and
never block."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.voucher import from_document

PAYROLL = Path(__file__).parents[1] / "data" / "payroll_c2_02b.json"


def test_a_payroll_voucher_shows_its_tax_and_payee_parts(qtbot: QtBot, desk: Desk) -> None:
    payroll = from_document(json.loads(PAYROLL.read_text("utf-8")))
    desk.add(payroll)
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, payroll.id)
        editor = window.editor
        assert editor.spec.code == "C2-02b/NS"
        assert editor.grid().columns[-1] == "tax_amount"
        split = editor.lines.split_label
        assert split.isVisible()
        assert "1.755.000" in split.text() and "90.030.500" in split.text()
        assert "Một triệu bảy trăm năm mươi lăm nghìn đồng" in split.text()
        shown = editor.voucher()
        assert shown is not None and shown.tax == payroll.tax
        assert [line.tax_amount for line in shown.lines] == [
            line.tax_amount for line in payroll.lines
        ]
        # Typing a tax amount updates the parts at once.
        grid = editor.grid()
        grid.item(1, grid.columns.index("tax_amount")).setText("100.000")
        assert "1.855.000" in split.text()
        settle(qtbot, window)


def test_warnings_sit_beside_their_fields_and_never_block(qtbot: QtBot, desk: Desk) -> None:
    first = desk.add(voucher(1))
    second = desk.add(voucher(2, number="1", program_code="99999"))
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, second.id)
        editor = window.editor
        number, program = editor.box("number"), editor.box("program_code")
        assert number.warning and "đã dùng" in number.error
        assert program.warning and "Kho bạc sẽ quyết định" in program.error
        assert not editor.box("payee.account").error
        # An error on the same form stays red, beside its own field.
        editor.widget("payee.account").setText("abc123456")
        window.editing.save_now()
        qtbot.waitUntil(lambda: bool(editor.box("payee.account").error))
        assert not editor.box("payee.account").warning
        assert editor.box("number").warning
        settle(qtbot, window)
    stored = desk.repo.get(first.id)
    assert stored is not None and stored.problems == 0  # its warnings do not count
