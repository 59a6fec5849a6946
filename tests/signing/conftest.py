"""Signing fixtures: the shared SoftHSM2 tokens (fixtures.py) and software keys."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _load_fixtures() -> ModuleType:
    # One module name for every folder, so the tokens are made once per process.
    name = "treasury_signing_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_fixtures = _load_fixtures()
softhsm = _fixtures.softhsm
softhsm_module_loaded = _fixtures.softhsm_module_loaded
software_keys = _fixtures.software_keys
