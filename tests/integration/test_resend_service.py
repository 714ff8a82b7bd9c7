"""ResendService end to end: credentials, validation, SecretHash, the sandbox call, the history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.attempts import begin_attempt
from app.core.outcome import FailureKind, Status
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.history_store import HistoryFilter, HistoryStore
from app.services.resend_service import ResendService
from app.services.secret_store import KeyringProblem, SecretStore, SecretStoreError
from tests.conftest import RealKeyring

pytestmark = pytest.mark.timeout(60)


class _Credentials:
    """A credential source answering from a dict (or refusing like a locked keyring)."""

    def __init__(self, stored: dict[str, ClientCredentials] | None = None) -> None:
        self.stored = stored or {}
        self.calls: list[str] = []

    def load(self, profile_name: str) -> ClientCredentials:
        self.calls.append(profile_name)
        if profile_name not in self.stored:
            raise SecretStoreError(
                KeyringProblem.LOCKED, f"The keyring is locked; unlock it to use '{profile_name}'.",
                profile=profile_name,
            )
        return self.stored[profile_name]


@pytest.fixture
def history(tmp_path: Path) -> Iterator[HistoryStore]:
    store = HistoryStore(tmp_path / "history.sqlite3")
    yield store
    store.close()


@pytest.fixture
def gateway(no_aws_credentials: None) -> CognitoGateway:
    return CognitoGateway(GatewayConfig(backoff_base=0.01, backoff_cap=0.05))


def _profile(sandbox: Sandbox, name: str = "local") -> Profile:
    info = sandbox.info
    return Profile(name=name, region=info.region, endpoint_url=info.endpoint_url)


def _creds(sandbox: Sandbox, client: str) -> ClientCredentials:
    c = sandbox.info.client(client)
    return ClientCredentials(c.client_id, Secret(c.client_secret) if c.client_secret else None)


def test_keyring_credentials_secret_hash_and_history(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore
) -> None:
    source = _Credentials({"local": _creds(fresh_sandbox, "secret")})
    service = ResendService(gateway, source, history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="  alice ", client_metadata=(("k", "v"),))
    final = service.run(begin_attempt(profile, raw), profile, raw)
    assert final.status is Status.DELIVERED, final.failure
    assert final.used_secret_hash and final.username == "alice"
    assert final.client_id == fresh_sandbox.info.client("secret").client_id
    assert source.calls == ["local"]
    assert history.get(final.attempt_id) == final
    assert fresh_sandbox.inbox("alice")[0].client_metadata == {"k": "v"}


def test_given_credentials_skip_the_keyring(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore
) -> None:
    source = _Credentials()
    service = ResendService(gateway, source, history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="bob")
    final = service.run(begin_attempt(profile, raw), profile, raw, _creds(fresh_sandbox, "public"))
    assert final.status is Status.DELIVERED and not final.used_secret_hash
    assert source.calls == []


def test_locked_keyring_is_a_credentials_failure_in_the_history(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore
) -> None:
    service = ResendService(gateway, _Credentials(), history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="alice")
    final = service.run(begin_attempt(profile, raw), profile, raw)
    assert final.failure is not None
    assert final.failure.code == "CredentialsUnavailable"
    assert final.failure.kind is FailureKind.CREDENTIALS
    assert "locked" in final.failure.aws_message
    assert history.count(HistoryFilter(status=Status.FAILED)) == 1
    assert fresh_sandbox.inbox() == []


def test_invalid_input_fails_naming_the_field_without_a_call(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore
) -> None:
    service = ResendService(gateway, _Credentials(), history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="two words", ip_address="not-an-ip")
    final = service.run(begin_attempt(profile, raw), profile, raw, _creds(fresh_sandbox, "public"))
    assert final.failure is not None and final.failure.code == "ParamValidation"
    assert "Username" in final.failure.aws_message and "IP address" in final.failure.aws_message
    assert final.http_status is None and final.request_id is None
    assert history.get(final.attempt_id) is not None


def test_missing_secret_for_a_secret_client_is_explained(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore
) -> None:
    service = ResendService(gateway, _Credentials(), history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="alice")
    creds = ClientCredentials(fresh_sandbox.info.client("secret").client_id, None)
    final = service.run(begin_attempt(profile, raw), profile, raw, creds)
    # Cognito (and the sandbox) answer a missing hash as a wrong one: "Unable to verify
    # secret hash for client <id>" (COGNITO.md, SecretHash). The app knows it sent none,
    # so it says the secret is missing, not wrong.
    assert final.failure is not None and final.failure.title == "Client secret missing"
    assert not final.used_secret_hash


def test_history_failure_does_not_hide_the_outcome(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, tmp_path: Path
) -> None:
    class BrokenHistory:
        def append(self, a: object) -> None:
            raise OSError("disk full")

    service = ResendService(gateway, _Credentials(), BrokenHistory())
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="alice")
    final = service.run(begin_attempt(profile, raw), profile, raw, _creds(fresh_sandbox, "public"))
    assert final.status is Status.DELIVERED


@pytest.mark.keyring
def test_real_keyring_round_trip(
    fresh_sandbox: Sandbox, gateway: CognitoGateway, history: HistoryStore,
    real_keyring: RealKeyring,
) -> None:
    store = SecretStore(real_keyring.service)
    store.save("local", _creds(fresh_sandbox, "secret"))
    service = ResendService(gateway, store, history)
    profile = _profile(fresh_sandbox)
    raw = ResendInput(client_id="", username="bob")
    final = service.run(begin_attempt(profile, raw), profile, raw)
    assert final.status is Status.DELIVERED, final.failure
    assert final.used_secret_hash
    store.delete("local")
