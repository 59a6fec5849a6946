"""Where things live on disk. The one module that knows paths (platformdirs).

``TREASURY_DESKTOP_HOME`` overrides the per-user data folder (tests, demo, support staff).
``TREASURY_DESKTOP_RESOURCES`` overrides the folder of shipped resources (packaged builds).
``TREASURY_DESKTOP_CONFIG`` overrides the desk's small config file (tests): the two choices needed
before a database is opened, the data folder and the language, chosen in the settings.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "treasury-desktop"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The per-user data folder, created on demand: 0700 on Linux (personal data inside),
    an existing one tightened to its owner, never loosened."""
    raw = override or os.environ.get("TREASURY_DESKTOP_HOME") or desk_config().get("data_dir")
    path = Path(raw) if raw else default_data_dir()
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


def default_data_dir() -> Path:
    """The platform's per-user data folder (used when none was chosen)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The desk's config file (outside the data folder, which it may point elsewhere)."""
    raw = os.environ.get("TREASURY_DESKTOP_CONFIG")
    if raw:
        return Path(raw)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.json"


def desk_config() -> dict[str, Any]:
    """The choices in the config file; an unreadable file counts as none made."""
    try:
        data = json.loads(config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_desk_config(**values: Any) -> None:
    """Record choices (``data_dir``, ``language``); ``None`` forgets one. Written atomically."""
    data = desk_config()
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    part.replace(path)


def configured_language() -> str:
    """The interface language chosen in the settings ('vi' unless 'en' was chosen)."""
    return "en" if desk_config().get("language") == "en" else "vi"
