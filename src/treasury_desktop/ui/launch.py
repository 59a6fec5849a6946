"""The GUI entry point: ``run_gui(ctx, screenshot=..., demo=...)`` (called by app.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import set_language
from treasury_desktop.paths import resources_dir

FONT = ("DejaVu Sans", 9)


def run_gui(ctx: AppContext, *, screenshot: Path | None = None, demo: bool = False) -> int:
    """Open the main window on ``ctx`` (or render it to ``screenshot`` and return 0)."""
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app, window = build_window(ctx, demo=demo, styled=False)
    outbox = open_outbox(window, send=screenshot is None)
    open_desk(window, interactive=screenshot is None and not demo)
    style(app)  # once every part is in the window: one styling pass over all of them
    previous_hook = sys.excepthook

    def crash_hook(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        window.session.on_error(error.with_traceback(trace))

    failures: list[BaseException] = []
    if screenshot is not None:
        # Nobody can answer a dialog in a screenshot run: an error ends it (exit 1) instead of
        # waiting forever behind a modal message box.
        window.session.on_error = failures.append
    sys.excepthook = crash_hook
    try:
        if screenshot is not None:
            from treasury_desktop.ui.screen_fit import PREFERRED

            window.resize(PREFERRED)  # a picture of the window at its full size, any screen
            done = render_screenshot(window, screenshot)
            for failure in failures:
                print(f"treasury-desktop: {failure}", file=sys.stderr)
            return 1 if failures else done
        window.show()
        answer = int(app.exec())
        from treasury_desktop.ui.screen_fit import remember_size

        remember_size(window, ctx.data_dir)
        return answer
    finally:
        sys.excepthook = previous_hook
        if window.qt_texts is not None:
            app.removeTranslator(window.qt_texts)
        outbox.close()  # before the session: the outbox's jobs run on its worker
        window.session.close()
        window.close()
        window.deleteLater()


def build_window(ctx: AppContext, *, demo: bool = False, styled: bool = True) -> tuple[Any, Any]:
    """The application object (made if needed) and the main window, not yet shown (nor
    styled unless ``styled``: :func:`style` once the window's features are in it)."""
    from PySide6.QtGui import QFont, QIcon
    from PySide6.QtWidgets import QApplication

    from treasury_desktop.ui.session import Session

    set_language(ctx.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    session = Session(ctx)
    # The worker reads the first page and the first voucher while the window's code loads.
    session.prefetch()
    app.setApplicationName("treasury-desktop")
    app.setDesktopFileName("treasury-desktop")  # Wayland/X11 match it to the menu entry's icon
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "treasury-desktop.svg")))
    app.setFont(QFont(*FONT))
    from treasury_desktop.ui.main_window import MainWindow

    window = MainWindow(session, demo=demo)
    if styled:
        style(app)
    if ctx.lang == "vi":
        from treasury_desktop.ui.qt_texts import VietnameseQtTexts

        window.qt_texts = VietnameseQtTexts(window)
        app.installTranslator(window.qt_texts)
    from treasury_desktop.ui.screen_fit import place_window

    # Within the screen's available area, at last time's size (1400×860 the first time).
    place_window(window, ctx.data_dir)
    return app, window


def style(app: Any) -> None:
    """The app's style sheet, applied once the window's widgets exist and before it is shown:
    one pass over them. Set earlier, every widget added to a parent is styled again."""
    from treasury_desktop.ui.style import STYLE_SHEET

    app.setStyleSheet(STYLE_SHEET)


def open_desk(window: Any, *, interactive: bool) -> Any:
    """Settings, setup assistant, handbook (F1) and About; when ``interactive``, the daily
    backup and, on a new desk, the setup assistant (ui/desk/hookup.py)."""
    from treasury_desktop.ui.desk.hookup import DeskHookup

    return DeskHookup(window, interactive=interactive)


def open_outbox(window: Any, *, send: bool) -> Any:
    """The outbox in the window (view, indicator, Send now, Pause) and, when ``send``, the
    sender and status sync in their threads (ui/outbox/runtime.py)."""
    from treasury_desktop.ui.outbox.runtime import OutboxRuntime

    return OutboxRuntime(window, send=send)


def settle(window: object, timeout: float = 5.0) -> None:
    """Process events until the worker is idle and the list and editor have their data."""
    from PySide6.QtWidgets import QApplication

    from treasury_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        pane = window.list_pane
        loaded = pane.answered_generation == pane.generation and pane.generation > 0
        opened = window.editing.voucher_id is not None or pane.model.rowCount() == 0
        if loaded and opened and window.session.worker.idle():
            break
        time.sleep(0.002)
    QApplication.processEvents()


def render_screenshot(window: object, path: Path) -> int:
    """Show the window offscreen, let it fill in, and save it as a PNG."""
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    window.show()
    settle(window)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return 0


def tell_before_the_window(message: str) -> None:
    """Say why the window cannot open in a message box too: a desk started from its menu
    entry has no terminal to read the message in."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from treasury_desktop.i18n import text

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Critical, text("ui.window.title"), message)
    box.exec()
    del app
