"""The desk's menus in the main window: «Cài đặt» (settings, setup assistant) and «Trợ giúp»
(handbook F1, diagnostics bundle, About); the daily backup and the first-run assistant.

One call from launch.py (``DeskHookup(window, interactive=...)``). Everything that touches the
database, a file or the network runs on the window's worker lane; answers come back by callback.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.ui.desk.help_dialog import install_context_help, open_handbook
from treasury_desktop.ui.texts import t

if TYPE_CHECKING:  # settings, handbook and backups load when first used (cold start)
    from treasury_desktop.domain.voucher import Unit
    from treasury_desktop.store.backup import BackupFile
    from treasury_desktop.ui.session import Lane
    from treasury_desktop.ui.shell import WindowShell
    from treasury_desktop.usecases.backups import BackupService
    from treasury_desktop.usecases.desk_settings import DeskChoices

SETUP_SEEN = "setup_assistant_seen"
BACKUP_DELAY_MS = 3000  # after the first paint: the backup never competes with the first look


class DeskHookup(QObject):
    """Settings, setup assistant, handbook, About and backups for one main window."""

    def __init__(self, window: WindowShell, *, interactive: bool) -> None:
        super().__init__(window.host())
        self._window = window
        self._session = window.session
        settings_menu = window.host().menuBar().addMenu(t("desk.menu.settings"))
        self._add(settings_menu, "settings", self.open_settings, "Ctrl+,")
        self._add(settings_menu, "setup", self.open_setup)
        help_menu = window.host().menuBar().addMenu(t("desk.menu.help"))
        handbook = self._add(help_menu, "handbook", self.open_handbook)
        handbook.setText(f"{t('desk.action.handbook')}\tF1")  # F1 itself: install_context_help
        self._add(help_menu, "diagnostics", self.save_diagnostics)
        self._add(help_menu, "about", self.show_about)
        self.f1 = install_context_help(window.host())
        self.settings_dialog = None
        self.setup_wizard = None
        if interactive:
            QTimer.singleShot(BACKUP_DELAY_MS, self.daily_backup)
            QTimer.singleShot(0, self._first_run)

    def open_handbook(self) -> None:
        """«Hướng dẫn sử dụng» (F1): the handbook, loaded at its first opening."""
        open_handbook(self._window.host())

    def _add(self, menu, key: str, slot: Callable[[], object], shortcut: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(t(f"desk.action.{key}"), self._window.host())
        action.setObjectName(f"action_desk_{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            self._window.host().addAction(action)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- backups ----------------------------------------------------------------------------

    def _backups(self, lane: Lane, folder: str | None = None) -> BackupService:
        from treasury_desktop.usecases.backups import BackupService

        ctx = self._session.ctx
        from treasury_desktop.settings import BACKUP_FOLDER

        chosen = folder if folder is not None else BACKUP_FOLDER.read(lane.profile)
        where = Path(chosen) if chosen else ctx.data_dir / "backups"
        return BackupService(ctx.database_path, lambda: where, datetime.now)

    def daily_backup(self) -> None:
        """Today's backup, unless there is one (on the worker; a failure says so plainly)."""

        def taken(backup: BackupFile | None) -> None:
            if backup is not None:
                self._window.show_status(
                    t("desk.settings.backup_taken", path=str(backup.path)), 8000
                )

        self._session.run(lambda lane: self._backups(lane).backup_if_due(), taken)

    def list_backups(self, folder: str, done: Callable[[list[BackupFile]], None]) -> None:
        self._session.run(lambda lane: self._backups(lane, folder).backups(), done)

    def backup_now(self, folder: str, done: Callable[[BackupFile], None]) -> None:
        self._session.run(lambda lane: self._backups(lane, folder).backup_now(), done)

    def restore(self, backup: Path, done: Callable[[], None]) -> None:
        """Ask for the restore at the next start (no connection may be open), then close."""
        from treasury_desktop.usecases.backups import request_restore

        def asked(_: None) -> None:
            done()
            self._window.host().close()

        self._session.run(lambda _lane: request_restore(self._session.ctx.data_dir, backup), asked)

    # -- settings ---------------------------------------------------------------------------

    def open_settings(self) -> None:
        """«Cài đặt…»: read the choices on the worker, then show the dialog."""
        from treasury_desktop.ui.desk.settings_dialog import SettingsDialog

        def show(choices: DeskChoices) -> None:
            dialog = SettingsDialog(choices, self, self._window.host())
            self.settings_dialog = dialog  # type: ignore[assignment]
            dialog.open()

        data_dir = self._session.ctx.data_dir
        def job(lane: Lane) -> DeskChoices:
            from treasury_desktop.usecases.desk_settings import read_choices

            return read_choices(lane.profile, data_dir)

        self._session.run(job, show)

    def save(self, before: DeskChoices, after: DeskChoices, done: Callable[[], None]) -> None:
        from treasury_desktop.usecases.desk_settings import save_choices

        self._session.run(lambda lane: save_choices(lane.profile, before, after),
                          lambda _saved: done())

    # -- setup assistant --------------------------------------------------------------------

    def _first_run(self) -> None:
        def decide(needed: bool) -> None:
            if needed:
                self.open_setup()

        def job(lane: Lane) -> bool:
            needed = lane.profile.unit() is None and not lane.profile.get(SETUP_SEEN, False)
            if needed:
                lane.profile.set(SETUP_SEEN, True)  # offered once; reopened from the menu
            return bool(needed)

        self._session.run(job, decide)

    def open_setup(self) -> None:
        """«Trợ lý thiết lập…»: read what is known, then show the assistant."""
        from treasury_desktop.api.connection import load_connection
        from treasury_desktop.ui.desk.setup_wizard import SetupWizard

        year = self._session.ctx.clock().year

        def show(known: tuple[Unit | None, str]) -> None:
            catalog = self._session.catalog(year)
            offices = catalog.codes(CatalogKind.TREASURY) if catalog else ()
            wizard = SetupWizard(self, unit=known[0], server=known[1], offices=offices,
                                 parent=self._window.host())
            self.setup_wizard = wizard  # type: ignore[assignment]
            wizard.open()

        def job(lane: Lane) -> tuple[Unit | None, str]:
            saved = load_connection(lane.profile)
            return lane.profile.unit(), saved.server if saved else ""

        self._session.run(job, show)

    def save_unit(self, unit: Unit, done: Callable[[], None]) -> None:
        self._session.run(lambda lane: lane.profile.set_unit(unit), lambda _: done())

    def connect_desk(
        self, server: str, unit: str, credential: str, done: Callable[[str | None], None]
    ) -> None:
        """Check the credential against the treasury, then keep it (keyring) and the server."""
        from treasury_desktop.i18n import ExpectedError
        from treasury_desktop.usecases import desk_connect

        if not unit:
            done(t("desk.setup.connection.needs_unit"))
            return

        def job(lane: Lane) -> str | None:
            try:
                desk_connect.connect_desk(lane.profile, server, unit, credential)
            except ExpectedError as error:
                return str(error)
            return None

        self._session.run(job, done)

    def driver_report(self, done: Callable[[str], None]) -> None:
        """The tokens present now (asked on the token thread) and each driver file's check."""
        from treasury_desktop.settings import PKCS11_MODULES
        from treasury_desktop.usecases.tokens import driver_report

        runtime = self._window.token_runtime()

        def job(lane: Lane) -> str:
            lines: list[str] = []
            try:
                infos = runtime.executor.submit(runtime.token_infos).result(timeout=30)
                problems = runtime.executor.submit(lambda: runtime.problems).result(timeout=30)
            except Exception as error:  # noqa: BLE001 - a driver's failure is what this page shows
                infos, problems = (), ()
                lines.append(t("desk.setup.tokens.failed", reason=str(error)))
            for info in infos:
                lines.append(t("desk.setup.tokens.found", label=info.label,
                               maker=info.manufacturer, serial=info.serial))
            if not infos:
                lines.append(t("desk.setup.tokens.none"))
            for problem in problems:
                lines.append(f"{problem.path}: {problem.message.render()}")
            lines.append("")
            lines.append(driver_report(PKCS11_MODULES.read(lane.profile)))
            return "\n".join(lines)

        self._session.run(job, done)

    def open_signers(self) -> None:
        self._window.show_signers()

    # -- help -------------------------------------------------------------------------------

    def save_diagnostics(self) -> None:
        """«Lưu gói chẩn đoán»: the bundle with no error, for the support desk."""
        from treasury_desktop.ui.diagnostics import write_bundle

        data_dir = self._session.ctx.data_dir

        def saved(path: Path) -> None:
            self._window.prompter.inform(t("desk.action.diagnostics"),
                                         t("desk.diagnostics.saved", path=str(path)))

        self._session.run(lambda _lane: write_bundle(data_dir, ""), saved)

    def show_about(self) -> QMessageBox:
        """«Giới thiệu»: the version (from pyproject), Python and Qt."""
        box = QMessageBox(QMessageBox.Icon.Information, t("desk.about.title"),
                          t("desk.about.text", version=_version(),
                            python=platform.python_version(), qt=qVersion()),
                          QMessageBox.StandardButton.Ok, self._window.host())
        box.setObjectName("aboutBox")
        box.open()
        return box


def _version() -> str:
    from treasury_desktop.version import app_version  # importlib.metadata: only for About

    return app_version()
