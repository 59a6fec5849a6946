"""Vietnamese for the texts Qt itself draws (context menus, standard buttons).

Qt ships no qtbase_vi.qm (FACTS.md). Rather than ship a binary .qm, this translator answers
Qt's own lookups from a small table; every other language falls through to Qt's English.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

VIETNAMESE: dict[tuple[str, str], str] = {
    ("QLineEdit", "&Undo"): "&Hoàn tác",
    ("QLineEdit", "&Redo"): "&Làm lại",
    ("QLineEdit", "Cu&t"): "&Cắt",
    ("QLineEdit", "&Copy"): "&Sao chép",
    ("QLineEdit", "&Paste"): "&Dán",
    ("QLineEdit", "Delete"): "Xóa",
    ("QLineEdit", "Select All"): "Chọn tất cả",
    ("QWidgetTextControl", "&Undo"): "&Hoàn tác",
    ("QWidgetTextControl", "&Redo"): "&Làm lại",
    ("QWidgetTextControl", "Cu&t"): "&Cắt",
    ("QWidgetTextControl", "&Copy"): "&Sao chép",
    ("QWidgetTextControl", "Copy &Link Location"): "Sao chép đường &dẫn",
    ("QWidgetTextControl", "&Paste"): "&Dán",
    ("QWidgetTextControl", "Delete"): "Xóa",
    ("QWidgetTextControl", "Select All"): "Chọn tất cả",
    ("QPlatformTheme", "OK"): "Đồng ý",
    ("QPlatformTheme", "Cancel"): "Hủy",
    ("QPlatformTheme", "Close"): "Đóng",
    ("QPlatformTheme", "&Yes"): "&Có",
    ("QPlatformTheme", "&No"): "&Không",
    ("QPlatformTheme", "Save"): "Lưu",
    ("QPlatformTheme", "Discard"): "Bỏ",
    ("QPlatformTheme", "Apply"): "Áp dụng",
    ("QPlatformTheme", "Help"): "Trợ giúp",
    ("QMessageBox", "Show Details..."): "Chi tiết...",
    ("QMessageBox", "Hide Details..."): "Ẩn chi tiết...",
    ("QScrollBar", "Scroll here"): "Cuộn đến đây",
    ("QScrollBar", "Top"): "Lên đầu",
    ("QScrollBar", "Bottom"): "Xuống cuối",
}


class VietnameseQtTexts(QTranslator):
    """Answers Qt's lookups for its own widgets in Vietnamese."""

    def translate(  # noqa: N802 - Qt's name
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) lets Qt keep its own text; "" would blank it out.
        return VIETNAMESE.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802
        return False
