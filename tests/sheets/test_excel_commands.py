"""``voucher import FILE.xlsx`` and ``voucher export --xlsx`` as a user runs them: a real
process, real files, read back with openpyxl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from sheet_files import UNIT, VOUCHER_HEADER, write_xlsx
from test_sheet_import import three_vouchers

from treasury_desktop.context import AppContext


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "treasury_desktop", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )


def with_unit(ctx: AppContext) -> None:
    _, profile = ctx.repositories()
    profile.set_unit(UNIT)
    ctx.close()


def test_import_dry_run_then_import_then_again(
    ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    with_unit(ctx)
    path = three_vouchers(tmp_path / "three.xlsx")
    dry = run(data_dir, "voucher", "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == "" and "chưa lưu gì" in dry.stderr
    assert run(data_dir, "voucher", "list", "--json").stdout == ""
    done = run(data_dir, "voucher", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 3
    again = run(data_dir, "--lang", "en", "voucher", "import", str(path))
    assert again.returncode == 0 and again.stdout == ""
    assert again.stderr.count("was already imported") == 3, again.stderr
    assert len(run(data_dir, "voucher", "list", "--json").stdout.splitlines()) == 3


def test_unrecognised_columns_stop_the_import_before_anything_is_stored(
    ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    with_unit(ctx)
    path = write_xlsx(tmp_path / "odd.xlsx", [
        ("Số chứng từ", "Ngày", "Nội dung", "Tài khoản", "Số tiền", "Cột lạ", "Tài khoản"),
        (1, "20/11/2026", "Tiền điện", "102010000123456", 1000, "x", "102010000123456"),
    ])
    mapping = tmp_path / "mapping.json"
    result = run(data_dir, "voucher", "import", str(path), "--save-mapping", str(mapping))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "«Cột lạ»" in result.stderr and "«Tài khoản»" in result.stderr
    assert run(data_dir, "voucher", "list", "--json").stdout == ""
    # The saved proposal, completed by hand, is then used as it is.
    saved = json.loads(mapping.read_text(encoding="utf-8"))
    saved["columns"]["Cột lạ"] = None
    mapping.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    result = run(data_dir, "voucher", "import", str(path), "--mapping", str(mapping))
    assert "«Cột lạ»" not in result.stderr and "«Tài khoản»" in result.stderr


def test_refused_rows_saved_with_an_error_column(
    ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    with_unit(ctx)
    path = write_xlsx(tmp_path / "bad.xlsx", [
        VOUCHER_HEADER,
        (1, 1, "20/11/2026", "Tiền điện", 6501, 422, 72, 13, 100000, "Điện lực", "1020100001",
         "VietinBank"),
        (2, 2, "20/11/2026", "Tiền nước", 6502, 422, 72, 13, -5, "Nước sạch", "1160000123",
         "Vietcombank"),
    ])
    errors = tmp_path / "errors.xlsx"
    result = run(data_dir, "--lang", "en", "voucher", "import", str(path), "--errors", str(errors))
    assert result.returncode == 1
    assert "row(s) 3:" in result.stderr and "row 3, column «Số tiền»" in result.stderr
    rows = list(load_workbook(errors).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][-1] == "Errors to fix" and len(rows) == 2 and rows[1][1] == 2


def test_export_reopens_with_the_store_totals(
    ctx: AppContext, data_dir: Path, tmp_path: Path
) -> None:
    with_unit(ctx)
    source = three_vouchers(tmp_path / "t.xlsx")
    assert run(data_dir, "voucher", "import", str(source)).returncode == 0
    listing = run(data_dir, "voucher", "list", "--json").stdout
    listed = [json.loads(line) for line in listing.splitlines()]
    store_total = sum(item["total"] for item in listed)
    out = tmp_path / "export.xlsx"
    result = run(data_dir, "voucher", "export", "--xlsx", str(out), "--year", "2026",
                 "--from", "20/11/2026", "--to", "22/11/2026")
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    vouchers, summary = workbook.worksheets
    assert vouchers.freeze_panes == "A2"
    rows = list(vouchers.iter_rows(min_row=2))
    lines, total_row = rows[:-1], rows[-1]
    assert len(lines) == 5
    assert sum(r[9].value for r in lines) == store_total == total_row[9].value == 4_478_567
    assert all(r[9].number_format == "#,##0" and isinstance(r[9].value, int) for r in lines)
    assert all(isinstance(r[1].value, datetime) for r in lines)
    assert [r[7].value for r in lines] == ["072"] * 5 and lines[0][7].number_format == "@"
    assert vouchers.column_dimensions["D"].width > 20
    sums = [r for r in summary.iter_rows(values_only=True) if r and r[0] == "Tổng cộng"]
    assert [r[2] for r in sums] == [store_total, store_total]
    codes = ("6501", "6502", "6551")
    by_ndkt = {r[0]: r[2] for r in summary.iter_rows(values_only=True) if r and r[0] in codes}
    assert by_ndkt == {"6501": 1_484_000, "6502": 1_234_567, "6551": 1_760_000}
    narrow = tmp_path / "narrow.xlsx"
    assert run(data_dir, "voucher", "export", "--xlsx", str(narrow), "--from", "21/11/2026",
               "--to", "21/11/2026").returncode == 0
    rows = list(load_workbook(narrow).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and rows[-1][9] == 1_234_567


def test_tax_settings_are_kept_for_payroll_vouchers(data_dir: Path) -> None:
    result = run(data_dir, "tax-settings", "--tax-code", "4600100155", "--authority",
                 "Chi cục Thuế Phú Lương")
    assert result.returncode == 0, result.stderr
    shown = json.loads(run(data_dir, "tax-settings").stdout)
    assert shown["tax_code"] == "4600100155" and shown["ndkt"] == "1001"
    assert shown["authority"] == "Chi cục Thuế Phú Lương"
