"""An import's report as plain sentences: the same on the command line and in the window."""

from __future__ import annotations

from treasury_desktop.i18n import Lang, text
from treasury_desktop.sheets.columns import field_label
from treasury_desktop.sheets.error_report import describe
from treasury_desktop.sheets.mapping import MappingCheck
from treasury_desktop.store.payee_directory import Saved
from treasury_desktop.usecases.payee_import import PayeeImportReport
from treasury_desktop.usecases.sheet_import import Outcome, SheetImportReport


def voucher_report_lines(report: SheetImportReport, lang: Lang | None = None) -> list[str]:
    """Each voucher already imported or refused (with every reason), then the summary."""
    lines: list[str] = []
    for result in report.results:
        rows = row_span(result.rows)
        if result.outcome is Outcome.ALREADY:
            lines.append(text("excel.already", lang, sheet=report.sheet, rows=rows,
                              number=result.number or "—", id=result.voucher_id))
        elif result.outcome is Outcome.REFUSED:
            lines.append(text("excel.refused", lang, sheet=report.sheet, rows=rows,
                              number=result.number or "—"))
            for reason in result.reasons:
                at = text("excel.row", lang, row=reason.row) if reason.row else ""
                lines.append(f"  - {at}{describe(reason, lang)}")
    key = "excel.summary_dry_run" if report.dry_run else "excel.summary"
    lines.append(text(
        key, lang, sheet=report.sheet, rows=report.rows,
        stored=report.count(Outcome.STORED) + report.count(Outcome.CHECKED),
        already=report.count(Outcome.ALREADY), refused=report.count(Outcome.REFUSED),
    ))
    return lines


def payee_report_lines(report: PayeeImportReport, lang: Lang | None = None) -> list[str]:
    """Each refused row with its reasons, then the summary."""
    lines: list[str] = []
    for row in report.rows:
        if row.saved is None:
            lines.append(text("excel.payee_refused", lang, sheet=report.sheet, row=row.row,
                              name=row.name or "—"))
            lines.extend(f"  - {describe(reason, lang)}" for reason in row.reasons)
    lines.append(text(
        "excel.payee_summary_dry_run" if report.dry_run else "excel.payee_summary", lang,
        sheet=report.sheet, added=report.count(Saved.ADDED), updated=report.count(Saved.UPDATED),
        unchanged=report.count(Saved.UNCHANGED), refused=report.count(None),
    ))
    return lines


def describe_check(check: MappingCheck, lang: Lang | None = None) -> str:
    """The columns a mapping could not use, in one sentence per kind of trouble."""
    parts: list[str] = []
    if check.unknown:
        names = ", ".join(f"«{c}»" for c in check.unknown)
        parts.append(text("excel.columns_unknown", lang, columns=names))
    if check.ambiguous:
        names = ", ".join(f"«{c}»" for c in check.ambiguous)
        parts.append(text("excel.columns_ambiguous", lang, columns=names))
    if check.missing:
        names = ", ".join(text(field_label(f), lang) for f in check.missing)
        parts.append(text("excel.columns_missing", lang, columns=names))
    return " ".join(parts)


def row_span(rows: tuple[int, ...]) -> str:
    """Row numbers as a reader wants them: 5, 5–7, or 5, 9, 12."""
    if len(rows) == 1:
        return str(rows[0])
    if rows == tuple(range(rows[0], rows[-1] + 1)):
        return f"{rows[0]}–{rows[-1]}"
    return ", ".join(str(r) for r in rows)
