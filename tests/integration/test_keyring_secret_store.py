"""SecretStore against the real Secret Service (gnome-keyring in a private D-Bus session).

Run through ./scripts/dev.sh test (scripts/with-keyring.sh); tests marked ``keyring``
skip without it (and fail under CI). The no-backend test needs no keyring at all.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.profile import ClientCredentials
from app.core.secrets import Secret
from app.services.secret_store import KeyringProblem, SecretStore, SecretStoreError
from tests.conftest import RealKeyring

SECRET = "real-keyring-secret-" + uuid.uuid4().hex


def creds(client_id: str = "4example0client0id", secret: str | None = SECRET) -> ClientCredentials:
    return ClientCredentials(client_id, Secret(secret) if secret else None)


@pytest.mark.keyring
def test_round_trip_save_load_rename_delete(real_keyring: RealKeyring) -> None:
    import keyring

    store = SecretStore(real_keyring.service)  # keyring's own choice: the Secret Service
    store.save("Staging", creds())
    # Stored where the contract says, readable by any keyring client.
    assert keyring.get_password(real_keyring.service, "Staging/client_id") == "4example0client0id"
    assert keyring.get_password(real_keyring.service, "Staging/client_secret") == SECRET

    loaded = store.load("Staging")
    assert loaded.client_id == "4example0client0id"
    assert loaded.client_secret is not None and loaded.client_secret.reveal() == SECRET

    store.rename("Staging", "Staging EU")
    assert keyring.get_password(real_keyring.service, "Staging/client_id") is None
    assert keyring.get_password(real_keyring.service, "Staging/client_secret") is None
    moved = store.load("Staging EU")
    assert moved.client_secret is not None and moved.client_secret.reveal() == SECRET

    store.save("Staging EU", creds("otherclientid", secret=None))
    assert store.load("Staging EU") == ClientCredentials("otherclientid", None)

    store.delete("Staging EU")
    store.delete("Staging EU")  # already gone: not an error
    assert keyring.get_password(real_keyring.service, "Staging EU/client_id") is None
    with pytest.raises(SecretStoreError) as info:
        store.load("Staging EU")
    assert info.value.problem is KeyringProblem.NOT_FOUND


@pytest.mark.keyring
def test_status_names_the_secret_service(real_keyring: RealKeyring) -> None:
    status = SecretStore(real_keyring.service).status()
    assert status.usable, status.message
    assert "Secret Service" in status.backend_name
    assert status.problem is None
    assert status.backend_name in status.message


@pytest.mark.keyring
def test_secret_deleted_outside_the_app_is_not_found(real_keyring: RealKeyring) -> None:
    import keyring

    store = SecretStore(real_keyring.service)
    store.save("QA pool", creds())
    keyring.delete_password(real_keyring.service, "QA pool/client_id")  # e.g. Seahorse
    with pytest.raises(SecretStoreError) as info:
        store.load("QA pool")
    err = info.value
    assert err.problem is KeyringProblem.NOT_FOUND
    assert err.profile == "QA pool"
    assert "'QA pool'" in str(err) and "enter its client ID" in str(err)
    assert SECRET not in str(err)


@pytest.fixture
def locked_collection(real_keyring: RealKeyring) -> Iterator[tuple[Any, Any]]:
    """A collection of its own, created with a known password, then locked.

    Locking the default collection would lock it for every later test: nothing can
    unlock it again without a prompt, and the harness's password is random. A private
    collection can be unlocked with its password afterwards (gnome-keyring's
    InternalUnsupportedGuiltRiddenInterface, the API its own tools use).
    """
    import secretstorage
    from keyring.backends import SecretService
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    conn = secretstorage.dbus_init()
    session = open_session(conn)
    internal = DBusAddressWrapper(
        "/org/freedesktop/secrets",
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
        conn,
    )
    password = format_secret(session, b"locked-test-pw", "text/plain")
    label = {"org.freedesktop.Secret.Collection.Label": ("s", f"locked-{uuid.uuid4().hex}")}
    (path,) = internal.call("CreateWithMasterPassword", "a{sv}(oayays)", label, password)
    collection = secretstorage.Collection(conn, path)
    backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
    backend.preferred_collection = path  # type: ignore[attr-defined]  # read by keyring
    backend.set_password(  # type: ignore[no-untyped-call]
        real_keyring.service, "Locked/client_id", "lockedclient"
    )
    collection.lock()
    assert collection.is_locked()
    try:
        yield backend, collection
    finally:
        internal.call("UnlockWithMasterPassword", "o(oayays)", path, password)
        collection.delete()
        conn.close()


@pytest.mark.keyring
def test_locked_keyring_for_real(
    real_keyring: RealKeyring, locked_collection: tuple[Any, Any]
) -> None:
    backend, _collection = locked_collection
    store = SecretStore(real_keyring.service, backend=backend)
    t0 = time.monotonic()
    with pytest.raises(SecretStoreError) as info:
        store.load("Locked")
    elapsed = time.monotonic() - t0
    err = info.value
    assert err.problem is KeyringProblem.LOCKED
    assert "'Locked'" in str(err) and "locked" in str(err) and "Unlock it" in str(err)
    with pytest.raises(SecretStoreError) as info:
        store.save("Locked", creds())
    assert info.value.problem is KeyringProblem.LOCKED
    assert SECRET not in str(info.value)
    status = store.status()
    assert not status.usable and status.problem is KeyringProblem.LOCKED
    # Reported, not asserted (no timed assertions): how long a dismissed prompt took.
    print(f"locked get failed after {elapsed * 1000:.0f} ms")


def _files_under(*roots: Path) -> dict[Path, bytes]:
    found: dict[Path, bytes] = {}
    for root in roots:
        if root.is_dir():
            for p in root.rglob("*"):
                if p.is_file():
                    found[p] = p.read_bytes()
    return found


def test_no_backend_is_missing_and_writes_nothing_anywhere(
    _fresh_xdg_dirs: dict[str, Path],
) -> None:
    from keyring.backends import fail

    # keyrings.alt and friends write under XDG_DATA_HOME / XDG_CONFIG_HOME. HOME is
    # scanned too when it is a throw-away one (the keyring harness), not a real home.
    roots = list(_fresh_xdg_dirs.values())
    home = Path(os.environ.get("HOME", "/nonexistent"))
    if home.is_dir() and home.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()):
        roots.append(home)
    before = _files_under(*roots)

    store = SecretStore("cognito-resend-test-" + uuid.uuid4().hex, backend=fail.Keyring())  # type: ignore[no-untyped-call]
    status = store.status()
    assert not status.usable
    assert status.problem is KeyringProblem.MISSING_BACKEND
    assert status.message.startswith("No system keyring was found.")
    assert "GNOME Keyring or KWallet" in status.message
    assert "sandbox" in status.message and "session-only" in status.message
    with pytest.raises(SecretStoreError) as info:
        store.save("Prod", creds())
    assert info.value.problem is KeyringProblem.MISSING_BACKEND
    # The same advice, led by what failed for which profile.
    assert str(info.value) == f"Could not save the client ID for profile 'Prod'. {status.message}"

    after = _files_under(*roots)
    changed = {p for p in after if before.get(p) != after[p]}
    # The private keyring daemon may touch its own files; nothing else may change, and
    # no file anywhere under these roots may hold the secret.
    assert not {p for p in changed if "keyrings" not in p.parts}, changed
    assert not [p for p, data in after.items() if SECRET.encode() in data]
