"""Real widgets under pytest-qt, offscreen, over a real SQLite file; every Qt warning fails.

QT_QPA_PLATFORM is set before anything imports Qt.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from ui_harness import TODAY, UNIT, Desk  # noqa: E402

from treasury_desktop.context import AppContext  # noqa: E402
from treasury_desktop.i18n import set_language  # noqa: E402

# The offscreen platform plugin says these about windows and popups; they are not our bugs.
_PLATFORM_NOISE = (
    r"^This plugin does not support "
    r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here fails on any Qt warning (qWarning and worse)."""
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(_PLATFORM_NOISE))


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """Each test's leftovers (windows, flows, their threads' objects) are collected when the test
    ends, while its widgets are closed and its threads stopped, not at a random moment inside a
    later test's event loop."""
    yield
    gc.collect()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    """A private data folder on a fixed day (20/11/2026), Vietnamese interface."""
    set_language("vi")
    ctx = AppContext(tmp_path / "home", lang="vi", clock=lambda: TODAY)
    ctx.data_dir.mkdir()
    repo, profile = ctx.repositories()
    profile.set_unit(UNIT)
    yield Desk(ctx, repo, profile)
    ctx.close()
    set_language("vi")


