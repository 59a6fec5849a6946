"""The narrow view of the main window that its features (signing, the outbox) work through.

A feature is handed a :class:`WindowShell`, never ``MainWindow`` itself: it can add its actions
and docks to the host window, show status messages, open a voucher and refresh the list, and
nothing else. ``MainWindow`` is one shell; a test can be another.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.editing import EditingController
from treasury_desktop.ui.editor import VoucherEditor
from treasury_desktop.ui.session import Session
from treasury_desktop.ui.voucher_list import VoucherListPane


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
