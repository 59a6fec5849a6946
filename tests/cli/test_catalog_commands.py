"""``catalog show`` and ``catalog import`` (JSON and .xlsx), through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from treasury_desktop.cli.main import main
from treasury_desktop.domain.catalog import CatalogKind, load_catalog
from treasury_desktop.i18n import set_language


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home"
    monkeypatch.setenv("TREASURY_DESKTOP_HOME", str(folder))
    yield folder
    set_language("vi")  # main() sets the process's language


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def xlsx(path: Path, rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Danh mục mã nội dung kinh tế (Bộ Tài chính)"])  # a title row first
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_show_as_json_lines(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "catalog", "show", "ndkt", "--year", "2026", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 1034
    assert set(rows[0]) == {"code", "name", "parent", "verified"}
    tax = next(r for r in rows if r["code"] == "1001")
    assert tax == {"code": "1001", "name": "Thuế thu nhập từ tiền lương, tiền công",
                   "parent": "1000", "verified": tax["verified"]}


def test_show_as_text_says_how_complete_the_list_is(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "--lang", "en", "catalog", "show", "treasury", "--year", "2026")
    assert code == 0
    first = out.splitlines()[0]
    assert "partial" in first and "2026" in first
    assert any(line.startswith("0164   KBNN Sơn Trà") for line in out.splitlines())


def test_import_an_xlsx_list(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [(6000, "Tiền lương", None), ("6001", "Lương theo ngạch, bậc", "6000"),
            (6002, "Lương tập sự, công chức dự bị", 6000), ("", "", "")]
    path = xlsx(tmp_path / "ndkt.xlsx", rows, ("Mã số", "Tên", "Mã cha"))
    code, out, err = cli(capsys, "catalog", "import", str(path), "--kind", "ndkt",
                         "--year", "2026")
    assert code == 0, err
    assert "ndkt (3)" in out
    code, out, _ = cli(capsys, "catalog", "show", "ndkt", "--year", "2026", "--json")
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["6000", "6001", "6002"]
    cat = load_catalog(2026, home / "catalogs")
    assert cat.info(CatalogKind.NDKT).source.startswith("imported from ndkt.xlsx")
    assert len(cat.codes(CatalogKind.CHAPTER)) == 216  # the other lists are kept


def test_an_xlsx_with_leading_zeros_lost_by_excel(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xlsx(tmp_path / "chuong.xlsx", [(18, "Bộ Tài chính"), (422, "Sở GD&ĐT")],
                ("code", "name"))
    assert cli(capsys, "catalog", "import", str(path), "--kind", "chapter", "--year",
               "2026")[0] == 0
    cat = load_catalog(2026, home / "catalogs")
    assert [e.code for e in cat.codes(CatalogKind.CHAPTER)] == ["018", "422"]


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([("60A1", "Sai")], "60A1"),
        ([("6001", "Một"), ("6001", "Hai")], "twice"),
        ([("6001", "")], "no name"),
        ([("6001", "Con", "6999")], "parent"),
    ],
)
def test_a_bad_list_replaces_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    rows: list[tuple[str, ...]], reason: str,
) -> None:
    path = xlsx(tmp_path / "bad.xlsx", rows, ("code", "name", "parent"))
    code, _, err = cli(capsys, "--lang", "en", "catalog", "import", str(path), "--kind", "ndkt",
                       "--year", "2026")
    assert code == 1 and reason in err and "unchanged" in err
    assert not (home / "catalogs" / "2026.json").exists()
    assert not list((home / "catalogs").glob(".*importing"))


def test_import_a_json_list_and_a_whole_year(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = {"fiscal_year": 2026, "kind": "source", "basis": "Công văn KBNN (thử)",
           "version": "nguồn-2", "entries": [{"code": "13", "name": "Kinh phí tự chủ",
                                               "verified": True}]}
    (tmp_path / "source.json").write_text(json.dumps(one, ensure_ascii=False), "utf-8")
    assert cli(capsys, "catalog", "import", str(tmp_path / "source.json"))[0] == 0
    cat = load_catalog(2026, home / "catalogs")
    assert [e.code for e in cat.codes(CatalogKind.SOURCE)] == ["13"]
    assert cat.info(CatalogKind.SOURCE).basis == "Công văn KBNN (thử)"
    assert "nguồn-2" in cat.version
    whole = json.loads((Path(__file__).parents[2] / "resources" / "catalogs" /
                        "2025.json").read_text("utf-8"))
    (tmp_path / "2025.json").write_text(json.dumps(whole, ensure_ascii=False), "utf-8")
    assert cli(capsys, "catalog", "import", str(tmp_path / "2025.json"))[0] == 0
    assert (home / "catalogs" / "2025.json").is_file()


def test_an_xlsx_needs_its_kind_and_year(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xlsx(tmp_path / "x.xlsx", [("6001", "Lương")], ("code", "name"))
    code, _, err = cli(capsys, "--lang", "en", "catalog", "import", str(path))
    assert code == 1 and "--kind" in err
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    code, _, err = cli(capsys, "--lang", "en", "catalog", "import",
                       str(tmp_path / "broken.xlsx"), "--kind", "ndkt", "--year", "2026")
    assert code == 1 and "xlsx" in err and "Traceback" not in err
