"""Run-time hook in place of PyInstaller's ``pyi_rth_pyside6`` (the spec swaps it in).

PyInstaller's hook imports ``PySide6.QtCore`` at every start to embed a ``qt.conf`` that
relocates Qt; PySide6's own QtCore already embeds one (the prefix beside the module) when it is
imported, so the hook's copy is never used here, yet its import loads Qt and ICU before a
command-line run that never needs them (``--version``, ``voucher new``…). This hook does the rest
of the original: point Qt at the bundled plug-ins.
"""

import os
import sys


def _point_qt_at_the_plugins() -> None:
    base = sys._MEIPASS  # type: ignore[attr-defined]  # set by PyInstaller's bootloader
    qt = os.path.join(base, "PySide6") if sys.platform == "win32" else os.path.join(
        base, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")


_point_qt_at_the_plugins()
del _point_qt_at_the_plugins
