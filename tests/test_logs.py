"""The log file: private, rotated, and blind to secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from treasury_desktop.logs import BACKUPS, last_lines, log_file, setup_logging


@pytest.fixture
def logger(tmp_path: Path) -> Iterator[logging.Logger]:
    setup_logging(tmp_path)
    log = logging.getLogger("treasury_desktop.test")
    yield log
    root = logging.getLogger("treasury_desktop")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def test_secrets_never_reach_the_file(tmp_path: Path, logger: logging.Logger) -> None:
    logger.warning("login with pin=123456 and token: s3cr3t-abc")
    logger.warning("header Authorization: Bearer eyJhbGciOi.x.y")
    logger.warning("voucher %s queued", "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60")
    text = log_file(tmp_path).read_text("utf-8")
    for secret in ("123456", "s3cr3t-abc", "eyJhbGciOi"):
        assert secret not in text
    assert "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60 queued" in text
    assert log_file(tmp_path).stat().st_mode & 0o777 == 0o600
    assert "voucher 0193a9c6" in last_lines(tmp_path, 1)


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(
    tmp_path: Path, logger: logging.Logger
) -> None:
    line = "x" * 1000
    for _ in range(8000):  # about 8 MB of records
        logger.info(line)
    files = sorted(log_file(tmp_path).parent.iterdir())
    assert len(files) == BACKUPS + 1
    assert all(f.stat().st_size <= 1_100_000 for f in files)
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)
