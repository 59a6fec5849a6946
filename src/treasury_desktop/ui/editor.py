"""The voucher editor, laid out and tabbed in the printed form's order (DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.domain.catalog import BudgetCatalog
from treasury_desktop.domain.forms import FormSpec, all_forms, form_spec
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import Payee, PaymentMethod, Voucher
from treasury_desktop.store.office_names import KeptName
from treasury_desktop.ui.fields import ChoiceField, FieldBox, MoneyLine
from treasury_desktop.ui.form_fields import (
    ROW_OF,
    apply_fields,
    field_value,
    make_widget,
    read_value,
    shown_lines,
    write_value,
)
from treasury_desktop.ui.form_layout import add_section
from treasury_desktop.ui.lines_block import LinesBlock, place_problems
from treasury_desktop.ui.lines_grid import BudgetLinesGrid
from treasury_desktop.ui.statement_block import StatementBlock
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.office_names import shown_name


class VoucherEditor(QWidget):
    """Shows one voucher; ``edited`` fires on every change the accountant makes."""

    edited = Signal()

    def __init__(
        self, catalog: Callable[[int], BudgetCatalog | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._catalog_of = catalog
        self._base: Voucher | None = None
        self._spec: FormSpec = all_forms()[0]
        self._boxes: dict[str, FieldBox] = {}
        self._widgets: dict[str, QWidget] = {}
        self._payees: list[Payee] = []
        self._kept: dict[str, KeptName] = {}  # office names the voucher was drafted with
        self.read_only = False
        self.setObjectName("voucherEditor")

        self.form_choice = QComboBox()
        self.form_choice.setObjectName("form")
        # An item delegate the style sheet reaches: the highlighted form is not white on white.
        self.form_choice.setItemDelegate(QStyledItemDelegate(self.form_choice))
        for spec in all_forms():
            self.form_choice.addItem(f"{spec.code} — {spec.name()}", spec.code)
        self.form_choice.currentIndexChanged.connect(self._form_changed)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.general = QLabel()
        self.general.setObjectName("generalProblems")
        self.general.setWordWrap(True)
        self.general.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel(t("editor.form")))
        top.addWidget(self.form_choice, 1)
        top.addStretch(1)
        top.addWidget(self.saved_label)
        self._body = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.setSpacing(4)
        outer.addLayout(top)
        outer.addWidget(self.banner)
        outer.addWidget(self.title)
        outer.addWidget(self.general)
        outer.addWidget(scroll, 1)
        self._build(self._spec)
        self.setEnabled(False)  # until a voucher is shown

    # -- building ---------------------------------------------------------------------------

    def _catalog(self) -> BudgetCatalog | None:
        year = self._base.fiscal_year if self._base else 0
        return self._catalog_of(year) if year else None

    def _build(self, spec: FormSpec) -> None:
        self._spec = spec
        self._boxes.clear()
        self._widgets.clear()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 4, 0)
        column.setSpacing(6)
        rows: dict[str, list[str]] = {}  # row -> its fields, rows in printed order
        for name in spec.field_order:
            self._widgets[name] = make_widget(name, spec, self._catalog)
            rows.setdefault(ROW_OF.get(name, name), []).append(name)
        section: list[list[str]] = []
        for key, names in rows.items():
            if key == "lines":
                self._add_section(column, section)
                section = []
                column.addWidget(self._lines_block(self.grid()))
            elif key == "statement":  # the Bảng kê, after the voucher itself
                self._add_section(column, section)
                section = []
                block = self.statement_block()
                block.changed.connect(self._on_edit)
                column.addWidget(block)
            else:
                section.append(names)
        self._add_section(column, section)
        column.addStretch(1)
        # The scroll area deletes the previous form's widgets itself. (Taking them out first
        # would make them a top-level window for a moment, and the window would lose focus.)
        self._scroll.setWidget(body)
        self._body = body
        self.title.setText(spec.name().upper())
        self._chain_tab_order()

    def _add_section(self, column: QVBoxLayout, rows: list[list[str]]) -> None:
        boxes = add_section(column, rows, self._spec, self._widgets)
        self._boxes.update(boxes)
        for box in boxes.values():
            self._connect(box.editor)

    def _lines_block(self, grid: BudgetLinesGrid) -> QWidget:
        grid.changed.connect(self._on_edit)
        self.lines = LinesBlock(grid)
        self.lines_note = self.lines.note
        self.total_label = self.lines.total_label
        self.words_label = self.lines.words_label
        return self.lines

    def _connect(self, widget: QWidget) -> None:
        if isinstance(widget, ChoiceField):
            widget.changed.connect(self._choice_changed)
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._on_edit)
            if widget.objectName() == "payee.name" and widget.completer() is not None:
                widget.completer().activated.connect(self._payee_chosen)

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [self.form_choice]
        for name in self._spec.field_order:
            widget = self._widgets[name]
            if isinstance(widget, ChoiceField):
                chain.extend(widget.buttons.values())
            elif isinstance(widget, StatementBlock):
                chain.extend(widget.tab_chain())
            else:
                chain.append(widget)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- the voucher ------------------------------------------------------------------------

    @property
    def spec(self) -> FormSpec:
        """The form being edited."""
        return self._spec

    def widget(self, name: str) -> QWidget:
        """The editor widget of a field path (``unit.code``, ``lines`` …)."""
        return self._widgets[name]

    def box(self, name: str) -> FieldBox:
        """The labelled box of a field path (holds its error)."""
        return self._boxes[name]

    def tab_fields(self) -> list[str]:
        """The fields shown, in Tab order (= printed order)."""
        return list(self._spec.fields_for(self._method()))

    def load(
        self, voucher: Voucher, *, read_only: bool = False, banner: str = "",
        office_names: Mapping[str, KeptName] | None = None,
    ) -> None:
        """Show ``voucher``; a read-only one cannot be changed. ``office_names``: the treasury
        office names it was drafted with (shown beside their codes, whatever the catalogue
        says now)."""
        self._base = voucher
        self._kept = dict(office_names or {})
        self.setEnabled(True)
        spec = form_spec(voucher.form)
        if spec.code != self._spec.code:
            self._build(spec)
        self.form_choice.blockSignals(True)
        self.form_choice.setCurrentIndex(max(self.form_choice.findData(spec.code), 0))
        self.form_choice.blockSignals(False)
        for name, widget in self._widgets.items():
            if isinstance(widget, BudgetLinesGrid):
                widget.set_lines(shown_lines(voucher, deposit=widget.deposit))
            elif isinstance(widget, StatementBlock):
                widget.set_statement(voucher.statement)
            elif isinstance(widget, MoneyLine):
                widget.blockSignals(True)
                widget.set_amount(voucher.amount)
                widget.blockSignals(False)
            else:
                write_value(widget, field_value(voucher, name) if name != "fiscal_year"
                            else str(voucher.fiscal_year or ""))
        self.set_read_only(read_only, banner)
        self.show_problems(())
        self._refresh_derived()

    def voucher(self) -> Voucher | None:
        """The voucher as the editor shows it now (None before one is loaded)."""
        if self._base is None:
            return None
        shown = set(self._spec.fields_for(self._method()))
        values: dict[str, str] = {}
        for name, widget in self._widgets.items():
            if isinstance(widget, BudgetLinesGrid | MoneyLine | StatementBlock):
                continue
            values[name] = read_value(widget) if name in shown else ""
        voucher = apply_fields(self._base.with_changes(form=self._spec.code), values)
        if not self._spec.has("tax"):
            voucher = voucher.with_changes(tax=None)  # a form without the part keeps none
        if isinstance(block := self._widgets.get("statement"), StatementBlock):
            voucher = voucher.with_changes(statement=block.statement())
        elif not self._spec.has("statement"):
            voucher = voucher.with_changes(statement=None)  # a form without the part keeps none
        if "lines" in self._widgets:
            grid = self.grid()
            # Content and amount alone belong to a form without a line table.
            voucher = voucher.with_changes(lines=grid.lines(), deposit_lines=grid.deposit_lines(),
                                           content="", amount=0)
        elif not self._spec.has_budget_lines:
            voucher = voucher.with_changes(lines=())  # a form without lines keeps none
        if isinstance(amount := self._widgets.get("amount"), MoneyLine):
            voucher = voucher.with_changes(amount=amount.amount())
        return voucher

    def grid(self) -> BudgetLinesGrid:
        """The budget-lines grid (forms with lines)."""
        grid = self._widgets["lines"]
        assert isinstance(grid, BudgetLinesGrid)
        return grid

    def focused_grid(self) -> BudgetLinesGrid | None:
        """The grid Ctrl+Shift+L adds a row to: the Bảng kê's when the focus is in it, else
        the voucher's lines (None on a form with neither)."""
        block, focus = self._widgets.get("statement"), QApplication.focusWidget()
        if isinstance(block, StatementBlock) and focus is not None and block.isAncestorOf(focus):
            return block.grid
        return self.grid() if "lines" in self._widgets else None

    def statement_block(self) -> StatementBlock:
        """The Bảng kê (forms that carry one)."""
        block = self._widgets["statement"]
        assert isinstance(block, StatementBlock)
        return block

    def set_read_only(self, read_only: bool, banner: str = "") -> None:
        """Lock or unlock every field."""
        self.read_only = read_only
        self.form_choice.setEnabled(not read_only)
        for widget in self._widgets.values():
            if isinstance(widget, ChoiceField):
                widget.set_read_only(read_only)
            elif isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
            elif isinstance(widget, StatementBlock):
                widget.set_read_only(read_only)
            elif isinstance(widget, BudgetLinesGrid):
                widget.setEditTriggers(
                    BudgetLinesGrid.EditTrigger.NoEditTriggers if read_only
                    else BudgetLinesGrid.EditTrigger.DoubleClicked
                    | BudgetLinesGrid.EditTrigger.AnyKeyPressed
                    | BudgetLinesGrid.EditTrigger.EditKeyPressed
                )
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))

    def set_payees(self, payees: Sequence[Payee]) -> None:
        """Payees used before, offered while typing the payee's name."""
        self._payees = list(payees)
        name = self._widgets.get("payee.name")
        if isinstance(name, QLineEdit) and name.completer() is not None:
            name.completer().set_names([p.name for p in payees])  # type: ignore[attr-defined]

    def set_saved(self, text: str) -> None:
        """The small 'Đã lưu hh:mm:ss' note."""
        self.saved_label.setText(text)

    # -- problems ---------------------------------------------------------------------------

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each problem beside its field; line problems on their cells; the rest on top.
        Warnings (an unknown code, a reused number, a future date) show beside their field in
        amber, after any error of that field, and never block."""
        if isinstance(block := self._widgets.get("statement"), StatementBlock):
            block.show_problems([p for p in problems if p.field.startswith("statement")])
            problems = [p for p in problems if not p.field.startswith("statement")]
        has_lines = "lines" in self._widgets
        columns = self._spec.line_fields
        places = place_problems(problems, self._boxes.keys(), has_lines, columns)
        cautions = place_problems(
            [p for p in problems if p.is_warning], self._boxes.keys(), has_lines, columns
        ).fields
        self.warnings = [p for p in problems if p.is_warning]
        for name, box in self._boxes.items():
            message = places.fields.get(name, "")
            box.set_error(message, warning=bool(message) and message == cautions.get(name))
        if has_lines:
            self.lines.show_problems(places)
        self.general.setText("\n".join(places.general))
        self.general.setVisible(bool(places.general))

    # -- reacting ---------------------------------------------------------------------------

    def _method(self) -> PaymentMethod:
        widget = self._widgets.get("method")
        if isinstance(widget, ChoiceField):
            return PaymentMethod(widget.value())
        return self._base.method if self._base else PaymentMethod.TRANSFER

    def _refresh_derived(self) -> None:
        method = self._method()
        shown = set(self._spec.fields_for(method))
        for name, box in self._boxes.items():
            box.setVisible(name in shown)
        for name in self._spec.cash_labels:  # "Người nhận tiền" when a person collects cash
            if name in self._boxes:
                self._boxes[name].label.setText(self._spec.label(name, method=method))
        catalog = self._catalog()
        for name, box in self._boxes.items():
            widget = self._widgets[name]
            picker = getattr(widget, "picker", None)
            if picker is not None and catalog is not None and isinstance(widget, QLineEdit):
                code = widget.text().strip()
                box.set_hint(shown_name(self._kept, name, code, catalog.name_of(picker.kind, code)))
        voucher = self.voucher()
        if voucher is not None and "lines" in self._widgets:
            self.lines.show_totals(voucher)
        if voucher is not None and isinstance(block := self._widgets.get("statement"),
                                              StatementBlock):
            block.show_totals(voucher.total)

    def _on_edit(self) -> None:
        if self.read_only or self._base is None:
            return
        self._refresh_derived()
        self.edited.emit()

    def _choice_changed(self, _value: str) -> None:
        self._on_edit()

    def _payee_chosen(self, name: str) -> None:
        chosen = next((p for p in self._payees if p.name == name), None)
        if chosen is None:
            return
        for field in ("address", "account", "bank", "id_number", "id_date", "id_place"):
            widget = self._widgets.get(f"payee.{field}")
            if widget is not None and getattr(chosen, field):
                write_value(widget, getattr(chosen, field))
        self._on_edit()

    def _form_changed(self, _index: int) -> None:
        code = self.form_choice.currentData()
        current = self.voucher()
        if current is None or code == self._spec.code:
            return
        self.load(current.with_changes(form=code), office_names=self._kept)
        self.edited.emit()
