"""Shared fixtures: a private data folder per test, the 2026 example voucher of DESIGN.md,
and the session's SoftHSM2 tokens (made on first use, see tests/signing/fixtures.py)."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import set_language

EXAMPLE_FILE = Path(__file__).parent / "data" / "design_example.json"
EXAMPLE_DOCUMENT: dict[str, Any] = json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))
"""DESIGN.md's example C2-02a/NS: it must validate against the shipped 2026 catalogue."""


@pytest.fixture(autouse=True)
def _vietnamese_by_default() -> Iterator[None]:
    """Each test starts in Vietnamese; a test that switches to English cannot leak it."""
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def example_document() -> dict[str, Any]:
    """A fresh copy of DESIGN.md's example C2-02a/NS."""
    return copy.deepcopy(EXAMPLE_DOCUMENT)


@pytest.fixture
def example_file(tmp_path: Path, example_document: dict[str, Any]) -> Path:
    """The example document written to a JSON file."""
    path = tmp_path / "voucher.json"
    path.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _private_desk_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's config file (data folder, language choices)."""
    monkeypatch.setenv("TREASURY_DESKTOP_CONFIG", str(tmp_path / "desk-config.json"))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder, also set as TREASURY_DESKTOP_HOME for child processes."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("TREASURY_DESKTOP_HOME", str(folder))
    return folder


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    """An opened context over the private data folder, closed after the test."""
    context = AppContext(data_dir)
    yield context
    context.close()


def load_shared(name: str, relative: str) -> ModuleType:
    """A helper file of tests/ under ONE module name, so its session state (SoftHSM2 tokens,
    the sandbox world) is made once per process and importable by that name in any folder."""
    if name not in sys.modules:
        path = Path(__file__).parent / relative
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_signing = load_shared("treasury_signing_fixtures", "signing/fixtures.py")
softhsm = _signing.softhsm
softhsm_module_loaded = _signing.softhsm_module_loaded
# The sandbox test world (tests/sandbox/world.py): a real sandbox on 127.0.0.1 and a client
# whose every exchange is checked against the OpenAPI document.
_world = load_shared("treasury_sandbox_world", "sandbox/world.py")
world, clock, sandbox = _world.world, _world.clock, _world.sandbox
recorder, client = _world.recorder, _world.client
# Harsh places for the hardening tests (tests/store/harsh.py): read-only folders, full disks.
load_shared("tests_harsh", "store/harsh.py")


@pytest.fixture
def openssl_verify() -> Callable[..., int]:
    """``openssl cms -verify`` on a detached signature; returns the exit code."""
    verify: Callable[..., int] = _signing.openssl_verify
    return verify
