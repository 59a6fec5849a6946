"""The voucher document as the paper shows it: values by path, derived totals, print formats.

It reads the JSON document v1 (DESIGN.md) as a mapping, so a field that a form does not have,
or that an older document lacks, prints blank instead of failing: the same renderer serves
every form and every version of the model that keeps the documented field names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from treasury_desktop.domain.money import MAX_AMOUNT, amount_in_words, format_vnd

_WORDS_END = "đồng chẵn./."


def words_as_printed(words: str) -> str:
    """The amount in words as real vouchers print it: always ending "đồng chẵn./."."""
    text = words.strip().rstrip("./").rstrip()
    if not text:
        return ""
    if text.endswith("đồng chẵn"):
        return text + "./."
    if text.endswith("đồng"):
        return text + " chẵn./."
    return text + " " + _WORDS_END


def dmy(iso: str) -> str:
    """2026-11-20 -> 20/11/2026; anything else as it is."""
    parts = iso.split("-")
    if len(parts) == 3 and len(parts[0]) == 4:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return iso


def _amount(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _words(amount: int) -> str:
    return amount_in_words(amount) if 0 < amount <= MAX_AMOUNT else ""


def get_path(data: Any, path: str) -> Any:
    """``unit.name`` of a nested mapping, or None where any step is missing."""
    value = data
    for step in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def format_value(value: Any, fmt: str) -> str:
    """A value as printed: money 1.234.567, dates dd/mm/yyyy, words ending "đồng chẵn./."."""
    if value is None or value == "":
        return ""
    if fmt == "money" and isinstance(value, int) and not isinstance(value, bool):
        return format_vnd(value)
    if fmt == "date" and isinstance(value, str):
        return dmy(value)
    if fmt == "words" and isinstance(value, str):
        return words_as_printed(value)
    return str(value)


class DocumentView:
    """A document with the values the paper needs that the document may leave derived."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._derived = self._derive(document)

    @staticmethod
    def _derive(doc: Mapping[str, Any]) -> dict[str, Any]:
        lines = [line for line in doc.get("lines") or [] if isinstance(line, Mapping)]
        total = sum(_amount(line.get("amount")) for line in lines) if lines else _amount(
            doc.get("amount"))
        tax_total = sum(_amount(line.get("tax_amount")) for line in lines)
        statement = doc.get("statement") if isinstance(doc.get("statement"), Mapping) else {}
        items = [i for i in (statement or {}).get("items") or [] if isinstance(i, Mapping)]
        statement_total = sum(_amount(i.get("amount")) for i in items)
        sources = sorted({str(line.get("source")) for line in lines if line.get("source")})
        return {
            "total": total,
            "amount_in_words": _words(total),
            "tax_total": tax_total,
            "tax_in_words": _words(tax_total),
            "payee_total": total - tax_total,
            "payee_in_words": _words(total - tax_total),
            "statement_total": statement_total,
            "statement_in_words": _words(statement_total),
            "statement_source": ", ".join(sources),
        }

    def get(self, path: str) -> Any:
        """The document's value at ``path``; a derived one where the document has none."""
        value = get_path(self.document, path)
        if (value is None or value == "") and path in self._derived:
            return self._derived[path]
        return value

    def text(self, path: str, fmt: str = "text") -> str:
        """The printed text of the value at ``path``. ``office``: a mã KBNN with the office
        name the voucher was drafted with, when the print job carries it."""
        if fmt == "office":
            code = format_value(self.get(path), "text")
            name = get_path(self.document, f"office_names.{path.replace('.', '_')}")
            return f"{code} – {name}" if code and isinstance(name, str) and name else code
        return format_value(self.get(path), fmt)

    def rows(self, path: str, fallback: Mapping[str, str] | None) -> Sequence[Mapping[str, Any]]:
        """The rows of a table; a form without lines prints its single content and amount."""
        raw = get_path(self.document, path)
        rows = [dict(r) for r in raw if isinstance(r, Mapping)] if isinstance(raw, list) else []
        for row in rows:
            if "tax_amount" in row or "payee_amount" not in row:
                row.setdefault("payee_amount",
                               _amount(row.get("amount")) - _amount(row.get("tax_amount")))
        if not rows and fallback:
            row = {column: get_path(self.document, source) for column, source in fallback.items()}
            if any(v not in (None, "", 0) for v in row.values()):
                rows = [row]
        return rows
