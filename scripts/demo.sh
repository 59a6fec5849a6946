#!/usr/bin/env bash
# Set everything up (scripts/bootstrap.sh), then open the app on demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/treasury-desktop --demo "$@"
