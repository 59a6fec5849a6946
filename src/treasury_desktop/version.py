"""The app's version, from one place: the ``version`` of pyproject.toml.

An installed copy (venv, PyInstaller bundle) reads it from the package metadata that pip or the
bundle carries; a bare source tree reads pyproject.toml itself.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "treasury-desktop"


@cache
def app_version() -> str:
    """The version string, e.g. ``0.1.0``."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return _from_pyproject() or "0+unknown"


def _from_pyproject() -> str | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "pyproject.toml"
        if candidate.is_file():
            found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', candidate.read_text("utf-8"))
            return found.group(1) if found else None
    return None
