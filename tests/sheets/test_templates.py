"""The shipped templates are what the script writes, and each imports as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheet_files import desk

from treasury_desktop.cli.excel_cmd import make_importer
from treasury_desktop.context import AppContext
from treasury_desktop.sheets.columns import SheetKind
from treasury_desktop.sheets.reading import SheetSource
from treasury_desktop.sheets.templates import TEMPLATES, Template, templates_dir, write_template
from treasury_desktop.store.payee_directory import PayeeDirectory, Saved
from treasury_desktop.usecases.payee_import import PayeeImporter
from treasury_desktop.usecases.sheet_import import Outcome, read_mapping


def _values(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path).active.iter_rows(values_only=True))  # type: ignore[union-attr]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file_name)
def test_shipped_template_is_up_to_date(template: Template, tmp_path: Path) -> None:
    shipped = templates_dir() / template.file_name
    assert _values(shipped) == _values(write_template(template, tmp_path))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.file_name)
def test_template_imports(template: Template, ctx: AppContext) -> None:
    desk(ctx)
    _, profile = ctx.repositories()
    profile.set("tax", {"tax_code": "4600100155", "authority": "Chi cục Thuế Phú Lương"})
    source = SheetSource(templates_dir() / template.file_name)
    mapping, check = read_mapping(source)
    assert check.complete, check
    if mapping.kind is SheetKind.PAYEES:
        report = PayeeImporter(PayeeDirectory(ctx.connect()), ctx.clock).run(source, mapping)
        assert [r.saved for r in report.rows] == [Saved.ADDED]
        return
    (result,) = make_importer(ctx).run(source, mapping).results
    assert result.outcome is Outcome.STORED, result.reasons
    repo, _ = ctx.repositories()
    stored = repo.get(result.voucher_id)
    assert stored is not None and stored.problems == 0
    if mapping.kind is SheetKind.PAYROLL:
        assert stored.voucher.form == "C2-02b/NS" and len(stored.voucher.lines) == 3
    else:
        assert stored.voucher.form == template.example[template.header.index("Mẫu")]
