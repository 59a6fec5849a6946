"""A calm, dense look: small margins, quiet colours, red only for what is wrong."""

from __future__ import annotations

STYLE_SHEET = """
QMainWindow, QWidget#centralPane { background: #f6f6f4; }
QListWidget#folders { background: #eeeeea; border: none; padding-top: 4px; }
QListWidget#folders::item { padding: 5px 10px; }
QListWidget#folders::item:selected { background: #dfe6ee; color: #1b1b1b; }
QTableView { background: #ffffff; alternate-background-color: #f7f8fa;
             selection-background-color: #dbe7f5; selection-color: #1b1b1b;
             border: 1px solid #d9d9d4; }
QHeaderView::section { background: #efefeb; border: none; border-bottom: 1px solid #d9d9d4;
                       padding: 3px 6px; font-weight: 600; }
QWidget#voucherEditor { background: #ffffff; }
QTableWidget#linesGrid QHeaderView::section { font-weight: normal; padding: 2px 3px; }
QLabel#formTitle { font-size: 11pt; font-weight: 700; letter-spacing: 0.5px;
                   padding: 6px 2px 2px 2px; }
QLabel#savedLabel { color: #6b6b6b; }
QLabel#banner { background: #fff4d6; color: #6a4b00; padding: 4px 8px; border-radius: 3px; }
QLabel#generalProblems, QLabel#fieldNote, QLabel#linesNote { color: #b42318; }
QLabel#fieldNote, QLabel#linesNote { font-size: 8pt; }
QLabel#fieldHint, QLabel#listSummary { color: #6b6b6b; }
QLabel#totalLabel { font-size: 10pt; }
QLabel#wordsLabel { font-style: italic; color: #333333; }
QLineEdit, QComboBox { padding: 2px 4px; border: 1px solid #c9c9c3; border-radius: 2px;
                       background: #ffffff; }
QComboBox QAbstractItemView { background: #ffffff; color: #1b1b1b; outline: none;
                              selection-background-color: #dbe7f5; selection-color: #1b1b1b; }
QComboBox QAbstractItemView::item { padding: 2px 4px; }
QComboBox QAbstractItemView::item:selected, QComboBox QAbstractItemView::item:hover {
    background: #dbe7f5; color: #1b1b1b; }
QLineEdit:focus { border: 1px solid #4a7bb7; }
QLineEdit[readOnly="true"] { background: #f3f3f0; color: #333333; }
QLabel#fieldWarning { color: #8a5a00; font-size: 8pt; }
QLineEdit[doubtful="true"] { border: 1px solid #c98a00; background: #fffbeb; }
QLineEdit[invalid="true"] { border: 1px solid #b42318; background: #fff8f7; }
QToolBar { spacing: 2px; border: none; background: #f0f0ec; }
QStatusBar { color: #555555; }
"""
