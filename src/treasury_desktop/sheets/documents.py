"""A voucher's rows become a voucher document (DESIGN.md v1), with where each value came from.

The document then goes through the same reading and validation as a typed or JSON voucher;
this module only turns cells into the document's values and says which cell each came from,
so that every problem can name its row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from treasury_desktop.domain.catalog import BudgetCatalog, CatalogKind
from treasury_desktop.domain.forms import all_forms, find_form
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.cells import CellError
from treasury_desktop.sheets.columns import normalise
from treasury_desktop.sheets.grouping import RowGroup
from treasury_desktop.sheets.mapping import ColumnMapping

CatalogSource = Callable[[int], BudgetCatalog]
DEFAULT_FORM = "C2-02a/NS"
NO_PROGRAM = "00000"

_HEADER_TEXT = ("number", "commitment_number")
_UNIT = ("unit.code", "unit.name", "unit.account", "unit.treasury")
_PAYEE_TEXT = ("payee.name", "payee.address", "payee.bank", "payee.id_place")
_PAYEE_DIGITS = ("payee.account", "payee.id_number")
_LINE_CODES = {
    "lines.ndkt": CatalogKind.NDKT,
    "lines.chapter": CatalogKind.CHAPTER,
    "lines.industry": CatalogKind.INDUSTRY,
    "lines.source": CatalogKind.SOURCE,
}
_CHOICES = {
    "payment_kind": {"thuc chi": "actual", "tc": "actual", "actual": "actual",
                     "tam ung": "advance", "tu": "advance", "advance": "advance"},
    "method": {"chuyen khoan": "transfer", "ck": "transfer", "transfer": "transfer",
               "tien mat": "cash", "tien mat tai kb": "cash", "tm": "cash", "cash": "cash"},
}


@dataclass(frozen=True)
class Reason:
    """One reason a voucher was refused, at a row and a column (0 / "" when not one cell)."""

    row: int
    column: str
    message: Message


@dataclass
class Built:
    """A document made from rows, the cell each field path came from, and the cell problems."""

    document: dict[str, Any]
    origin: dict[str, tuple[int, str]] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)

    def where(self, path: str, default_row: int) -> tuple[int, str]:
        """The row and column a field path came from (the voucher's first row otherwise)."""
        return self.origin.get(path, (default_row, ""))


def normalise_form(value: str) -> str:
    """A form as typed ("C2-02a", "c2 02a/ns") as the catalogue spells it, if one fits."""
    if not value or find_form(value):
        return value
    wanted = normalise(value).replace(" ", "")
    for spec in all_forms():
        code = normalise(spec.code).replace(" ", "")
        if wanted in (code, code.removesuffix("ns").removesuffix("kb")):
            return spec.code
    return value


class DocumentBuilder:
    """Turns one voucher's rows into its document; the desk's unit fills what the sheet lacks."""

    def __init__(
        self, mapping: ColumnMapping, unit: Unit | None, catalogs: CatalogSource, this_year: int
    ) -> None:
        self._mapping = mapping
        self._unit = unit or Unit()
        self._catalogs = catalogs
        self._year = this_year

    def _cell(self, row: Any, field_name: str) -> Any:
        column = self._mapping.column_of(field_name)
        if column is None or column >= len(row.cells):
            return None
        return row.cells[column]

    def _header(self, field_name: str) -> str:
        column = self._mapping.column_of(field_name)
        return self._mapping.headers[column] if column is not None else ""

    def first(
        self, built: Built, group: RowGroup, field_name: str, reader: Callable[[Any], Any]
    ) -> Any:
        """A voucher-level value, read from the first row that has one; another row with a
        different value is a problem (one voucher cannot have two dates). Values are compared
        once read, so 20/11/2026 typed as text and as an Excel date agree."""
        found: Any = None
        found_raw: Any = None
        found_row = 0
        for row in group.rows:
            raw = self._cell(row, field_name)
            if cells.is_empty(raw):
                continue
            value = self._read(built, field_name, row.number, field_name, raw, reader)
            if value is None or value == "":
                continue
            if found is None:
                found, found_raw, found_row = value, raw, row.number
                built.origin[field_name] = (row.number, self._header(field_name))
            elif value != found:
                built.reasons.append(Reason(row.number, self._header(field_name), Message(
                    "excel.rows_disagree", {"value": cells.shown(raw),
                                            "first": cells.shown(found_raw), "row": found_row})))
        return found

    def _read(
        self, built: Built, path: str, row: int, field_name: str, value: Any,
        reader: Callable[[Any], Any],
    ) -> Any:
        built.origin.setdefault(path, (row, self._header(field_name)))
        try:
            return reader(value)
        except CellError as error:
            built.reasons.append(
                Reason(row, self._header(field_name), Message(error.key, error.params))
            )
            return None

    def build(self, group: RowGroup) -> Built:
        """The voucher document of ``group``'s rows."""
        built = Built({})
        doc = built.document

        def header_value(name: str, reader: Callable[[Any], Any]) -> Any:
            return self.first(built, group, name, reader)

        date = header_value("date", cells.iso_date)
        doc["date"] = date or ""
        year = header_value("fiscal_year", cells.whole_number)
        doc["fiscal_year"] = year or (int(date[:4]) if date else self._year)
        doc["form"] = normalise_form(header_value("form", cells.text) or DEFAULT_FORM)
        for name in _HEADER_TEXT:
            doc[name] = header_value(name, cells.text) or ""
        for name, choices in _CHOICES.items():
            value = header_value(name, cells.text)
            if value:
                choice = choices.get(normalise(value))
                if choice is None:
                    row, column = built.where(name, group.rows[0].number)
                    built.reasons.append(Reason(row, column, Message(
                        f"excel.cell.{name}", {"value": value})))
                doc[name] = choice or choices[next(iter(choices))]
        catalog = self._catalog(doc["fiscal_year"])
        known = (lambda kind: (lambda c: catalog.contains(kind, c))) if catalog else None
        program = header_value("program_code", self.code_reader(CatalogKind.PROGRAM, known))
        doc["program_code"] = program or NO_PROGRAM
        level = header_value("budget_level", cells.text)
        if level:
            doc["budget_level"] = level
        doc["unit"] = self._unit_of(built, group, header_value, known)
        doc["payee"] = self._payee_of(header_value)
        spec = find_form(doc["form"])
        lines = self._lines(built, group, known)
        if spec is not None and "budget_year" in spec.line_fields:
            doc["lines"] = [  # C4-02a/KB: Nội dung | Mã nguồn NS | Niên độ NS | Số tiền
                {"content": line["content"], "source": line["source"],
                 "budget_year": doc["fiscal_year"], "amount": line["amount"]}
                for line in lines
            ]
        elif spec is not None and not spec.has_budget_lines:
            self._single_amount(built, group, doc, lines)
        else:
            doc["lines"] = lines
        return built

    @staticmethod
    def code_reader(kind: CatalogKind, known: Any) -> Callable[[Any], str]:
        """Reads a cell as a code of ``kind``, its zeros restored from the year's catalogue."""
        return lambda value: cells.code(value, kind, known(kind) if known else None)

    def _catalog(self, year: int) -> BudgetCatalog | None:
        try:
            return self._catalogs(year)
        except ExpectedError:
            return None

    def _unit_of(
        self, built: Built, group: RowGroup, header_value: Any, known: Any
    ) -> dict[str, str]:
        unit = dict(vars(self._unit))
        for name in _UNIT:
            key = name.split(".", 1)[1]
            if name == "unit.treasury":
                value = header_value(name, self.code_reader(CatalogKind.TREASURY, known))
            else:
                value = header_value(name, cells.digits_text)
            if value:
                unit[key] = value
        return unit

    @staticmethod
    def _payee_of(header_value: Any) -> dict[str, str]:
        payee: dict[str, str] = {}
        for name in _PAYEE_TEXT + _PAYEE_DIGITS:
            value = header_value(name, cells.digits_text)
            if value:
                payee[name.split(".", 1)[1]] = value
        issued = header_value("payee.id_date", cells.iso_date)
        if issued:
            payee["id_date"] = issued
        return payee

    def _lines(self, built: Built, group: RowGroup, known: Any) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
        for i, row in enumerate(group.rows):
            at = f"lines[{i}]"
            line: dict[str, Any] = {}
            content = self._cell(row, "lines.content")
            built.origin[f"{at}.content"] = (row.number, self._header("lines.content"))
            line["content"] = cells.text(content)
            for name, kind in _LINE_CODES.items():
                value = self._cell(row, name)
                key = name.split(".", 1)[1]
                if cells.is_empty(value):
                    built.origin[f"{at}.{key}"] = (row.number, self._header(name))
                    line[key] = ""
                    continue
                reader = self.code_reader(kind, known)
                line[key] = self._read(built, f"{at}.{key}", row.number, name, value, reader) or ""
            value = self._cell(row, "lines.amount")
            built.origin[f"{at}.amount"] = (row.number, self._header("lines.amount"))
            if cells.is_empty(value):
                line["amount"] = 0
            else:
                line["amount"] = self._read(
                    built, f"{at}.amount", row.number, "lines.amount", value, cells.amount
                ) or 0
            lines.append(line)
        return lines

    def _single_amount(
        self, built: Built, group: RowGroup, doc: dict[str, Any], lines: list[dict[str, Any]]
    ) -> None:
        """A form without budget lines has one content and one amount: one row per voucher."""
        if len(lines) > 1:
            built.reasons.append(Reason(group.rows[1].number, "", Message(
                "excel.one_row_form", {"form": doc["form"], "rows": len(lines)})))
        doc["content"] = lines[0]["content"] if lines else ""
        doc["amount"] = lines[0]["amount"] if lines else 0
        built.origin["content"] = built.origin.get("lines[0].content", (0, ""))
        built.origin["amount"] = built.origin.get("lines[0].amount", (0, ""))
