"""Cold start: opening the window loads nothing that only other work needs (issue 8). The
app renders its window to a PNG in a fresh process; then the modules it loaded are read."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Loaded at the first use of their feature, never by the first paint.
LATER = ("httpx", "keyring", "cryptography", "asn1crypto", "fpdf", "openpyxl", "pyhanko",
         "pypdfium2", "python_calamine", "PyKCS11", "segno", "PySide6.QtNetwork",
         "importlib.metadata", "treasury_desktop.sheets", "treasury_desktop.signing",
         "treasury_desktop.printing", "treasury_desktop.usecases.timestamping",
         "treasury_desktop.usecases.trust", "treasury_desktop.usecases.handbook",
         "treasury_desktop.usecases.desk_settings", "treasury_desktop.ui.excel.import_dialog")


def test_the_first_paint_loads_no_feature_library(tmp_path: Path) -> None:
    shot = tmp_path / "window.png"
    script = textwrap.dedent("""
        import sys
        from treasury_desktop.app import main
        code = main(sys.argv[1:])
        print("\\n".join(sorted(sys.modules)))
        sys.exit(code)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TREASURY_DESKTOP_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(tmp_path / "desk"),
         "--screenshot", str(shot)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    loaded = set(done.stdout.split())
    early = sorted(m for m in loaded if any(m == n or m.startswith(f"{n}.") for n in LATER))
    assert early == [], f"loaded before the first paint: {early}"
