"""Excel bridge benchmark: importing a 10,000-row .xlsx (time, peak memory) and exporting it.

Run: .venv/bin/python benchmarks/bench_excel.py [ROWS]
Each import runs in a fresh child process so its peak resident memory is its own; the same
import of a sheet a tenth the size, in the same run, is the baseline that shows memory stays
flat (rows are read as a stream, never the whole workbook at once).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = ("STT", "Số chứng từ", "Ngày", "Nội dung", "Mã NDKT", "Mã chương", "Mã ngành KT",
          "Mã nguồn", "Số tiền", "Đơn vị nhận tiền", "Tài khoản", "Ngân hàng")
NDKT = ("6501", "6502", "6551", "6601", "6701")
PAYEES = (("Công ty Điện lực Thái Nguyên", "102010000123456", "VietinBank Thái Nguyên"),
          ("Công ty Nước sạch Thái Nguyên", "116000012345", "Vietcombank Thái Nguyên"),
          ("Nhà sách Phú Lương", "3900205123456", "Agribank Phú Lương"))


def make_sheet(path: Path, rows: int) -> int:
    """A sheet of ``rows`` rows, vouchers of 1–4 lines, mixed cell formats like real books."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chứng từ")
    sheet.append(HEADER)
    written = vouchers = 0
    day = date(2026, 1, 5)
    while written < rows:
        vouchers += 1
        lines = min(1 + vouchers % 4, rows - written)
        payee = PAYEES[vouchers % 3]
        when = day + timedelta(days=vouchers % 300)
        for i in range(lines):
            written += 1
            amount = 100_000 + (written * 7919) % 9_000_000
            sheet.append((
                written, vouchers, when if i % 2 else when.strftime("%d/%m/%Y"),
                f"Chi thường xuyên {vouchers}/{i + 1}", int(NDKT[(vouchers + i) % 5]), 422, 72,
                13, amount if i % 2 else f"{amount:,}".replace(",", "."), *payee))
    workbook.save(path)
    return vouchers


CHILD = """
import json, resource, sys, time
from pathlib import Path
from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.cli.excel_cmd import make_importer
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.usecases.sheet_import import read_mapping
ctx = AppContext(Path(sys.argv[1]))
_, profile = ctx.repositories()
profile.set_unit(Unit("1171277", "Trường THCS Phú Lương", "9523.2.1171277", "0011"))
start = time.perf_counter()
source = SheetSource(sys.argv[2])
mapping, check = read_mapping(source)
report = make_importer(ctx).run(source, mapping)
took = time.perf_counter() - start
print(json.dumps({"seconds": took, "stored": sum(r.outcome == "stored" for r in report.results),
                  "refused": len(report.refused),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def import_in_child(folder: Path, sheet: Path) -> dict[str, float]:
    folder.mkdir()
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(sheet)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(rows: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-excel-"))
    small, big = work / "small.xlsx", work / "big.xlsx"
    make_sheet(small, rows // 10)
    vouchers = make_sheet(big, rows)
    print(f"sheet: {rows} rows, {vouchers} vouchers, {big.stat().st_size / 1e6:.1f} MB")
    base = import_in_child(work / "desk-small", small)
    result = import_in_child(work / "desk-big", big)
    print(f"import {rows // 10} rows: {base['seconds']:.2f} s, peak {base['peak_mb']:.0f} MB")
    print(f"import {rows} rows: {result['seconds']:.2f} s (target < 10 s), stored "
          f"{result['stored']:.0f}, refused {result['refused']:.0f}, peak "
          f"{result['peak_mb']:.0f} MB ({result['peak_mb'] - base['peak_mb']:+.0f} MB vs "
          f"{rows // 10} rows)")
    from treasury_desktop.context import AppContext
    from treasury_desktop.store.records import VoucherQuery
    from treasury_desktop.usecases.sheet_export import export_vouchers

    ctx = AppContext(work / "desk-big")
    repo, _ = ctx.repositories()
    start = time.perf_counter()
    totals = export_vouchers(repo, VoucherQuery(), work / "export.xlsx", "vi", ctx.catalog, 2026)
    print(f"export {totals.lines} lines of {totals.vouchers} vouchers: "
          f"{time.perf_counter() - start:.2f} s")
    ctx.close()
    print(f"(this process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
