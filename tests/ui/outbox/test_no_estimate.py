"""Issue 12 point 3: a line on a combination without any estimate is warned before signing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from outbox_rig import Rig
from pytestqt.qtbot import QtBot
from ui_harness import UNIT, voucher

from treasury_desktop.api.port import BudgetBalance
from treasury_desktop.domain.voucher import BudgetLine, Voucher
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.sync.balances import BalanceBook
from treasury_desktop.ui.outbox.estimate_warning import EstimateCheck, EstimateWarningLabel


def test_a_combination_without_estimate_is_a_warning_like_an_over_estimate(
    qtbot: QtBot, rig: Rig,
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1, minutes=2)
    treasury = FakeTreasury(balances_items=(
        BudgetBalance("422", "072", "13", estimate=50_000_000, remaining=20_000_000),))
    BalanceBook(rig.conn, lambda: an_hour_ago).refresh(treasury, UNIT.code, 2026)
    known = voucher(1, amount=1_500_000)
    unknown = known.with_changes(lines=(
        BudgetLine(content="Mua sắm", ndkt="6501", chapter="422", industry="073", source="13",
                   amount=2_000_000),))
    label = EstimateWarningLabel()
    qtbot.addWidget(label)
    shown: list[Voucher] = [known]
    check = EstimateCheck(label, lambda: shown[0], rig.bridge.over_estimate)
    check.check_now()
    qtbot.wait(200)
    assert not label.warnings  # a known estimate with room: nothing to say
    shown[0] = unknown
    check.edited()
    qtbot.waitUntil(lambda: bool(label.warnings), timeout=3000)
    (warning,) = label.warnings
    assert warning.no_estimate and (warning.chapter, warning.industry) == ("422", "073")
    assert label.text() == (
        "Đơn vị chưa có dự toán cho chương 422, ngành kinh tế 073, nguồn 13 (số liệu Kho bạc"
        " cập nhật 1 giờ trước): Kho bạc sẽ từ chối khoản 2.000.000 đồng này. Hãy kiểm tra lại"
        " mã chương, ngành, nguồn trước khi ký.")
    assert warning.render("en").startswith("The unit has no estimate for chapter 422")
    shown[0] = known
    check.edited()
    qtbot.waitUntil(lambda: not label.warnings, timeout=3000)
