"""Chaos fixtures: real signatures made once per session, desks with signed vouchers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "outbox"))

from signed_desk import SigningKit, make_kit  # noqa: E402


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SigningKit:
    return make_kit(tmp_path_factory.mktemp("ca"))
