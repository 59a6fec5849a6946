"""Use-case fixtures: the shared SoftHSM2 tokens (tests/signing/fixtures.py), loaded once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def _shared_signing_fixtures() -> ModuleType:
    name = "treasury_signing_fixtures"
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "signing" / "fixtures.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_fixtures = _shared_signing_fixtures()
softhsm = _fixtures.softhsm
softhsm_module_loaded = _fixtures.softhsm_module_loaded
openssl_verify = _fixtures.openssl_verify
