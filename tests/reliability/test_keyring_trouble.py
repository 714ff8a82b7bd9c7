"""2: keyring trouble -- missing backend, locked collection, a backend that raises on set or
get, a secret deleted outside the app. Each gives a message naming the profile and what to
do; the sandbox and session-only credentials keep working; nothing lands in plaintext."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.core.attempts import begin_attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.history_store import HistoryStore
from app.services.paths import AppPaths
from app.services.profile_repository import ProfileRepository
from app.services.resend_service import ResendService
from app.services.secret_store import KeyringProblem, SecretStore, SecretStoreError
from tests.conftest import RealKeyring
from tests.integration.test_keyring_secret_store import locked_collection  # noqa: F401
from tests.reliability.support import run_cli, scan, xdg_roots

pytestmark = pytest.mark.timeout(180)

SECRET = "kr-secret-" + uuid.uuid4().hex
BACKENDS = {
    "missing": "keyring.backends.fail.Keyring",
    "raises-on-set": "tests.reliability.keyring_backends.RaisesOnSet",
    "raises-on-get": "tests.reliability.keyring_backends.RaisesOnGet",
}
# What a message must say for each problem: where to look and what to do.
ADVICE = {
    "missing": ("No system keyring was found", "GNOME Keyring or KWallet"),
    "raises-on-set": ("reported an error", "try again"),
    "raises-on-get": ("reported an error", "try again"),
}


def _no_traceback(*texts: str) -> None:
    for t in texts:
        assert "Traceback" not in t


def _add_profile_file(name: str, info: Any) -> None:
    """The profile record alone (as if added while the keyring worked)."""
    repo = ProfileRepository(AppPaths.from_platform().ensure().profiles_file)
    repo.save(Profile(name=name, region=info.region, endpoint_url=info.endpoint_url,
                      has_secret=True))


@pytest.mark.parametrize("trouble", sorted(BACKENDS))
def test_cli_with_a_broken_keyring_names_the_profile_and_what_to_do(
    trouble: str, fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    env = {"PYTHON_KEYRING_BACKEND": BACKENDS[trouble]}
    info = fresh_sandbox.info
    client = info.client("secret")

    added = run_cli("profiles", "add", "Staging QA", "--region", info.region, "--client-id",
                    client.client_id, "--endpoint-url", info.endpoint_url, "--secret-stdin",
                    env=env, stdin=SECRET + "\n")
    assert added.returncode == 5, added.stderr
    assert "'Staging QA'" in added.stderr, added.stderr
    for phrase in ADVICE[trouble]:
        assert phrase in added.stderr, (phrase, added.stderr)
    assert "no profile was written" in added.stderr
    _no_traceback(added.stdout, added.stderr)

    # A profile whose record exists (added when the keyring still worked): resend says so.
    _add_profile_file("Staging QA", info)
    sent = run_cli("resend", "--profile", "Staging QA", "--username", "alice", "--json",
                   env=env)
    assert sent.returncode == 5, sent.stdout + sent.stderr
    result = json.loads(sent.stdout)
    assert result["error_code"] == "CredentialsUnavailable"
    assert "'Staging QA'" in result["aws_message"], result["aws_message"]
    _no_traceback(sent.stdout, sent.stderr)

    # The built-in sandbox needs no keyring at all.
    box = run_cli("resend", "--profile", "Sandbox", "--endpoint-url", info.endpoint_url,
                  "--sandbox-client", "secret", "--username", "bob", "--json", env=env)
    assert box.returncode == 0, box.stdout + box.stderr
    assert json.loads(box.stdout)["used_secret_hash"] is True

    # Nothing in plaintext anywhere, not even the secret the backend echoed in its error.
    outputs = {"add": added.stdout + added.stderr, "resend": sent.stdout + sent.stderr}
    assert scan(xdg_roots(), [SECRET], outputs) == []


def _service(store: SecretStore) -> tuple[ResendService, HistoryStore]:
    history = HistoryStore(AppPaths.from_platform().ensure().history_db)
    gateway = CognitoGateway(GatewayConfig(connect_timeout=1, read_timeout=2, max_attempts=1))
    return ResendService(gateway, store, history), history


def _resend(service: ResendService, profile: Profile, username: str,
            creds: ClientCredentials | None = None) -> Any:
    raw = ResendInput(client_id="", username=username)
    return service.run(begin_attempt(profile, raw), profile, raw, creds)


@pytest.mark.parametrize("trouble", sorted(BACKENDS))
def test_session_only_credentials_work_when_the_keyring_does_not(
    trouble: str, fresh_sandbox: Sandbox
) -> None:
    """The window's "use for this session" path: typed credentials, the keyring untouched."""
    import importlib

    module, _, cls = BACKENDS[trouble].rpartition(".")
    backend = getattr(importlib.import_module(module), cls)()
    store = SecretStore("cognito-resend-test-" + uuid.uuid4().hex, backend=backend)
    info = fresh_sandbox.info
    client = info.client("secret")
    assert client.client_secret
    profile = Profile(name="Typed", region=info.region, endpoint_url=info.endpoint_url,
                      has_secret=True)
    service, history = _service(store)
    try:
        stored = _resend(service, profile, "alice")
        assert stored.failure is not None and stored.failure.code == "CredentialsUnavailable"
        assert "'Typed'" in stored.failure.aws_message or trouble == "missing"
        typed = ClientCredentials(client.client_id, Secret(client.client_secret))
        final = _resend(service, profile, f"ghost-{uuid.uuid4().hex[:8]}", typed)
        assert final.failure is None, final.failure
        assert final.used_secret_hash
    finally:
        history.close()
    assert scan(xdg_roots(), [client.client_secret]) == []


@pytest.mark.keyring
def test_locked_keyring_names_the_profile_and_says_unlock(
    real_keyring: RealKeyring, locked_collection: tuple[Any, Any],  # noqa: F811
    fresh_sandbox: Sandbox,
) -> None:
    backend, _collection = locked_collection
    store = SecretStore(real_keyring.service, backend=backend)
    info = fresh_sandbox.info
    profile = Profile(name="Locked", region=info.region, endpoint_url=info.endpoint_url,
                      has_secret=True)
    service, history = _service(store)
    try:
        final = _resend(service, profile, "alice")
        assert final.failure is not None and final.failure.code == "CredentialsUnavailable"
        message = final.failure.aws_message
        assert "'Locked'" in message and "locked" in message and "Unlock it" in message
        # The sandbox's own credentials still work with the keyring locked.
        client = info.client("secret")
        assert client.client_secret
        ok = _resend(service, profile, "bob",
                     ClientCredentials(client.client_id, Secret(client.client_secret)))
        assert ok.failure is None
        with pytest.raises(SecretStoreError) as err:
            store.save("Locked", ClientCredentials("cid", Secret(SECRET)))
        assert err.value.problem is KeyringProblem.LOCKED and SECRET not in str(err.value)
    finally:
        history.close()
    assert scan(xdg_roots(), [SECRET]) == []


@pytest.mark.keyring
def test_secret_deleted_outside_the_app_is_explained_by_the_cli(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    name = "Deleted " + uuid.uuid4().hex[:6]
    added = run_cli("profiles", "add", name, "--region", info.region, "--client-id",
                    client.client_id, "--endpoint-url", info.endpoint_url, "--secret-stdin",
                    stdin=SECRET + "\n")
    assert added.returncode == 0, added.stderr
    try:
        SecretStore().delete(name)  # what a keyring manager's "delete" does
        out = run_cli("resend", "--profile", name, "--username", "alice")
        assert out.returncode == 5
        text = out.stdout + out.stderr
        assert f"'{name}'" in text and "deleted outside Cognito Resend" in text
        assert "enter its client ID" in text
        _no_traceback(text)
        batch_file = AppPaths.from_platform().ensure().config_dir / "users.txt"
        batch_file.write_text("alice\n")
        out = run_cli("batch", "--profile", name, "--file", str(batch_file))
        assert out.returncode == 5 and f"'{name}'" in out.stderr, out.stderr
    finally:
        run_cli("profiles", "remove", name)
