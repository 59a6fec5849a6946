#!/usr/bin/env bash
# Set everything up (scripts/bootstrap.sh), then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
echo "== mypy (strict on the core)"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -X dev -m pytest "$@"
