"""The page: A4, its margins, the running frame of every page, and flowing onto the next one.

Each block drawer takes ``draw``: with ``False`` it only measures, so the renderer counts a
voucher's pages ("Trang 1/2") before it draws them, without a second layout.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from treasury_desktop.printing.fonts import font_files
from treasury_desktop.printing.job import PrintJob
from treasury_desktop.printing.layout import FormLayout

FONT = "DejaVuSerif"
LEFT, RIGHT, TOP, BOTTOM = 15.0, 15.0, 10.0, 12.0
PAGE_W, PAGE_H = 210.0, 297.0
WIDTH = PAGE_W - LEFT - RIGHT
QR_SIZE = 24.0


def new_pdf() -> FPDF:
    """An empty A4 document with the printing font embedded (subset)."""
    files = font_files()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.add_font(FONT, "", str(files.regular))
    pdf.add_font(FONT, "B", str(files.bold))
    pdf.set_creator("treasury-desktop")
    pdf.set_producer("treasury-desktop (fpdf2)")
    return pdf


@dataclass
class Canvas:
    """One voucher being laid out on the pages of ``pdf``."""

    pdf: FPDF
    job: PrintJob
    layout: FormLayout
    number_text: str
    draw: bool
    total_pages: int = 0
    page: int = 0
    y: float = TOP
    repeat: Callable[[Canvas], None] | None = None  # redraws a table's header on a new page

    @property
    def bottom(self) -> float:
        """The lowest y a block may reach (the footer lives below)."""
        return PAGE_H - BOTTOM

    def font(self, size: float, bold: bool = False) -> None:
        """Set the font (measuring needs it too)."""
        self.pdf.set_font(FONT, "B" if bold else "", size)

    def text_at(self, x: float, y: float, w: float, h: float, text: str,
                align: str = "L", border: bool = False) -> None:
        """One line of text in a box (drawn only when drawing)."""
        if self.draw:
            self.pdf.set_xy(x, y)
            self.pdf.cell(w, h, text, border=1 if border else 0, align=Align.coerce(align),
                          new_x=XPos.RIGHT, new_y=YPos.TOP)

    def lines_of(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines that fit ``width`` in the current font."""
        if not text:
            return [""]
        found = self.pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")
        if not isinstance(found, list):  # output="LINES" gives the list of lines
            return [text]
        return [str(line) for line in found] or [""]

    def start_page(self) -> None:
        """A new page with the running frame; continuation pages repeat the form's header."""
        self.page += 1
        if self.draw:
            self.pdf.add_page()
            self._frame()
        if self.page == 1:
            self.y = TOP
            return
        self.font(8)
        self.text_at(LEFT, TOP, WIDTH, 4, f"{self._code_line()}    Số: {self.number_text}", "R")
        self.font(10, True)
        self.text_at(LEFT, TOP + 5, WIDTH, 5, f"{self.layout.title} (tiếp theo)", "C")
        self.y = TOP + 13
        if self.repeat is not None:
            self.repeat(self)

    def need(self, height: float) -> None:
        """Go to a new page unless ``height`` still fits on this one."""
        if self.y + height > self.bottom:
            self.start_page()

    def _code_line(self) -> str:
        code = "Bảng kê" if self.layout.form == "statement" else self.layout.form
        prefix = f"{self.layout.form_number} · " if self.layout.form_number else ""
        return f"{prefix}Ký hiệu: {code}"

    def code_line(self) -> str:
        """"Mẫu số 16a1 · Ký hiệu: C2-02a/NS"."""
        return self._code_line()

    def _frame(self) -> None:
        pdf = self.pdf
        if self.job.is_draft:
            with pdf.local_context(fill_opacity=0.18, text_color=(160, 0, 0)):
                pdf.set_font(FONT, "B", 64)
                with pdf.rotation(35, PAGE_W / 2, PAGE_H / 2):
                    width = pdf.get_string_width("BẢN NHÁP")
                    pdf.text(PAGE_W / 2 - width / 2, PAGE_H / 2 + 8, "BẢN NHÁP")
        pdf.set_font(FONT, "", 6)
        pdf.set_text_color(90, 90, 90)
        footer = f"Mã chứng từ: {self.job.voucher_id} · SHA-256: {self.job.content_hash}"
        pdf.set_xy(LEFT, PAGE_H - BOTTOM + 2.5)
        pdf.cell(WIDTH - 22, 4, footer)
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(PAGE_W - RIGHT - 25, PAGE_H - BOTTOM + 2.5)
        pdf.cell(25, 4, f"Trang {self.page}/{self.total_pages}", align=Align.R)
        pdf.set_text_color(0, 0, 0)
        if self.job.is_draft:
            pdf.set_font(FONT, "B", 8)
            pdf.set_text_color(160, 0, 0)
            pdf.set_xy(LEFT + QR_SIZE, TOP)
            pdf.cell(60, 4, "BẢN NHÁP — chưa đủ chữ ký số")
            pdf.set_text_color(0, 0, 0)
        if self.page == 1:
            qr = segno.make(self.job.qr_text, error="m")
            image = io.BytesIO()
            qr.save(image, kind="png", scale=8, border=2)
            image.seek(0)
            pdf.image(image, x=LEFT - 2, y=TOP - 2, w=QR_SIZE, h=QR_SIZE)


def close_fonts(pdf: FPDF) -> None:
    """Close the font files fpdf2 keeps open (fontTools reads them lazily)."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()
