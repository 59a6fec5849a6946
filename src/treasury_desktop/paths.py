"""Where things live on disk. The one module that knows paths (platformdirs).

``TREASURY_DESKTOP_HOME`` overrides the per-user data folder (tests, demo, support staff).
``TREASURY_DESKTOP_RESOURCES`` overrides the folder of shipped resources (packaged builds).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "treasury-desktop"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The per-user data folder, created on demand: 0700 on Linux (personal data inside),
    an existing one tightened to its owner, never loosened."""
    raw = override or os.environ.get("TREASURY_DESKTOP_HOME")
    path = Path(raw) if raw else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            with contextlib.suppress(OSError):  # not ours (a shared, read-only mount): work on
                os.chmod(path, mode & ~0o077)
    return path


def database_path(base: Path) -> Path:
    """The SQLite file inside a data folder."""
    return base / "treasury.sqlite3"


def treasury_trust_dir(base: Path) -> Path:
    """Certificates (PEM or DER) of the treasury roots whose receipts this desk accepts, added
    by the support desk (or the demo); the shipped ones are in ``resources/trust/treasury``."""
    return base / "trust" / "treasury"


def resources_dir() -> Path:
    """The shipped resources: catalogues, forms, translations, the OpenAPI document."""
    raw = os.environ.get("TREASURY_DESKTOP_RESOURCES")
    if raw:
        return Path(raw)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "resources"
        if (candidate / "catalogs").is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found; set TREASURY_DESKTOP_RESOURCES")
