"""Budget-code catalogues per fiscal year: content, lookups, type-ahead, overrides, errors."""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from treasury_desktop.domain.catalog import (
    CODE_LENGTHS,
    BudgetCatalog,
    CatalogError,
    CatalogKind,
    available_years,
    fold,
    load_catalog,
    load_catalog_file,
    shipped_catalog_dir,
)

K = CatalogKind
NDKT_ASKED = [
    "6001",
    "6003",
    "6051",
    "6101",
    "6102",
    "6113",
    "6115",
    "6301",
    "6302",
    "6303",
    "6304",
    "6501",
    "6502",
    "6503",
    "6504",
    "6551",
    "6552",
    "6599",
    "6601",
    "6605",
    "6701",
    "6702",
    "6751",
    "6757",
    "6801",
    "6899",
    "6912",
    "6949",
    "7001",
    "7049",
    "7799",
    "1001",  # the revenue code of a C2-02b/NS tax block
]


def test_shipped_years() -> None:
    assert {2025, 2026} <= set(available_years())


@pytest.mark.parametrize(("year", "basis"), [(2025, "324/2016/TT-BTC"), (2026, "130/2025/TT-BTC")])
def test_metadata(year: int, basis: str) -> None:
    cat = load_catalog(year)
    assert cat.fiscal_year == year
    assert basis in cat.basis
    assert cat.valid_from == date(year, 1, 1)
    assert cat.version and cat.published is not None
    # Says honestly how complete it is.
    assert ("partial" if year == 2025 else "complete") in cat.note.lower()
    for kind in CatalogKind:
        info = cat.info(kind)
        assert info.basis and info.valid_from == date(year, 1, 1) and info.source


def test_2026_ships_the_complete_tt_130_lists(catalog_2026: BudgetCatalog) -> None:
    counts = {kind: len(catalog_2026.codes(kind)) for kind in (K.CHAPTER, K.INDUSTRY, K.NDKT)}
    assert counts == {K.CHAPTER: 216, K.INDUSTRY: 120, K.NDKT: 1034}
    for kind in counts:
        assert catalog_2026.info(kind).complete and "Phụ lục" in catalog_2026.info(kind).basis
    for kind in (K.SOURCE, K.TREASURY, K.PROGRAM):
        assert not catalog_2026.info(kind).complete  # and the window/CLI say so
    ndkt = catalog_2026.codes(K.NDKT)
    assert any(e.verified for e in ndkt) and any(not e.verified for e in ndkt)
    assert catalog_2026.entry(K.NDKT, "1000").verified  # the same in QĐ 33/2008
    assert not catalog_2026.entry(K.NDKT, "6001").verified  # worded differently there
    assert catalog_2026.name_of(K.CHAPTER, "557") == "Hộ gia đình, cá nhân"
    # Codes seen on real vouchers that the first starter set lacked.
    for kind, code in [(K.TREASURY, "0164"), (K.CHAPTER, "599"), (K.NDKT, "7263"),
                       (K.NDKT, "7455"), (K.INDUSTRY, "398"), (K.SOURCE, "12")]:
        assert catalog_2026.contains(kind, code), (kind, code)


def test_2025_is_partial_and_says_so(catalog_2025: BudgetCatalog) -> None:
    assert not catalog_2025.info(K.NDKT).complete
    assert "PARTIAL" in catalog_2025.info(K.NDKT).basis
    district = catalog_2025.entry(K.CHAPTER, "622")
    assert district is not None and district.valid_to == date(2025, 6, 30)
    assert district.in_force(date(2025, 6, 30)) and not district.in_force(date(2025, 7, 1))


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_list_is_filled_and_well_formed(year: int) -> None:
    cat = load_catalog(year)
    for kind in CatalogKind:
        entries = cat.codes(kind)
        assert entries, kind
        for e in entries:
            assert len(e.code) in CODE_LENGTHS[kind] and e.code.isdigit()
            assert e.name.strip() == e.name and unicodedata.is_normalized("NFC", e.name)
    assert len([e for e in cat.codes(K.NDKT) if e.parent]) >= 80
    assert len(cat.codes(K.TREASURY)) >= 24


@pytest.mark.parametrize("year", [2025, 2026])
def test_codes_the_app_relies_on(year: int) -> None:
    cat = load_catalog(year)
    for code in NDKT_ASKED:
        assert cat.contains(K.NDKT, code), code
    # TT 130/2025 renamed and renumbered some (6501 "Tiền điện"; chapter 018 is Bộ Tài chính).
    assert cat.name_of(K.NDKT, "6501") == ("Thanh toán tiền điện" if year == 2025 else "Tiền điện")
    assert cat.name_of(K.CHAPTER, "018") == (
        "Bộ Giáo dục và Đào tạo" if year == 2025 else "Bộ Tài chính"
    )
    assert cat.name_of(K.CHAPTER, "422") == "Sở Giáo dục và Đào tạo"
    assert cat.name_of(K.CHAPTER, "423") == "Sở Y tế"
    assert cat.contains(K.CHAPTER, "805") == (year == 2025)  # 830 replaces it in TT 130
    for kind, code in [
        (K.CHAPTER, "822"),
        (K.INDUSTRY, "070"),
        (K.INDUSTRY, "072"),
        (K.INDUSTRY, "341"),
        (K.SOURCE, "13"),
        (K.SOURCE, "01"),
        (K.LEVEL, "1"),
        (K.TREASURY, "0011"),
        (K.PROGRAM, "00000"),
    ]:
        assert cat.contains(kind, code), (kind, code)
    assert [e.code for e in cat.codes(K.INDUSTRY) if e.parent == "070"][:5] == [
        "071",
        "072",
        "073",
        "074",
        "075",
    ]
    assert not cat.contains(K.NDKT, "6998")
    assert cat.name_of(K.NDKT, "6998") is None


def test_district_chapters_exist_in_2025_only(
    catalog_2025: BudgetCatalog, catalog_2026: BudgetCatalog
) -> None:
    def district(cat: BudgetCatalog) -> list[str]:
        return [e.code for e in cat.codes(K.CHAPTER) if "600" <= e.code <= "799"]

    assert "622" in district(catalog_2025)
    assert district(catalog_2026) == []
    assert catalog_2025.contains(K.LEVEL, "3") and not catalog_2026.contains(K.LEVEL, "3")


def test_headings(catalog_2026: BudgetCatalog) -> None:
    assert catalog_2026.is_heading(K.NDKT, "6500")
    assert not catalog_2026.is_heading(K.NDKT, "6501")
    assert catalog_2026.entry(K.NDKT, "6501").parent == "6500"  # type: ignore[union-attr]
    assert catalog_2026.is_heading(K.INDUSTRY, "070")


@pytest.mark.parametrize("query", ["tien dien", "Tiền điện", "TIEN DIEN", "  tiền   điện "])
def test_search_is_diacritic_insensitive(catalog_2026: BudgetCatalog, query: str) -> None:
    assert [e.code for e in catalog_2026.search(K.NDKT, query)][:1] == ["6501"]


def test_search_by_code_prefix_comes_first(catalog_2026: BudgetCatalog) -> None:
    codes = [e.code for e in catalog_2026.search(K.NDKT, "650", limit=3)]
    assert codes == ["6500", "6501", "6502"]


def test_search_words_in_any_order_and_limits(catalog_2026: BudgetCatalog) -> None:
    assert "422" in [e.code for e in catalog_2026.search(K.CHAPTER, "dao tao giao duc")]
    assert len(catalog_2026.search(K.NDKT, "", limit=7)) == 7
    assert len(catalog_2026.search(K.NDKT, "phu cap", limit=3)) == 3
    assert catalog_2026.search(K.NDKT, "zzz") == []
    assert catalog_2026.search(K.NDKT, "Đoàn", limit=0) == []


def test_fold() -> None:
    assert fold("Đường điện, cấp thoát nước") == "duong dien, cap thoat nuoc"


# --- overrides and errors -------------------------------------------------------------------


def _shipped(year: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shipped_catalog_dir() / f"{year}.json").read_text("utf-8"))
    return data


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("sub", ["catalogs", ""])
def test_a_file_in_the_data_folder_wins(tmp_path: Path, sub: str) -> None:
    data = _shipped(2026)
    data["version"] = "2026.2-local"
    data["codes"]["ndkt"].append(
        {"code": "6509", "name": "Thanh toán dịch vụ thử", "parent": "6500"}
    )
    _write(tmp_path / sub / "2026.json", data)
    cat = load_catalog(2026, override_dir=tmp_path)
    assert cat.version == "2026.2-local" and cat.contains(K.NDKT, "6509")
    assert cat.source_path == tmp_path / sub / "2026.json"
    assert not load_catalog(2026).contains(K.NDKT, "6509")  # the shipped one is untouched


def test_an_override_for_a_new_year_is_available(tmp_path: Path) -> None:
    data = _shipped(2026) | {"fiscal_year": 2027, "valid_from": "2027-01-01"}
    _write(tmp_path / "catalogs" / "2027.json", data)
    assert 2027 in available_years(tmp_path)
    assert load_catalog(2027, tmp_path).fiscal_year == 2027


def test_no_catalogue_for_the_year(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as err:
        load_catalog(1999, tmp_path)
    assert err.value.message.key == "budget_catalog.missing"
    assert "1999" in str(err.value)


def test_an_override_for_another_year_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "catalogs" / "2025.json", _shipped(2026))
    with pytest.raises(CatalogError, match="2026"):
        load_catalog(2025, tmp_path)


def _broken(data: dict[str, Any], change: str) -> Any:
    codes = data["codes"]
    if change == "not json":
        return None
    if change == "list at top":
        return [data]
    if change == "no year":
        del data["fiscal_year"]
    elif change == "bad date":
        data["valid_from"] = "1/1/2026"
    elif change == "no basis":
        data["basis"] = ""
    elif change == "missing kind":
        del codes["treasury"]
    elif change == "unknown kind":
        codes["colour"] = []
    elif change == "short code":
        codes["ndkt"].append({"code": "650", "name": "x"})
    elif change == "code as number":
        codes["chapter"].append({"code": 422, "name": "x"})
    elif change == "no name":
        codes["source"].append({"code": "77", "name": " "})
    elif change == "duplicate":
        codes["source"].append({"code": "13", "name": "again"})
    elif change == "orphan":
        codes["ndkt"].append({"code": "8881", "name": "x", "parent": "8880"})
    return data


@pytest.mark.parametrize(
    "change",
    [
        "not json",
        "list at top",
        "no year",
        "bad date",
        "no basis",
        "missing kind",
        "unknown kind",
        "short code",
        "code as number",
        "no name",
        "duplicate",
        "orphan",
    ],
)
def test_malformed_files_give_a_clear_error(tmp_path: Path, change: str) -> None:
    path = tmp_path / "2026.json"
    broken = _broken(_shipped(2026), change)
    if broken is None:
        path.write_text('{"fiscal_year": 2026,', encoding="utf-8")
    else:
        _write(path, broken)
    with pytest.raises(CatalogError) as err:
        load_catalog_file(path)
    assert err.value.message.key == "budget_catalog.invalid"
    for lang in ("vi", "en"):
        assert str(path) in err.value.message.render(lang)


def test_malformed_override_is_reported_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "catalogs" / "2026.json").write_text("garbage", encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(2026, tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as err:
        load_catalog_file(tmp_path / "nowhere.json")
    assert err.value.message.key == "budget_catalog.unreadable"
    folder = tmp_path / "2026.json"
    folder.mkdir()
    with pytest.raises(CatalogError):
        load_catalog_file(folder)


def test_catalogues_are_cached_and_frozen(tmp_path: Path) -> None:
    shutil.copy(shipped_catalog_dir() / "2026.json", tmp_path / "2026.json")
    first = load_catalog(2026, tmp_path)
    assert load_catalog(2026, tmp_path) is first
    with pytest.raises(AttributeError):
        first.fiscal_year = 2027  # type: ignore[misc]
