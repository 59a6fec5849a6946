"""Laying fields out like the paper form: rows of one to three fields on a shared grid."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from treasury_desktop.domain.forms import FormSpec
from treasury_desktop.domain.voucher import PaymentMethod
from treasury_desktop.ui.fields import ChoiceField, FieldBox

COLUMNS = 6  # a row of 1, 2 or 3 fields shares them evenly


def place(spec: FormSpec, name: str, row: list[str]) -> tuple[int, int]:
    """(slot, fields in the row) under the payment method for which ``name`` shows."""
    for method in spec.methods or (PaymentMethod.TRANSFER,):
        shown = [n for n in row if n in spec.fields_for(method)]
        if name in shown:
            return shown.index(name), len(shown)
    return row.index(name), len(row)


def add_section(
    column: QVBoxLayout, rows: list[list[str]], spec: FormSpec, widgets: Mapping[str, QWidget]
) -> dict[str, FieldBox]:
    """Lay ``rows`` out so that labels and fields line up; the labelled boxes by field."""
    boxes: dict[str, FieldBox] = {}
    if not rows:
        return boxes
    grid = QGridLayout()
    grid.setHorizontalSpacing(14)
    grid.setVerticalSpacing(5)
    label_width: dict[tuple[int, int], int] = {}
    places: dict[str, tuple[int, int]] = {}
    for r, names in enumerate(rows):
        for name in names:
            slot, count = place(spec, name, names)
            span = COLUMNS // count
            widget = widgets[name]
            label = "" if isinstance(widget, ChoiceField) else spec.label(name)
            box = FieldBox(label, widget)
            boxes[name] = box
            # Fields of the other payment method share the cell; only one is shown.
            grid.addWidget(box, r, slot * span, 1, span)
            places[name] = (count, slot)
            width = box.label.sizeHint().width() if label else 0
            label_width[(count, slot)] = max(label_width.get((count, slot), 0), width)
    for name, where in places.items():
        boxes[name].label.setMinimumWidth(label_width[where])
    for col in range(COLUMNS):
        grid.setColumnStretch(col, 1)
    column.addLayout(grid)
    return boxes
