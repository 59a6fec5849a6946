"""The core imports and runs with PySide6 blocked: only ui/ may use Qt."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CORE = ("domain", "store", "signing", "api", "outbox", "sync", "usecases", "sandbox", "cli")


def test_core_imports_with_pyside6_blocked() -> None:
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 is blocked in the core")
                return None

        sys.meta_path.insert(0, Block())
        import treasury_desktop
        imported = []
        for layer in {CORE!r}:
            package = importlib.import_module("treasury_desktop." + layer)
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
                imported.append(info.name)
        for name in ("app", "context", "delivery", "clock", "paths", "i18n", "demo.seed"):
            importlib.import_module("treasury_desktop." + name)
        assert not any(m.startswith("PySide6") for m in sys.modules), "Qt leaked in"
        print(len(imported))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10
