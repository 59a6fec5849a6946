"""Reading PDFs back with independent tools: poppler's pdftotext, pdffonts, pdftoppm; zbarimg."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdftotext(pdf: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text as poppler reads it."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(["pdftotext", *pages, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def page_count(pdf: Path) -> int:
    """How many pages pdfinfo counts."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def fonts(pdf: Path) -> list[list[str]]:
    """pdffonts' rows (name, type, encoding, emb, sub, uni, object, ID)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def png_page(pdf: Path, page: int, dpi: int, out: Path) -> Path:
    """One page rendered to PNG by pdftoppm."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def zbar(png: Path) -> list[str]:
    """What zbarimg decodes from a picture."""
    done = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                          text=True, check=False)
    return done.stdout.splitlines()

