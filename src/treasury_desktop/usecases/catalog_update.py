"""Updating a budget-code catalogue from a file the Ministry (or the treasury) publishes.

Accepted files:
- a whole year's catalogue, in the format of ``resources/catalogs/<year>.json``;
- one list as JSON: ``{"fiscal_year": 2026, "kind": "ndkt", "basis": "...", "version": "...",
  "entries": [{"code", "name", "parent"?, "verified"?, "valid_from"?, "valid_to"?}]}``;
- one list as .xlsx: a sheet whose header row has a code column ("code", "mã", "mã số") and a
  name column ("name", "tên", "nội dung"), optionally "parent"/"mã cha"; the kind and year are
  given on the command line.

The year's catalogue is rebuilt with that list replaced, written to a temporary file, read back
whole with the same checks as any catalogue, and only then moved over ``<data>/catalogs/
<year>.json``: a bad file never replaces a good one. Loaded catalogues are keyed on the file's
modification time, so every picker uses the new list at once.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from treasury_desktop.domain.catalog import (
    BudgetCatalog,
    CatalogEntry,
    CatalogError,
    CatalogKind,
    clear_catalog_cache,
    load_catalog,
    load_catalog_file,
)
from treasury_desktop.i18n import ExpectedError

_CODE_HEADERS = {"code", "mã", "mã số", "ma", "ma so", "mã code"}
_NAME_HEADERS = {"name", "tên", "ten", "nội dung", "noi dung", "tên gọi"}
_PARENT_HEADERS = {"parent", "mã cha", "thuộc", "mục", "loại"}
_VERIFIED_HEADERS = {"verified", "đã kiểm tra"}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class CatalogImport:
    """What an import replaced: the year, the lists and their entry counts, the file written."""

    year: int
    counts: dict[str, int]
    written: Path


def _entry_json(e: CatalogEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"code": e.code, "name": e.name}
    if e.parent:
        out["parent"] = e.parent
    out["verified"] = e.verified
    if e.note:
        out["note"] = e.note
    if e.valid_from:
        out["valid_from"] = e.valid_from.isoformat()
    if e.valid_to:
        out["valid_to"] = e.valid_to.isoformat()
    return out


def catalog_document(cat: BudgetCatalog) -> dict[str, Any]:
    """A loaded catalogue back in its file format."""
    lists = {
        kind.value: {
            "basis": info.basis, "valid_from": (info.valid_from or cat.valid_from).isoformat(),
            "complete": info.complete, "source": info.source,
            "verified_means": info.verified_means,
        }
        for kind, info in ((k, cat.info(k)) for k in CatalogKind)
    }
    doc: dict[str, Any] = {
        "fiscal_year": cat.fiscal_year, "basis": cat.basis, "version": cat.version,
        "valid_from": cat.valid_from.isoformat(), "note": cat.note, "lists": lists,
        "codes": {k.value: [_entry_json(e) for e in cat.codes(k)] for k in CatalogKind},
    }
    if cat.published:
        doc["published"] = cat.published.isoformat()
    return doc


def _refuse(path: Path, reason: str) -> ExpectedError:
    return ExpectedError("catalog_import.invalid", path=str(path), reason=reason)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_xlsx_entries(path: Path, kind: CatalogKind) -> list[dict[str, Any]]:
    """The code and name columns of the first sheet that has both, as entries."""
    from openpyxl import load_workbook  # only when an .xlsx is imported

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _refuse(path, f"not a readable .xlsx file ({error})") from None
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for header in rows:
                names = [_cell(v).casefold() for v in header]
                code_at = next((i for i, n in enumerate(names) if n in _CODE_HEADERS), None)
                name_at = next((i for i, n in enumerate(names) if n in _NAME_HEADERS), None)
                if code_at is None or name_at is None:
                    continue
                parent_at = next((i for i, n in enumerate(names) if n in _PARENT_HEADERS), None)
                verified_at = next(
                    (i for i, n in enumerate(names) if n in _VERIFIED_HEADERS), None
                )
                return _xlsx_rows(path, kind, rows, code_at, name_at, parent_at, verified_at)
    finally:
        book.close()
    raise _refuse(path, "no sheet has a code column and a name column")


def _xlsx_rows(
    path: Path, kind: CatalogKind, rows: Iterable[tuple[Any, ...]], code_at: int, name_at: int,
    parent_at: int | None, verified_at: int | None,
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise _refuse(path, f"more than {MAX_ROWS} rows")
        cells = [_cell(v) for v in row]

        def get(at: int | None, cells: list[str] = cells) -> str:
            return cells[at] if at is not None and at < len(cells) else ""

        code, name = get(code_at), get(name_at)
        if not code and not name:
            continue
        widths = _WIDTHS[kind]
        if code.isdigit() and len(code) < widths[0]:  # a number cell lost its leading zeros
            code = code.zfill(widths[-1])
        entry: dict[str, Any] = {"code": code, "name": name}
        if get(parent_at):
            entry["parent"] = get(parent_at)
        if verified_at is not None:
            entry["verified"] = get(verified_at).casefold() in {"1", "true", "x", "có", "yes"}
        entries.append(entry)
    return entries


_WIDTHS: dict[CatalogKind, tuple[int, ...]] = {
    CatalogKind.CHAPTER: (3,), CatalogKind.INDUSTRY: (3,), CatalogKind.NDKT: (4,),
    CatalogKind.SOURCE: (2,), CatalogKind.LEVEL: (1,), CatalogKind.TREASURY: (4,),
    CatalogKind.PROGRAM: (4, 5),
}


class CatalogUpdater:
    """Replaces one year's lists in the data folder, validated whole first."""

    def __init__(self, data_dir: Path, today: Callable[[], date]) -> None:
        self._dir = data_dir / "catalogs"
        self._today = today

    def import_file(
        self, path: Path, kind: CatalogKind | None = None, year: int | None = None
    ) -> CatalogImport:
        """Import ``path`` (JSON or .xlsx); ``kind`` and ``year`` are needed for an .xlsx."""
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            if kind is None or year is None:
                raise ExpectedError("catalog_import.needs_kind", path=str(path))
            entries = read_xlsx_entries(path, kind)
            return self._replace(path, year, {kind: entries}, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise _refuse(path, error.strerror or str(error)) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise _refuse(path, str(error)) from None
        if not isinstance(data, dict):
            raise _refuse(path, "the file is not a JSON object")
        if "codes" in data:  # a whole year's catalogue
            return self._whole(path, data, year)
        file_kind, file_year = data.get("kind"), data.get("fiscal_year")
        try:
            chosen = CatalogKind(file_kind) if file_kind is not None else kind
        except ValueError:
            raise _refuse(path, f"kind {file_kind!r} is not a code list") from None
        chosen_year = file_year if isinstance(file_year, int) else year
        if chosen is None or chosen_year is None:
            raise ExpectedError("catalog_import.needs_kind", path=str(path))
        if not isinstance(data.get("entries"), list):
            raise _refuse(path, "entries is missing or not a list")
        meta = {k: data[k] for k in ("basis", "version", "source") if isinstance(data.get(k), str)}
        return self._replace(path, chosen_year, {chosen: data["entries"]}, meta)

    def _whole(self, path: Path, data: dict[str, Any], year: int | None) -> CatalogImport:
        file_year = data.get("fiscal_year")
        if year is not None and file_year != year:
            raise _refuse(path, f"it is for fiscal year {file_year}, not {year}")
        data.setdefault("published", self._today().isoformat())
        written = self._install(path, data)
        cat = load_catalog_file(written)
        counts = {k.value: len(cat.codes(k)) for k in CatalogKind}
        return CatalogImport(cat.fiscal_year, counts, written)

    def _replace(
        self, path: Path, year: int, lists: dict[CatalogKind, list[Any]], meta: dict[str, str]
    ) -> CatalogImport:
        if not 2000 <= year <= 2100:
            raise _refuse(path, f"{year} is not a fiscal year")
        try:
            current = catalog_document(load_catalog(year, self._dir))
        except CatalogError:
            current = {"fiscal_year": year, "basis": meta.get("basis", "—"),
                       "version": "—", "valid_from": f"{year}-01-01", "note": "",
                       "codes": {k.value: [] for k in CatalogKind}}
        today = self._today().isoformat()
        for kind, entries in lists.items():
            current["codes"][kind.value] = entries
            info = current.setdefault("lists", {}).setdefault(kind.value, {})
            info["source"] = meta.get("source") or f"imported from {path.name} on {today}"
            info["complete"] = True  # a published list replaces the whole list
            if meta.get("basis"):
                info["basis"] = meta["basis"]
        version = meta.get("version") or f"imported {today}"
        current["version"] = f"{current['version']} + {version}"[:120]
        current["published"] = today
        written = self._install(path, current)
        counts = {k.value: len(v) for k, v in ((k, lists[k]) for k in lists)}
        return CatalogImport(year, counts, written)

    def _install(self, source: Path, document: dict[str, Any]) -> Path:
        year = document.get("fiscal_year")
        self._dir.mkdir(parents=True, exist_ok=True)
        target = self._dir / f"{year}.json"
        temporary = self._dir / f".{year}.json.importing"
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
        try:
            load_catalog_file(temporary)  # validated whole before it replaces anything
        except CatalogError as error:
            temporary.unlink()
            raise _refuse(source, error.message.render()) from None
        os.replace(temporary, target)
        clear_catalog_cache()
        return target
