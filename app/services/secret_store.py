"""Client IDs and client secrets of profiles, kept in the OS keyring (never in a file).

Every method may block: a Secret Service call crosses D-Bus, and a locked keyring may
open an unlock prompt and wait for the person (GROUND.md: `set_password` blocks while
a prompt is open). Call them from a worker thread, never from the UI thread.

Insecure backends are refused, not used: `keyrings.alt` (plaintext or "encrypted"
files), `keyrings.cryptfile`, the fail/null backends and anything with priority <= 0
count as "no keyring". A chainer is unwrapped to its best acceptable backend, so a
write can never fall through to a plaintext file behind it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import Enum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from app import KEYRING_SERVICE
from app.core.profile import ClientCredentials
from app.core.secrets import Secret

log = logging.getLogger(__name__)

# A username that is never stored: status() reads it to prove the backend answers.
_PROBE_USERNAME = "__cognito_resend_status_probe__"
_REDACTED = "<redacted>"
# Module prefixes of backends that write secrets into files we do not trust.
_REFUSED_MODULES = ("keyrings.alt", "keyrings.cryptfile")
# Readable names, by backend class (module + qualname) as keyring defines them.
_FRIENDLY_NAMES = {
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring or compatible)",
    "keyring.backends.libsecret.Keyring": "Secret Service via libsecret",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Locker",
    "keyring.backends.fail.Keyring": "none (no system keyring found)",
    "keyring.backends.null.Keyring": "none (keyring disabled)",
    "keyring.backends.chainer.ChainerBackend": "none (no system keyring found)",
}
_MISSING_ADVICE = (
    "No system keyring was found. Install and start GNOME Keyring or KWallet (Linux), "
    "or use the macOS Keychain / Windows Credential Locker, then restart Cognito Resend. "
    "Until then, client IDs and secrets cannot be saved; the built-in sandbox and "
    "session-only credentials still work."
)


class KeyringProblem(Enum):
    MISSING_BACKEND = "missing_backend"  # no usable (secure) keyring on this system
    LOCKED = "locked"  # the keyring exists but is locked and was not unlocked
    FAILED = "failed"  # the keyring answered with an error
    NOT_FOUND = "not_found"  # the profile's client ID is not in the keyring
    PENDING = "pending"  # the keyring has not answered yet (a system prompt may be open)


class SecretStoreError(Exception):
    """A keyring operation that did not work; str() says what happened and what to do.

    Never carries a secret: messages are built here, and a backend's own message is
    included only with any secret value replaced by "<redacted>".
    """

    def __init__(self, problem: KeyringProblem, message: str, *, profile: str | None = None):
        super().__init__(message)
        self.problem = problem
        self.profile = profile


@dataclass(frozen=True)
class KeyringStatus:
    """Which keyring is in use, whether it works right now, and a sentence for the person."""

    backend_name: str
    usable: bool
    message: str
    problem: KeyringProblem | None = None


def _class_path(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def backend_display_name(backend: KeyringBackend) -> str:
    """A readable name for a backend ("macOS Keychain"), falling back to keyring's own."""
    known = _FRIENDLY_NAMES.get(_class_path(backend))
    if known is not None:
        return known
    try:
        return str(type(backend).name)
    except Exception:  # noqa: BLE001 -- a third-party classproperty; the name is cosmetic
        return type(backend).__name__


def _refusal(backend: KeyringBackend) -> str | None:
    """Why this backend must not hold secrets, or None when it is acceptable."""
    if isinstance(backend, fail.Keyring):
        return "keyring found no backend"
    for klass in type(backend).__mro__:
        if klass.__module__.startswith(_REFUSED_MODULES):
            return f"{_class_path(backend)} stores secrets in a file, which this app refuses"
    try:
        priority = float(type(backend).priority)
    except Exception as exc:  # noqa: BLE001 -- keyring signals "not viable" by raising here
        return f"{_class_path(backend)} is not available: {exc}"
    if priority <= 0:
        return f"{_class_path(backend)} has priority {priority:g} (not a real keyring)"
    return None


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    for value in secrets:
        if value:
            text = text.replace(value, _REDACTED)
    return text


class SecretStore:
    """Saves, loads, renames and deletes a profile's client ID and secret in the keyring.

    Entries: service `service`, usernames "<profile>/client_id" and
    "<profile>/client_secret". All methods block (see the module docstring): call them
    off the UI thread. Thread-safe.
    """

    def __init__(
        self, service: str = KEYRING_SERVICE, backend: KeyringBackend | None = None
    ) -> None:
        self._service = service
        self._injected = backend
        # Resolved on first use: keyring's discovery costs ~300 ms and talks to D-Bus.
        self._resolved: tuple[KeyringBackend | None, str, str | None] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ backend
    def _resolve(self) -> tuple[KeyringBackend | None, str, str | None]:
        """(backend or None when refused, display name, refusal reason)."""
        with self._lock:
            if self._resolved is None:
                self._resolved = self._choose(self._injected or keyring.get_keyring())
            return self._resolved

    @staticmethod
    def _choose(candidate: KeyringBackend) -> tuple[KeyringBackend | None, str, str | None]:
        if isinstance(candidate, chainer.ChainerBackend):
            try:
                chained = list(candidate.backends)
            except Exception:  # noqa: BLE001 -- discovery failing means: nothing usable
                chained = []
            for inner in chained:
                if _refusal(inner) is None:
                    log.info("keyring: using %s out of a chainer", _class_path(inner))
                    return inner, backend_display_name(inner), None
            return None, backend_display_name(candidate), "keyring found no acceptable backend"
        reason = _refusal(candidate)
        name = backend_display_name(candidate)
        if reason is not None:
            log.warning("keyring backend refused: %s", reason)
            return None, name, reason
        log.info("keyring backend: %s", _class_path(candidate))
        return candidate, name, None

    def _backend(self, doing: str, profile: str | None) -> KeyringBackend:
        backend, _name, _reason = self._resolve()
        if backend is None:
            raise SecretStoreError(
                KeyringProblem.MISSING_BACKEND, _missing(doing, profile), profile=profile
            )
        return backend

    # ------------------------------------------------------------------ errors
    def _translate(
        self,
        exc: Exception,
        doing: str,
        profile: str | None,
        secrets: tuple[str, ...] = (),
    ) -> SecretStoreError:
        _b, name, _r = self._resolve()
        whose = f" for profile '{profile}'" if profile else ""
        detail = _redact(f"{type(exc).__name__}: {exc}", secrets)
        if isinstance(exc, keyring.errors.NoKeyringError):
            return SecretStoreError(
                KeyringProblem.MISSING_BACKEND, _missing(doing, profile), profile=profile
            )
        if _looks_locked(exc):
            return SecretStoreError(
                KeyringProblem.LOCKED,
                f"Could not {doing}{whose}: the keyring ({name}) is locked and was not "
                "unlocked. Unlock it (log in again, or open your keyring manager and unlock "
                f"the default collection), then try again. ({detail})",
                profile=profile,
            )
        return SecretStoreError(
            KeyringProblem.FAILED,
            f"Could not {doing}{whose}: the keyring ({name}) reported an error. Check that "
            f"the keyring service is running and try again. ({detail})",
            profile=profile,
        )

    def _call_get(self, username: str, doing: str, profile: str | None) -> str | None:
        backend = self._backend(doing, profile)
        try:
            value = backend.get_password(self._service, username)
        except Exception as exc:  # noqa: BLE001 -- any backend failure becomes a typed error
            err = self._translate(exc, doing, profile)
            raise err from _safe_cause(exc, ())
        if value is not None and not isinstance(value, str):
            raise SecretStoreError(
                KeyringProblem.FAILED,
                f"Could not {doing} for profile '{profile}': the keyring returned a "
                f"{type(value).__name__}, not text.",
                profile=profile,
            )
        return value

    def _call_set(
        self, username: str, value: str, doing: str, profile: str, secrets: tuple[str, ...]
    ) -> None:
        """set_password; `secrets` are values to keep out of any error (a backend may echo)."""
        backend = self._backend(doing, profile)
        try:
            backend.set_password(self._service, username, value)
        except Exception as exc:  # noqa: BLE001
            err = self._translate(exc, doing, profile, secrets)
            raise err from _safe_cause(exc, secrets)

    def _call_delete(self, username: str, doing: str, profile: str) -> None:
        backend = self._backend(doing, profile)
        try:
            backend.delete_password(self._service, username)
        except keyring.errors.PasswordDeleteError as exc:
            # "No such password" is what we wanted; a locked keyring raises KeyringLocked.
            if _looks_locked(exc):
                raise self._translate(exc, doing, profile) from exc
        except Exception as exc:  # noqa: BLE001
            raise self._translate(exc, doing, profile) from exc

    # ------------------------------------------------------------------ API
    def status(self) -> KeyringStatus:
        """Backend name, whether a harmless read works now, and what to tell the person.

        May block (D-Bus, unlock prompt): call it off the UI thread.
        """
        backend, name, reason = self._resolve()
        if backend is None:
            log.info("keyring unusable: %s", reason)
            return KeyringStatus(name, False, _MISSING_ADVICE, KeyringProblem.MISSING_BACKEND)
        try:
            self._call_get(_PROBE_USERNAME, "read from the keyring", None)
        except SecretStoreError as err:
            return KeyringStatus(name, False, str(err), err.problem)
        return KeyringStatus(name, True, f"Client IDs and secrets are kept in {name}.", None)

    def save(self, profile_name: str, creds: ClientCredentials) -> None:
        """Store the client ID and (if any) the secret; a profile without one loses its old one."""
        _check_name(profile_name)
        secret = creds.client_secret.reveal() if creds.client_secret is not None else ""
        hide = (secret,) if secret else ()
        self._call_set(
            _key(profile_name, "client_id"),
            creds.client_id,
            "save the client ID",
            profile_name,
            hide,
        )
        if secret:
            self._call_set(
                _key(profile_name, "client_secret"),
                secret,
                "save the client secret",
                profile_name,
                hide,
            )
        else:
            self._call_delete(
                _key(profile_name, "client_secret"), "remove the old client secret", profile_name
            )

    def load(self, profile_name: str) -> ClientCredentials:
        """The profile's client ID and secret; NOT_FOUND when the client ID is gone."""
        _check_name(profile_name)
        client_id = self._call_get(
            _key(profile_name, "client_id"), "read the client ID", profile_name
        )
        if not client_id:
            _b, name, _r = self._resolve()
            raise SecretStoreError(
                KeyringProblem.NOT_FOUND,
                f"The client ID of profile '{profile_name}' is not in the keyring ({name}); "
                "it may have been deleted outside Cognito Resend. Edit the profile and "
                "enter its client ID (and client secret, if the app client has one) again.",
                profile=profile_name,
            )
        secret = self._call_get(
            _key(profile_name, "client_secret"), "read the client secret", profile_name
        )
        return ClientCredentials(client_id, Secret(secret) if secret else None)

    def delete(self, profile_name: str) -> None:
        """Remove both entries; entries that are already gone are not an error."""
        _check_name(profile_name)
        for field in ("client_id", "client_secret"):
            self._call_delete(_key(profile_name, field), "delete the credentials", profile_name)

    def rename(self, old: str, new: str) -> None:
        """Move both entries from `old` to `new` (written under `new` before `old` goes)."""
        _check_name(old)
        _check_name(new)
        if old == new:
            return
        creds = self.load(old)
        self.save(new, creds)
        self.delete(old)


def _missing(doing: str, profile: str | None) -> str:
    """The missing-keyring advice, led by what could not be done and for which profile."""
    if not profile:
        return _MISSING_ADVICE
    return f"Could not {doing} for profile '{profile}'. {_MISSING_ADVICE}"


def _key(profile_name: str, field: str) -> str:
    return f"{profile_name}/{field}"


def _check_name(profile_name: str) -> None:
    if not profile_name.strip():
        raise ValueError("profile name: is required to read or write the keyring")


def _looks_locked(exc: BaseException) -> bool:
    if isinstance(exc, keyring.errors.KeyringLocked | keyring.errors.InitError):
        return True
    # secretstorage may raise its own LockedException / PromptDismissedException.
    names = {k.__name__ for k in type(exc).__mro__}
    text = str(exc).lower()
    return bool(names & {"LockedException", "PromptDismissedException"}) or (
        "prompt dismissed" in text or "locked" in text
    )


def _safe_cause(exc: Exception, secrets: tuple[str, ...]) -> Exception | None:
    """The original exception to chain, unless its message holds a secret value."""
    text = str(exc)
    return None if any(s and s in text for s in secrets) else exc
