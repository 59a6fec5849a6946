"""Window features see the main window through the narrow shell (ui/shell.py), never
``MainWindow``: no module of ui/ but the launcher imports ui/main_window.py (read from the
source, TYPE_CHECKING imports too), and the window and its features never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "src" / "treasury_desktop" / "ui"
LAUNCHER = UI / "launch.py"  # builds the window: the composition of the GUI


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_feature_imports_the_main_window() -> None:
    importers = sorted(
        str(path.relative_to(UI)) for path in UI.rglob("*.py")
        if path not in (LAUNCHER, UI / "main_window.py")
        and "treasury_desktop.ui.main_window" in _imported(path))
    assert importers == [], f"these depend on MainWindow instead of WindowShell: {importers}"


def test_the_window_and_its_signing_do_not_import_each_other() -> None:
    window = _imported(UI / "main_window.py")
    signing = _imported(UI / "signing" / "window_hookup.py")
    assert "treasury_desktop.ui.main_window" not in signing
    assert "treasury_desktop.ui.signing.window_hookup" in window  # one way only
