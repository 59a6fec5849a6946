#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and a .deb from it, both under dist/.
#   scripts/package.sh           build dist/treasury-desktop/ and dist/treasury-desktop_<ver>_<arch>.deb
#   scripts/package.sh --smoke   build, then run the packaged app with no venv and no
#                                source tree on the path: --version, --screenshot on demo data,
#                                voucher new and show, print to PDF, import and export .xlsx,
#                                sign the PDF on a SoftHSM2 token; exit non-zero if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    *) echo "usage: scripts/package.sh [--smoke]" >&2; exit 2 ;;
  esac
done

bash scripts/bootstrap.sh
# What building the .deb needs beyond bootstrap: dpkg-shlibdeps (dpkg-dev), file, ICU's tools and
# gcc (packaging/trim_icu.py), ar (binutils) and xz (xz-utils) for the archive, unzip for the
# smoke's .xlsx check, and the Wayland
# client libraries that Qt's Wayland plug-ins link against (so their Depends can be worked out).
PKG_DEBS=(dpkg-dev file binutils gcc icu-devtools xz-utils unzip libwayland-client0
          libwayland-cursor0 libwayland-egl1)
missing=()
for p in "${PKG_DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "package: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
fi
stamp=.venv/.packaging-installed
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q -e '.[package]'
  touch "$stamp"
fi
VERSION=$(.venv/bin/python -c 'from treasury_desktop.version import app_version; print(app_version())')
ARCH=$(dpkg --print-architecture)
APP=dist/treasury-desktop
DEB=dist/treasury-desktop_${VERSION}_${ARCH}.deb

build() {
  rm -rf build/pyinstaller build/icons build/deb "$APP" dist/treasury-desktop_*.deb
  QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py build/icons
  .venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/treasury-desktop.spec
  .venv/bin/python packaging/trim_icu.py "$APP"
  make_deb
}

make_deb() {
  local root=build/deb/root
  mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
           "$root/usr/share/icons"
  cp -a "$APP" "$root/opt/treasury-desktop"
  ln -s /opt/treasury-desktop/treasury-desktop "$root/usr/bin/treasury-desktop"
  install -m 0644 packaging/linux/treasury-desktop.desktop "$root/usr/share/applications/"
  cp -a build/icons/hicolor "$root/usr/share/icons/"
  # Depends: what the bundled binaries link against from the system, as dpkg-shlibdeps finds it.
  local work=build/deb/shlibdeps
  mkdir -p "$work/debian"
  printf 'Source: treasury-desktop\n\nPackage: treasury-desktop\nArchitecture: any\n' \
    > "$work/debian/control"
  local bins
  mapfile -t bins < <(find "$ROOT/$root/opt" -type f \( -name '*.so*' -o -name treasury-desktop \) \
    -exec sh -c 'file -b "$1" | grep -q ELF' _ {} \; -print)
  local depends
  depends=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info \
      -l"$ROOT/$root/opt/treasury-desktop/_internal" \
      -l"$ROOT/$root/opt/treasury-desktop/_internal/PySide6/Qt/lib" "${bins[@]}" \
      2> >(grep -v 'warning:' >&2) | sed -n 's/^shlibs:Depends=//p')
  local size
  size=$(du -sk "$root" | cut -f1)
  cat > "$root/DEBIAN/control" <<CONTROL
Package: treasury-desktop
Version: ${VERSION}
Architecture: ${ARCH}
Maintainer: treasury-desktop developers <dev@treasury-desktop.invalid>
Installed-Size: ${size}
Depends: ${depends:?dpkg-shlibdeps found no dependencies}, fonts-dejavu-core
Recommends: opensc-pkcs11
Section: misc
Priority: optional
Homepage: https://example.invalid/treasury-desktop
Description: Chứng từ Kho bạc — draft, token-sign and send State Treasury vouchers
 Lập chứng từ thanh toán (C2-02a/NS, C4-02a/KB …) khi không có mạng, ký số bằng USB token
 (PKCS#11) và gửi đến Kho bạc Nhà nước qua hộp thư đi bền vững.
 .
 Drafts payment vouchers offline, signs them with PKCS#11 USB tokens and delivers them to
 the State Treasury through a durable outbox.
CONTROL
  # dpkg-deb cannot choose xz's filters, so it builds the archive uncompressed and the data part
  # is compressed here: xz's branch filter for the CPU (x86) in front of LZMA2 at the maximum preset (9e). The
  # filter turns the call addresses of x86 code into a form LZMA2 finds repeats in; the ELF
  # libraries, most of the package, come out about a quarter smaller than with -z9 alone.
  # dpkg reads any xz stream (liblzma decodes every filter); the smoke lists the archive.
  local raw=build/deb/uncompressed.deb parts=build/deb/parts
  dpkg-deb --root-owner-group -Znone --build "$root" "$raw" >/dev/null
  rm -rf "$parts" && mkdir -p "$parts"
  (cd "$parts" && ar x "$ROOT/$raw" && test "$(ar t "$ROOT/$raw" | tr '\n' ' ')" = \
    "debian-binary control.tar data.tar ")
  xz -9e -T1 "$parts/control.tar"
  local bcj=()
  case "$ARCH" in amd64 | i386) bcj=(--x86) ;; arm64) bcj=(--arm64) ;; esac
  xz "${bcj[@]}" --lzma2=preset=9e -T1 "$parts/data.tar"
  rm -f "$DEB" "$raw"
  (cd "$parts" && ar rcD "$ROOT/$DEB" debian-binary control.tar.xz data.tar.xz)
}

smoke() {
  local bin=$ROOT/$APP/treasury-desktop
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  # No venv, no source tree, no PYTHONPATH: only what the folder carries.
  local run=(env -i "PATH=/usr/bin:/bin" "HOME=$tmp/home" "QT_QPA_PLATFORM=offscreen"
             "TREASURY_DESKTOP_HOME=$tmp/data" "LANG=C.UTF-8")
  mkdir -p "$tmp/home"
  cd "$tmp"
  local failed=0
  check() { local what=$1; shift; if "$@"; then echo "smoke: ok    $what"; else echo "smoke: FAIL  $what" >&2; failed=1; fi; }
  check "--version" sh -c "$(printf '%q ' "${run[@]}" "$bin" --version) | grep -qx 'treasury-desktop $VERSION'"
  check "--screenshot on demo data" "${run[@]}" "$bin" --demo --screenshot "$tmp/demo.png"
  check "the screenshot is a PNG" sh -c "file -b '$tmp/demo.png' | grep -q '^PNG image data'"
  sed '/"id":/d' "$ROOT/tests/data/design_example.json" > "$tmp/voucher.json"
  local voucher_id=""
  check "voucher new" sh -c "$(printf '%q ' "${run[@]}" "$bin" voucher new --json "$tmp/voucher.json") > '$tmp/id.txt'"
  voucher_id=$(tr -d '[:space:]' < "$tmp/id.txt" || true)
  check "voucher show" sh -c "$(printf '%q ' "${run[@]}" "$bin" voucher show "$voucher_id") | grep -q 'Công ty Điện lực Thái Nguyên'"
  # Printing (fpdf2, fontTools, segno and Pillow for the QR code), read back by poppler.
  check "voucher pdf" "${run[@]}" "$bin" voucher pdf "$voucher_id" --out "$tmp/voucher.pdf"
  check "pdftotext reads the voucher" sh -c \
    "pdftotext '$tmp/voucher.pdf' - | grep -q 'GIẤY RÚT DỰ TOÁN' && pdftotext '$tmp/voucher.pdf' - | grep -q 'Tiền điện tháng 10/2026'"
  check "pdfimages finds the QR code" sh -c "pdfimages -list '$tmp/voucher.pdf' | grep -q ' image '"
  # The print preview's renderer (pypdfium2) and the printer dialog (QtPrintSupport) load.
  check "the preview's PDF renderer loads (pypdfium2)" "${run[@]}" "$bin" -m treasury_desktop.ui.printing.pages
  check "the print dialog loads (QtPrintSupport)" "${run[@]}" "$bin" -m treasury_desktop.ui.printing.preview
  # Excel: the unit the setup assistant would record (from the venv: an input, not the app), the
  # shipped template imported (python-calamine), the list exported (openpyxl), read back by unzip.
  "$ROOT/.venv/bin/python" "$ROOT/packaging/smoke_fixtures.py" unit "$tmp/data"
  check "voucher import of the shipped .xlsx template" "${run[@]}" "$bin" voucher import \
    "$ROOT/$APP/_internal/resources/templates/C2-02a_NS_giay_rut_du_toan.xlsx"
  check "voucher export --xlsx" "${run[@]}" "$bin" voucher export --xlsx "$tmp/export.xlsx"
  check "the .xlsx holds both vouchers' total" sh -c \
    "unzip -p '$tmp/export.xlsx' xl/worksheets/sheet1.xml | grep -q '<v>2468000</v>'"
  # PAdES: a SoftHSM2 token with a certificate (made from the venv, as the tests make theirs),
  # recorded as the chief accountant's, then the printed voucher signed on it (pyHanko) and the
  # signature checked by poppler's pdfsig.
  local token conf module label pin
  token=$("$ROOT/.venv/bin/python" "$ROOT/packaging/smoke_fixtures.py" tokens "$tmp/tokens")
  read -r conf module label pin <<< "$token" || true
  check "a SoftHSM2 token for the signing checks" test -n "$token"
  check "signers add (the token's certificate)" "${run[@]}" "SOFTHSM2_CONF=$conf" "$bin" \
    signers add --role chief-accountant --module "$module" --token "$label"
  check "voucher pdf --sign (PAdES on the token)" "${run[@]}" "SOFTHSM2_CONF=$conf" \
    "TREASURY_PIN=$pin" "$bin" voucher pdf "$voucher_id" --out "$tmp/signed.pdf" --sign \
    --role chief-accountant --module "$module" --token "$label"
  check "pdfsig: the signature is valid" sh -c "pdfsig '$tmp/signed.pdf' | grep -q 'Signature is Valid.'"
  dpkg-deb -c "$ROOT/$DEB" > "$tmp/deb.txt"
  check "the .deb holds the app, the menu entry and the icon" sh -c \
    "grep -q './opt/treasury-desktop/treasury-desktop\$' '$tmp/deb.txt' && grep -q 'applications/treasury-desktop.desktop' '$tmp/deb.txt' && grep -q '256x256/apps/treasury-desktop.png' '$tmp/deb.txt'"
  cd "$ROOT"
  return $failed
}

build
echo "package: $APP $(du -sm "$APP" | cut -f1) MB unpacked; $DEB $(( $(stat -c %s "$DEB") / 1024 / 1024 )) MB"
if [ "$SMOKE" = "1" ]; then
  smoke
fi
