"""The app's log: ``logs/treasury-desktop.log`` in the data folder, rotated, private, redacted.

What goes in: events and voucher ids, never a PIN, a credential or a voucher's content. The code
logs ids only; the filter below is a second line of defence that blanks anything shaped like a
secret (``pin=…``, ``Authorization: Bearer …``, ``token=…``) should one slip into a message.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "treasury-desktop.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_SECRET = re.compile(
    r"(?i)(\b(?:pin|so_pin|password|passwd|credential|api[_-]?token|token|secret)\b\s*[=:]\s*|"
    r"\bbearer\s+)(\"[^\"]*\"|'[^']*'|\S+)"
)


class RedactSecrets(logging.Filter):
    """Blank values that look like secrets, in the message and its arguments alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _SECRET.sub(lambda m: m.group(1) + "***", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class _PrivateRotatingHandler(RotatingFileHandler):
    """A rotating file whose files are readable by their owner only."""

    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


def log_file(data_dir: Path) -> Path:
    """The current log file of a data folder."""
    return data_dir / "logs" / LOG_NAME


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send the app's log records to the data folder's rotating log (once per folder)."""
    path = log_file(data_dir)
    root = logging.getLogger("treasury_desktop")
    for handler in list(root.handlers):
        if isinstance(handler, _PrivateRotatingHandler):
            if Path(handler.baseFilename) == path.resolve():
                return path
            root.removeHandler(handler)
            handler.close()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = _PrivateRotatingHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level) if root.level else level)
    return path


def last_lines(data_dir: Path, count: int = 200) -> str:
    """The newest ``count`` lines of the log (for the diagnostics bundle)."""
    path = log_file(data_dir)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-count:])
