"""The pipeline's pure half: credential resolution order and `prepare` (no I/O at all)."""

from __future__ import annotations

import pytest

from app.core.outcome import Status
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret, compute_secret_hash
from app.services.credentials import CredentialResolver, ResolvedCredentials, given
from app.services.pipeline import prepare_resend
from app.services.secret_store import KeyringProblem, SecretStoreError

SANDBOX = ClientCredentials("sandboxclient", None)
SESSION = ClientCredentials("sessionclient", Secret("s3"))
STORED = ClientCredentials("storedclient", None)
BUILTIN = Profile(name="Sandbox", region="us-east-1", builtin=True)
STORED_PROFILE = Profile(name="staging", region="eu-west-1")


class _Keyring:
    def __init__(self, locked: bool = False) -> None:
        self.locked = locked
        self.calls: list[str] = []

    def load(self, profile_name: str) -> ClientCredentials:
        self.calls.append(profile_name)
        if self.locked:
            raise SecretStoreError(KeyringProblem.LOCKED, "The keyring is locked.")
        return STORED


def test_sandbox_then_session_then_keyring() -> None:
    keyring = _Keyring()
    resolver = CredentialResolver(keyring, sandbox=lambda: SANDBOX)
    assert resolver.resolve(BUILTIN, SESSION).credentials == SANDBOX
    assert resolver.resolve(STORED_PROFILE, SESSION).credentials == SESSION
    assert keyring.calls == []
    assert resolver.resolve(STORED_PROFILE).credentials == STORED
    assert keyring.calls == ["staging"]


def test_a_builtin_profile_without_a_running_sandbox_falls_through() -> None:
    resolver = CredentialResolver(_Keyring(), sandbox=lambda: None)
    assert resolver.resolve(BUILTIN, SESSION).credentials == SESSION


def test_a_locked_keyring_or_none_is_a_problem_not_an_exception() -> None:
    locked = CredentialResolver(_Keyring(locked=True)).resolve(STORED_PROFILE)
    assert locked.credentials is None and locked.problem == "The keyring is locked."
    none = CredentialResolver(None).resolve(STORED_PROFILE)
    assert none.credentials is None and none.problem
    assert CredentialResolver(_Keyring(locked=True)).stored_client_id("staging") is None
    assert CredentialResolver(_Keyring()).stored_client_id("staging") == "storedclient"


def test_resolved_holds_exactly_one_of_credentials_and_problem() -> None:
    with pytest.raises(ValueError):
        ResolvedCredentials(None)
    with pytest.raises(ValueError):
        ResolvedCredentials(STORED, "why")


def test_prepare_validates_hashes_and_begins_the_pending_attempt() -> None:
    raw = ResendInput(client_id="", username="  alice ")
    prepared = prepare_resend(STORED_PROFILE, raw, given(SESSION))
    assert prepared.request is not None and prepared.refusal is None
    assert prepared.attempt.status is Status.PENDING
    assert prepared.attempt.username == "alice" and prepared.attempt.client_id == "sessionclient"
    assert prepared.attempt.used_secret_hash
    expected = compute_secret_hash("alice", "sessionclient", Secret("s3"))
    assert prepared.request.secret_hash is not None
    assert prepared.request.secret_hash.reveal() == expected.reveal()


def test_prepare_refuses_without_credentials_or_with_bad_input() -> None:
    raw = ResendInput(client_id="", username="alice")
    missing = prepare_resend(STORED_PROFILE, raw, ResolvedCredentials(None, "locked"))
    assert missing.request is None and missing.refusal is not None
    assert missing.refusal.code == "CredentialsUnavailable"
    assert missing.attempt.status is Status.PENDING
    bad = prepare_resend(STORED_PROFILE, ResendInput("", "two words"), given(STORED))
    assert bad.refusal is not None and bad.refusal.code == "ParamValidation"
