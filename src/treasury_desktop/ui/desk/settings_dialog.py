"""«Cài đặt»: the data folder, language, connection and proxy, token drivers, backups.

The dialog holds no rule: it shows a :class:`DeskChoices`, hands the edited one back, and asks
its :class:`SettingsActions` (the window's worker lane) to back up or restore.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from treasury_desktop.store.backup import BackupFile
from treasury_desktop.ui.desk.help_dialog import TOPIC_PROPERTY
from treasury_desktop.ui.texts import t
from treasury_desktop.usecases.desk_settings import DeskChoices


class SettingsActions(Protocol):
    """What the dialog asks of the window: work off the GUI thread, answers by callback."""

    def list_backups(self, folder: str, done: Callable[[list[BackupFile]], None]) -> None: ...

    def backup_now(self, folder: str, done: Callable[[BackupFile], None]) -> None: ...

    def restore(self, backup: Path, done: Callable[[], None]) -> None: ...

    def save(self, before: DeskChoices, after: DeskChoices, done: Callable[[], None]) -> None: ...


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return holder


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("settingsNote")
    return label


class SettingsDialog(QDialog):
    """The settings, one tab per subject; OK saves what changed."""

    def __init__(
        self, choices: DeskChoices, actions: SettingsActions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(t("desk.settings.title"))
        self.setProperty(TOPIC_PROPERTY, "settings")
        self.before = choices
        self._actions = actions
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(choices), t("desk.settings.tab.general"))
        self.tabs.addTab(self._connection(choices), t("desk.settings.tab.connection"))
        self.tabs.addTab(self._tokens(choices), t("desk.settings.tab.tokens"))
        self.tabs.addTab(self._backup(choices), t("desk.settings.tab.backup"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.refresh_backups()

    # -- tabs -------------------------------------------------------------------------------

    def _general(self, choices: DeskChoices) -> QWidget:
        page = QWidget()
        page.setProperty(TOPIC_PROPERTY, "settings")
        form = QFormLayout(page)
        self.data_dir = QLineEdit(choices.data_dir)
        self.data_dir.setObjectName("settingsDataDir")
        browse = QPushButton(t("desk.settings.browse"))
        browse.clicked.connect(lambda: self._pick_folder(self.data_dir))
        form.addRow(t("desk.settings.data_dir"), _row(self.data_dir, browse))
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(choices.language)))
        form.addRow(t("desk.settings.language"), self.language)
        form.addRow(_note(t("desk.settings.restart_note")))
        return page

    def _connection(self, choices: DeskChoices) -> QWidget:
        page = QWidget()
        page.setProperty(TOPIC_PROPERTY, "connection")
        form = QFormLayout(page)
        server = QLabel(choices.server or t("desk.settings.not_connected"))
        server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(t("desk.settings.server"), server)
        form.addRow(t("desk.settings.unit"), QLabel(choices.unit or "—"))
        self.proxy = QLineEdit(choices.proxy)
        self.proxy.setObjectName("settingsProxy")
        self.proxy.setPlaceholderText(t("desk.settings.proxy_hint"))
        self.proxy.setEnabled(bool(choices.server))
        form.addRow(t("desk.settings.proxy"), self.proxy)
        return page

    def _tokens(self, choices: DeskChoices) -> QWidget:
        page = QWidget()
        page.setProperty(TOPIC_PROPERTY, "token-not-detected")
        layout = QVBoxLayout(page)
        layout.addWidget(_note(t("desk.settings.modules_note")))
        self.modules = QListWidget()
        self.modules.setObjectName("settingsModules")
        self.modules.addItems(list(choices.pkcs11_modules))
        layout.addWidget(self.modules, 1)
        add = QPushButton(t("desk.settings.add_module"))
        add.clicked.connect(self._add_module)
        remove = QPushButton(t("desk.settings.remove_module"))
        remove.clicked.connect(lambda: self.modules.takeItem(self.modules.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _backup(self, choices: DeskChoices) -> QWidget:
        page = QWidget()
        page.setProperty(TOPIC_PROPERTY, "backup")
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.backup_folder = QLineEdit(choices.backup_folder)
        self.backup_folder.setObjectName("settingsBackupFolder")
        self.backup_folder.setPlaceholderText(t("desk.settings.backup_default"))
        browse = QPushButton(t("desk.settings.browse"))
        browse.clicked.connect(lambda: self._pick_folder(self.backup_folder))
        self.backup_folder.editingFinished.connect(self.refresh_backups)
        form.addRow(t("desk.settings.backup_folder"), _row(self.backup_folder, browse))
        layout.addLayout(form)
        layout.addWidget(_note(t("desk.settings.backup_note")))
        self.backups = QListWidget()
        self.backups.setObjectName("settingsBackups")
        layout.addWidget(self.backups, 1)
        self.backup_status = QLabel()
        self.backup_status.setWordWrap(True)
        layout.addWidget(self.backup_status)
        now = QPushButton(t("desk.settings.backup_now"))
        now.setObjectName("settingsBackupNow")
        now.clicked.connect(self.backup_now)
        restore = QPushButton(t("desk.settings.restore"))
        restore.setObjectName("settingsRestore")
        restore.clicked.connect(self.restore_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(now)
        buttons.addWidget(restore)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page

    # -- behaviour --------------------------------------------------------------------------

    def edited(self) -> DeskChoices:
        """The choices as the dialog shows them now."""
        modules = tuple(self.modules.item(i).text() for i in range(self.modules.count()))
        return replace(
            self.before,
            data_dir=self.data_dir.text().strip(),
            language=str(self.language.currentData()),
            proxy=self.proxy.text().strip(),
            pkcs11_modules=modules,
            backup_folder=self.backup_folder.text().strip(),
        )

    def refresh_backups(self) -> None:
        """List the backups of the folder shown."""
        self._actions.list_backups(self.backup_folder.text().strip(), self._show_backups)

    def _show_backups(self, found: list[BackupFile]) -> None:
        self.backups.clear()
        for backup in found:
            item = QListWidgetItem(
                f"{backup.taken_at:%d/%m/%Y %H:%M:%S}    {backup.size / 2**20:.1f} MB"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            item.setToolTip(str(backup.path))
            self.backups.addItem(item)
        if not found:
            self.backup_status.setText(t("desk.settings.no_backups"))

    def backup_now(self) -> None:
        """Take a backup now, into the folder shown."""

        def taken(backup: BackupFile) -> None:
            self.backup_status.setText(t("desk.settings.backup_taken", path=str(backup.path)))
            self.refresh_backups()

        self._actions.backup_now(self.backup_folder.text().strip(), taken)

    def restore_chosen(self) -> None:
        """Restore the backup chosen in the list, after asking."""
        item = self.backups.currentItem()
        if item is None:
            self.backup_status.setText(t("desk.settings.pick_backup"))
            return
        answer = QMessageBox.question(
            self, t("desk.settings.restore"),
            t("desk.settings.restore_confirm", when=item.text().split("    ")[0]),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._actions.restore(Path(str(item.data(Qt.ItemDataRole.UserRole))), self.accept)

    def _save(self) -> None:
        self._actions.save(self.before, self.edited(), self.accept)

    def _pick_folder(self, field: QLineEdit) -> None:
        chosen = QFileDialog.getExistingDirectory(self, t("desk.settings.browse"), field.text())
        if chosen:
            field.setText(chosen)
            field.editingFinished.emit()

    def _add_module(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, t("desk.settings.add_module"), "", "PKCS#11 (*.dll *.so *.so.* *.dylib);;*"
        )
        if chosen:
            self.modules.addItem(chosen)
