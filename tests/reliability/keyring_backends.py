"""Keyring backends that misbehave, for PYTHON_KEYRING_BACKEND in CLI subprocesses.

Each has a positive priority (so the app's SecretStore accepts it as a real keyring) and
echoes the password it was given in its error, as a careless backend might: the app
must keep that echo out of every message, log and file.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordSetError


class RaisesOnSet(KeyringBackend):
    priority = 1
    # Not offered to keyring's discovery in this process (PYTHON_KEYRING_BACKEND names it).
    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"backend exploded while storing {password!r} for {username}")

    def delete_password(self, service: str, username: str) -> None:
        return None


class RaisesOnGet(KeyringBackend):
    priority = 1
    # Not offered to keyring's discovery in this process (PYTHON_KEYRING_BACKEND names it).
    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError(f"backend exploded while reading {username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"backend exploded while storing {password!r}")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("backend exploded while deleting")
