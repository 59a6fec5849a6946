"""Budget-code catalogues (Mục lục NSNN), one versioned data file per fiscal year.

The codes live in ``resources/catalogs/<year>.json``. An updated file dropped into the user's
data folder (``catalogs/<year>.json``) wins over the shipped one, so a wrong or missing code is
fixed in data, never in code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.paths import resources_dir


class CatalogKind(StrEnum):
    """The code lists of the budget classification used on a voucher."""

    CHAPTER = "chapter"  # mã chương
    INDUSTRY = "industry"  # mã ngành kinh tế (loại, khoản)
    NDKT = "ndkt"  # mã nội dung kinh tế (mục, tiểu mục)
    SOURCE = "source"  # mã nguồn NSNN
    LEVEL = "level"  # mã cấp ngân sách
    TREASURY = "treasury"  # mã KBNN (treasury office)
    PROGRAM = "program"  # mã CTMT, DA


CODE_LENGTHS: Mapping[CatalogKind, tuple[int, ...]] = MappingProxyType(
    {
        CatalogKind.CHAPTER: (3,),
        CatalogKind.INDUSTRY: (3,),
        CatalogKind.NDKT: (4,),
        CatalogKind.SOURCE: (2,),
        CatalogKind.LEVEL: (1,),
        CatalogKind.TREASURY: (4,),
        CatalogKind.PROGRAM: (4, 5),  # DOMAIN.md: 4–5 digits, 00000 when none
    }
)
"""How many digits a well-formed code of each kind has."""


def has_code_shape(kind: CatalogKind, code: str) -> bool:
    """Whether ``code`` is all ASCII digits of an allowed length for ``kind``."""
    return code.isascii() and code.isdigit() and len(code) in CODE_LENGTHS[kind]


class CatalogError(ExpectedError):
    """A catalogue is missing or its file is malformed; the message names the file."""


@dataclass(frozen=True)
class CatalogEntry:
    """One code and its name; ``parent`` is the mục of a tiểu mục, the loại of a khoản.

    ``verified``: a second source confirms code and name (see the list's ``verified_means``).
    ``valid_from``/``valid_to``: when a code starts or stops inside the year (the district
    budgets ended on 1 July 2025; ministries merged on 1 March 2025)."""

    code: str
    name: str
    parent: str | None = None
    note: str = ""
    verified: bool = False
    valid_from: date | None = None
    valid_to: date | None = None

    def in_force(self, day: date) -> bool:
        """Whether the code may be used on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class ListInfo:
    """What one code list of a year's catalogue rests on: its legal basis, since when, whether
    it is complete, and where it was taken from."""

    basis: str = ""
    valid_from: date | None = None
    complete: bool = False
    source: str = ""
    verified_means: str = ""


def fold(text: str) -> str:
    """Lower case without diacritics, for type-ahead: 'Tiền điện' -> 'tien dien'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


@dataclass(frozen=True, eq=False)
class BudgetCatalog:
    """The code lists of one fiscal year. Immutable; build with :func:`load_catalog`."""

    fiscal_year: int
    basis: str
    version: str
    valid_from: date
    note: str
    entries: Mapping[CatalogKind, tuple[CatalogEntry, ...]]
    source_path: Path | None = None
    published: date | None = None  # the day this list was shipped or imported
    lists: Mapping[CatalogKind, ListInfo] = field(default_factory=dict)
    _index: Mapping[CatalogKind, Mapping[str, CatalogEntry]] = field(init=False, repr=False)
    _parents: frozenset[tuple[CatalogKind, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index = {kind: {e.code: e for e in self.entries.get(kind, ())} for kind in CatalogKind}
        parents = {(k, e.parent) for k, es in self.entries.items() for e in es if e.parent}
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_parents", frozenset(parents))

    def entry(self, kind: CatalogKind, code: str) -> CatalogEntry | None:
        """The entry for ``code``, or None."""
        return self._index[kind].get(code)

    def name_of(self, kind: CatalogKind, code: str) -> str | None:
        """The name of ``code``, or None when the year's catalogue does not have it."""
        found = self.entry(kind, code)
        return found.name if found else None

    def contains(self, kind: CatalogKind, code: str) -> bool:
        """Whether ``code`` exists in this year's list of ``kind``."""
        return code in self._index[kind]

    def info(self, kind: CatalogKind) -> ListInfo:
        """The legal basis, dates, completeness and source of one list."""
        return self.lists.get(kind) or ListInfo(self.basis, self.valid_from)

    def is_heading(self, kind: CatalogKind, code: str) -> bool:
        """Whether ``code`` groups other codes (a mục over tiểu mục, a loại over khoản)."""
        return (kind, code) in self._parents

    def codes(self, kind: CatalogKind) -> tuple[CatalogEntry, ...]:
        """Every entry of ``kind``, in file order."""
        return self.entries.get(kind, ())

    def search(self, kind: CatalogKind, query: str, limit: int = 20) -> list[CatalogEntry]:
        """Type-ahead over code and name, best first; 'tien dien' finds 'Tiền điện'."""
        q = fold(query)
        if not q:
            return list(self.codes(kind)[:limit])
        words = q.split()
        ranked: list[tuple[int, int, CatalogEntry]] = []
        for pos, e in enumerate(self.codes(kind)):
            name = fold(e.name)
            if e.code.startswith(q):
                rank = 0
            elif name.startswith(q):
                rank = 1
            elif f" {q}" in f" {name}":
                rank = 2
            elif q in name:
                rank = 3
            elif all(w in name or e.code.startswith(w) for w in words):
                rank = 4
            else:
                continue
            ranked.append((rank, pos, e))
        ranked.sort(key=lambda t: (t[0], t[1]))
        return [e for _, _, e in ranked[: max(limit, 0)]]


_YEAR_FILE = re.compile(r"^(\d{4})\.json$")


def _bad(path: Path, reason: str) -> CatalogError:
    return CatalogError("budget_catalog.invalid", path=str(path), reason=reason)


def _entries(path: Path, kind: CatalogKind, raw: Any) -> tuple[CatalogEntry, ...]:
    if not isinstance(raw, list):
        raise _bad(path, f"codes.{kind} is not a list")
    out: list[CatalogEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"codes.{kind}[{i}]"
        if not isinstance(item, dict):
            raise _bad(path, f"{where} is not an object")
        code, name = item.get("code"), item.get("name")
        parent, note = item.get("parent"), item.get("note", "")
        verified = item.get("verified", False)
        if not isinstance(verified, bool):
            raise _bad(path, f"{where}.verified must be true or false")
        valid_from = _date(path, f"{where}.valid_from", item.get("valid_from"))
        valid_to = _date(path, f"{where}.valid_to", item.get("valid_to"))
        if not isinstance(code, str) or not has_code_shape(kind, code):
            raise _bad(path, f"{where}.code {code!r} is not a {kind} code")
        if not isinstance(name, str) or not name.strip():
            raise _bad(path, f"{where} ({code}) has no name")
        if parent is not None and not isinstance(parent, str):
            raise _bad(path, f"{where}.parent must be a code")
        if not isinstance(note, str):
            raise _bad(path, f"{where}.note must be text")
        if code in seen:
            raise _bad(path, f"{where}: code {code} appears twice")
        seen.add(code)
        out.append(
            CatalogEntry(code, name.strip(), parent or None, note, verified, valid_from, valid_to)
        )
    for e in out:
        if e.parent and e.parent not in seen:
            raise _bad(path, f"codes.{kind}: parent {e.parent} of {e.code} is not in the list")
    return tuple(out)


def _date(path: Path, where: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(path, f"{where} {value!r} is not a date") from None


def _lists(path: Path, raw: Any) -> dict[CatalogKind, ListInfo]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _bad(path, "lists is not an object")
    out: dict[CatalogKind, ListInfo] = {}
    for key, item in raw.items():
        if key not in {k.value for k in CatalogKind} or not isinstance(item, dict):
            raise _bad(path, f"lists.{key} is not a known code list")
        texts = {k: item.get(k, "") for k in ("basis", "source", "verified_means")}
        if not all(isinstance(v, str) for v in texts.values()):
            raise _bad(path, f"lists.{key}: basis, source and verified_means are text")
        complete = item.get("complete", False)
        if not isinstance(complete, bool):
            raise _bad(path, f"lists.{key}.complete must be true or false")
        out[CatalogKind(key)] = ListInfo(
            texts["basis"], _date(path, f"lists.{key}.valid_from", item.get("valid_from")),
            complete, texts["source"], texts["verified_means"],
        )
    return out


def load_catalog_file(path: Path) -> BudgetCatalog:
    """Read one catalogue file, or raise :class:`CatalogError` saying what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CatalogError("budget_catalog.unreadable", path=str(path), reason=reason) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, str(exc)) from exc
    if not isinstance(data, dict):
        raise _bad(path, "the file is not a JSON object")
    year, codes = data.get("fiscal_year"), data.get("codes")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _bad(path, f"fiscal_year {year!r} is not a year")
    texts = {k: data.get(k, "") for k in ("basis", "version", "valid_from", "note")}
    for key, value in texts.items():
        if not isinstance(value, str) or (key != "note" and not value.strip()):
            raise _bad(path, f"{key} is missing or not text")
    try:
        valid_from = date.fromisoformat(texts["valid_from"])
    except ValueError as exc:
        raise _bad(path, f"valid_from {texts['valid_from']!r} is not a date") from exc
    if not isinstance(codes, dict):
        raise _bad(path, "codes is missing or not an object")
    unknown = sorted(set(codes) - {k.value for k in CatalogKind})
    if unknown:
        raise _bad(path, f"unknown code list(s): {', '.join(unknown)}")
    missing = [k.value for k in CatalogKind if k.value not in codes]
    if missing:
        raise _bad(path, f"missing code list(s): {', '.join(missing)}")
    entries = {kind: _entries(path, kind, codes[kind.value]) for kind in CatalogKind}
    return BudgetCatalog(
        fiscal_year=year,
        basis=texts["basis"],
        version=texts["version"],
        valid_from=valid_from,
        note=texts["note"],
        entries=MappingProxyType(entries),
        source_path=path,
        published=_date(path, "published", data.get("published")),
        lists=MappingProxyType(_lists(path, data.get("lists"))),
    )


def shipped_catalog_dir() -> Path:
    """Where the catalogues shipped with the app live."""
    return resources_dir() / "catalogs"


def _override_file(year: int, override_dir: Path | None) -> Path | None:
    # Accept both the data folder and its catalogs/ subfolder: callers differ, users too.
    if override_dir is None:
        return None
    for candidate in (override_dir / "catalogs" / f"{year}.json", override_dir / f"{year}.json"):
        if candidate.is_file():
            return candidate
    return None


def load_catalog(year: int, override_dir: Path | None = None) -> BudgetCatalog:
    """The catalogue of ``year``: the user's override file if present, else the shipped one.

    ``override_dir`` is the user's data folder (or its ``catalogs`` subfolder). Results are
    cached per file and its modification time, so a list imported or fetched by another
    process is used at once.
    """
    path = _override_file(year, override_dir) or shipped_catalog_dir() / f"{year}.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise CatalogError("budget_catalog.missing", year=year) from None
    return _load_cached(year, path, stamp)


@lru_cache(maxsize=32)
def _load_cached(year: int, path: Path, _stamp: int) -> BudgetCatalog:
    catalog = load_catalog_file(path)
    if catalog.fiscal_year != year:
        raise _bad(path, f"it is for fiscal year {catalog.fiscal_year}, not {year}")
    return catalog


def clear_catalog_cache() -> None:
    """Forget loaded catalogues (after an update was dropped into the data folder)."""
    _load_cached.cache_clear()


def available_years(override_dir: Path | None = None) -> tuple[int, ...]:
    """Fiscal years with a catalogue, shipped or dropped in by the user, ascending."""
    folders = [shipped_catalog_dir()]
    if override_dir is not None:
        folders += [override_dir, override_dir / "catalogs"]
    years = {
        int(m.group(1))
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if (m := _YEAR_FILE.match(p.name))
    }
    return tuple(sorted(years))
