"""Turning a folder, a search text and a sort order into SQL (never into Qt proxy models)."""

from __future__ import annotations

import re
import unicodedata

from treasury_desktop.store.records import Folder, SortKey, VoucherQuery

FOLDER_SQL: dict[Folder, str] = {
    Folder.ALL: "1",
    Folder.DRAFTS: "(status = 'draft' AND problems > 0)",
    Folder.TO_SIGN: "((status = 'draft' AND problems = 0) OR status = 'signed_chief')",
    Folder.TO_SEND: "status IN ('signed_holder', 'queued')",
    Folder.SENT: "status IN ('sent', 'received', 'checking', 'paid')",
    Folder.REFUSED: "status IN ('rejected', 'returned')",
}

_ORDER_SQL: dict[SortKey, str] = {
    SortKey.DATE: "date {d}, number_key {d}",
    SortKey.NUMBER: "number_key {d}, date {d}",
    SortKey.AMOUNT: "total {d}, date {d}",
    SortKey.PAYEE: "payee COLLATE NOCASE {d}, date {d}",
}

_WORD = re.compile(r"[\w.,]+", re.UNICODE)


def number_key(number: str) -> str:
    """A sort key that puts '9' before '10' and keeps text numbers in order too."""
    stripped = number.strip()
    return stripped.zfill(12) if stripped.isdigit() else stripped


def fold(text: str) -> str:
    """Lower case without diacritics, and đ as d: what the search index holds and matches."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word must match as a prefix; '1.234' finds 1234000.

    User text is never passed to MATCH as syntax: each word is quoted.
    """
    terms: list[str] = []
    for raw in _WORD.findall(fold(text)):
        word = raw.strip(".,")
        if not word:
            continue
        if re.fullmatch(r"[\d.,]+", word):
            word = word.replace(".", "").replace(",", "")
        terms.append('"' + word.replace('"', "") + '"*')
    return " AND ".join(terms) if terms else None


def where_clause(query: VoucherQuery) -> tuple[str, list[object]]:
    """The WHERE clause and its parameters for a query."""
    parts = [FOLDER_SQL[query.folder]]
    params: list[object] = []
    if query.status is not None:
        parts.append("status = ?")
        params.append(query.status.value)
    match = fts_query(query.text)
    if match:
        parts.append("rowid IN (SELECT rowid FROM vouchers_fts WHERE vouchers_fts MATCH ?)")
        params.append(match)
    return " AND ".join(parts), params


def order_clause(query: VoucherQuery) -> str:
    """The ORDER BY clause for a query."""
    direction = "DESC" if query.descending else "ASC"
    return _ORDER_SQL[query.sort].format(d=direction) + f", id {direction}"
