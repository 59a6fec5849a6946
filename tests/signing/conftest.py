"""Signing fixtures: fixtures.py, loaded once by tests/conftest.py under a fixed name."""

from __future__ import annotations

import sys

software_keys = sys.modules["treasury_signing_fixtures"].software_keys  # tests/conftest.py
