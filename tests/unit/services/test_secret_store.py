"""SecretStore against in-memory keyring backends: the narrow cases a real keyring can't stage.

The round trip and the real failure modes run against gnome-keyring in
tests/integration/test_keyring_*.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import InitError, KeyringError, KeyringLocked, PasswordDeleteError

from app.core.profile import ClientCredentials
from app.core.secrets import Secret
from app.services.secret_store import (
    KeyringProblem,
    KeyringStatus,
    SecretStore,
    SecretStoreError,
)

SERVICE = "cognito-resend-unit"
SECRET = "s3cr3t-VALUE-that-must-never-show-9f2c"


class MemoryKeyring(KeyringBackend):
    """A dict-backed backend; `fail_on` makes chosen operations raise."""

    priority = 1  # type: ignore[assignment]
    # Every KeyringBackend subclass joins keyring's registry on definition; without this,
    # keyring.get_keyring() in later tests of the same process would chain these in.
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.fail_on: dict[str, Callable[[], Exception]] = {}

    def _maybe_fail(self, op: str) -> None:
        make = self.fail_on.get(op)
        if make is not None:
            raise make()

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_fail("get")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_fail("set")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_fail("delete")
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt.file.PlaintextKeyring (not installed here): same module."""

    priority = 0.5  # type: ignore[assignment]


PlaintextKeyring.__module__ = "keyrings.alt.file"


class ZeroPriorityKeyring(MemoryKeyring):
    priority = 0  # type: ignore[assignment]


class ExplodingPriorityKeyring(MemoryKeyring):
    """keyring marks a backend not viable by raising from `priority`."""

    @classmethod  # type: ignore[misc]
    @property
    def priority(cls) -> float:  # type: ignore[override]
        raise RuntimeError("The Secret Service daemon is neither running nor activatable")


@pytest.fixture
def memory() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def store(memory: MemoryKeyring) -> SecretStore:
    return SecretStore(SERVICE, backend=memory)


def creds(client_id: str = "abc123client", secret: str | None = SECRET) -> ClientCredentials:
    return ClientCredentials(client_id, Secret(secret) if secret is not None else None)


def test_save_load_uses_documented_usernames(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("Dev pool", creds())
    assert memory.entries == {
        (SERVICE, "Dev pool/client_id"): "abc123client",
        (SERVICE, "Dev pool/client_secret"): SECRET,
    }
    loaded = store.load("Dev pool")
    assert loaded.client_id == "abc123client"
    assert loaded.client_secret is not None
    assert loaded.client_secret.reveal() == SECRET
    assert SECRET not in repr(loaded)


def test_save_without_secret_removes_an_old_one(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("p", creds())
    store.save("p", creds(secret=None))
    assert (SERVICE, "p/client_secret") not in memory.entries
    assert store.load("p") == ClientCredentials("abc123client", None)


def test_default_service_name(memory: MemoryKeyring) -> None:
    SecretStore(backend=memory).save("p", creds(secret=None))
    assert list(memory.entries) == [("cognito-resend", "p/client_id")]


def test_delete_removes_both_and_is_idempotent(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("p", creds())
    store.save("other", creds("otherclient"))
    store.delete("p")
    store.delete("p")
    assert set(memory.entries) == {
        (SERVICE, "other/client_id"),
        (SERVICE, "other/client_secret"),
    }


def test_rename_moves_both_entries(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("old", creds())
    store.rename("old", "New")
    assert set(memory.entries) == {(SERVICE, "New/client_id"), (SERVICE, "New/client_secret")}
    secret = store.load("New").client_secret
    assert secret is not None and secret.reveal() == SECRET
    with pytest.raises(SecretStoreError) as info:
        store.load("old")
    assert info.value.problem is KeyringProblem.NOT_FOUND


def test_rename_to_same_name_keeps_entries(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("p", creds())
    store.rename("p", "p")
    assert store.load("p").client_id == "abc123client"


def test_rename_of_missing_profile_is_not_found_and_writes_nothing(
    store: SecretStore, memory: MemoryKeyring
) -> None:
    with pytest.raises(SecretStoreError) as info:
        store.rename("ghost", "new")
    assert info.value.problem is KeyringProblem.NOT_FOUND
    assert memory.entries == {}


def test_not_found_names_the_profile_and_says_what_to_do(
    store: SecretStore, memory: MemoryKeyring
) -> None:
    store.save("QA pool", creds())
    del memory.entries[(SERVICE, "QA pool/client_id")]  # deleted outside the app
    with pytest.raises(SecretStoreError) as info:
        store.load("QA pool")
    err = info.value
    assert err.problem is KeyringProblem.NOT_FOUND
    assert err.profile == "QA pool"
    assert "'QA pool'" in str(err)
    assert "enter its client ID" in str(err)
    assert SECRET not in str(err)


def test_failed_on_set_hides_the_secret(
    store: SecretStore, memory: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store.save("p", creds(secret=None))
    # A badly behaved backend that echoes the value it was given.
    memory.fail_on["set"] = lambda: KeyringError(f"cannot store {SECRET!r} right now")
    with pytest.raises(SecretStoreError) as info:
        store.save("p", creds())
    err = info.value
    assert err.problem is KeyringProblem.FAILED
    assert "'p'" in str(err)
    assert "<redacted>" in str(err)
    assert SECRET not in str(err)
    assert SECRET not in repr(err.args)
    # The original exception (which holds the secret) is not chained for a logger to print.
    assert err.__cause__ is None and err.__suppress_context__
    assert SECRET not in caplog.text


def test_failed_on_get(store: SecretStore, memory: MemoryKeyring) -> None:
    store.save("p", creds())
    memory.fail_on["get"] = lambda: KeyringError("D-Bus connection closed")
    with pytest.raises(SecretStoreError) as info:
        store.load("p")
    assert info.value.problem is KeyringProblem.FAILED
    assert "D-Bus connection closed" in str(info.value)
    assert isinstance(info.value.__cause__, KeyringError)


def test_unexpected_exception_types_become_failed(
    store: SecretStore, memory: MemoryKeyring
) -> None:
    memory.fail_on["get"] = lambda: OSError("connection reset")
    with pytest.raises(SecretStoreError) as info:
        store.load("p")
    assert info.value.problem is KeyringProblem.FAILED


@pytest.mark.parametrize(
    "make",
    [
        lambda: KeyringLocked("Failed to unlock the collection!"),
        lambda: InitError("Prompt dismissed"),
    ],
    ids=["KeyringLocked", "InitError-prompt-dismissed"],
)
def test_locked_keyring(
    store: SecretStore, memory: MemoryKeyring, make: Callable[[], Exception]
) -> None:
    memory.fail_on["get"] = make
    memory.fail_on["set"] = make
    memory.fail_on["delete"] = make
    for call in (
        lambda: store.load("p"),
        lambda: store.save("p", creds()),
        lambda: store.delete("p"),
    ):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert info.value.problem is KeyringProblem.LOCKED
        assert "locked" in str(info.value) and "Unlock it" in str(info.value)
        assert SECRET not in str(info.value)
    status = store.status()
    assert status.usable is False and status.problem is KeyringProblem.LOCKED


def test_status_of_a_working_backend(store: SecretStore, memory: MemoryKeyring) -> None:
    status = store.status()
    assert status == KeyringStatus(
        backend_name=status.backend_name,
        usable=True,
        message=f"Client IDs and secrets are kept in {status.backend_name}.",
    )
    assert "MemoryKeyring" in status.backend_name
    assert memory.entries == {}  # the probe only reads


def test_status_when_probe_fails(store: SecretStore, memory: MemoryKeyring) -> None:
    memory.fail_on["get"] = lambda: KeyringError("boom")
    status = store.status()
    assert not status.usable and status.problem is KeyringProblem.FAILED


@pytest.mark.parametrize(
    "backend",
    [
        PlaintextKeyring(),
        ZeroPriorityKeyring(),
        ExplodingPriorityKeyring(),
        fail.Keyring(),
        null.Keyring(),
    ],
    ids=["keyrings.alt-plaintext", "priority-0", "not-viable", "fail", "null"],
)
def test_refused_backends_are_missing_and_get_nothing_written(backend: MemoryKeyring) -> None:
    store = SecretStore(SERVICE, backend=backend)
    status = store.status()
    assert status.usable is False
    assert status.problem is KeyringProblem.MISSING_BACKEND
    assert "No system keyring was found" in status.message
    assert "GNOME Keyring or KWallet" in status.message
    assert "sandbox" in status.message and "session-only" in status.message
    for call in (
        lambda: store.save("p", creds()),
        lambda: store.load("p"),
        lambda: store.delete("p"),
        lambda: store.rename("p", "q"),
    ):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert info.value.problem is KeyringProblem.MISSING_BACKEND
        assert SECRET not in str(info.value)
    if isinstance(backend, MemoryKeyring):
        assert backend.entries == {}


def test_fail_backend_name() -> None:
    assert SecretStore(backend=fail.Keyring()).status().backend_name.startswith("none")


def _chainer_of(monkeypatch: pytest.MonkeyPatch, *backends: KeyringBackend) -> KeyringBackend:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", list(backends))
    return chainer.ChainerBackend()


def test_empty_chainer_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    store = SecretStore(SERVICE, backend=_chainer_of(monkeypatch))
    assert store.status().problem is KeyringProblem.MISSING_BACKEND


def test_chainer_skips_plaintext_and_uses_the_secure_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain, good = PlaintextKeyring(), MemoryKeyring()
    store = SecretStore(SERVICE, backend=_chainer_of(monkeypatch, plain, good))
    store.save("p", creds())
    assert plain.entries == {}
    assert (SERVICE, "p/client_secret") in good.entries
    assert store.status().usable


def test_chainer_of_only_plaintext_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = PlaintextKeyring()
    store = SecretStore(SERVICE, backend=_chainer_of(monkeypatch, plain))
    with pytest.raises(SecretStoreError) as info:
        store.save("p", creds())
    assert info.value.problem is KeyringProblem.MISSING_BACKEND
    assert plain.entries == {}


def test_without_injection_it_uses_keyrings_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    memory = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    SecretStore(SERVICE).save("p", creds(secret=None))
    assert memory.entries == {(SERVICE, "p/client_id"): "abc123client"}


def test_empty_profile_name_is_refused(store: SecretStore) -> None:
    with pytest.raises(ValueError, match="profile name"):
        store.save("  ", creds())
