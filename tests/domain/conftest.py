"""Shared fixtures of the domain tests: the DESIGN.md example voucher and the catalogues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from treasury_desktop.domain.catalog import BudgetCatalog, load_catalog
from treasury_desktop.domain.voucher import Voucher, from_document

DATA = Path(__file__).parents[1] / "data"  # the DESIGN.md example, shared by every folder


@pytest.fixture
def design_document() -> dict[str, Any]:
    """The example document of DESIGN.md, copied verbatim into tests/domain/data."""
    data: dict[str, Any] = json.loads((DATA / "design_example.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def design_voucher(design_document: dict[str, Any]) -> Voucher:
    return from_document(design_document)


@pytest.fixture(scope="session")
def catalog_2026() -> BudgetCatalog:
    return load_catalog(2026)


@pytest.fixture(scope="session")
def catalog_2025() -> BudgetCatalog:
    return load_catalog(2025)
