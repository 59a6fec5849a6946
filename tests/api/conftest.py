"""API fixtures: an in-memory OS keyring (the sandbox world comes from tests/conftest.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


def _load_keyrings() -> ModuleType:
    name = "api_test_keyrings"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("keyrings.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_load_keyrings()


@pytest.fixture
def os_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """An in-memory stand-in for the OS keyring (and no TREASURY_API_TOKEN)."""
    import keyring

    monkeypatch.delenv("TREASURY_API_TOKEN", raising=False)
    previous = keyring.get_keyring()
    backend = sys.modules["api_test_keyrings"].MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
