#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian/Ubuntu machine:
# the Debian packages (when run as root), a private venv in .venv, and the Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# softhsm2 + opensc: a real PKCS#11 token for tests and the demo; openssl: the independent CMS check;
# DejaVu: Vietnamese glyphs; desktop-file-utils: checks the .deb's menu entry; the rest: what Qt
# (offscreen or xcb) links against.
DEB_PACKAGES=(softhsm2 opensc openssl fonts-dejavu-core desktop-file-utils libegl1 libgl1 libxkbcommon0 libfontconfig1
              libfreetype6 libx11-6 libxcb1 libdbus-1-3 libglib2.0-0)
# Paper (#13): poppler-utils (pdftotext, pdffonts, pdftoppm, pdfsig) and zbar-tools read the PDFs back.
DEB_PACKAGES+=(poppler-utils zbar-tools)
if [ "${BOOTSTRAP_GUI:-0}" = "1" ]; then
  # A real window (xcb) needs these on top of what offscreen rendering needs (FACTS.md).
  DEB_PACKAGES+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
                 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0)
fi
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install these Debian packages first (sudo apt-get install ${missing[*]})" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
