"""The PDF's pages as pictures (pypdfium2): the preview and the printer show the very pages
the renderer made, never a second layout."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtGui import QImage


def page_images(pdf: bytes, dpi: float, first: int = 0, last: int | None = None) -> list[QImage]:
    """Pages ``first``..``last`` of ``pdf`` at ``dpi`` (safe off the GUI thread: QImage)."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        end = len(document) if last is None else min(last + 1, len(document))
        for index in range(first, end):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_ARGB32).copy()  # own the pixels
            images.append(image)
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()
