"""One renderer for every form: print jobs in, one PDF out (each voucher from a new page)."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Sequence

from fpdf import FPDF

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.printing import blocks
from treasury_desktop.printing.canvas import Canvas, close_fonts, new_pdf
from treasury_desktop.printing.job import PrintJob
from treasury_desktop.printing.layout import STATEMENT, FormLayout, find_layout
from treasury_desktop.printing.table import draw_table
from treasury_desktop.printing.view import DocumentView


def _number_text(job: PrintJob) -> str:
    number = str(job.document.get("number") or "") or "......"
    if job.treasury is not None and job.treasury.reference:
        return f"{number}/ {job.treasury.reference}"
    return number


def _lay_out(c: Canvas, view: DocumentView) -> None:
    c.start_page()
    blocks.draw_heading(c, view)
    for block in c.layout.blocks:
        if block.kind == "choices":
            blocks.draw_choices(c, block, view)
        elif block.kind == "fields":
            blocks.draw_fields(c, block, view)
        elif block.kind == "table":
            draw_table(c, block, view)
        elif block.kind == "words":
            blocks.draw_words(c, block, view)
        elif block.kind == "heading":
            blocks.draw_section_heading(c, block)
        elif block.kind == "text":
            blocks.draw_text(c, block, view)
        elif block.kind == "date_line":
            blocks.draw_date_line(c, view)
        elif block.kind == "signatures":
            blocks.draw_signatures(c, block)
        elif block.kind == "treasury_part":
            blocks.draw_treasury_part(c, block)


def _layouts_of(job: PrintJob) -> list[FormLayout]:
    form = str(job.document.get("form") or "")
    layout = find_layout(form)
    if layout is None:
        raise ExpectedError("print.no_layout", form=form)
    found = [layout]
    statement = job.document.get("statement")
    if isinstance(statement, dict) and statement.get("items"):
        found.append(_statement_layout())
    return found


def _statement_layout() -> FormLayout:
    layout = find_layout(STATEMENT)
    if layout is None:  # shipped with the app: its absence is a packaging bug
        raise FileNotFoundError("resources/print/statement.json")
    return layout


_scratch: list[FPDF] = []
_scratch_lock = threading.Lock()


def measuring_pdf() -> FPDF:
    """The process's scratch document to measure text in (measuring needs a page); made once,
    as loading the fonts is half the cost of a one-voucher printout."""
    if not _scratch:
        scratch = new_pdf()
        scratch.add_page()
        _scratch.append(scratch)
        atexit.register(close_fonts, scratch)
    return _scratch[0]


def add_voucher(pdf: FPDF, job: PrintJob, scratch: FPDF | None = None) -> int:
    """Lay out one voucher (and its Bảng kê) from a new page; returns the pages it took.

    The layout runs twice, measuring on ``scratch`` and then drawing, so that every page
    knows the voucher's page count.
    """
    view = DocumentView(job.document)
    if scratch is None:
        with _scratch_lock:
            return add_voucher(pdf, job, measuring_pdf())
    pages = 0
    for layout in _layouts_of(job):
        measure = Canvas(scratch, job, layout, _number_text(job), draw=False)
        _lay_out(measure, view)
        canvas = Canvas(pdf, job, layout, _number_text(job), draw=True,
                        total_pages=measure.page)
        _lay_out(canvas, view)
        pages += canvas.page
    return pages


def render_pdf(jobs: Sequence[PrintJob], title: str = "", keywords: str = "") -> bytes:
    """A PDF of every voucher in ``jobs``, in order, each starting on a new page."""
    pdf = new_pdf()
    if title:
        pdf.set_title(title)
    if keywords:  # what the PDF holds, for a program (the QR texts)
        pdf.set_keywords(keywords)
    try:
        with _scratch_lock:
            scratch = measuring_pdf()
            for job in jobs:
                add_voucher(pdf, job, scratch)
        return bytes(pdf.output())
    finally:
        close_fonts(pdf)
