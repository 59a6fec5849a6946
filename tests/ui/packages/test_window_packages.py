"""The window's countersigning parts under pytest-qt: «Nhận chứng từ» reads a package made on
another desk (real SoftHSM2 signatures) and reports it, «Nhận từ máy khác» lists what arrived
and what it needs, «Gửi ký» writes the selection to a folder, and a watched folder picks up
packages as they arrive, on the worker."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from ui_harness import Desk, FakePrompter, open_window, settle

sys.path.insert(0, str(Path(__file__).parents[2] / "packages"))

from treasury_signing_fixtures import register  # noqa: E402
from two_desks import CHIEF, HOLDER, open_desk, read_members, rewrite  # noqa: E402

from treasury_desktop.domain.workflow import VoucherState  # noqa: E402
from treasury_desktop.ui.main_window import MainWindow  # noqa: E402
from treasury_desktop.ui.packages.window_parts import WindowPackages  # noqa: E402


@dataclass
class FakeChooser:
    """Answers the file dialogs from lists; records what was asked."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def save_file(self, suggested: Path) -> Path | None:
        self.asked.append(f"save {suggested.name}")
        return self.files.pop(0) if self.files else None

    def open_file(self, start: Path) -> Path | None:
        self.asked.append("open")
        return self.files.pop(0) if self.files else None

    def folder(self, start: Path) -> Path | None:
        self.asked.append("folder")
        return self.folders.pop(0) if self.folders else None


@pytest.fixture
def package(tmp_path: Path, softhsm: Any, softhsm_module_loaded: Any,
            example_document: dict[str, Any]) -> tuple[list[str], Path]:
    """Two vouchers the chief accountant signed on desk A, in a package."""
    a = open_desk("A", tmp_path, softhsm, softhsm_module_loaded)
    ids = a.drafts(example_document, 2)
    a.sign(ids, CHIEF)
    path = a.export(ids, tmp_path / "from-a.tdpkg").path
    a.ctx.close()
    return ids, path


def _b(desk: Desk, softhsm: Any) -> None:
    conn = desk.ctx.connect()
    register(conn, softhsm.chief.key.certificate_der, CHIEF)
    register(conn, softhsm.holder.key.certificate_der, HOLDER)


def _parts(window: MainWindow, chooser: FakeChooser) -> WindowPackages:
    parts = window.packages
    parts.chooser = chooser
    return parts


def _idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.session.worker.idle(), timeout=10_000)
    settle(qtbot, window)


def _shot(widget: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("PACKAGE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path), "PNG")
    return path


def test_receive_lists_arrivals_and_sends_back_to_a_folder(
    qtbot: QtBot, desk: Desk, softhsm: Any, package: tuple[list[str], Path], tmp_path: Path,
) -> None:
    ids, path = package
    _b(desk, softhsm)
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        chooser = FakeChooser(files=[path])
        parts = _parts(window, chooser)
        parts.actions["receive"].trigger()
        _idle(qtbot, window)
        assert chooser.asked == ["open"]
        report = parts.report
        assert report is not None and report.isVisible()
        assert report.table.rowCount() == 2
        assert {report.table.item(r, 1).text() for r in range(2)} == {"Đã nhận"}
        _shot(report, tmp_path, "package-receive-report.png")
        report.accept()
        assert window.list_pane.model.rowCount() == 2

        parts.actions["arrivals"].trigger()  # Ctrl+8
        _idle(qtbot, window)
        assert parts.view.isVisible() and not window.list_pane.isVisible()
        model = parts.view.model
        assert model.rowCount() == 2
        texts = [model.index(0, c).data() for c in range(model.columnCount())]
        assert "Máy A" in texts and "Cần chữ ký Chủ tài khoản" in texts
        assert parts.view.heading.text() == "Nhận từ máy khác — 2 chứng từ"
        _shot(window, tmp_path, "package-arrivals-folder.png")

        # «Gửi ký»: both rows selected, written into a chosen folder.
        parts.view.table.selectAll()
        out = tmp_path / "usb"
        out.mkdir()
        chooser.folders.append(out)
        dialog = parts.send()
        assert dialog is not None and dialog.isVisible() and not dialog.ok_button.isEnabled()
        dialog.folder_button.click()
        assert dialog.path_edit.text() == str(out)
        _shot(dialog, tmp_path, "package-send-dialog.png")
        dialog.ok_button.click()
        _idle(qtbot, window)
        [written] = list(out.iterdir())
        assert written.suffix == ".tdpkg" and stat.S_IMODE(written.stat().st_mode) == 0o600
        assert parts.last_export is not None and set(parts.last_export.exported) == set(ids)
        assert str(written) in window.statusBar().currentMessage()
        assert not prompter.messages

        # Back in the list folders, the list shows again.
        window.folders.setCurrentRow(0)
        assert window.list_pane.isVisible() and not parts.view.isVisible()


def test_a_refused_package_is_said_plainly(
    qtbot: QtBot, desk: Desk, softhsm: Any, package: tuple[list[str], Path], tmp_path: Path,
) -> None:
    _, path = package
    _b(desk, softhsm)
    evil = rewrite(tmp_path / "evil.tdpkg",
                   [*read_members(path), ("../../autorun.inf", b"[autorun]")])  # type: ignore[list-item]
    prompter = FakePrompter()
    with open_window(qtbot, desk, prompter) as window:
        parts = _parts(window, FakeChooser(files=[evil]))
        parts.receive()
        _idle(qtbot, window)
        [message] = prompter.messages
        assert "từ chối toàn bộ" in message and "autorun.inf" in message
        assert window.list_pane.model.rowCount() == 0 and parts.report is None


def test_a_watched_folder_picks_up_packages_as_they_arrive(
    qtbot: QtBot, desk: Desk, softhsm: Any, package: tuple[list[str], Path], tmp_path: Path,
) -> None:
    ids, path = package
    _b(desk, softhsm)
    watched = tmp_path / "shared"
    watched.mkdir()
    with open_window(qtbot, desk) as window:
        parts = _parts(window, FakeChooser(folders=[watched]))
        parts._settle = 0.0
        parts.timer.setInterval(50)
        parts.watch_action.trigger()  # asks for the folder, then watches it
        _idle(qtbot, window)
        assert parts.watch is not None and parts.watch.folder == watched
        assert str(watched) in parts.view.watch_label.text()
        shutil.copy(path, watched / "goi-1.tdpkg")
        (watched / "notes.txt").write_text("not a package")
        qtbot.waitUntil(lambda: len(parts.picked) == 1, timeout=10_000)
        _idle(qtbot, window)
        [picked] = parts.picked
        assert picked.result is not None and all(i.ok for i in picked.result.items)
        assert "Máy A" in window.statusBar().currentMessage()
        assert window.list_pane.model.rowCount() == 2
        repo = desk.repo
        assert all(repo.get(v).status is VoucherState.SIGNED_CHIEF for v in ids)  # type: ignore[union-attr]
        # A damaged copy arriving later is refused, said in the status bar, and not retried.
        raw = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        raw[: len(raw) // 2] = b"\0" * (len(raw) // 2)
        (watched / "goi-2.tdpkg").write_bytes(bytes(raw))
        qtbot.waitUntil(lambda: len(parts.picked) == 2, timeout=10_000)
        _idle(qtbot, window)
        assert parts.picked[1].refusal is not None and "goi-2.tdpkg" in \
            window.statusBar().currentMessage()
        assert names
        parts.watch_action.trigger()  # off
        assert parts.watch is None and not parts.timer.isActive()


def test_the_watched_folder_is_watched_again_at_the_next_start(
    qtbot: QtBot, desk: Desk, tmp_path: Path,
) -> None:
    watched = tmp_path / "shared"
    watched.mkdir()
    with open_window(qtbot, desk) as window:
        window.packages.start_watching(watched)
        _idle(qtbot, window)
    with open_window(qtbot, desk) as window:
        _idle(qtbot, window)
        parts = window.packages
        assert parts.watch is not None and parts.watch.folder == watched
        assert parts.watch_action.isChecked() and parts.timer.isActive()
        parts.stop_watching()
        _idle(qtbot, window)
    with open_window(qtbot, desk) as window:
        _idle(qtbot, window)
        assert window.packages.watch is None and not window.packages.watch_action.isChecked()


def test_a_package_is_read_when_the_os_says_the_folder_changed(
    qtbot: QtBot, desk: Desk, softhsm: Any, package: tuple[list[str], Path], tmp_path: Path,
) -> None:
    ids, path = package
    _b(desk, softhsm)
    watched = tmp_path / "shared"
    watched.mkdir()
    with open_window(qtbot, desk) as window:
        parts = _parts(window, FakeChooser(folders=[watched]))
        parts._settle = 0.5  # a file younger than this is still being copied
        parts.timer.setInterval(3_600_000)  # no timer to wait for: the folder's own events
        parts.start_watching(watched, remember=False)
        _idle(qtbot, window)
        assert parts.folder_events.directories() == [str(watched)]
        shutil.copy(path, watched / "goi-1.tdpkg")  # arrives now: read once it has settled
        qtbot.waitUntil(lambda: len(parts.picked) == 1, timeout=10_000)
        _idle(qtbot, window)
        [picked] = parts.picked
        assert picked.result is not None and all(i.ok for i in picked.result.items)
        assert all(desk.repo.get(v) is not None for v in ids)
        parts.stop_watching()
        assert parts.folder_events.directories() == []
