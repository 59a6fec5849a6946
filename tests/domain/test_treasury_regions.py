"""Issue 11: the treasury offices after the 2025 reorganisation, as far as a public source goes.

The regional treasuries (KBNN khu vực I–XX) ship as sourced reference data; their office codes
were not found, so none is given (and none is invented for the catalogue).
"""

from __future__ import annotations

import json

from treasury_desktop.domain.catalog import CatalogKind, load_catalog
from treasury_desktop.paths import resources_dir

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]


def test_the_twenty_regions_are_sourced_and_carry_no_invented_code() -> None:
    data = json.loads((resources_dir() / "catalogs" / "treasury_regions_2025.json")
                      .read_text(encoding="utf-8"))
    assert "385/QĐ-BTC" in data["basis"] and "@" in data["source"]
    assert data["codes"].startswith("NOT FOUND")
    regions = data["regions"]
    assert [r["region"] for r in regions] == ROMAN
    for region in regions:
        assert region["name"] == f"Kho bạc Nhà nước khu vực {region['region']}"
        assert region["seat"] in region["area"]
        assert region["code"] is None and region["verified"] is False
    areas = [a for r in regions for a in r["area"]]
    # The provinces before July 2025, each once; the source leaves Cao Bằng out, and says so.
    assert len(areas) == len(set(areas)) == 62 and "Cao Bằng" not in areas
    assert any("Cao Bằng" in caveat for caveat in data["caveats"])


def test_the_shipped_treasury_list_says_the_new_one_was_not_found() -> None:
    info = load_catalog(2026).info(CatalogKind.TREASURY)
    assert not info.complete
    assert "not found" in info.source and "treasury_regions_2025.json" in info.source
