"""The editor's warning when a voucher exceeds the remaining estimate the desk knows.

The figure comes from the treasury's balances, cached for offline use, so the warning says how
old it is ("số liệu Kho bạc cập nhật 3 giờ trước"): an accountant on a weak link can judge it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from treasury_desktop.domain.voucher import Voucher

if TYPE_CHECKING:  # the balances load with the first estimate (cold start)
    from treasury_desktop.sync.balances import EstimateWarning

CHECK_MS = 500  # after the last keystroke

OverEstimate = Callable[[Voucher, Callable[[list["EstimateWarning"]], None]], None]


class EstimateWarningLabel(QLabel):
    """A quiet amber note under the total; hidden while the voucher is within the estimate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("estimateWarning")
        self.setWordWrap(True)
        self.setTextInteractionFlags(self.textInteractionFlags())
        self.setStyleSheet("background: #fff4d6; color: #6a4b00; padding: 4px 8px;"
                           " border-left: 3px solid #9a6700;")
        self.warnings: tuple[EstimateWarning, ...] = ()
        self.hide()

    def set_warnings(self, warnings: Sequence[EstimateWarning]) -> None:
        """Show one sentence per budget code that goes over (or hide)."""
        self.warnings = tuple(warnings)
        self.setText("\n".join(w.render() for w in self.warnings))
        self.setVisible(bool(self.warnings))


class EstimateCheck(QObject):
    """Re-checks the voucher shown against the balances after edits and when one is opened.

    ``voucher`` gives the voucher as the editor shows it (None when none is open);
    ``over_estimate`` runs the check on the worker and calls back on the GUI thread.
    """

    def __init__(self, label: EstimateWarningLabel, voucher: Callable[[], Voucher | None],
                 over_estimate: OverEstimate, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._voucher = voucher
        self._over_estimate = over_estimate
        self._generation = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_now)

    def edited(self) -> None:
        """The accountant typed: check again shortly."""
        self.timer.start()

    def check_now(self, _voucher_id: object = None) -> None:
        """Check the voucher shown now (also the slot for the editor's ``opened``)."""
        self.timer.stop()
        voucher = self._voucher()
        self._generation += 1
        if voucher is None:
            self._label.set_warnings(())
            return
        generation = self._generation

        def show(warnings: list[EstimateWarning]) -> None:
            if generation == self._generation:  # an older answer must not win
                self._label.set_warnings(warnings)

        self._over_estimate(voucher, show)
