"""Header recognition and cell reading: the wordings accountants use, the shapes Excel stores."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from treasury_desktop.domain.catalog import CatalogKind, load_catalog
from treasury_desktop.sheets import cells
from treasury_desktop.sheets.cells import CellError
from treasury_desktop.sheets.columns import SheetKind, candidates
from treasury_desktop.sheets.mapping import propose
from treasury_desktop.sheets.reading import SheetRow, sniff_encoding

V = SheetKind.VOUCHERS


@pytest.mark.parametrize(("header", "field"), [
    ("Nội dung", "lines.content"), ("NOI DUNG THANH TOAN", "lines.content"),
    ("Diễn giải", "lines.content"), ("Mã NDKT", "lines.ndkt"), ("ma_ndkt", "lines.ndkt"),
    ("Tiểu mục", "lines.ndkt"), ("TM", "lines.ndkt"), ("Mã chương", "lines.chapter"),
    ("Mã ngành KT", "lines.industry"), ("Khoản", "lines.industry"),
    ("Mã nguồn NSNN", "lines.source"), ("Số tiền", "lines.amount"),
    ("Số tiền (VNĐ)", "lines.amount"), ("Thành tiền", "lines.amount"),
    ("Đơn vị nhận tiền", "payee.name"), ("Don vi nhan tien", "payee.name"),
    ("Tài khoản", "payee.account"), ("Số TK", "payee.account"),
    ("Tài khoản đơn vị", "unit.account"), ("TK đơn vị", "unit.account"),
    ("Tại KBNN (NH)", "payee.bank"), ("Tại KBNN", "unit.treasury"), ("Mã KBNN", "unit.treasury"),
    ("Mã ĐVQHNS", "unit.code"), ("Số CT", "number"), ("Ngày CT", "date"),
    ("Số tài khoản người hưởng", "payee.account"), ("Ngày cấp CCCD", "payee.id_date"),
    ("STT", "ignore"), ("Ghi chú", "ignore"),
])
def test_headers_with_and_without_diacritics(header: str, field: str) -> None:
    assert candidates(header, V) == (field,)


def test_ambiguous_and_repeated_columns_are_named() -> None:
    header = SheetRow(1, ("Số chứng từ", "Ngày", "Nội dung", "Số tiền", "Tài khoản",
                          "Tài khoản", "Xyz", None))
    mapping, check = propose(header, V)
    assert check.ambiguous == ("Tài khoản",)
    assert check.unknown == ("Xyz",) and not check.complete
    assert mapping.headers[-1] == "Xyz"  # trailing empty headers dropped
    _, partial = propose(SheetRow(3, ("Ngày", "Nội dung")), V)
    assert set(partial.missing) == {"number", "lines.amount"}


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, 1234567), (1234567.0, 1234567), ("1.234.567", 1234567), ("1,234,567", 1234567),
    ("1 234 567 đ", 1234567), ("1.234.567,00", 1234567), ("250000", 250000), ("1.000", 1000),
])
def test_amounts(value: object, expected: int) -> None:
    assert cells.amount(value) == expected


@pytest.mark.parametrize("value", ["12,5", "1.23.4", "một triệu", 0, -5, 12.5, True, "1.2345"])
def test_bad_amounts(value: object) -> None:
    with pytest.raises(CellError):
        cells.amount(value)


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2026, 11, 20, 0, 0), "2026-11-20"), (date(2026, 11, 20), "2026-11-20"),
    ("20/11/2026", "2026-11-20"), ("2/1/2026", "2026-01-02"), ("20-11-2026", "2026-11-20"),
    ("2026-11-20", "2026-11-20"), (46346, "2026-11-20"), ("20/11/2026 00:00:00", "2026-11-20"),
])
def test_dates(value: object, expected: str) -> None:
    assert cells.iso_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2026", "20.11.26", "hôm nay", 46346.5])
def test_bad_dates(value: object) -> None:
    with pytest.raises(CellError):
        cells.iso_date(value)


def test_codes_keep_or_regain_their_zeros_only_when_certain() -> None:
    catalog = load_catalog(2026)

    def known(kind: CatalogKind):  # type: ignore[no-untyped-def]
        return lambda code: catalog.contains(kind, code)

    assert cells.code(422, CatalogKind.CHAPTER, known(CatalogKind.CHAPTER)) == "422"
    assert cells.code(72.0, CatalogKind.INDUSTRY, known(CatalogKind.INDUSTRY)) == "072"
    assert cells.code("72", CatalogKind.INDUSTRY, known(CatalogKind.INDUSTRY)) == "072"
    assert cells.code("072", CatalogKind.INDUSTRY, known(CatalogKind.INDUSTRY)) == "072"
    assert cells.code(11, CatalogKind.TREASURY, known(CatalogKind.TREASURY)) == "0011"
    assert cells.code(0, CatalogKind.PROGRAM, known(CatalogKind.PROGRAM)) in ("00000",)
    with pytest.raises(CellError) as refused:
        cells.code(7, CatalogKind.INDUSTRY, known(CatalogKind.INDUSTRY))  # 007 is no code
    assert refused.value.params["padded"] == "007"
    with pytest.raises(CellError):
        cells.code(72, CatalogKind.INDUSTRY, None)  # no catalogue: nothing is guessed
    assert cells.code("07", CatalogKind.INDUSTRY, known(CatalogKind.INDUSTRY)) == "07"


def test_csv_encodings_are_told_apart() -> None:
    text = "Nội dung,Số tiền\n"
    assert sniff_encoding(b"\xef\xbb\xbf" + text.encode()) == "utf-8-sig"
    assert sniff_encoding(text.encode("utf-16")) == "utf-16"
    assert sniff_encoding(text.encode()) == "utf-8"
    assert sniff_encoding("Nội dung".encode("cp1258", errors="ignore") + b"\xd2") == "cp1258"
