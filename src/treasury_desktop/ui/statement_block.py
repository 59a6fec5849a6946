"""The Bảng kê nội dung thanh toán/tạm ứng (Mẫu 07) attached to a voucher, edited in the window.

Its kind (direct payment, advance, advance recovery, or no Bảng kê), its rows (STT, Chứng từ số
and ngày, Mã NDKT, Nội dung chi, Số lượng, Định mức / Đơn giá, Thành tiền: DESIGN.md
``statement``), the running sum against the voucher's total (a mismatch is an error shown beside
it at once), the sum in words, and the problems of its rows on their cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import BudgetLine
from treasury_desktop.domain.voucher_parts import Statement, StatementItem, StatementKind
from treasury_desktop.ui.field_input import screen_message
from treasury_desktop.ui.fields import ChoiceField, parse_amount
from treasury_desktop.ui.lines_grid import BudgetLinesGrid
from treasury_desktop.ui.texts import iso_from_dmy, money, t

COLUMNS = (
    "document_number", "document_date", "ndkt", "content", "quantity", "unit_price", "amount",
)
NONE = ""  # the choice "no Bảng kê"
_ITEM_PATH = re.compile(r"^statement\.items\[(\d+)\](?:\.(\w+))?$")
_MISMATCH = "statement.total_mismatch"  # shown live by the sum, not again in the notes


def read_quantity(raw: str) -> int | float | None:
    """"2,5" -> 2.5, "3" -> 3, "" -> None (Số lượng may be absent or fractional)."""
    text = raw.strip().replace(",", ".")
    if not text or text == ".":
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


class StatementGrid(BudgetLinesGrid):
    """The Bảng kê's rows; the row numbers down the side are its STT."""

    def __init__(self, catalog: Callable[[], BudgetCatalog | None],
                 parent: QWidget | None = None) -> None:
        headers = {c: t(f"statement.{c}") for c in COLUMNS}
        super().__init__(catalog, parent, columns=COLUMNS, headers=headers)
        self.setObjectName("statementGrid")
        self.verticalHeader().setVisible(True)  # STT
        self.setMinimumHeight(96)
        self.setMaximumHeight(180)

    def lines(self) -> tuple[BudgetLine, ...]:
        """A Bảng kê has no budget lines (its rows are :meth:`items`)."""
        return ()

    def statement_items(self) -> tuple[StatementItem, ...]:
        """The rows typed so far (a row left wholly empty is not a row)."""
        return tuple(
            StatementItem(
                document_number=v["document_number"],
                document_date=iso_from_dmy(v["document_date"]) if v["document_date"] else "",
                ndkt=v["ndkt"],
                content=v["content"],
                quantity=read_quantity(v["quantity"]),
                unit_price=parse_amount(v["unit_price"]) if v["unit_price"] else None,
                amount=parse_amount(v["amount"]),
            )
            for v in self._rows()
        )

    def _empty(self) -> StatementItem:
        return StatementItem()


class StatementBlock(QWidget):
    """Title, kind, rows, add/remove buttons, the running sum against the voucher's total."""

    changed = Signal()

    def __init__(self, catalog: Callable[[], BudgetCatalog | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._voucher_total = 0
        self._read_only = False
        title = QLabel(t("statement.title"))
        title.setObjectName("statementTitle")
        title.setWordWrap(True)
        self.kind = ChoiceField(
            [(NONE, t("statement.kind.none")),
             *((k.value, t(f"statement.kind.{k.value}")) for k in StatementKind)]
        )
        self.kind.setObjectName("statement.kind")
        for value, button in self.kind.buttons.items():
            button.setObjectName(f"statement_kind_{value or 'none'}")
        self.kind.changed.connect(self._kind_changed)
        self.grid = StatementGrid(catalog)
        self.grid.changed.connect(self._edited)
        self.add_button = QPushButton(t("statement.add"))
        self.add_button.setObjectName("statementAdd")
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton(t("statement.remove"))
        self.remove_button.setObjectName("statementRemove")
        self.remove_button.clicked.connect(self._remove)
        self.sum_label = QLabel()
        self.sum_label.setObjectName("statementSum")
        self.sum_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.sum_label.setWordWrap(True)  # never widens the editor
        self.mismatch = QLabel()
        self.mismatch.setObjectName("linesNote")  # red, as the lines' problems
        self.mismatch.setWordWrap(True)
        self.mismatch.hide()
        self.words_label = QLabel()
        self.words_label.setObjectName("wordsLabel")
        self.words_label.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("linesNote")
        self.note.setWordWrap(True)
        self.note.hide()

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(2)
        body.addWidget(self.grid)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.sum_label, 1)
        body.addLayout(row)
        body.addWidget(self.mismatch)
        body.addWidget(self.words_label)
        body.addWidget(self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 2)
        layout.setSpacing(3)
        layout.addWidget(title)
        layout.addWidget(self.kind)
        layout.addWidget(self._body)
        self._body.hide()

    # -- the voucher's Bảng kê ----------------------------------------------------------------

    def set_statement(self, statement: Statement | None) -> None:
        """Show ``statement`` (or the choice "no Bảng kê")."""
        self.kind.set_value(statement.kind.value if statement is not None else NONE)
        self.grid.set_lines(statement.items if statement is not None else ())
        self._body.setVisible(statement is not None)

    def statement(self) -> Statement | None:
        """The Bảng kê as shown now; None when the voucher has none."""
        kind = self.kind.value()
        if kind == NONE:
            return None
        return Statement(kind=StatementKind(kind), items=self.grid.statement_items())

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock the kind, the rows and the buttons."""
        self._read_only = read_only
        self.kind.set_read_only(read_only)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        self.grid.setEditTriggers(
            BudgetLinesGrid.EditTrigger.NoEditTriggers if read_only
            else BudgetLinesGrid.EditTrigger.DoubleClicked
            | BudgetLinesGrid.EditTrigger.AnyKeyPressed
            | BudgetLinesGrid.EditTrigger.EditKeyPressed
        )

    def tab_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in order."""
        return [*self.kind.buttons.values(), self.grid, self.add_button, self.remove_button]

    # -- sums and problems --------------------------------------------------------------------

    def show_totals(self, voucher_total: int) -> None:
        """The running sum against the voucher's total; a mismatch in red beside it."""
        self._voucher_total = voucher_total
        statement = self.statement()
        if statement is None:
            self.mismatch.hide()
            return
        total = statement.total
        self.sum_label.setText(t("statement.sum", total=money(total),
                                 voucher=money(voucher_total)))
        words = amount_in_words(total) if 0 < total <= MAX_AMOUNT else ""
        self.words_label.setText(t("statement.words", words=words) if words else "")
        wrong = bool(statement.items) and total != voucher_total
        if wrong:
            problem = Problem("statement", _MISMATCH,
                              {"statement": money(total), "total": money(voucher_total)})
            self.mismatch.setText(screen_message(problem))
        self.mismatch.setVisible(wrong)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Row problems on their cells (and in words below); the rest below the rows."""
        cells: dict[tuple[int, int], str] = {}
        notes: list[str] = []
        for problem in problems:
            if problem.code == _MISMATCH:
                continue
            message = screen_message(problem)
            match = _ITEM_PATH.match(problem.field)
            if match:
                row = int(match.group(1))
                column = COLUMNS.index(match.group(2)) if match.group(2) in COLUMNS else 0
                cells[(row, column)] = message
                notes.append(t("statement.row_problem", row=row + 1, text=message))
            else:
                notes.append(("⚠ " if problem.is_warning else "") + message)
        self.grid.mark_problems(cells)
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))

    # -- reacting -----------------------------------------------------------------------------

    def _kind_changed(self, kind: str) -> None:
        chosen = kind != NONE
        self._body.setVisible(chosen)
        if chosen and self.grid.rowCount() == 0:
            self.grid.set_lines(())
        self._edited()

    def _edited(self) -> None:
        self.show_totals(self._voucher_total)
        self.changed.emit()

    def _add(self) -> None:
        if not self._read_only:
            self.grid.add_line()
            self.changed.emit()

    def _remove(self) -> None:
        if not self._read_only:
            self.grid.remove_current_line()
