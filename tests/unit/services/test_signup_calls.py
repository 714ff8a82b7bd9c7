"""SignUp and ConfirmSignUp through CognitoGateway.call, with botocore's Stubber (no network)."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from botocore.stub import Stubber

from app.core.outcome import Attempt, AttemptKind, DeliveryMedium, Severity, Status
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.core.signup import (
    ConfirmInput,
    ConfirmRequest,
    SignUpInput,
    SignUpRequest,
    validate_confirm,
    validate_signup,
)
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.signup_calls import confirm_call, parse_confirm, parse_signup, signup_call

REGION = "eu-west-1"
URL = "http://127.0.0.1:9"
PASSWORD = "Sup3r-Secret-Pa55!"
HASH = "aGFzaC12YWx1ZS1mb3ItdGVzdHM="


def _signup_request(password: str = PASSWORD) -> SignUpRequest:
    checked = validate_signup(
        SignUpInput(
            ResendInput("client1", "alice"),
            password=Secret(password),
            user_attributes=[("email", "alice@example.com")],
        )
    )
    assert checked.request is not None
    return checked.request.with_secret_hash(Secret(HASH))


def _confirm_request() -> ConfirmRequest:
    checked = validate_confirm(ConfirmInput(ResendInput("client1", "alice"), "123456"))
    assert checked.request is not None
    return checked.request


def _attempt(kind: AttemptKind) -> Attempt:
    return Attempt(
        profile="p", username="alice", client_id="client1", region=REGION, endpoint_url=URL,
        kind=kind,
    )  # fmt: skip


class _Harness:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.gateway = CognitoGateway(
            GatewayConfig(max_attempts=3, backoff_base=0.01, backoff_cap=0.02),
            sleep=self.sleeps.append,
            rng=random.Random(7),
        )
        self.stubber = Stubber(self.gateway._client(REGION, URL))
        self.stubber.activate()

    def error(self, method: str, code: str, message: str = "boom", status: int = 400) -> None:
        self.stubber.add_client_error(
            method, service_error_code=code, service_message=message,
            http_status_code=status, response_meta={"RequestId": f"req-{code}"},
        )  # fmt: skip


@pytest.fixture
def harness() -> Iterator[_Harness]:
    h = _Harness()
    yield h
    h.stubber.deactivate()


_META = {"RequestId": "req-ok", "HTTPStatusCode": 200}


def test_signup_delivers_the_first_code(harness: _Harness) -> None:
    harness.stubber.add_response(
        "sign_up",
        {"UserConfirmed": False, "UserSub": "sub-1",
         "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL",
                                 "AttributeName": "email"},
         "ResponseMetadata": _META},
        expected_params={"ClientId": "client1", "Username": "alice", "Password": PASSWORD,
                         "SecretHash": HASH,
                         "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}]},
    )  # fmt: skip
    result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), signup_call(_signup_request()))
    assert result.status is Status.DELIVERED
    assert result.delivery is not None and result.delivery.medium is DeliveryMedium.EMAIL
    assert result.request_id == "req-ok" and result.kind is AttemptKind.SIGNUP
    assert "User sub: sub-1" in result.notes and "Confirmed: no" in result.notes
    assert PASSWORD not in repr(result) and HASH not in repr(result)


@pytest.mark.parametrize(("confirmed", "words"), [(True, "confirmed the user at once"),
                                                  (False, "verifies no attribute")])
def test_signup_without_a_code(harness: _Harness, confirmed: bool, words: str) -> None:
    harness.stubber.add_response(
        "sign_up", {"UserConfirmed": confirmed, "UserSub": "sub-2", "ResponseMetadata": _META}
    )
    result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), signup_call(_signup_request()))
    assert result.status is Status.SUCCEEDED and result.outcome_label == "Signed up"
    assert words in result.notes


def test_answers_botocore_could_not_read_are_malformed() -> None:
    # botocore turns an unparseable body into {"message": body} (the Stubber cannot send one).
    for parse in (parse_signup, parse_confirm):
        outcome = parse({"message": "<html>", "ResponseMetadata": _META})
        assert outcome.failure is not None and outcome.failure.code == "MalformedResponse"
        assert "<html>" in outcome.failure.aws_message and outcome.request_id == "req-ok"


def test_password_and_hash_never_reach_the_failure(harness: _Harness) -> None:
    harness.error("sign_up", "InvalidParameterException", f"bad {PASSWORD} and {HASH}")
    result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), signup_call(_signup_request()))
    assert result.failure is not None
    assert PASSWORD not in result.failure.aws_message and HASH not in result.failure.aws_message
    assert "••••••" in result.failure.aws_message


def test_unexpected_exception_text_is_scrubbed_in_the_log(
    harness: _Harness, caplog: pytest.LogCaptureFixture
) -> None:
    call = signup_call(_signup_request())

    def explode(response: object) -> object:
        raise RuntimeError(f"echo {PASSWORD}")

    client = harness.gateway._client(REGION, URL)
    harness.stubber.deactivate()
    original = client.sign_up
    client.sign_up = lambda **kw: explode(kw)
    try:
        with caplog.at_level(logging.ERROR):
            result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), call)
    finally:
        client.sign_up = original
        harness.stubber.activate()
    assert result.failure is not None and result.failure.code == "UnknownError"
    assert PASSWORD not in result.failure.aws_message
    assert PASSWORD not in caplog.text and "during SignUp" in caplog.text


def test_signup_retries_throttling_but_not_internal_errors(harness: _Harness) -> None:
    harness.error("sign_up", "TooManyRequestsException")
    harness.stubber.add_response(
        "sign_up", {"UserConfirmed": False, "UserSub": "s", "ResponseMetadata": _META}
    )
    result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), signup_call(_signup_request()))
    assert result.status is Status.SUCCEEDED and result.retries == 1
    # InternalError is retryable for a resend, but a SignUp may already have created the user.
    harness.error("sign_up", "InternalErrorException", status=500)
    result = harness.gateway.call(_attempt(AttemptKind.SIGNUP), signup_call(_signup_request()))
    assert result.failure is not None and result.failure.code == "InternalErrorException"
    assert result.retries == 0
    harness.stubber.assert_no_pending_responses()


def test_confirm_succeeds(harness: _Harness) -> None:
    harness.stubber.add_response(
        "confirm_sign_up", {"ResponseMetadata": _META},
        expected_params={"ClientId": "client1", "Username": "alice",
                         "ConfirmationCode": "123456"},
    )  # fmt: skip
    result = harness.gateway.call(_attempt(AttemptKind.CONFIRM), confirm_call(_confirm_request()))
    assert result.status is Status.SUCCEEDED and result.outcome_label == "Confirmed"
    assert result.delivery is None and result.request_id == "req-ok"


@pytest.mark.parametrize(
    ("code", "message", "title", "severity"),
    [("CodeMismatchException", "Invalid verification code provided, please try again.",
      "Wrong code", Severity.ERROR),
     ("ExpiredCodeException", "Invalid code provided, please request a code again.",
      "Code expired", Severity.ERROR),
     ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED",
      "Already confirmed", Severity.INFO)],
)  # fmt: skip
def test_confirm_failures_are_decoded(
    harness: _Harness, code: str, message: str, title: str, severity: Severity
) -> None:
    harness.error("confirm_sign_up", code, message)
    result = harness.gateway.call(_attempt(AttemptKind.CONFIRM), confirm_call(_confirm_request()))
    assert result.status is Status.FAILED and result.failure is not None
    assert (result.failure.title, result.failure.severity) == (title, severity)
    assert result.failure.aws_message == message and result.retries == 0


def test_confirm_with_session_scrubs_it(harness: _Harness) -> None:
    session = "S" * 40
    request = replace(_confirm_request(), session=Secret(session))
    harness.error("confirm_sign_up", "InvalidParameterException", f"echo {session}")
    result = harness.gateway.call(_attempt(AttemptKind.CONFIRM), confirm_call(request))
    assert result.failure is not None and session not in result.failure.aws_message
