"""Drawing each kind of layout block (measure with ``draw=False``, then draw)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from treasury_desktop.printing.canvas import LEFT, QR_SIZE, TOP, WIDTH, Canvas
from treasury_desktop.printing.layout import Block, Choice, Column, FieldSpec, find_layout
from treasury_desktop.printing.stamps import Stamp
from treasury_desktop.printing.view import DocumentView, dmy, format_value

LINE = 5.0
SMALL = 3.6


def draw_heading(c: Canvas, view: DocumentView) -> None:
    """The first page's head: form code, number, fiscal year, title (the QR sits top left)."""
    c.font(8)
    c.text_at(LEFT + QR_SIZE, TOP, WIDTH - QR_SIZE, 4, c.code_line(), "R")
    c.font(9, True)
    year = view.text("fiscal_year")
    right = f"Số: {c.number_text}" + (f"      Năm NS: {year}" if year else "")
    c.text_at(LEFT + QR_SIZE, TOP + 5, WIDTH - QR_SIZE, 5, right, "R")
    c.y = TOP + QR_SIZE - 8
    size = 13.0  # a long title shrinks rather than run under the QR code
    c.font(size, True)
    while size > 9 and c.pdf.get_string_width(c.layout.title) > WIDTH - 2 * QR_SIZE - 4:
        size -= 0.5
        c.font(size, True)
    c.text_at(LEFT, c.y, WIDTH, 7, c.layout.title, "C")
    c.y += 7
    if c.layout.subtitle:
        c.font(9)
        c.text_at(LEFT, c.y, WIDTH, 4.5, c.layout.subtitle, "C")
        c.y += 4.5
    c.y += 2


def _ticked(choice: Choice, view: DocumentView) -> bool:
    return str(view.get(choice.path) or "") in choice.values


def draw_choices(c: Canvas, block: Block, view: DocumentView) -> None:
    """Checkbox rows: ☒ Thực chi ☐ Tạm ứng   ☒ Chuyển khoản ☐ Tiền mặt tại KB …"""
    c.need(LINE + 1)
    c.font(9.5)
    gap, box, space = 10.0, 3.4, 1.5
    items = [[(ch, _ticked(ch, view)) for ch in group] for group in block.choices]
    widths = [[box + space + c.pdf.get_string_width(ch.label) + 4 for ch, _ in g] for g in items]
    total = sum(sum(w) for w in widths) + gap * (len(items) - 1)
    x = LEFT + max((WIDTH - total) / 2, 0)
    for group, group_widths in zip(items, widths, strict=True):
        for (choice, ticked), w in zip(group, group_widths, strict=True):
            if c.draw:
                c.pdf.rect(x, c.y + 0.8, box, box)
            c.font(8, True)
            c.text_at(x, c.y + 0.6, box, box, "X" if ticked else "", "C")
            c.font(9.5)
            c.text_at(x + box + space, c.y, w - box - space, LINE, choice.label)
            x += w
        x += gap
    c.y += LINE + 1


def _field_text(spec: FieldSpec, view: DocumentView) -> str:
    if spec.when is not None and str(view.get(spec.when.path) or "") not in spec.when.values:
        return ""
    return view.text(spec.path, spec.fmt)


def draw_fields(c: Canvas, block: Block, view: DocumentView) -> None:
    """Label: value rows; the fields of a row share its width; long values wrap."""
    for row in block.rows:
        width = WIDTH / len(row)
        wrapped = []
        for spec in row:
            c.font(9.5, spec.bold)
            label = f"{spec.label}: "
            c.font(9.5)
            label_w = c.pdf.get_string_width(label) + 0.5
            c.font(9.5, spec.bold)
            value = _field_text(spec, view) or "." * 10
            wrapped.append((spec, label, label_w, c.lines_of(value, max(width - label_w - 2, 20))))
        height = max(len(w[3]) for w in wrapped) * 4.2 + 0.5
        c.need(height)
        x = LEFT
        for spec, label, label_w, lines in wrapped:
            c.font(9.5)
            c.text_at(x, c.y, label_w, 4.2, label)
            c.font(9.5, spec.bold)
            for i, line in enumerate(lines):
                c.text_at(x + label_w, c.y + i * 4.2, width - label_w, 4.2, line)
            x += width
        c.y += height


def draw_text(c: Canvas, block: Block, view: DocumentView) -> None:
    """A sentence of the form; ``{field}`` placeholders read the document."""
    text = block.text
    if "{" in text:
        fields = {"form_title": _form_title(view), "number": view.text("number")}
        text = text.format(**fields)
    c.font(9.5)
    lines = c.lines_of(text, WIDTH)
    c.need(len(lines) * 4.6 + 1)
    for line in lines:
        c.text_at(LEFT, c.y, WIDTH, 4.6, line, block.align)
        c.y += 4.6
    c.y += 1


def _form_title(view: DocumentView) -> str:
    layout = find_layout(str(view.get("form") or ""))
    return layout.title.capitalize() if layout else str(view.get("form") or "")


def draw_section_heading(c: Canvas, block: Block) -> None:
    """A bold heading inside the form (NỘP THUẾ, THANH TOÁN CHO ĐƠN VỊ HƯỞNG)."""
    c.need(LINE + 8)
    c.y += 1
    c.font(10, True)
    c.text_at(LEFT, c.y, WIDTH, LINE, block.text, block.align)
    c.y += LINE + 0.5


def draw_words(c: Canvas, block: Block, view: DocumentView) -> None:
    """Tổng số tiền ghi bằng chữ: … đồng chẵn./."""
    c.font(9.5, True)
    label = f"{block.label}: "
    label_w = c.pdf.get_string_width(label) + 0.5
    c.font(9.5)
    lines = c.lines_of(view.text(block.path, "words"), WIDTH - label_w)
    c.need(len(lines) * 4.6 + 1.5)
    c.font(9.5, True)
    c.text_at(LEFT, c.y, label_w, 4.6, label)
    c.font(9.5)
    for line in lines:
        c.text_at(LEFT + label_w, c.y, WIDTH - label_w, 4.6, line)
        c.y += 4.6
    c.y += 1.5


def draw_date_line(c: Canvas, view: DocumentView) -> None:
    """"Ngày 20 tháng 11 năm 2026", right of the page above the signatures."""
    parts = str(view.get("date") or "").split("-")
    text = "Ngày ..... tháng ..... năm ......"
    if len(parts) == 3 and len(parts[0]) == 4:
        text = f"Ngày {parts[2]} tháng {parts[1]} năm {parts[0]}"
    c.need(LINE + 30)
    c.y += 1
    c.font(9.5)
    c.text_at(LEFT + WIDTH / 2, c.y, WIDTH / 2, LINE, text, "C")
    c.y += LINE


def _stamp_box(c: Canvas, x: float, y: float, w: float, stamp: Stamp) -> float:
    c.font(7)
    lines = [part for line in stamp.lines() for part in c.lines_of(line, w - 3)]
    height = len(lines) * 3.2 + 2
    if c.draw:
        with c.pdf.local_context(draw_color=(0, 90, 170), text_color=(0, 70, 150)):
            c.pdf.rect(x + 1, y, w - 2, height)
            for i, line in enumerate(lines):
                c.text_at(x + 1.5, y + 1 + i * 3.2, w - 3, 3.2, line)
    return height


def signature_columns(c: Canvas, titles: list[tuple[str, str, Stamp | None]],
                      bold_titles: bool = True, room: float = 18.0) -> None:
    """Signature blocks side by side: title, hint, then the stamp (or room to sign)."""
    width = WIDTH / max(len(titles), 1)
    c.font(7)
    heights = [_stamp_height(c, width, s) if s else room for _, _, s in titles]
    c.need(10 + max(heights))
    for i, (title, hint, stamp) in enumerate(titles):
        x = LEFT + i * width
        c.font(9, bold_titles)
        c.text_at(x, c.y, width, 4.5, title, "C")
        c.font(7.5)
        c.text_at(x, c.y + 4.5, width, 3.5, hint, "C")
        if stamp is not None:
            _stamp_box(c, x, c.y + 9, width, stamp)
    c.y += 10 + max(heights)


def _stamp_height(c: Canvas, width: float, stamp: Stamp) -> float:
    lines = [part for line in stamp.lines() for part in c.lines_of(line, width - 3)]
    return len(lines) * 3.2 + 4


def draw_signatures(c: Canvas, block: Block) -> None:
    """The unit's signature blocks; a signed role shows its stamp."""
    titles = [(s.title, s.hint, c.job.stamp_for(s.role) if s.role else None)
              for s in block.signers]
    signature_columns(c, titles)


def draw_treasury_part(c: Canvas, block: Block) -> None:
    """PHẦN KBNN GHI: blank for the treasury, or filled from its receipt."""
    part = c.job.treasury
    c.need(14 + (9 if block.accounts else 0) + (4.5 if part else 0) + 20)
    c.y += 2
    if c.draw:
        c.pdf.set_dash_pattern(dash=1, gap=1)
        c.pdf.line(LEFT, c.y, LEFT + WIDTH, c.y)
        c.pdf.set_dash_pattern()
    c.y += 1
    c.font(9.5, True)
    c.text_at(LEFT, c.y, WIDTH, LINE, "PHẦN KBNN GHI", "C")
    c.y += LINE
    c.font(9)
    if block.accounts:
        c.text_at(LEFT, c.y, WIDTH / 2, 4.5, "Nợ TK: ....................")
        c.text_at(LEFT + WIDTH / 2, c.y, WIDTH / 2, 4.5, "Mã ĐBHC: ....................")
        c.y += 4.5
        c.text_at(LEFT, c.y, WIDTH / 2, 4.5, "Có TK: ....................")
        c.y += 4.5
    if part is not None:
        c.text_at(LEFT, c.y, WIDTH, 4.5, f"Số chứng từ KBNN: {part.reference}    "
                                         f"Mã hồ sơ: {part.dossier}")
        c.y += 4.5
    date = f"Ngày hạch toán: {dmy(part.accounting_date)}" if part else \
        "Ngày ..... tháng ..... năm ......"
    c.text_at(LEFT + WIDTH / 2, c.y, WIDTH / 2, 4.5, date, "C")
    c.y += 4.5
    c.font(9.5, True)
    c.text_at(LEFT, c.y, WIDTH, LINE, "KHO BẠC NHÀ NƯỚC", "C")
    c.y += LINE
    officers = part.officers if part else ()
    titles = [(title, "", next((s for s in officers if s.role == title), None))
              for title in block.officers]
    signature_columns(c, titles, bold_titles=False, room=10.0)


def column_widths(columns: tuple[Column, ...]) -> list[float]:
    """The columns' widths scaled to the printable width."""
    declared = sum(col.width for col in columns) or 1
    return [col.width * WIDTH / declared for col in columns]


def cell_text(column: Column, row: Mapping[str, Any], index: int) -> str:
    """A table cell's printed text."""
    if column.path == "#":
        return str(index + 1)
    return format_value(row.get(column.path), column.fmt)
