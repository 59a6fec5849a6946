"""Sort arrows that point the way the list runs (issue 12 point 11: "the sort arrow is
inverted").

Qt draws an ascending column with a downward arrow (the Windows convention), so the list's
newest-first order showed ▲. Accountants read ▼ as "largest or newest at the top": this style
swaps the two arrows on the list's header, and nothing else.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

_SWAP = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
         QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}


class HeaderArrows(QProxyStyle):
    """▼ for a descending column (newest, largest first), ▲ for an ascending one."""

    def drawPrimitive(  # noqa: N802
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and \
                isinstance(option, QStyleOptionHeader) and option.sortIndicator in _SWAP:
            swapped = QStyleOptionHeader(option)
            swapped.sortIndicator = _SWAP[option.sortIndicator]
            super().drawPrimitive(element, swapped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def point_arrows_the_right_way(header: QHeaderView) -> HeaderArrows:
    """Give ``header`` the swapped arrows (kept alive by the header)."""
    style = HeaderArrows(header.style().name())
    style.setParent(header)
    header.setStyle(style)
    return style
