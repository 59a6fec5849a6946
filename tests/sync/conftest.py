"""Sync tests share the outbox tests' helpers (signed vouchers in a desk database)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "outbox"))
