"""The sign-up pipeline: prepare is pure (validation, SecretHash, the attempt of its kind),
execute writes exactly one history row, and no password or hash reaches the attempt."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from botocore.stub import ANY, Stubber

from app.core.outcome import AttemptKind, FailureKind, Severity, Status
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret, compute_secret_hash
from app.core.serialize import attempt_to_dict
from app.core.signup import ConfirmInput, SignUpInput
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver, ResolvedCredentials, given
from app.services.history_sink import MemoryHistory
from app.services.signup_pipeline import SignUpPipeline, prepare_confirm, prepare_signup

URL = "http://127.0.0.1:9"
PROFILE = Profile(name="qa", region="eu-west-1", endpoint_url=URL, has_secret=True)
SECRET = Secret("client-secret-value-0123456789")
CREDS = ClientCredentials(" client1 ", SECRET)
PASSWORD = "Gen3rated-Pa55word!"
_META = {"RequestId": "req-1", "HTTPStatusCode": 200}


class _Stack:
    def __init__(self) -> None:
        self.gateway = CognitoGateway(GatewayConfig(max_attempts=2), sleep=lambda _s: None,
                                      rng=random.Random(1))  # fmt: skip
        self.history = MemoryHistory()
        self.pipeline = SignUpPipeline(self.gateway, self.history, CredentialResolver(None))
        self.stubber = Stubber(self.gateway._client(PROFILE.region, URL))
        self.stubber.activate()


@pytest.fixture
def stack() -> Iterator[_Stack]:
    s = _Stack()
    yield s
    s.stubber.deactivate()


def _signup(username: str = " alice ", password: str | None = PASSWORD) -> SignUpInput:
    return SignUpInput(
        ResendInput(client_id="", username=username, client_metadata=[("source", "qa")]),
        password=Secret(password) if password is not None else None,
        user_attributes=[("email", "alice@example.com")],
    )


def test_prepare_signup_is_pure_and_hashes_the_trimmed_username() -> None:
    prepared = prepare_signup(PROFILE, _signup(), given(CREDS), generated=True)
    assert prepared.call is not None and prepared.refusal is None
    a = prepared.attempt
    assert (a.kind, a.status, a.username, a.client_id) == (
        AttemptKind.SIGNUP, Status.PENDING, "alice", "client1")  # fmt: skip
    assert a.used_secret_hash
    expected = compute_secret_hash("alice", "client1", SECRET).reveal()
    assert prepared.call.params["SecretHash"] == expected
    assert prepared.call.params["Password"] == PASSWORD
    assert a.user_attributes == (("email", "alice@example.com"),)
    assert "generated" in a.notes
    stored = repr(attempt_to_dict(a))
    assert PASSWORD not in stored and expected not in stored and PASSWORD not in repr(prepared)


def test_refusals_name_the_field_and_are_recorded_once(stack: _Stack) -> None:
    final = stack.pipeline.sign_up(PROFILE, _signup(password="has space"), CREDS)
    assert final.status is Status.FAILED and final.failure is not None
    assert final.failure.kind is FailureKind.INPUT
    assert final.failure.aws_message.startswith("Password:")
    assert "has space" not in final.failure.aws_message
    assert stack.history.attempts == [final]


def test_no_credentials_is_credentials_unavailable(stack: _Stack) -> None:
    final = stack.pipeline.confirm(PROFILE, ConfirmInput(ResendInput("", "alice"), "123456"))
    assert final.failure is not None and final.failure.code == "CredentialsUnavailable"
    assert final.kind is AttemptKind.CONFIRM and len(stack.history.attempts) == 1


def test_signup_then_confirm_each_write_one_row(stack: _Stack) -> None:
    stack.stubber.add_response(
        "sign_up",
        {"UserConfirmed": False, "UserSub": "sub-9",
         "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL",
                                 "AttributeName": "email"}, "ResponseMetadata": _META},
        expected_params={"ClientId": "client1", "Username": "alice", "Password": PASSWORD,
                         "SecretHash": ANY, "ClientMetadata": {"source": "qa"},
                         "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}]},
    )  # fmt: skip
    signed = stack.pipeline.sign_up(PROFILE, _signup(), CREDS)
    assert signed.status is Status.DELIVERED and "User sub: sub-9" in signed.notes
    assert signed.user_attributes == (("email", "alice@example.com"),)

    stack.stubber.add_response(
        "confirm_sign_up", {"ResponseMetadata": _META},
        expected_params={"ClientId": "client1", "Username": "alice",
                         "ConfirmationCode": "654321", "SecretHash": ANY},
    )  # fmt: skip
    confirmed = stack.pipeline.confirm(
        PROFILE, ConfirmInput(ResendInput("", "alice"), " 654321 "), CREDS
    )
    assert confirmed.status is Status.SUCCEEDED and confirmed.outcome_label == "Confirmed"
    assert confirmed.confirmation_code == "654321"
    assert stack.history.attempts == [signed, confirmed]
    for a in stack.history.attempts:
        assert PASSWORD not in repr(attempt_to_dict(a))


def test_already_confirmed_is_information(stack: _Stack) -> None:
    stack.stubber.add_client_error(
        "confirm_sign_up", service_error_code="NotAuthorizedException",
        service_message="User cannot be confirmed. Current status is CONFIRMED",
        http_status_code=400,
    )  # fmt: skip
    final = stack.pipeline.confirm(PROFILE, ConfirmInput(ResendInput("", "carol"), "1"), CREDS)
    assert final.failure is not None and final.failure.severity is Severity.INFO
    assert final.outcome_label == "Already confirmed"


def test_a_client_without_secret_sends_no_hash() -> None:
    prepared = prepare_confirm(
        PROFILE, ConfirmInput(ResendInput("", "alice"), "1"), ResolvedCredentials(
            ClientCredentials("client1"))
    )  # fmt: skip
    assert prepared.call is not None and "SecretHash" not in prepared.call.params
    assert prepared.attempt.used_secret_hash is False
