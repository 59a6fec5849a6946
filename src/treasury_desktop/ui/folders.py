"""The folders on the left, each with how many vouchers it holds."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from treasury_desktop.store.records import Folder
from treasury_desktop.ui.texts import folder_name

ORDER = (Folder.ALL, Folder.DRAFTS, Folder.TO_SIGN, Folder.TO_SEND, Folder.SENT, Folder.REFUSED)
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_PADDING = 28  # the item's padding (style sheet), the frame, a little air


class FolderList(QListWidget):
    """Tất cả, Nháp, Chờ ký, Chờ gửi, Đã gửi, Bị từ chối — with counts."""

    folder_chosen = Signal(object)  # Folder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folders")
        self._counts: dict[Folder, int] = {}
        for folder in ORDER:
            item = QListWidgetItem(folder_name(folder))
            item.setData(FOLDER_ROLE, folder)
            self.addItem(item)
        self.setCurrentRow(0)
        self.currentRowChanged.connect(self._row_changed)

    def current_folder(self) -> Folder:
        """The folder chosen."""
        row = self.currentRow()
        return ORDER[row] if 0 <= row < len(ORDER) else Folder.ALL

    def choose(self, folder: Folder) -> None:
        """Move to ``folder`` (Ctrl+1 … Ctrl+6)."""
        self.setCurrentRow(ORDER.index(folder))

    def set_counts(self, counts: Mapping[Folder, int]) -> None:
        """Show the count next to each folder's name."""
        self._counts = dict(counts)
        for row, folder in enumerate(ORDER):
            count = counts.get(folder, 0)
            label = folder_name(folder)
            item = self.item(row)
            item.setText(f"{label}  ({count:,})".replace(",", ".") if count else label)
        self._fit_names()

    def _fit_names(self) -> None:
        """As wide as the widest folder name with its count (never "Ký đủ / chờ gửi (11")."""
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(self.item(r).text()) for r in range(self.count()))
        wanted = min(widest + NAME_PADDING, self.maximumWidth())
        if wanted > self.minimumWidth():
            self.setMinimumWidth(wanted)

    def count_of(self, folder: Folder) -> int:
        """The count last shown for ``folder``."""
        return self._counts.get(folder, 0)

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(ORDER):  # rows after ORDER belong to other parts (Nhận từ máy khác)
            self.folder_chosen.emit(ORDER[row])
