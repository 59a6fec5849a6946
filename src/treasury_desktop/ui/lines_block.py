"""The budget lines with what follows them on paper: Tổng cộng and Bằng chữ; and where each
problem of a voucher is shown (beside a field, on a grid cell, or above the form)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from treasury_desktop.domain.money import MAX_AMOUNT
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.ui.field_input import screen_message
from treasury_desktop.ui.fields import ElidedLabel
from treasury_desktop.ui.lines_grid import COLUMNS, BudgetLinesGrid
from treasury_desktop.ui.texts import money, t

_LINE_PATH = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")
_LINES_LEVEL = ("lines", "total", "amount_in_words")


@dataclass
class ProblemPlaces:
    """Problems sorted by where they are shown."""

    fields: dict[str, str] = field(default_factory=dict)  # field path -> first message
    cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> message
    lines: list[str] = field(default_factory=list)  # under the grid
    general: list[str] = field(default_factory=list)  # above the form


def place_problems(
    problems: Sequence[Problem],
    fields: Collection[str],
    has_lines: bool,
    columns: Sequence[str] = COLUMNS,
) -> ProblemPlaces:
    """Beside its field if the form shows it; ``lines[i].x`` on its cell; the rest on top."""
    places = ProblemPlaces()
    for problem in problems:
        message = screen_message(problem)  # dates as the fields show them
        match = _LINE_PATH.match(problem.field)
        if match and has_lines:
            column = columns.index(match.group(2)) if match.group(2) in columns else 0
            places.cells[(int(match.group(1)), column)] = message
            places.lines.append(
                t("editor.line_problem", line=int(match.group(1)) + 1, text=message)
            )
        elif problem.field in fields:
            places.fields.setdefault(problem.field, message)
        elif problem.field in _LINES_LEVEL and has_lines:
            places.lines.append(message)
        else:
            places.general.append(message)
    return places


def keep_room(label: QLabel, lines: int) -> None:
    """``label`` keeps the room of ``lines`` lines, shown or hidden: the form does not jump."""
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines + 2)


class LinesBlock(QWidget):
    """The grid, its problems in words, the live total and the amount in words."""

    def __init__(self, grid: BudgetLinesGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(grid, 1)
        # The names of the current line's codes in plain view (nguồn 12 and 13 differ here).
        self.names = ElidedLabel()
        self.names.setObjectName("lineCodeNames")
        self.names.setMinimumHeight(self.names.fontMetrics().height() + 2)
        layout.addWidget(self.names)
        grid.currentCellChanged.connect(lambda *_cells: self._name_codes())
        grid.changed.connect(self._name_codes)
        self.note = QLabel()
        self.note.setObjectName("linesNote")
        keep_room(self.note, 1)  # the lines' problems: their first line's room is kept
        self.note.hide()
        layout.addWidget(self.note)
        total_row = QHBoxLayout()
        total_row.addStretch(1)
        total_row.addWidget(QLabel(t("editor.total")))
        self.total_label = QLabel("0")
        self.total_label.setObjectName("totalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_label.setMinimumWidth(116)
        total_row.addWidget(self.total_label)
        layout.addLayout(total_row)
        self.words_label = QLabel()
        self.words_label.setObjectName("wordsLabel")
        self.words_label.setWordWrap(True)
        keep_room(self.words_label, 2)  # Bằng chữ grows with the amount: two lines kept
        layout.addWidget(self.words_label)
        self.split_label = QLabel()  # C2-02b/NS: the tax part and the payee's part
        self.split_label.setObjectName("splitLabel")
        self.split_label.setWordWrap(True)
        self.split_label.hide()
        layout.addWidget(self.split_label)

    def _name_codes(self) -> None:
        row = self.grid.currentRow()
        names = self.grid.code_names(row)
        shown = t("lines.names", row=row + 1, names="  ·  ".join(names)) if names else ""
        self.names.setText(shown)
        self.names.setToolTip("\n".join(names))
        self.names.update()

    def show_totals(self, voucher: Voucher) -> None:
        """Tổng cộng and Bằng chữ for the lines as typed."""
        self.total_label.setText(f"<b>{money(voucher.total)}</b>")
        # Beyond the maximum there are no words (validation says why).
        words = voucher.amount_in_words if voucher.total <= MAX_AMOUNT else ""
        self.words_label.setText(t("editor.words", words=words) if words else "")
        self.split_label.setVisible(voucher.withholds_tax)
        if voucher.withholds_tax and voucher.total <= MAX_AMOUNT:
            self.split_label.setText(t(
                "editor.split", tax=money(voucher.tax_total), payee=money(voucher.payee_total),
                tax_words=voucher.tax_in_words or "—", payee_words=voucher.payee_in_words or "—",
            ))

    def show_problems(self, places: ProblemPlaces) -> None:
        """Red cells with tooltips, and the same problems in words under the grid."""
        self.grid.mark_problems(places.cells)
        self.note.setText("\n".join(places.lines))
        self.note.setVisible(bool(places.lines))
