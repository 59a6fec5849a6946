"""Issue 11: a stored voucher keeps the treasury office NAME it was drafted with.

The catalogue's treasury list is replaced (as `catalog import` does, from an .xlsx) with one
where the same mã KBNN names another office; the stored voucher still shows that name beside
its code in the window and prints it (read back by poppler's pdftotext); a new voucher, and a
voucher whose code is changed, take the name of the list in force.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot
from ui_harness import Desk, open_voucher, open_window, settle, voucher

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.printing.render import render_pdf
from treasury_desktop.usecases.catalog_update import CatalogUpdater
from treasury_desktop.usecases.printing import PrintService

RENAMED = "KBNN khu vực VII - Phòng Giao dịch thử nghiệm"  # test data, not a real office


def replace_treasury_list(desk: Desk, folder: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (("Mã", "Tên"), ("0011", RENAMED), ("0012", "KBNN khu vực I (thử)")):
        sheet.append(row)
    book.save(folder / "kbnn.xlsx")
    CatalogUpdater(desk.ctx.data_dir, lambda: date(2026, 11, 20)).import_file(
        folder / "kbnn.xlsx", CatalogKind.TREASURY, 2026)


def printed_text(desk: Desk, voucher_id: str, out: Path) -> str:
    service = PrintService(desk.ctx.connect())
    out.write_bytes(render_pdf([service.job(voucher_id)]))
    done = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True)
    return " ".join(done.stdout.split())


def test_a_stored_voucher_keeps_its_office_name_when_the_list_changes(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    drafting = desk.ctx.drafting()
    before = desk.ctx.catalog(2026).name_of(CatalogKind.TREASURY, "0011")
    assert before and before != RENAMED
    kept = drafting.save(voucher(1)).stored.voucher
    assert drafting.office_names.kept(kept.id)["unit.treasury"].name == before
    replace_treasury_list(desk, tmp_path)
    assert desk.ctx.catalog(2026).name_of(CatalogKind.TREASURY, "0011") == RENAMED
    changed = drafting.save(voucher(2)).stored.voucher  # drafted under the new list
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, kept.id)
        assert window.editor.box("unit.treasury").hint.text() == before
        open_voucher(qtbot, window, changed.id)
        assert window.editor.box("unit.treasury").hint.text() == RENAMED
        settle(qtbot, window)
    assert f"0011 – {before}" in printed_text(desk, kept.id, tmp_path / "kept.pdf")
    assert f"0011 – {RENAMED}" in printed_text(desk, changed.id, tmp_path / "new.pdf")
    # A code changed on the stored voucher takes the name of the list in force.
    drafting.save(kept.with_changes(unit=replace(kept.unit, treasury="0012")))
    assert drafting.office_names.kept(kept.id)["unit.treasury"].name == "KBNN khu vực I (thử)"


def test_a_voucher_stored_before_names_were_kept_takes_its_name_when_opened(
    qtbot: QtBot, desk: Desk,
) -> None:
    old = desk.add(voucher(1))  # stored straight into the file, as an older version did
    drafting = desk.ctx.drafting()
    assert drafting.office_names.kept(old.id) == {}
    with open_window(qtbot, desk) as window:
        open_voucher(qtbot, window, old.id)
        name = window.editor.box("unit.treasury").hint.text()
        settle(qtbot, window)
    assert name and drafting.office_names.kept(old.id)["unit.treasury"].name == name
