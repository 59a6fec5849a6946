"""A monthly payroll sheet (bảng lương) becomes ONE C2-02b/NS (DESIGN.md, document v1).

One row per employee: the name, one column per salary code (the header names the NDKT: "6001",
"Lương ngạch bậc (6001)" …) and the income tax withheld (thuế TNCN). The voucher has one line
per NDKT (the column's sum) and the NỘP THUẾ block from the unit's tax settings; the tax is
carried by the lines in column order (a line never carries more than its amount). Voucher-level
values (number, date, codes, payee, unit) come from their columns, the first row that has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.i18n import Message
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.cells import CellError
from treasury_desktop.sheets.columns import SALARY_PREFIX
from treasury_desktop.sheets.documents import Built, CatalogSource, DocumentBuilder, Reason
from treasury_desktop.sheets.grouping import RowGroup
from treasury_desktop.sheets.mapping import ColumnMapping

PAYROLL_FORM = "C2-02b/NS"
NO_TAX_FORM = "C2-02a/NS"  # a month with no tax withheld has no NỘP THUẾ block to fill
TAX_FIELDS = ("payer_name", "tax_code", "ndkt", "chapter", "authority", "authority_code",
              "treasury")
INCOME_TAX_NDKT = "1001"  # thuế thu nhập cá nhân from salaries (DOMAIN.md)


@dataclass(frozen=True)
class TaxSettings:
    """The unit's settings for the NỘP THUẾ block (profile key ``tax``); blanks are filled
    from the unit (payer name, treasury) and the payroll (chapter, period)."""

    payer_name: str = ""
    tax_code: str = ""
    ndkt: str = INCOME_TAX_NDKT
    chapter: str = ""
    authority: str = ""
    authority_code: str = ""
    treasury: str = ""

    @classmethod
    def from_profile(cls, value: Any) -> TaxSettings:
        """Read the profile's ``tax`` value; anything else than an object means none."""
        if not isinstance(value, Mapping):
            return cls()
        return cls(**{k: str(value[k]) for k in TAX_FIELDS if isinstance(value.get(k), str)})


def _money_or_zero(value: Any) -> int:
    """A salary cell: empty or 0 is nothing paid; anything else must be an amount."""
    if cells.is_empty(value) or value == 0 or cells.text(value) in ("0", "-"):
        return 0
    return cells.amount(value)


class PayrollBuilder(DocumentBuilder):
    """The payroll's one voucher document, built from all of its rows."""

    def __init__(
        self, mapping: ColumnMapping, unit: Unit | None, catalogs: CatalogSource,
        this_year: int, tax: TaxSettings,
    ) -> None:
        super().__init__(mapping, unit, catalogs, this_year)
        self._tax = tax
        self._tax_total = 0
        self._salary = [(i, f.removeprefix(SALARY_PREFIX)) for i, f in enumerate(mapping.fields)
                        if f is not None and f.startswith(SALARY_PREFIX)]

    def build(self, group: RowGroup) -> Built:
        """Header fields as for any voucher, the lines per NDKT, then the tax block."""
        self._tax_total = 0
        built = super().build(group)
        doc = built.document
        period = self._period(doc)
        for line in doc["lines"]:
            line["content"] = self._content(doc["fiscal_year"], line, period)
        if self._tax_total > 0:
            doc["form"] = PAYROLL_FORM
            doc["tax"] = self._tax_block(doc, period)
        else:
            doc["form"] = NO_TAX_FORM
            for line in doc["lines"]:
                line.pop("tax_amount")
        return built

    def _lines(self, built: Built, group: RowGroup, known: Any) -> list[dict[str, Any]]:
        """One line per salary column that paid anything; the codes are voucher-level."""
        codes: dict[str, str] = {}
        for name, kind in (("lines.chapter", CatalogKind.CHAPTER),
                           ("lines.industry", CatalogKind.INDUSTRY),
                           ("lines.source", CatalogKind.SOURCE)):
            reader = self.code_reader(kind, known)
            codes[name.split(".", 1)[1]] = self.first(built, group, name, reader) or ""
        typed = self.first(built, group, "lines.content", cells.text) or ""
        sums = {ndkt: 0 for _, ndkt in self._salary}
        tax_column = self._mapping.column_of("tax_withheld")
        for row in group.rows:
            for column, ndkt in self._salary:
                sums[ndkt] += self._amount(built, row.number, column, _at(row.cells, column))
            if tax_column is not None:
                raw = _at(row.cells, tax_column)
                self._tax_total += self._amount(built, row.number, tax_column, raw)
        lines: list[dict[str, Any]] = []
        left = self._tax_total
        for column, ndkt in self._salary:
            if sums[ndkt] <= 0:
                continue
            carried = min(left, sums[ndkt])
            left -= carried
            where = (group.rows[0].number, self._mapping.headers[column])
            for key in ("amount", "ndkt", "tax_amount", "content"):
                built.origin[f"lines[{len(lines)}].{key}"] = where
            lines.append({"content": typed, "ndkt": ndkt, **codes, "amount": sums[ndkt],
                          "tax_amount": carried, "_header": self._mapping.headers[column]})
        if left > 0:
            built.reasons.append(Reason(group.rows[0].number, self._header("tax_withheld"),
                                        Message("excel.payroll_tax_too_large", {})))
        return lines

    def _amount(self, built: Built, row: int, column: int, raw: Any) -> int:
        try:
            return _money_or_zero(raw)
        except CellError as error:
            built.reasons.append(Reason(row, self._mapping.headers[column],
                                        Message(error.key, error.params)))
            return 0

    @staticmethod
    def _period(doc: Mapping[str, Any]) -> str:
        day = str(doc.get("date", ""))
        return f"{day[5:7]}/{day[:4]}" if len(day) == 10 else ""

    def _content(self, year: int, line: dict[str, Any], period: str) -> str:
        header = line.pop("_header")
        if line["content"]:
            return f"{line['content']} ({line['ndkt']})"
        catalog = self._catalog(year)
        name = (catalog.name_of(CatalogKind.NDKT, line["ndkt"]) if catalog else None) or header
        return f"{name} tháng {period}" if period else name

    def _tax_block(self, doc: Mapping[str, Any], period: str) -> dict[str, str]:
        tax = self._tax
        lines = doc.get("lines") or [{}]
        block = {
            "payer_name": tax.payer_name or doc["unit"].get("name", ""),
            "tax_code": tax.tax_code,
            "ndkt": tax.ndkt or INCOME_TAX_NDKT,
            "chapter": tax.chapter or lines[0].get("chapter", ""),
            "authority": tax.authority,
            "period": period,
            "treasury": tax.treasury or doc["unit"].get("treasury", ""),
        }
        if tax.authority_code:
            block["authority_code"] = tax.authority_code
        return block


def _at(row: tuple[Any, ...], column: int) -> Any:
    return row[column] if column < len(row) else None
