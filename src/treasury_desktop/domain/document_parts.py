"""The JSON form of the parts only some forms have (tax block, C4-02a/KB lines, Bảng kê).

Reading goes through the document reader of :mod:`treasury_desktop.domain.voucher`, which
collects shape problems field by field instead of raising; writing leaves empty optionals out,
so a document v1 without these parts keeps its exact canonical bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from treasury_desktop.domain.limits import too_many_lines
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher_parts import (
    DepositLine,
    Statement,
    StatementItem,
    StatementKind,
    TaxPayment,
)

E = TypeVar("E", bound=StrEnum)

TAX_FIELDS = ("payer_name", "tax_code", "ndkt", "chapter", "authority", "period", "treasury")
_TAX_ALLOWED = (*TAX_FIELDS, "authority_code")
DEPOSIT_LINE_FIELDS = ("content", "source", "budget_year", "amount")
STATEMENT_ITEM_FIELDS = (
    "document_number", "document_date", "ndkt", "content", "quantity", "unit_price", "amount",
)


class FieldReader(Protocol):
    """What the document reader offers (see ``voucher._Reader``)."""

    problems: list[Problem]

    def obj(self, value: Any, path: str, allowed: Sequence[str]) -> Mapping[str, Any]: ...

    def string(self, data: Mapping[str, Any], key: str, path: str) -> str: ...

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int = 0) -> int: ...

    def optional_integer(self, data: Mapping[str, Any], key: str, path: str) -> int | None: ...

    def number(self, data: Mapping[str, Any], key: str, path: str) -> int | float | None: ...

    def enum(
        self, data: Mapping[str, Any], key: str, kind: type[E], default: E, path: str = ""
    ) -> E: ...


def read_list(r: FieldReader, value: Any, path: str) -> list[Any]:
    """A JSON array, or a shape problem and an empty list."""
    if not isinstance(value, list):
        r.problems.append(Problem(path, "shape.list"))
        return []
    if (too_many := too_many_lines(len(value), path)) is not None:
        r.problems.append(too_many)
        return []
    return value


def read_tax(r: FieldReader, raw: Any) -> TaxPayment | None:
    """The ``tax`` block, when the document has one."""
    if raw is None:
        return None
    data = r.obj(raw, "tax", _TAX_ALLOWED)
    return TaxPayment(**{k: r.string(data, k, "tax") for k in _TAX_ALLOWED})


def tax_json(tax: TaxPayment) -> dict[str, str]:
    """The ``tax`` block; ``authority_code`` only when given."""
    out = {k: getattr(tax, k) for k in TAX_FIELDS}
    if tax.authority_code:
        out["authority_code"] = tax.authority_code
    return out


def read_deposit_lines(r: FieldReader, raw_lines: list[Any]) -> tuple[DepositLine, ...]:
    """The line table of a C4-02a/KB."""
    lines = []
    for i, raw in enumerate(raw_lines):
        path = f"lines[{i}]"
        item = r.obj(raw, path, DEPOSIT_LINE_FIELDS)
        lines.append(
            DepositLine(
                content=r.string(item, "content", path),
                source=r.string(item, "source", path),
                budget_year=r.integer(item, "budget_year", path),
                amount=r.integer(item, "amount", path),
            )
        )
    return tuple(lines)


def deposit_line_json(line: DepositLine) -> dict[str, Any]:
    """One C4-02a/KB line."""
    return {
        "content": line.content,
        "source": line.source,
        "budget_year": line.budget_year,
        "amount": line.amount,
    }


def read_statement(r: FieldReader, raw: Any) -> Statement | None:
    """The Bảng kê (Mẫu 07), when the document has one."""
    if raw is None:
        return None
    data = r.obj(raw, "statement", ("kind", "items"))
    kind = r.enum(data, "kind", StatementKind, StatementKind.DIRECT, "statement")
    items = []
    for i, raw_item in enumerate(read_list(r, data.get("items", []), "statement.items")):
        path = f"statement.items[{i}]"
        item = r.obj(raw_item, path, STATEMENT_ITEM_FIELDS)
        items.append(
            StatementItem(
                document_number=r.string(item, "document_number", path),
                document_date=r.string(item, "document_date", path),
                ndkt=r.string(item, "ndkt", path),
                content=r.string(item, "content", path),
                quantity=r.number(item, "quantity", path),
                unit_price=r.optional_integer(item, "unit_price", path),
                amount=r.integer(item, "amount", path),
            )
        )
    return Statement(kind=kind, items=tuple(items))


def statement_json(statement: Statement) -> dict[str, Any]:
    """The ``statement`` object; quantity and unit price only when given."""
    items = []
    for item in statement.items:
        row: dict[str, Any] = {
            "document_number": item.document_number,
            "document_date": item.document_date,
            "ndkt": item.ndkt,
            "content": item.content,
        }
        if item.quantity is not None:
            row["quantity"] = item.quantity
        if item.unit_price is not None:
            row["unit_price"] = item.unit_price
        row["amount"] = item.amount
        items.append(row)
    return {"kind": statement.kind.value, "items": items}
