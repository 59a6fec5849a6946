"""Turning a folder, a search text and a sort order into SQL (never into Qt proxy models)."""

from __future__ import annotations

import re
import unicodedata

from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.store.records import Folder, SortKey, VoucherQuery

_ORDER_SQL: dict[SortKey, str] = {
    SortKey.DATE: "date {d}, number_key {d}, id {d}",
    SortKey.NUMBER: "number_key {d}, date {d}, id {d}",
    SortKey.AMOUNT: "total {d}, date {d}, id {d}",
    SortKey.PAYEE: "payee COLLATE NOCASE {d}, date {d}, id {d}",
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


def list_content(voucher: Voucher) -> str:
    """The content the list shows: the lines' contents, else the voucher's own."""
    return " · ".join(line.content for line in voucher.lines) or voucher.content


def search_words(voucher: Voucher) -> str:
    """What a search looks in: payee, content, number and amount (folded when stored)."""
    return f"{voucher.payee.name} {list_content(voucher)} {voucher.number} {voucher.total}"


def search_terms(text: str) -> list[str]:
    """The words of a search, folded; '1.234' becomes 1234 (each must start a word)."""
    terms: list[str] = []
    for raw in _WORD.findall(fold(text)):
        word = raw.strip(".,")
        if not word:
            continue
        if re.fullmatch(r"[\d.,]+", word):
            word = word.replace(".", "").replace(",", "")
        terms.append(word.replace('"', ""))
    return terms


def fts_query(text: str, folder: Folder = Folder.ALL) -> str | None:
    """A safe FTS5 query: every word must match as a prefix; '1.234' finds 1234000.

    User text is never passed to MATCH as syntax: each word is quoted.
    """
    terms = [f'search_text : "{word}"*' for word in search_terms(text)]
    if not terms:
        return None
    if folder is not Folder.ALL:
        terms.append(f'folder : "{folder.value}"')
    return " AND ".join(terms)


def where_clause(query: VoucherQuery, matched: str = "") -> tuple[str, list[object]]:
    """The WHERE clause and its parameters for a query; ``matched`` names a table that already
    holds the rowids the search text matches (else the full-text index is asked here)."""
    parts: list[str] = []
    params: list[object] = []
    match = fts_query(query.text, query.folder)
    if match and matched:
        parts.append(f"rowid IN {matched}")
    elif match:
        # The folder is part of the full-text query.
        parts.append("rowid IN (SELECT rowid FROM vouchers_fts WHERE vouchers_fts MATCH ?)")
        params.append(match)
    elif query.folder is not Folder.ALL:
        parts.append("folder = ?")
        params.append(query.folder.value)
    if query.status is not None:
        parts.append("status = ?")
        params.append(query.status.value)
    if query.fiscal_year is not None:
        parts.append("fiscal_year = ?")
        params.append(query.fiscal_year)
    if query.date_from:
        parts.append("date >= ?")
        params.append(query.date_from)
    if query.date_to:
        parts.append("date <= ?")
        params.append(query.date_to)
    return (" AND ".join(parts) or "1"), params


_INDEX: dict[SortKey, str] = {
    SortKey.DATE: "date",
    SortKey.NUMBER: "number",
    SortKey.AMOUNT: "total",
    SortKey.PAYEE: "payee",
}

BROAD_MATCH = 2000
"""Above this many search hits, walking the sort index beats sorting the hits."""


def order_index(query: VoucherQuery) -> str:
    """The index whose order is the query's order (searches filter folders in FTS)."""
    return f"vouchers_{_INDEX[query.sort]}"


def order_clause(query: VoucherQuery) -> str:
    """The ORDER BY clause for a query."""
    return _ORDER_SQL[query.sort].format(d="DESC" if query.descending else "ASC")
