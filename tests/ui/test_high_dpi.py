"""On a 4K screen at 200 % the window is drawn at twice the pixels: sharp, not scaled up."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _screenshot(folder: Path, scale: str) -> tuple[int, int]:
    shot = folder / f"window-{scale}.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "TREASURY_DESKTOP_HOME": str(folder / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "treasury_desktop", "--screenshot", str(shot)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return _png_size(shot)


def test_the_window_renders_at_the_screens_pixel_ratio(tmp_path: Path) -> None:
    normal = _screenshot(tmp_path, "1")
    doubled = _screenshot(tmp_path, "2")
    # Every widget is drawn at 2x (fonts and lines at full resolution), not a 1x image stretched.
    assert doubled == (normal[0] * 2, normal[1] * 2)


def test_a_screenshot_run_that_meets_an_error_ends_instead_of_waiting_on_a_dialog(
    tmp_path: Path,
) -> None:
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "treasury.sqlite3")
    conn.execute("PRAGMA user_version=999")  # written by a newer app: the window cannot use it
    conn.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TREASURY_DESKTOP_HOME": str(data)}
    done = subprocess.run(
        [sys.executable, "-m", "treasury_desktop", "--screenshot", str(tmp_path / "s.png")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
