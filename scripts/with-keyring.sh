#!/usr/bin/env bash
# Run a command against a real, unlocked gnome-keyring Secret Service in a
# throw-away home.
#
#   dbus-run-session -- scripts/with-keyring.sh CMD [ARGS...]
#
# - HOME, XDG_RUNTIME_DIR (mode 700) and XDG_{CONFIG,DATA,STATE,CACHE}_HOME point
#   into a fresh `mktemp -d` folder, removed when the command ends.
# - gnome-keyring-daemon is started with --unlock --components=secrets and a random
#   password on stdin; it creates the "login" collection (the default alias) unlocked.
# - A Python snippet proves it: keyring.get_keyring() is SecretService.Keyring, the
#   default collection exists and is unlocked, and a set/get/delete round trip works.
# - Then COGNITO_RESEND_REAL_KEYRING=1 is exported and CMD runs.
#
# If the keyring cannot be brought up: with CI set this fails (exit 3), so that CI
# can never run the keyring tests on a fake; otherwise it warns and runs CMD without
# COGNITO_RESEND_REAL_KEYRING (the keyring tests then skip, saying why).
#
# CMD is run as a child, not exec'd, so that the folder and the daemon are cleaned
# up afterwards; its exit status is passed through.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

say() { printf '[with-keyring] %s\n' "$*" >&2; }

is_ci() {
    case "${CI:-}" in "" | 0 | false | False | FALSE | no) return 1 ;; *) return 0 ;; esac
}

if [ $# -lt 1 ]; then
    say "usage: dbus-run-session -- $0 CMD [ARGS...]"
    exit 2
fi

# The Python used for the check: the project venv (it has keyring), unless told.
check_py=${WITH_KEYRING_PYTHON:-$root/.venv/bin/python}
[ -x "$check_py" ] || check_py=python3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cognito-resend-keyring.XXXXXXXX")
daemon_pid=""
cleanup() {
    if [ -n "$daemon_pid" ]; then
        kill "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_STATE_HOME="$tmp/state"
export XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" \
    "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
# Nothing from the caller may pick another backend.
unset PYTHON_KEYRING_BACKEND COGNITO_RESEND_REAL_KEYRING

start_keyring() {
    if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
        say "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): run me under dbus-run-session"
        return 1
    fi
    if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
        say "gnome-keyring-daemon not found (Debian: apt-get install gnome-keyring)"
        return 1
    fi
    local pw out line t0 t1
    pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    t0=$(date +%s%N)
    # Without --foreground the daemon forks and the parent returns once it is ready
    # on the bus, so there is no race with D-Bus activation of a locked daemon.
    if ! out=$(printf '%s' "$pw" | timeout 30 gnome-keyring-daemon --unlock --components=secrets 2>"$tmp/daemon.err"); then
        say "gnome-keyring-daemon failed to start: $(cat "$tmp/daemon.err")"
        return 1
    fi
    # Export what it prints (GNOME_KEYRING_CONTROL=..., SSH_AUTH_SOCK=..., if any).
    while IFS= read -r line; do
        case "$line" in
            [A-Z_]*=*)
                if [[ "${line%%=*}" =~ ^[A-Z_][A-Z0-9_]*$ ]]; then export "${line?}"; fi
                ;;
        esac
    done <<<"$out"
    # Best effort: remember the daemon's pid (it also exits when the bus goes away).
    if command -v dbus-send >/dev/null 2>&1; then
        daemon_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
            string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}') || daemon_pid=""
    fi
    if ! "$check_py" - <<'PY'; then
import sys
import uuid

try:
    import keyring
    import keyring.backends.SecretService as ss
    import secretstorage
except Exception as exc:  # noqa: BLE001
    sys.exit(f"cannot import keyring/secretstorage: {exc!r}")

backend = keyring.get_keyring()
if not isinstance(backend, ss.Keyring):
    sys.exit(f"keyring picked {type(backend).__module__}.{type(backend).__name__}, "
             "not keyring.backends.SecretService.Keyring")
conn = secretstorage.dbus_init()
try:
    coll = secretstorage.get_default_collection(conn)
    if coll.is_locked():
        sys.exit(f"default collection {coll.get_label()!r} is locked")
    label = coll.get_label()
finally:
    conn.close()
service = f"cognito-resend-harness-check-{uuid.uuid4().hex}"
keyring.set_password(service, "probe", "s3cret")
got = keyring.get_password(service, "probe")
keyring.delete_password(service, "probe")
gone = keyring.get_password(service, "probe")
if got != "s3cret" or gone is not None:
    sys.exit(f"round trip failed: got {got!r}, after delete {gone!r}")
print(f"[with-keyring] Secret Service ok: default collection {label!r} unlocked, "
      "set/get/delete round trip works", file=sys.stderr)
PY
        say "the Secret Service check failed"
        return 1
    fi
    t1=$(date +%s%N)
    say "gnome-keyring up in $(((t1 - t0) / 1000000)) ms (throw-away HOME $HOME)"
}

if start_keyring; then
    export COGNITO_RESEND_REAL_KEYRING=1
else
    if is_ci; then
        say "FATAL: CI is set and no real Secret Service could be started; refusing to run" \
            "the keyring tests on a fake."
        exit 3
    fi
    say "WARNING: no real Secret Service; tests marked 'keyring' will be skipped."
fi

rc=0
"$@" || rc=$?
exit "$rc"
