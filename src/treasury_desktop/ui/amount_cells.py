"""Amounts and states are never cut (issue 12 points 5 and 12): "3.002.345.6…" must not happen.

The amount column is made wide enough for an amount in the billions (tỷ) at the table's font;
a larger amount than the column holds is drawn in a smaller font rather than elided.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

WIDEST_USUAL = "99.999.999.999"  # 99 tỷ: the column holds this at the table's own font
PADDING = 14  # the cell's margins on both sides
SMALLEST_POINT = 5.0

_Index = QModelIndex | QPersistentModelIndex


def font_to_fit(font: QFont, text: str, room: int) -> QFont:
    """``font``, made smaller (never below 5 pt) until ``text`` fits in ``room`` pixels."""
    fitted = QFont(font)
    size = fitted.pointSizeF() if fitted.pointSizeF() > 0 else 9.0
    while QFontMetrics(fitted).horizontalAdvance(text) > room and size > SMALLEST_POINT:
        size -= 0.5
        fitted.setPointSizeF(size)
    return fitted


class AmountDelegate(QStyledItemDelegate):
    """Draws an amount whole: in a smaller font when the column is narrower than it."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideNone
        text = str(option.text)
        room = option.rect.width() - PADDING
        if text and room > 0:
            option.font = font_to_fit(option.font, text, room)


def show_amounts_whole(table: QAbstractItemView, column: int) -> AmountDelegate:
    """Give ``column`` of ``table`` the amount delegate; widen it for amounts in the billions."""
    return show_whole(table, column, [WIDEST_USUAL])


def show_whole(table: QAbstractItemView, column: int, samples: Sequence[str] = ()
               ) -> AmountDelegate:
    """``column`` never elided: as wide as the widest of ``samples`` (an amount in the
    billions), and anything wider drawn in a smaller font (a long state on a laptop)."""
    delegate = AmountDelegate(table)
    table.setItemDelegateForColumn(column, delegate)
    metrics = QFontMetrics(table.font())
    needed = max((metrics.horizontalAdvance(s) for s in samples), default=0) + PADDING
    header = getattr(table, "horizontalHeader", None)
    if header is not None and header().sectionSize(column) < needed:
        header().resizeSection(column, needed)
    return delegate
