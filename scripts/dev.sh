#!/usr/bin/env bash
# The project's commands. Each one sets everything up first (idempotent; fast when
# already done), so each works alone from a fresh clone on Debian 12 + Python 3.11.
#
#   ./scripts/dev.sh run [APP ARGS...]      set up, then start the app (python main.py)
#   ./scripts/dev.sh test [-- PYTEST ARGS]  set up, then ruff, mypy, lint-imports, pytest
#   ./scripts/dev.sh lint                   set up, then ruff, mypy, lint-imports
#   ./scripts/dev.sh package [ARGS...]      set up, then packaging/build.sh
#   ./scripts/dev.sh bench [ARGS...]        set up, then the benchmarks
#   ./scripts/dev.sh setup [run|test|package]   only the set-up step
#   ./scripts/dev.sh deps                   list the Debian packages each command needs
#   ./scripts/dev.sh lock [UV ARGS...]      re-resolve requirements/*.txt (the lock) from
#                                           pyproject.toml, e.g. lock --upgrade-package boto3
#
# Python packages come from the lock only: requirements/run.txt (run) or
# requirements/test.txt (test, lint, package, bench), every file hash-checked.
#
# Environment:
#   PYTHON=python3.11     interpreter used to create .venv (default: python3)
#   DEV_SKIP_LINT=1       test: skip ruff/mypy/lint-imports (local iteration only)
#   DEV_TEST_WORKERS=N    test: pytest-xdist workers (default: 2 for the whole suite,
#                         0 = one process, for a subset)
#   DEV_APT_DRYRUN=1      print the apt-get command instead of running it
#   CI=true               keyring tests must run for real (fail, never skip)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
PY=${PYTHON:-python3}
STAMP="$VENV/.dev-install-stamp"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log() { printf '[dev] %s\n' "$*" >&2; }
die() {
    printf '[dev] ERROR: %s\n' "$*" >&2
    exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1fs", ms / 1000 }'; }
is_root() { [ "$(id -u)" = 0 ]; }
is_ci() {
    case "${CI:-}" in "" | 0 | false | False | FALSE | no) return 1 ;; *) return 0 ;; esac
}

# --------------------------------------------------------------------------- Debian
# Qt's runtime libraries (offscreen or X), fonts, the session bus and the keyring.
DEBS_QT=(libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
    fonts-dejavu-core libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
    libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
    libxcb-xfixes0 libxcb-xkb1 libx11-xcb1)
DEBS_RUN=("${DEBS_QT[@]}" dbus gnome-keyring)
# Tests: also a real X server, dbus-launch, objdump for PyInstaller, the browser test's
# Chromium, and ICU's tools plus a C compiler, with which the bundle's ICU data is trimmed
# (packaging/icu_trim.py; without them the bundle keeps the full 32 MB library).
DEBS_TEST=("${DEBS_RUN[@]}" xvfb xauth dbus-x11 binutils chromium icu-devtools gcc)
DEBS_PACKAGE=("${DEBS_TEST[@]}")

debs_for() {
    case "$1" in
        run) printf '%s\n' "${DEBS_RUN[@]}" ;;
        package) printf '%s\n' "${DEBS_PACKAGE[@]}" ;;
        *) printf '%s\n' "${DEBS_TEST[@]}" ;;
    esac
}

# Prints, one a line, those of the given packages that are not installed.
missing_debs() {
    local installed
    # One dpkg-query call for all; unknown packages only produce a message on stderr.
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
        awk '$NF == "installed" && $(NF-1) == "ok" { print $1 }') || true
    local p
    for p in "$@"; do
        grep -qxF -- "$p" <<<"$installed" || echo "$p"
    done
}

apt_install() {
    # apt_install PKG... (root only)
    local cmd=(apt-get install -y -q --no-install-recommends "$@")
    if [ -n "${DEV_APT_DRYRUN:-}" ]; then
        log "dry run: would run: apt-get update && ${cmd[*]}"
        return 0
    fi
    log "installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || die "apt-get update failed"
    "${cmd[@]}" </dev/null >/dev/null || die "apt-get install failed: $*"
}

ensure_debs() {
    local mode=$1
    if ! command -v dpkg-query >/dev/null 2>&1; then
        log "not a Debian system: make sure Qt's runtime libraries, a D-Bus session and" \
            "a Secret Service keyring are available"
        return 0
    fi
    local missing
    mapfile -t missing < <(missing_debs $(debs_for "$mode"))
    [ ${#missing[@]} -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null 2>&1; then
        apt_install "${missing[@]}"
    else
        log "WARNING: missing Debian packages for '$mode': ${missing[*]}"
        log "  install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
        log "  continuing; whatever needs them will fail or skip, saying why"
    fi
}

# --------------------------------------------------------------------------- venv
ensure_python() {
    command -v "$PY" >/dev/null 2>&1 || die "$PY not found: install Python >= 3.11 (Debian 12: apt-get install python3)"
    "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "$PY is $("$PY" -V 2>&1); this project needs Python >= 3.11 (set PYTHON=...)"
    if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        if is_root && command -v apt-get >/dev/null 2>&1 && [ -z "${DEV_APT_DRYRUN:-}" ]; then
            apt_install python3-venv
            "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 ||
                die "$PY still lacks venv/ensurepip after installing python3-venv"
        else
            die "$PY lacks the venv module (ensurepip); install it: sudo apt-get install python3-venv"
        fi
    fi
}

# Serialise set-up between concurrent dev.sh runs on the same tree.
with_lock() {
    if command -v flock >/dev/null 2>&1; then
        mkdir -p "$VENV"
        exec 9>"$VENV/.dev-lock"
        flock 9
    fi
}
unlock() { if command -v flock >/dev/null 2>&1; then flock -u 9 || true; fi; }

# The lock: requirements/<name>.txt, every package pinned with its hashes (made by
# `./scripts/dev.sh lock` from pyproject.toml). run.txt is the app; test.txt adds the test
# and lint tools and PyInstaller (so it also serves `package`).
lockfile_for() {
    case "$1" in
        run) echo requirements/run.txt ;;
        *) echo requirements/test.txt ;;
    esac
}

# What an install depends on: the lock and pyproject.toml (entry points, package data).
install_sha() { cat "$(lockfile_for "$1")" pyproject.toml | sha256sum | cut -d' ' -f1; }

# Is the venv installed from this lock? test.txt holds all of run.txt (same versions), so
# an install of test also counts for run.
install_current() {
    local mode=$1 line sha m
    [ -f "$STAMP" ] || return 1
    for m in "$mode" $([ "$mode" = run ] && echo test); do
        sha=$(install_sha "$m")
        while read -r line; do
            [ "$line" = "$sha $m" ] && return 0
        done <"$STAMP"
    done
    return 1
}

ensure_venv() {
    local mode=$1 # run | test
    local t0 lock
    t0=$(now_ms)
    lock=$(lockfile_for "$mode")
    [ -f "$lock" ] || die "$lock is missing (make it with: ./scripts/dev.sh lock)"
    if [ ! -x "$VPY" ]; then
        ensure_python
        log "creating .venv with $("$PY" -V 2>&1)"
        with_lock
        [ -x "$VPY" ] || "$PY" -m venv "$VENV" || die "'$PY -m venv .venv' failed"
    else
        with_lock
    fi
    # Never delete an existing .venv (others may be using it); repair pip if missing.
    if [ ! -x "$VENV/bin/pip" ] && ! "$VPY" -m pip --version >/dev/null 2>&1; then
        log ".venv has no pip; running ensurepip"
        "$VPY" -m ensurepip -q || die ".venv is broken (no pip, ensurepip failed); remove .venv yourself and retry"
    fi
    if install_current "$mode"; then
        unlock
        return 0
    fi
    "$VPY" scripts/lockcheck.py check || die "refusing to install from a stale lock"
    log "pip install --require-hashes -r $lock (the lock or pyproject.toml changed, or first run) ..."
    # Exactly the locked files (hash-checked, no resolver, nothing unpinned), then the
    # project itself, built with the locked setuptools.
    "$VPY" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock" ||
        die "pip install -r $lock failed"
    "$VPY" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . ||
        die "pip install -e . failed"
    local sha
    sha=$(install_sha "$mode")
    {
        [ -f "$STAMP" ] && grep -v " $mode\$" "$STAMP" || true
        echo "$sha $mode"
    } >"$STAMP.tmp"
    mv "$STAMP.tmp" "$STAMP"
    unlock
    log "installed in $(secs $(($(now_ms) - t0)))"
}

# `lock`: re-resolve requirements/*.txt from pyproject.toml with uv (from PyPI, pinned here).
UV_VERSION=0.13.9
cmd_lock() {
    ensure_python
    local tools="$ROOT/.venv-lock"
    if ! "$tools/bin/uv" --version 2>/dev/null | grep -qF " $UV_VERSION"; then
        log "installing uv $UV_VERSION into .venv-lock"
        [ -x "$tools/bin/python" ] || "$PY" -m venv "$tools" || die "'$PY -m venv .venv-lock' failed"
        "$tools/bin/python" -m pip install -q "uv==$UV_VERSION" || die "pip install uv failed"
    fi
    local uv=("$tools/bin/uv" pip compile --quiet --universal --python-version 3.11
        --generate-hashes --no-header "$@")
    # test.txt first; run.txt is then held to the same versions (-c), so that an install
    # of test.txt is also an install of run.txt.
    "${uv[@]}" pyproject.toml requirements/build.in --extra test -o requirements/test.txt ||
        die "uv pip compile (test) failed"
    "${uv[@]}" pyproject.toml requirements/build.in -c requirements/test.txt -o requirements/run.txt ||
        die "uv pip compile (run) failed"
    "$PY" scripts/lockcheck.py stamp || die "scripts/lockcheck.py stamp failed"
    log "locked: requirements/run.txt ($(grep -c '==' requirements/run.txt) packages)," \
        "requirements/test.txt ($(grep -c '==' requirements/test.txt) packages)"
}

# The app's bytecode, written ahead: where PYTHONDONTWRITEBYTECODE is set (this team's
# machines set it) Python never caches it, and every start compiled ~120 modules again
# (~80 ms of a 350 ms window start). Python still reads a cache it did not write; an
# edited file is recompiled on import as usual. A no-op when nothing changed.
compile_app() {
    "$VPY" -m compileall -q -j 0 app main.py >/dev/null || die "compileall app failed"
}

setup() {
    local mode=${1:-test}
    case "$mode" in
        run) ensure_debs run && ensure_venv run ;;
        test) ensure_debs test && ensure_venv test ;;
        package) ensure_debs package && ensure_venv test ;;
        *) die "unknown set-up mode '$mode' (run|test|package)" ;;
    esac
    compile_app
}

# --------------------------------------------------------------------------- steps
SUMMARY=()
FAILED=()
step() {
    # step NAME CMD...: run, time, record; never aborts the script.
    local name=$1 t0 rc=0
    shift
    log "$name: $*"
    t0=$(now_ms)
    "$@" || rc=$?
    local dt
    dt=$(secs $(($(now_ms) - t0)))
    if [ $rc = 0 ]; then
        SUMMARY+=("$name ok $dt")
    else
        SUMMARY+=("$name FAILED(rc=$rc) $dt")
        FAILED+=("$name")
    fi
    return 0
}

lint_steps() {
    step ruff "$VENV/bin/ruff" check .
    step mypy "$VENV/bin/mypy"
    step lint-imports "$VENV/bin/lint-imports"
}

# The whole suite runs on DEV_TEST_WORKERS pytest-xdist workers (default 2: 224 s instead
# of ~290 s on 2 cores), each test file on one worker (--dist loadfile: a file's session
# fixtures, e.g. the packaging test's one bundle build, are built once); tests that use
# the real keyring take turns across workers (a lock in tests/conftest.py). A subset (any
# pytest arguments) runs in one process unless DEV_TEST_WORKERS is set.
run_pytest() {
    local workers=${DEV_TEST_WORKERS:-}
    if [ -z "$workers" ]; then
        if [ $# -eq 0 ]; then workers=2; else workers=0; fi
    fi
    local xdist=()
    # --max-worker-restart=0: with --dist loadfile, xdist replaces a crashed worker and
    # then waits forever for work it never hands out (pytest-xdist #784, #1323); a crash
    # (a segfault in a native library, say) must end the run as a failure, not hang CI.
    [ "$workers" != 0 ] && xdist=(-n "$workers" --dist loadfile --max-worker-restart=0)
    local pytest=("$VPY" -m pytest -q -p no:cacheprovider --durations=15 ${xdist[@]+"${xdist[@]}"} "$@")
    local rc=0
    if command -v dbus-run-session >/dev/null 2>&1; then
        dbus-run-session -- "$ROOT/scripts/with-keyring.sh" "${pytest[@]}" </dev/null || rc=$?
    elif is_ci; then
        log "FATAL: dbus-run-session not found (Debian: apt-get install dbus); CI needs the real keyring"
        return 3
    else
        log "WARNING: dbus-run-session not found; running pytest without a Secret Service" \
            "(tests marked 'keyring' will skip)"
        "${pytest[@]}" </dev/null || rc=$?
    fi
    if [ $rc = 5 ]; then
        log "pytest collected no tests (exit 5): that is a failure, not a pass"
    fi
    return $rc
}

summary_and_exit() {
    local what=$1 t_start=$2
    local total
    total=$(secs $(($(now_ms) - t_start)))
    local line="" part
    for part in "${SUMMARY[@]}"; do line+="${line:+, }$part"; done
    if [ ${#FAILED[@]} -eq 0 ]; then
        log "$what: PASSED in $total — $line"
        exit 0
    fi
    log "$what: FAILED (${FAILED[*]}) in $total — $line"
    exit 1
}

# --------------------------------------------------------------------------- commands
cmd_run() {
    setup run
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
        log "note: no DISPLAY/WAYLAND_DISPLAY; Qt may refuse to start" \
            "(use xvfb-run, or QT_QPA_PLATFORM=offscreen)"
    fi
    [ -f main.py ] || die "main.py not found in $ROOT"
    exec "$VPY" main.py "$@"
}

cmd_test() {
    local t_start t0
    t_start=$(now_ms)
    if [ "${1:-}" = "--" ]; then shift; fi
    t0=$(now_ms)
    setup test
    SUMMARY+=("setup $(secs $(($(now_ms) - t0)))")
    if [ -n "${DEV_SKIP_LINT:-}" ]; then
        log "DEV_SKIP_LINT set: skipping ruff, mypy, lint-imports"
        SUMMARY+=("lint SKIPPED")
        is_ci && log "WARNING: DEV_SKIP_LINT is set in CI"
    else
        lint_steps
    fi
    step pytest run_pytest "$@"
    summary_and_exit test "$t_start"
}

cmd_lint() {
    local t_start
    t_start=$(now_ms)
    setup test
    lint_steps
    summary_and_exit lint "$t_start"
}

cmd_package() {
    setup package
    [ -x packaging/build.sh ] || [ -f packaging/build.sh ] || die "packaging/build.sh does not exist yet"
    exec bash packaging/build.sh "$@"
}

cmd_bench() {
    setup test
    if [ -f bench/run_all.py ]; then
        exec "$VPY" bench/run_all.py "$@"
    fi
    [ -f bench/__main__.py ] || die "no benchmarks yet (bench/run_all.py or bench/__main__.py)"
    exec "$VPY" -m bench "$@"
}

cmd_deps() {
    command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: not a Debian system"
    local mode missing
    for mode in run test package; do
        mapfile -t missing < <(missing_debs $(debs_for "$mode"))
        if [ ${#missing[@]} -eq 0 ]; then
            echo "$mode: all $(debs_for "$mode" | wc -l) Debian packages installed"
        else
            echo "$mode: missing ${missing[*]}"
            echo "  apt-get install --no-install-recommends ${missing[*]}"
        fi
    done
    if "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "python: $("$PY" -V 2>&1) with venv"
    else
        echo "python: $PY lacks venv/ensurepip: apt-get install python3-venv"
    fi
}

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }

main() {
    local cmd=${1:-}
    if [ $# -gt 0 ]; then shift; fi
    case "$cmd" in
        run) cmd_run "$@" ;;
        test) cmd_test "$@" ;;
        lint) cmd_lint "$@" ;;
        package) cmd_package "$@" ;;
        bench) cmd_bench "$@" ;;
        setup) setup "${1:-test}" ;;
        deps) cmd_deps ;;
        lock) cmd_lock "$@" ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
