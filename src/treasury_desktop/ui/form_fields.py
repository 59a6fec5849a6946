"""One widget per field of a form, made from the form's data (resources/forms/forms.json)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.forms import FormSpec
from treasury_desktop.domain.voucher import (
    BudgetLine,
    Payee,
    PaymentKind,
    PaymentMethod,
    Unit,
    Voucher,
)
from treasury_desktop.domain.voucher_parts import DepositLine, IdKind, PreAdvance, TaxPayment
from treasury_desktop.ui.fields import ChoiceField, CodeLine, DateLine, MoneyLine, NameCompleter
from treasury_desktop.ui.lines_grid import COLUMNS, BudgetLinesGrid, Line
from treasury_desktop.ui.statement_block import StatementBlock
from treasury_desktop.ui.texts import t

CODE_FIELDS = {
    "unit.treasury": CatalogKind.TREASURY,
    "budget_level": CatalogKind.LEVEL,
    "program_code": CatalogKind.PROGRAM,
    "tax.ndkt": CatalogKind.NDKT,
    "tax.chapter": CatalogKind.CHAPTER,
    "tax.treasury": CatalogKind.TREASURY,
}
DATE_FIELDS = ("date", "payee.id_date")
TEXT_WIDTHS = {"number": 110, "unit.code": 80, "fiscal_year": 56, "budget_level": 40,
               "unit.account": 124,  # 9523.2.1171277 whole
               "program_code": 64, "unit.treasury": 56, "tax.ndkt": 56, "tax.chapter": 48,
               "tax.treasury": 56, "tax.period": 80, "donor_code": 80}

# Fields printed on one line of the paper form share a row of the editor.
ROW_OF = {
    "number": "number", "date": "date",
    "payment_kind": "choices", "method": "choices",
    "unit.name": "unit", "unit.code": "unit_codes", "unit.account": "unit_codes",
    "unit.treasury": "unit_codes", "budget_level": "budget", "fiscal_year": "budget",
    "program_code": "budget", "commitment_number": "commitment",
    "lines": "lines", "content": "content", "amount": "amount",
    "payee.name": "payee_name", "payee.address": "payee_name", "payee.id_number": "payee_name",
    "payee.account": "payee_bank", "payee.bank": "payee_bank",
    "payee.id_date": "payee_bank", "payee.id_place": "payee_bank",
    "payee.id_kind": "payee_kind", "payee.id_kind_name": "payee_kind",
    "program_name": "program", "commitment_contract": "commitment",
    "unit.address": "unit", "donor_code": "donor",
    "tax.payer_name": "tax_payer", "tax.tax_code": "tax_payer",
    "tax.ndkt": "tax_codes", "tax.chapter": "tax_codes", "tax.period": "tax_codes",
    "tax.authority": "tax_authority", "tax.authority_code": "tax_authority",
}


def make_widget(
    name: str, spec: FormSpec, catalog: Callable[[], BudgetCatalog | None]
) -> QWidget:
    """The editor widget of field ``name`` (object name = the field path)."""
    widget: QWidget
    if name == "statement":
        return _named(StatementBlock(catalog), name)
    if name == "lines":
        headers = {c: spec.label(f"lines.{c}") for c in spec.line_fields if c not in COLUMNS}
        widget = BudgetLinesGrid(catalog, columns=spec.line_fields, headers=headers)
    elif name == "payment_kind":
        widget = ChoiceField([(k.value, t(f"kind.{k.value}")) for k in spec.payment_kinds])
    elif name == "method":
        widget = ChoiceField([(m.value, t(f"method.{m.value}")) for m in spec.methods])
    elif name == "payee.id_kind":
        widget = ChoiceField([(k.value, t(f"id_kind.{k.value}")) for k in IdKind])
    elif name == "pre_advance":
        widget = ChoiceField(
            [("", t("pre_advance.none")), *((k.value, t(f"pre_advance.{k.value}"))
                                            for k in PreAdvance)]
        )
    elif name in CODE_FIELDS:
        widget = CodeLine(CODE_FIELDS[name], catalog)
    elif name in DATE_FIELDS:
        widget = DateLine()
    elif name == "amount":
        widget = MoneyLine()
    else:
        line = QLineEdit()
        if name == "fiscal_year":
            line.setValidator(QIntValidator(2000, 2100, line))
        if name == "payee.name":
            line.setCompleter(NameCompleter(line))
        widget = line
    if name in TEXT_WIDTHS:  # codes have a known length: never squeeze them
        widget.setFixedWidth(TEXT_WIDTHS[name])
    return _named(widget, name)


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    return widget


def shown_lines(voucher: Voucher, *, deposit: bool) -> Sequence[Line]:
    """The rows a form's grid shows. A C4-02a/KB line table (``deposit``) shows its lines; a
    C4-02a/KB of the single content-and-amount shape, or a voucher switched over from a form
    with budget lines, shows them as lines of that table (niên độ = the fiscal year), and back:
    nothing typed is lost when the form changes."""
    year = voucher.fiscal_year
    if deposit:
        if voucher.deposit_lines:
            return voucher.deposit_lines
        if voucher.lines:
            return tuple(DepositLine(content=line.content, source=line.source,
                                     budget_year=year, amount=line.amount)
                         for line in voucher.lines)
        if voucher.content or voucher.amount:
            return (DepositLine(content=voucher.content, budget_year=year,
                                amount=voucher.amount),)
        return ()
    if voucher.lines:
        return voucher.lines
    return tuple(BudgetLine(content=line.content, source=line.source, amount=line.amount)
                 for line in voucher.deposit_lines)


def read_value(widget: QWidget) -> str:
    """The text of a simple field (choices give their value)."""
    if isinstance(widget, ChoiceField):
        return widget.value()
    if isinstance(widget, DateLine):
        return widget.iso()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    return ""


def write_value(widget: QWidget, value: str) -> None:
    """Show ``value`` in a simple field without announcing an edit."""
    widget.blockSignals(True)
    if isinstance(widget, ChoiceField):
        widget.set_value(value)
    elif isinstance(widget, DateLine):
        widget.set_iso(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
        widget.setCursorPosition(0)  # show the start of a long name, not its end
    widget.blockSignals(False)


def field_value(voucher: Voucher, name: str) -> str:
    """A field of the voucher as text, by its path."""
    if name == "payee.id_kind":
        return (voucher.payee.id_kind or IdKind.CCCD).value
    head, _, tail = name.partition(".")
    if tail:
        part = getattr(voucher, head)
        return "" if part is None else str(getattr(part, tail))
    value = getattr(voucher, name)
    if value is None:
        return ""
    return str(value.value if hasattr(value, "value") else value)


def apply_fields(base: Voucher, values: dict[str, str]) -> Voucher:
    """``base`` with the fields read from the editor (paths -> text)."""
    unit = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("unit.")}
    payee: dict[str, object] = {
        k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("payee.")
    }
    tax = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("tax.")}
    changes: dict[str, object] = {
        k: v for k, v in values.items() if "." not in k and k not in ("amount", "fiscal_year")
    }
    if "pre_advance" in changes:
        changes["pre_advance"] = PreAdvance(str(changes["pre_advance"])) if changes[
            "pre_advance"] else None
    if "id_kind" in payee:
        kind = str(payee["id_kind"])
        # Left as it was read when the person is not a cash recipient on this method.
        payee["id_kind"] = IdKind(kind) if kind else base.payee.id_kind
    if tax:
        changes["tax"] = TaxPayment(**{**vars(base.tax or TaxPayment()), **tax})
    if "payment_kind" in changes:
        changes["payment_kind"] = PaymentKind(str(changes["payment_kind"]))
    if "method" in changes:
        changes["method"] = PaymentMethod(str(changes["method"]))
    if "fiscal_year" in values:
        changes["fiscal_year"] = int(values["fiscal_year"]) if values["fiscal_year"] else 0
    if unit:
        changes["unit"] = Unit(**{**vars(base.unit), **unit})
    if payee:
        changes["payee"] = Payee(**{**vars(base.payee), **payee})
    return base.with_changes(**changes)
