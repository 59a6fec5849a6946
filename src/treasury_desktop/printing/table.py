"""The line table: numbered columns (1) (2) …, rows that flow onto the next pages with the
header repeated, and the Tổng cộng row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from treasury_desktop.domain.money import format_vnd
from treasury_desktop.printing.blocks import cell_text, column_widths
from treasury_desktop.printing.canvas import LEFT, Canvas
from treasury_desktop.printing.layout import Block
from treasury_desktop.printing.view import DocumentView

ROW_LINE = 3.9
HEAD_LINE = 3.5


def _header(c: Canvas, block: Block, widths: list[float]) -> None:
    columns = block.columns
    grouped = any(col.group for col in columns)
    c.font(7, True)
    titles = [c.lines_of(col.title, w - 1.5) for col, w in zip(columns, widths, strict=True)]
    title_h = max(len(t) for t in titles) * HEAD_LINE + 1.5
    group_h = 4.5 if grouped else 0.0
    x = LEFT
    i = 0
    while i < len(columns):
        col = columns[i]
        if col.group:
            j = i
            while j < len(columns) and columns[j].group == col.group:
                j += 1
            span = sum(widths[i:j])
            if c.draw:
                c.pdf.rect(x, c.y, span, group_h)
            c.text_at(x, c.y, span, group_h, col.group, "C")
            for k in range(i, j):
                _title_cell(c, x, c.y + group_h, widths[k], title_h, titles[k])
                x += widths[k]
            i = j
            continue
        _title_cell(c, x, c.y, widths[i], title_h + group_h, titles[i])
        x += widths[i]
        i += 1
    c.y += title_h + group_h
    c.font(7.5)
    x = LEFT
    for n, w in enumerate(widths, start=1):
        c.text_at(x, c.y, w, 4, f"({n})", "C", border=True)
        x += w
    c.y += 4


def _title_cell(c: Canvas, x: float, y: float, w: float, h: float, lines: list[str]) -> None:
    if c.draw:
        c.pdf.rect(x, y, w, h)
    top = y + (h - len(lines) * HEAD_LINE) / 2
    for i, line in enumerate(lines):
        c.text_at(x, top + i * HEAD_LINE, w, HEAD_LINE, line, "C")


def header_height(c: Canvas, block: Block) -> float:
    """How tall the table's header is (measured, not drawn)."""
    before, drawing = c.y, c.draw
    c.draw = False
    _header(c, block, column_widths(block.columns))
    height = c.y - before
    c.y, c.draw = before, drawing
    return height


def draw_table(c: Canvas, block: Block, view: DocumentView) -> None:
    """The table with all its rows; a row that does not fit starts a new page."""
    widths = column_widths(block.columns)
    rows = view.rows(block.table_rows, block.fallback_row)
    c.need(header_height(c, block) + ROW_LINE * 2 + 2)
    _header(c, block, widths)

    def repeat(canvas: Canvas) -> None:
        _header(canvas, block, widths)

    c.repeat = repeat
    for index, row in enumerate(rows):
        _row(c, block, widths, row, index)
    if not rows:
        _row(c, block, widths, {}, -1)
    c.repeat = None
    _total(c, block, widths, rows)


def _row(c: Canvas, block: Block, widths: list[float], row: Mapping[str, Any],
         index: int) -> None:
    c.font(8)
    cells = [c.lines_of(cell_text(col, row, index) if index >= 0 else "", w - 1.5)
             for col, w in zip(block.columns, widths, strict=True)]
    height = max(len(lines) for lines in cells) * ROW_LINE + 1.2
    c.need(height)
    x = LEFT
    for col, w, lines in zip(block.columns, widths, cells, strict=True):
        if c.draw:
            c.pdf.rect(x, c.y, w, height)
        for i, line in enumerate(lines):
            c.text_at(x + 0.6, c.y + 0.6 + i * ROW_LINE, w - 1.2, ROW_LINE, line, col.align)
        x += w
    c.y += height


def _total(c: Canvas, block: Block, widths: list[float],
           rows: Sequence[Mapping[str, Any]]) -> None:
    if not block.total_label:
        return
    first_sum = next((i for i, col in enumerate(block.columns) if col.sums), len(widths))
    c.need(ROW_LINE + 2)
    c.font(9, True)
    label_w = sum(widths[:first_sum])
    c.text_at(LEFT, c.y, label_w, ROW_LINE + 1.2, f"{block.total_label}: ", "R", border=True)
    x = LEFT + label_w
    for col, w in zip(block.columns[first_sum:], widths[first_sum:], strict=True):
        text = ""
        if col.sums:
            total = sum(v for r in rows if isinstance(v := r.get(col.path), int))
            text = format_vnd(total)
        c.text_at(x, c.y, w, ROW_LINE + 1.2, text, "R", border=True)
        x += w
    c.y += ROW_LINE + 2.2
