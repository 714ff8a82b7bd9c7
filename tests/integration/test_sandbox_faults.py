"""Faults provoked on purpose, by `fault-<kind>` username and by injection, seen through boto3."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError

from app.sandbox.server import Sandbox

ERROR_FAULTS = [
    ("throttle", 400, "TooManyRequestsException", "Rate exceeded"),
    ("limit", 400, "LimitExceededException", "Attempt limit exceeded, please try after some time."),
    ("delivery", 400, "CodeDeliveryFailureException", None),
    ("internal", 500, "InternalErrorException", None),
    ("lambda-unexpected", 400, "UnexpectedLambdaException", None),
    ("lambda-validation", 400, "UserLambdaValidationException", None),
    ("lambda-response", 400, "InvalidLambdaResponseException", None),
    ("sms-role-policy", 400, "InvalidSmsRoleAccessPolicyException", None),
    ("sms-role-trust", 400, "InvalidSmsRoleTrustRelationshipException", None),
    ("email-role-policy", 400, "InvalidEmailRoleAccessPolicyException", None),
    ("forbidden", 403, "ForbiddenException", None),
    ("not-enabled", 400, "OperationNotEnabledException", None),
]


def _resend(cognito: Any, sandbox: Sandbox, username: str = "alice") -> dict[str, Any]:
    client_id = sandbox.info.client("public").client_id
    answer: dict[str, Any] = cognito.resend_confirmation_code(ClientId=client_id, Username=username)
    return answer


@pytest.mark.parametrize("how", ["username", "inject"])
@pytest.mark.parametrize(("kind", "status", "code", "message"), ERROR_FAULTS)
def test_error_faults(
    fresh_sandbox: Sandbox,
    sandbox_cognito: Any,
    how: str,
    kind: str,
    status: int,
    code: str,
    message: str | None,
) -> None:
    username = f"fault-{kind}" if how == "username" else "alice"
    if how == "inject":
        fresh_sandbox.inject(kind)
    with pytest.raises(ClientError) as caught:
        _resend(sandbox_cognito, fresh_sandbox, username)
    response = caught.value.response
    assert response["Error"]["Code"] == code
    assert response["Error"]["Message"], "every Cognito error carries a message"
    if message is not None:
        assert response["Error"]["Message"] == message
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["RequestId"]
    assert fresh_sandbox.inbox() == []


def test_the_error_list_matches_botocores_model() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("cognito-idp")
    modelled = {
        shape.name for shape in model.operation_model("ResendConfirmationCode").error_shapes
    }
    provoked = {code for _, _, code, _ in ERROR_FAULTS}
    # What a fault cannot provoke is produced by ordinary requests (see the resend tests).
    by_requests = {
        "ResourceNotFoundException",
        "InvalidParameterException",
        "NotAuthorizedException",
        "UserNotFoundException",
    }
    assert provoked | by_requests == modelled


def test_injected_faults_are_used_once_each_in_order(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    fresh_sandbox.inject("throttle", "delivery")
    with pytest.raises(ClientError, match="TooManyRequestsException"):
        _resend(sandbox_cognito, fresh_sandbox)
    with pytest.raises(ClientError, match="CodeDeliveryFailureException"):
        _resend(sandbox_cognito, fresh_sandbox)
    assert _resend(sandbox_cognito, fresh_sandbox)["CodeDeliveryDetails"]["Destination"]
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_reset_drops_queued_faults(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    fresh_sandbox.inject("throttle")
    fresh_sandbox.reset()
    assert _resend(sandbox_cognito, fresh_sandbox)["CodeDeliveryDetails"]


def test_unknown_fault_is_refused(fresh_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault 'nonsense'"):
        fresh_sandbox.inject("throttle", "nonsense")
    with pytest.raises(ValueError, match="delay"):
        fresh_sandbox.inject("slow-forever")


def test_unknown_fault_username_is_just_an_unknown_user(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    with pytest.raises(ClientError, match="UserNotFoundException"):
        _resend(sandbox_cognito, fresh_sandbox, "fault-nonsense")


@pytest.mark.parametrize("how", ["username", "inject"])
def test_http_500_plain_page(fresh_sandbox: Sandbox, sandbox_cognito: Any, how: str) -> None:
    username = "fault-http-500" if how == "username" else "alice"
    if how == "inject":
        fresh_sandbox.inject("http-500")
    with pytest.raises(ClientError) as caught:
        _resend(sandbox_cognito, fresh_sandbox, username)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 500
    # No JSON: botocore falls back to the HTTP status as the code.
    assert response["Error"]["Code"] == "500"


def test_http_503(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    fresh_sandbox.inject("http-503")
    with pytest.raises(ClientError) as caught:
        _resend(sandbox_cognito, fresh_sandbox)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailable"


def test_malformed_body_is_swallowed_by_botocore(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    """A fact the gateway must handle: a 200 with broken JSON raises nothing in botocore."""
    fresh_sandbox.inject("malformed")
    answer = _resend(sandbox_cognito, fresh_sandbox)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "CodeDeliveryDetails" not in answer


@pytest.mark.parametrize("how", ["username", "inject"])
def test_drop_closes_the_connection(fresh_sandbox: Sandbox, sandbox_cognito: Any, how: str) -> None:
    username = "fault-drop" if how == "username" else "alice"
    if how == "inject":
        fresh_sandbox.inject("drop")
    with pytest.raises(ConnectionClosedError):
        _resend(sandbox_cognito, fresh_sandbox, username)
    # The server survives a dropped connection.
    assert _resend(sandbox_cognito, fresh_sandbox)["CodeDeliveryDetails"]


def test_slow_answers_normally_after_the_delay(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    fresh_sandbox.inject("slow-0.4")
    started = time.monotonic()
    answer = _resend(sandbox_cognito, fresh_sandbox)
    assert time.monotonic() - started >= 0.4
    assert answer["CodeDeliveryDetails"]["Destination"] == "a***@e***"
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_slow_username_is_faulted_then_unknown(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    started = time.monotonic()
    with pytest.raises(ClientError, match="UserNotFoundException"):
        _resend(sandbox_cognito, fresh_sandbox, "fault-slow-0.2")
    assert time.monotonic() - started >= 0.2
