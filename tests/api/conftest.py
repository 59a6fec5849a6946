"""API fixtures (tests/sandbox/world.py): the test world, a real sandbox on 127.0.0.1, a recording client."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_world() -> ModuleType:
    """world.py under ONE module name, shared by tests/api and tests/sandbox."""
    name = "treasury_sandbox_world"
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "sandbox" / "world.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_w = load_world()
world, clock, sandbox, recorder, client = _w.world, _w.clock, _w.sandbox, _w.recorder, _w.client
