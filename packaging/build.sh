#!/usr/bin/env bash
# Build the Linux artefacts: the onedir bundle, a .tar.gz of it, and a .deb (under /opt).
#
#   packaging/build.sh [--out DIR] [--no-tar] [--no-deb] [--clean]
#
#   --out DIR   where everything goes (default: dist/); PyInstaller's work files go to
#               DIR/.work. Artefacts: DIR/cognito-resend/ (the bundle),
#               DIR/cognito-resend-<version>-linux-<arch>.tar.gz,
#               DIR/cognito-resend_<version>_<debian arch>.deb
#   --clean     throw away PyInstaller's cache first (slower; use after dependency changes)
#
# Uses .venv's Python (./scripts/dev.sh package sets it up, with the `package` extra);
# set PYTHON to use another. Needs objdump (binutils) for PyInstaller and dpkg-deb.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-$ROOT/.venv/bin/python}
OUT="$ROOT/dist"
DO_TAR=1
DO_DEB=1
CLEAN=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT=$2; shift 2 ;;
        --out=*) OUT=${1#--out=}; shift ;;
        --no-tar) DO_TAR=0; shift ;;
        --no-deb) DO_DEB=0; shift ;;
        --clean) CLEAN=(--clean); shift ;;
        -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

say() { printf '[package] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
since() { awk -v ms="$(($(now_ms) - $1))" 'BEGIN { printf "%.1fs", ms / 1000 }'; }

APP_ID=cognito-resend
[ -x "$PY" ] || die "$PY not found: run ./scripts/dev.sh setup package first"
"$PY" -c 'import PyInstaller' 2>/dev/null ||
    die "PyInstaller is not installed in $PY: pip install -e '.[package]' (./scripts/dev.sh setup package)"
command -v objdump >/dev/null || die "objdump not found (Debian: apt-get install binutils); PyInstaller needs it"
# The version is the installed distribution's, i.e. pyproject.toml's (editable install).
VERSION=$("$PY" -c "from importlib.metadata import version; print(version('$APP_ID'))")
if command -v dpkg >/dev/null; then DEB_ARCH=$(dpkg --print-architecture); else DEB_ARCH=""; fi
ARCH=$(uname -m)

t_all=$(now_ms)
# ---------------------------------------------------------------- the onedir bundle
t0=$(now_ms)
say "PyInstaller: $APP_ID $VERSION ($ARCH) -> $OUT/$APP_ID"
rm -rf "${OUT:?}/$APP_ID"
"$PY" -m PyInstaller --noconfirm --log-level WARN "${CLEAN[@]}" \
    --distpath "$OUT" --workpath "$OUT/.work" packaging/cognito_resend.spec
BUNDLE="$OUT/$APP_ID"
[ -x "$BUNDLE/$APP_ID" ] || die "PyInstaller produced no $BUNDLE/$APP_ID"
say "bundle: $(du -sm "$BUNDLE" | cut -f1) MB in $(since "$t0")"

# ---------------------------------------------------------------- .tar.gz
make_tarball() {
    local t0 gz TARBALL
    t0=$(now_ms)
    TARBALL="$OUT/$APP_ID-$VERSION-linux-$ARCH.tar.gz"
    gz=gzip
    command -v pigz >/dev/null && gz=pigz
    # Top folder named with the version, so unpacking next to an old one cannot mix them.
    tar -C "$OUT" --owner=0 --group=0 --numeric-owner \
        --transform "s,^$APP_ID,$APP_ID-$VERSION," -cf - "$APP_ID" | $gz -6 >"$TARBALL.part"
    mv "$TARBALL.part" "$TARBALL"
    say "tarball: $TARBALL ($(du -sm "$TARBALL" | cut -f1) MB) in $(since "$t0")"
}

# ---------------------------------------------------------------- .deb
make_deb() {
    local t0 STAGE installed_kb glibc DEB
    t0=$(now_ms)
    STAGE="$OUT/.deb-root"
    rm -rf "$STAGE"
    mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
        "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/$APP_ID"
    cp -a "$BUNDLE" "$STAGE/opt/$APP_ID"
    ln -s "/opt/$APP_ID/$APP_ID" "$STAGE/usr/bin/$APP_ID"
    # The menu entry runs the installed binary by its full path (no reliance on PATH).
    sed -e "s,^Exec=.*,Exec=/opt/$APP_ID/$APP_ID," \
        -e "/^Exec=/a TryExec=/opt/$APP_ID/$APP_ID" \
        resources/cognito-resend.desktop >"$STAGE/usr/share/applications/$APP_ID.desktop"
    cp resources/icons/app.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
    printf 'Cognito Resend %s, packaged from %s.\nLicense: MIT.\n' "$VERSION" \
        "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'a source tree')" \
        >"$STAGE/usr/share/doc/$APP_ID/README"
    installed_kb=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
    # The bundle runs on the glibc it was built against or newer, never older.
    glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
    # Depends: what Qt's xcb platform needs from the system (scripts/dev.sh DEBS_QT);
    # a keyring daemon is recommended, not required (the sandbox works without one).
    cat >"$STAGE/DEBIAN/control" <<EOF
Package: $APP_ID
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: Cognito Resend maintainers <noreply@example.invalid>
Installed-Size: $installed_kb
Section: utils
Priority: optional
Depends: libc6 (>= ${glibc:-2.36}), libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xfixes0, libxcb-xkb1, libx11-xcb1, fonts-dejavu-core | fonts-liberation2 | fonts-noto-core
Recommends: gnome-keyring | kwalletmanager
Description: Resend Amazon Cognito sign-up confirmation codes
 A desktop utility that resends Amazon Cognito sign-up confirmation codes
 (ResendConfirmationCode) and explains in plain words what happened. Client
 IDs and secrets are kept in the system keyring. Includes a built-in sandbox
 that needs no AWS account. Self-contained: installs under /opt/$APP_ID.
EOF
    DEB="$OUT/${APP_ID}_${VERSION}_${DEB_ARCH}.deb"
    # gzip: fast to build and readable by every dpkg (zstd is not, before Debian 12).
    dpkg-deb --root-owner-group -Zgzip -z6 --build "$STAGE" "$DEB" >/dev/null
    rm -rf "$STAGE"
    say "deb: $DEB ($(du -sm "$DEB" | cut -f1) MB) in $(since "$t0")"
}

# Both are single-threaded gzip: side by side they take the time of one on two cores.
if [ $DO_DEB = 1 ]; then
    command -v dpkg-deb >/dev/null || die "dpkg-deb not found: cannot build the .deb (use --no-deb)"
fi
tar_pid=""
if [ $DO_TAR = 1 ]; then
    make_tarball &
    tar_pid=$!
fi
[ $DO_DEB = 1 ] && make_deb
if [ -n "$tar_pid" ]; then wait "$tar_pid" || die "the tarball failed"; fi
say "done in $(since "$t_all"): $OUT"
