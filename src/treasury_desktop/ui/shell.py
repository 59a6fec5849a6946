"""The narrow view of the main window that its features work through.

A feature (signing, the outbox, countersigning packages, printing, Excel, the desk's settings)
is handed a :class:`WindowShell`, never ``MainWindow`` itself: it can add its actions, menus and
docks to the host window, show a status message, run jobs on the worker lane, reach the list and
the editor, refresh them, and nothing else. ``MainWindow`` is one shell; a test can be another.
No feature imports ``ui/main_window.py`` (tests/ui/test_shell.py checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.editing import EditingController
from treasury_desktop.ui.editor import VoucherEditor
from treasury_desktop.ui.folders import FolderList
from treasury_desktop.ui.session import Session
from treasury_desktop.ui.voucher_list import VoucherListPane

if TYPE_CHECKING:
    from treasury_desktop.ui.signing.runtime import TokenRuntime


class WindowShell(Protocol):
    """What a window feature may use of the main window."""

    @property
    def session(self) -> Session:
        """The window's session (data folder, worker lane)."""
        ...

    @property
    def prompter(self) -> Prompter:
        """Messages and questions to the user."""
        ...

    @property
    def editor(self) -> VoucherEditor:
        """The voucher editor (its layout takes panels under it)."""
        ...

    @property
    def editing(self) -> EditingController:
        """The voucher open in the editor: open, flush, copy."""
        ...

    @property
    def list_pane(self) -> VoucherListPane:
        """The voucher list: selection, refresh."""
        ...

    @property
    def folders(self) -> FolderList:
        """The folders beside the list (a feature may add its own)."""
        ...

    @property
    def action_map(self) -> Mapping[str, QAction]:
        """The window's own actions by key (``copy``, ``save`` …)."""
        ...

    def host(self) -> QMainWindow:
        """The Qt window: menus, toolbar, status bar, docks, parent of the feature's objects."""
        ...

    def refresh(self) -> None:
        """The list and the folder counts again."""
        ...

    def refresh_counts(self) -> None:
        """The folder counts again."""
        ...

    def show_status(self, message: str, timeout_ms: int = 8000) -> None:
        """A passing message in the status bar."""
        ...

    def report_error(self, error: BaseException) -> None:
        """An expected error as a plain message; anything else as the crash dialog."""
        ...

    def selected_ids(self) -> list[str]:
        """The vouchers chosen in the list, else the one in the editor."""
        ...

    def token_runtime(self) -> TokenRuntime:
        """The one token thread (made at the first use)."""
        ...

    def show_signers(self) -> None:
        """Open «Người ký»."""
        ...
