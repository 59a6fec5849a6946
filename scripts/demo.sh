#!/usr/bin/env bash
# Set up everything (scripts/bootstrap.sh, with the libraries a real window needs), then open
# the app on demo data: a sandbox treasury on 127.0.0.1 and two demo signing tokens.
# Without a display, it renders the demo window to demo.png instead and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP_GUI=1 bash scripts/bootstrap.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "No display found: rendering the demo window to demo.png instead." >&2
  exec .venv/bin/treasury-desktop --demo --screenshot demo.png "$@"
fi
exec .venv/bin/treasury-desktop --demo "$@"
