"""CognitoGateway against the sandbox over real HTTP: every outcome decoded, retries bounded."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from app.core.outcome import Attempt, DeliveryMedium, FailureKind, Status
from app.core.request import ResendInput, ResendRequest, validate
from app.core.secrets import Secret, compute_secret_hash
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig

# Every test here must finish well within this; a hanging retry loop fails instead.
pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def gateway(no_aws_credentials: None) -> Iterator[CognitoGateway]:
    # Tiny backoff: the tests prove which errors are retried, not how long we wait.
    yield CognitoGateway(
        GatewayConfig(connect_timeout=2.0, read_timeout=5.0, backoff_base=0.01, backoff_cap=0.05)
    )


def _call(
    gateway: CognitoGateway,
    sandbox: Sandbox,
    username: str,
    *,
    client: str = "public",
    secret: str | None | bool = True,
    endpoint_url: str | None = None,
) -> Attempt:
    """Send one resend as the app would; `secret=True` uses the client's real secret."""
    info = sandbox.info
    seeded = info.client(client)
    checked = validate(ResendInput(client_id=seeded.client_id, username=username))
    assert checked.request is not None, checked.errors
    request: ResendRequest = checked.request
    key = seeded.client_secret if secret is True else (secret or None)
    if key:
        request = request.with_secret_hash(
            compute_secret_hash(username, seeded.client_id, Secret(str(key)))
        )
    attempt = Attempt(
        profile="test",
        username=username,
        client_id=seeded.client_id,
        region=info.region,
        endpoint_url=endpoint_url or info.endpoint_url,
        used_secret_hash=request.secret_hash is not None,
    )
    return gateway.send(attempt, request)


def _failure_code(attempt: Attempt) -> str:
    assert attempt.status is Status.FAILED, attempt
    assert attempt.failure is not None
    return attempt.failure.code


# -- success ---------------------------------------------------------------------------------


def test_public_client_delivers_by_email(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "alice")
    assert result.status is Status.DELIVERED
    assert result.delivery is not None
    assert result.delivery.medium is DeliveryMedium.EMAIL
    assert result.delivery.attribute_name == "email"
    assert "***" in result.delivery.destination  # Cognito masks it
    assert result.request_id and result.http_status == 200
    assert result.retries == 0 and result.latency_ms is not None
    [message] = fresh_sandbox.inbox("alice")
    assert message.client_id == fresh_sandbox.info.client("public").client_id


def test_secret_client_delivers_with_computed_hash(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    result = _call(gateway, fresh_sandbox, "bob", client="secret")
    assert result.status is Status.DELIVERED, result.failure
    assert result.delivery is not None and result.delivery.medium is DeliveryMedium.SMS
    assert result.used_secret_hash
    assert len(fresh_sandbox.inbox("bob")) == 1


def test_client_is_reused_per_region_and_endpoint(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    info = fresh_sandbox.info
    gateway.warm_up(info.region, info.endpoint_url)
    first = gateway._client(info.region, info.endpoint_url)
    _call(gateway, fresh_sandbox, "alice")
    assert gateway._client(info.region, info.endpoint_url) is first
    assert gateway._client(info.region, info.endpoint_url + "/") is not first


# -- Cognito errors --------------------------------------------------------------------------


def test_wrong_secret(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "alice", client="secret", secret="not-the-secret")
    assert _failure_code(result) == "NotAuthorizedException"
    assert result.failure is not None
    assert result.failure.title == "Wrong client secret"
    assert result.failure.aws_message.startswith("Unable to verify secret hash")
    assert result.http_status == 400 and result.request_id
    assert fresh_sandbox.inbox() == []


def test_missing_secret(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "alice", client="secret", secret=None)
    assert _failure_code(result) == "NotAuthorizedException"
    # Cognito (and the sandbox) answer a missing hash as a wrong one: "Unable to verify
    # secret hash for client <id>" (COGNITO.md, SecretHash). The app knows it sent none,
    # so it says the secret is missing, not wrong.
    assert result.failure is not None and result.failure.title == "Client secret missing"
    assert result.failure.aws_message.startswith("Unable to verify secret hash")


def test_unknown_user_is_an_error_for_the_public_client(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    result = _call(gateway, fresh_sandbox, "nobody-here")
    assert _failure_code(result) == "UserNotFoundException"
    assert result.failure is not None and result.failure.kind is FailureKind.SERVICE


@pytest.mark.parametrize("client", ["protected", "secret"])
def test_unknown_user_gets_a_simulated_delivery(
    gateway: CognitoGateway, fresh_sandbox: Sandbox, client: str
) -> None:
    result = _call(gateway, fresh_sandbox, "nobody-here", client=client)
    assert result.status is Status.DELIVERED
    assert result.delivery is not None and result.delivery.destination
    assert fresh_sandbox.inbox() == []  # nothing was really sent


def test_already_confirmed(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "carol")
    assert _failure_code(result) == "InvalidParameterException"
    assert result.failure is not None and result.failure.title == "Already confirmed"


@pytest.mark.parametrize(
    ("fault", "code", "status"),
    [
        ("delivery", "CodeDeliveryFailureException", 400),
        ("lambda-unexpected", "UnexpectedLambdaException", 400),
        ("lambda-validation", "UserLambdaValidationException", 400),
        ("lambda-response", "InvalidLambdaResponseException", 400),
        ("sms-role-policy", "InvalidSmsRoleAccessPolicyException", 400),
        ("sms-role-trust", "InvalidSmsRoleTrustRelationshipException", 400),
        ("email-role-policy", "InvalidEmailRoleAccessPolicyException", 400),
        ("forbidden", "ForbiddenException", 403),
        ("not-enabled", "OperationNotEnabledException", 400),
    ],
)
def test_service_errors_are_decoded_and_not_retried(
    gateway: CognitoGateway, fresh_sandbox: Sandbox, fault: str, code: str, status: int
) -> None:
    # A second, clean call would deliver to alice: an empty inbox proves one call only.
    fresh_sandbox.inject(fault)
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == code
    assert result.http_status == status and result.request_id
    assert result.retries == 0
    assert result.failure is not None and result.failure.title != "Unknown error"
    assert fresh_sandbox.inbox() == []


def test_limit_exceeded_is_never_retried(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.inject("limit")
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == "LimitExceededException"
    assert result.retries == 0
    assert fresh_sandbox.inbox() == []


def test_real_attempt_limit_is_not_retried(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    # The session sandbox allows 5 resends per user and window.
    outcomes = [_call(gateway, fresh_sandbox, "qa-user-001").status for _ in range(6)]
    assert outcomes == [Status.DELIVERED] * 5 + [Status.FAILED]
    last = _call(gateway, fresh_sandbox, "qa-user-001")
    assert _failure_code(last) == "LimitExceededException" and last.retries == 0
    assert len(fresh_sandbox.inbox("qa-user-001")) == 5


# -- retried ---------------------------------------------------------------------------------


def test_one_throttle_is_retried_then_delivered(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject("throttle")
    result = _call(gateway, fresh_sandbox, "alice")
    assert result.status is Status.DELIVERED
    assert result.retries == 1
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_throttling_beyond_the_budget_fails_after_max_attempts(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    budget = gateway.config.max_attempts
    fresh_sandbox.inject(*["throttle"] * budget)
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == "TooManyRequestsException"
    assert result.retries == budget - 1
    # The budget is spent exactly: the next call meets no queued fault.
    assert _call(gateway, fresh_sandbox, "alice").status is Status.DELIVERED


@pytest.mark.parametrize("fault", ["internal", "http-500", "http-503"])
def test_server_errors_are_retried(
    gateway: CognitoGateway, fresh_sandbox: Sandbox, fault: str
) -> None:
    fresh_sandbox.inject(fault)
    result = _call(gateway, fresh_sandbox, "alice")
    assert result.status is Status.DELIVERED, result.failure
    assert result.retries == 1


@pytest.mark.parametrize(("fault", "code"), [("internal", "InternalErrorException"),
                                             ("http-500", "HttpError")])
def test_persistent_server_error_is_decoded(
    gateway: CognitoGateway, fresh_sandbox: Sandbox, fault: str, code: str
) -> None:
    fresh_sandbox.inject(*[fault] * gateway.config.max_attempts)
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == code
    assert result.http_status == 500
    assert result.retries == gateway.config.max_attempts - 1


# -- network and wire faults -----------------------------------------------------------------


def test_read_timeout_is_not_retried(fresh_sandbox: Sandbox, no_aws_credentials: None) -> None:
    gateway = CognitoGateway(GatewayConfig(read_timeout=0.5, backoff_base=0.01))
    fresh_sandbox.inject("slow-2")
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == "ReadTimeout"
    assert result.failure is not None and result.failure.kind is FailureKind.NETWORK
    assert result.retries == 0
    # The slow call still completes on the server: the code *was* sent, exactly once.
    deadline = time.monotonic() + 10
    while not fresh_sandbox.inbox("alice") and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_dropped_connection_is_not_retried(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject("drop")
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == "ConnectionDropped"
    assert result.retries == 0
    assert fresh_sandbox.inbox() == []


def test_malformed_body(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.inject("malformed")
    result = _call(gateway, fresh_sandbox, "alice")
    assert _failure_code(result) == "MalformedResponse"
    assert result.retries == 0 and result.http_status == 200


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_retried_then_reported(
    gateway: CognitoGateway, fresh_sandbox: Sandbox
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = _call(gateway, fresh_sandbox, "alice", endpoint_url=url)
    assert _failure_code(result) == "EndpointUnreachable"
    assert result.failure is not None and result.failure.kind is FailureKind.NETWORK
    assert result.retries == gateway.config.max_attempts - 1


def test_dns_failure(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "alice", endpoint_url="http://nonexistent.invalid")
    assert _failure_code(result) == "DnsFailure"
    assert result.retries == 0


def test_invalid_endpoint_url(gateway: CognitoGateway, fresh_sandbox: Sandbox) -> None:
    result = _call(gateway, fresh_sandbox, "alice", endpoint_url="not a url")
    assert _failure_code(result) == "InvalidEndpointUrl"
    assert result.failure is not None and result.failure.kind is FailureKind.INPUT
