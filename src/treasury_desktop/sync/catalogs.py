"""Budget-code catalogues from the treasury, refreshed with ETags and kept for offline use.

Each code list is cached with its ETag; when one changed, the year's catalogue is written as
``<data>/catalogs/<year>.json`` (the override file ``domain.catalog.load_catalog`` prefers), so
the editor checks codes against the treasury's current lists even offline.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from treasury_desktop.api.port import TreasuryPort
from treasury_desktop.clock import iso
from treasury_desktop.domain.catalog import (
    CatalogError,
    CatalogKind,
    clear_catalog_cache,
    load_catalog,
    load_catalog_file,
)
from treasury_desktop.store import server_cache
from treasury_desktop.store.db import transaction


@dataclass(frozen=True)
class CatalogRefresh:
    """What a refresh did: which lists changed, and the file written (if any)."""

    year: int
    changed: tuple[str, ...]
    written: Path | None


class CatalogBook:
    """The treasury's catalogues of a year, cached per list with its ETag."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path,
                 clock: Callable[[], datetime]) -> None:
        self._conn = conn
        self._dir = data_dir / "catalogs"
        self._clock = clock

    def refresh(self, port: TreasuryPort, year: int) -> CatalogRefresh:
        """Ask for every list with If-None-Match; rewrite the year's file when one changed."""
        changed: list[str] = []
        bodies: dict[str, Any] = {}
        fresh: list[tuple[str, str | None, dict[str, Any]]] = []
        for kind in CatalogKind:
            key = f"catalog/{kind.value}/{year}"
            kept = server_cache.cached(self._conn, key)
            fetched = port.catalog(kind.value, year, kept.etag if kept else None)
            if fetched.body is None and kept is not None:
                bodies[kind.value] = json.loads(kept.body)
                continue
            body = dict(fetched.body or {})
            bodies[kind.value] = body
            changed.append(kind.value)
            fresh.append((key, fetched.etag, body))
        written = self._write(year, bodies) if changed else None
        # The ETags are remembered only once the merged catalogue proved readable: a bad one
        # is fetched again next time instead of being answered "unchanged" for ever.
        with transaction(self._conn) as conn:
            for key, etag, body in fresh:
                server_cache.keep_in(conn, key, json.dumps(body, ensure_ascii=False), etag,
                                     self._clock())
        return CatalogRefresh(year, tuple(changed), written)

    def _write(self, year: int, bodies: dict[str, Any]) -> Path:
        try:
            shipped = load_catalog(year)
            basis, valid_from = shipped.basis, shipped.valid_from.isoformat()
        except CatalogError:
            basis, valid_from = "Kho bạc Nhà nước", f"{year}-01-01"
        versions = sorted({str(b.get("version", "")) for b in bodies.values()})
        document = {
            "fiscal_year": year, "basis": basis, "version": "+".join(versions) or "treasury",
            "valid_from": valid_from,
            "note": f"Fetched from the treasury at {iso(self._clock())}; do not edit.",
            "codes": {name: [{k: v for k, v in e.items() if v is not None}
                             for e in body.get("entries", [])]
                      for name, body in bodies.items()},
        }
        self._dir.mkdir(parents=True, exist_ok=True)
        target = self._dir / f"{year}.json"
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            load_catalog_file(temporary)  # never replace a good file with one the app cannot read
        except CatalogError:
            temporary.unlink()
            raise
        os.replace(temporary, target)
        clear_catalog_cache()
        return target
