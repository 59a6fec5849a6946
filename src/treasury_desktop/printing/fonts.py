"""The fonts the paper is printed in: DejaVu Serif (regular, bold), embedded in every PDF.

Located, not bundled: a folder named by ``TREASURY_FONT_DIR`` wins, then ``resources/fonts``
(where a packaged build for Windows drops the two files), then fontconfig (``fc-match``), then
the known Debian/Ubuntu/Fedora/macOS/Windows places. Debian's ``fonts-dejavu-core`` has both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.paths import resources_dir

_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
_FC_NAMES = {"": "DejaVu Serif:style=Book", "B": "DejaVu Serif:style=Bold"}
_KNOWN_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/dejavu-serif-fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library/Fonts"),
    str(Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"),
)


@dataclass(frozen=True)
class FontFiles:
    """The TrueType files of the printing font, by fpdf2 style ("" regular, "B" bold)."""

    regular: Path
    bold: Path


def _from_fontconfig(style: str) -> Path | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run([fc_match, "-f", "%{file}", _FC_NAMES[style]], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out) if out else None
    return path if path and path.name == _FILES[style] and path.is_file() else None


def _find(style: str) -> Path | None:
    name = _FILES[style]
    folders = [os.environ.get("TREASURY_FONT_DIR", ""), str(resources_dir() / "fonts")]
    for folder in folders:
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    found = _from_fontconfig(style)
    if found:
        return found
    for folder in _KNOWN_DIRS:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


@cache
def font_files() -> FontFiles:
    """The font files, or an ExpectedError that names the package to install."""
    regular, bold = _find(""), _find("B")
    if regular is None or bold is None:
        raise ExpectedError("print.no_font", files=", ".join(_FILES.values()))
    return FontFiles(regular, bold)
