"""A diagnostics bundle for support: what went wrong and on what, never the vouchers.

It holds the error (if any), the versions and the OS, the token drivers' diagnosis and the last
lines of the log (which carries ids and events, never a PIN, a credential or a voucher's content).
"""

from __future__ import annotations

import platform
import sys
import traceback
import zipfile
from datetime import datetime
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion

from treasury_desktop.logs import last_lines
from treasury_desktop.usecases.tokens import driver_report
from treasury_desktop.version import app_version


def describe(error: BaseException) -> str:
    """The full traceback of ``error`` (for the details pane and the bundle)."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def environment() -> str:
    """Versions of everything that matters to a bug report."""
    return "\n".join([
        f"treasury-desktop {app_version()}",
        f"Python {sys.version.split()[0]} ({platform.python_implementation()})",
        f"PySide6 {PySide6.__version__}, Qt {qVersion()}",
        f"Platform {platform.platform()}",
    ])


def write_bundle(data_dir: Path, error_text: str, now: datetime | None = None) -> Path:
    """Write ``diagnostics/treasury-diagnostics-<time>.zip`` into the data folder."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = data_dir / "diagnostics"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"treasury-diagnostics-{stamp}.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("error.txt", error_text or "(no error: saved from the Help menu)")
        bundle.writestr("environment.txt", environment())
        bundle.writestr("drivers.txt", _drivers())
        bundle.writestr("log.txt", last_lines(data_dir))
    return path


def _drivers() -> str:
    try:
        return driver_report()
    except Exception as error:  # noqa: BLE001 - the bundle must be written whatever the drivers do
        return f"driver check failed: {error!r}"
