"""Exporting the voucher list to Excel (xuất danh sách chứng từ ra Excel): the command line's
filters and the window's list as shown (folder, search, order) go through here alike."""

from __future__ import annotations

from pathlib import Path

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.i18n import ExpectedError, Lang
from treasury_desktop.sheets.documents import CatalogSource
from treasury_desktop.sheets.export import ExportTotals, write_export
from treasury_desktop.store.records import VoucherQuery
from treasury_desktop.store.vouchers import SqliteVoucherRepository


def export_vouchers(
    repo: SqliteVoucherRepository, query: VoucherQuery, path: str | Path, lang: Lang | None,
    catalogs: CatalogSource, year: int,
) -> ExportTotals:
    """Write the query's vouchers to ``path``; the summary names codes from ``year``'s
    catalogue (left blank when there is none)."""
    try:
        catalog = catalogs(year)
    except ExpectedError:
        catalog = None

    def name_of(kind: str, code: str) -> str:
        return (catalog.name_of(CatalogKind(kind), code) or "") if catalog else ""

    try:
        return write_export(repo.with_documents(query), path, lang, name_of)
    except OSError as error:
        raise ExpectedError(
            "excel.file_unwritable", path=str(path), reason=error.strerror or str(error)
        ) from None
