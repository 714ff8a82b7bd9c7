"""Narrow mapping cases of CognitoGateway, with botocore's Stubber (no network)."""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator

import pytest
from botocore import exceptions as bex
from botocore.parsers import ResponseParserError
from botocore.stub import Stubber
from urllib3.exceptions import NewConnectionError

from app.core.outcome import Attempt, FailureKind, Status
from app.core.request import ResendInput, ResendRequest, validate
from app.core.secrets import Secret, compute_secret_hash
from app.services.cognito_failures import map_exception
from app.services.cognito_gateway import CognitoGateway, GatewayConfig

REGION = "eu-west-1"
URL = "http://127.0.0.1:9"
HASH = compute_secret_hash("alice", "client1", Secret("s3cr3t-value")).reveal()


def _request(secret: bool = False) -> ResendRequest:
    request = validate(ResendInput(client_id="client1", username="alice")).request
    assert request is not None
    return request.with_secret_hash(Secret(HASH)) if secret else request


def _attempt(region: str = REGION) -> Attempt:
    return Attempt(profile="p", username="alice", client_id="client1", region=region,
                   endpoint_url=URL)


class _Harness:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.gateway = CognitoGateway(
            GatewayConfig(max_attempts=3, backoff_base=0.5, backoff_cap=0.8),
            sleep=self.sleeps.append,
            rng=random.Random(7),
        )
        self.stubber = Stubber(self.gateway._client(REGION, URL))
        self.stubber.activate()

    def ok(self, medium: str = "EMAIL") -> None:
        self.stubber.add_response(
            "resend_confirmation_code",
            {"CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": medium,
                                     "AttributeName": "email"},
             "ResponseMetadata": {"RequestId": "req-ok", "HTTPStatusCode": 200}},
        )

    def error(self, code: str, status: int = 400, message: str = "boom") -> None:
        self.stubber.add_client_error(
            "resend_confirmation_code", service_error_code=code, service_message=message,
            http_status_code=status, response_meta={"RequestId": f"req-{code}"},
        )


@pytest.fixture
def harness() -> Iterator[_Harness]:
    h = _Harness()
    yield h
    h.stubber.deactivate()


def test_delivery_details_are_parsed(harness: _Harness) -> None:
    harness.ok()
    result = harness.gateway.send(_attempt(), _request())
    assert result.status is Status.DELIVERED
    assert result.delivery is not None and result.delivery.destination == "a***@e***"
    assert result.request_id == "req-ok" and result.http_status == 200
    harness.stubber.assert_no_pending_responses()


def test_unknown_delivery_medium_becomes_none(harness: _Harness) -> None:
    harness.ok(medium="CARRIER_PIGEON")
    result = harness.gateway.send(_attempt(), _request())
    assert result.status is Status.DELIVERED
    assert result.delivery is not None and result.delivery.medium is None


def test_client_error_keeps_code_message_request_id_and_status(harness: _Harness) -> None:
    harness.error("CodeDeliveryFailureException", message="Unable to send")
    result = harness.gateway.send(_attempt(), _request())
    assert result.failure is not None
    assert (result.failure.code, result.failure.aws_message) == (
        "CodeDeliveryFailureException", "Unable to send")
    assert (result.request_id, result.http_status) == ("req-CodeDeliveryFailureException", 400)
    assert harness.sleeps == []


def test_unknown_code_is_unknown_error_with_the_code_kept(harness: _Harness) -> None:
    harness.error("BrandNewException")
    result = harness.gateway.send(_attempt(), _request())
    assert result.failure is not None and result.failure.title == "Unknown error"
    assert result.failure.code == "BrandNewException"


def test_throttle_retries_with_capped_jittered_backoff(harness: _Harness) -> None:
    harness.error("TooManyRequestsException")
    harness.error("TooManyRequestsException")
    harness.ok()
    result = harness.gateway.send(_attempt(), _request())
    assert result.status is Status.DELIVERED and result.retries == 2
    assert len(harness.sleeps) == 2
    assert 0.0 <= harness.sleeps[0] <= 0.5 and 0.0 <= harness.sleeps[1] <= 0.8


@pytest.mark.parametrize("code", ["LimitExceededException", "NotAuthorizedException",
                                  "InvalidParameterException", "UserNotFoundException"])
def test_4xx_is_never_retried(harness: _Harness, code: str) -> None:
    harness.error(code)
    harness.ok()  # would be consumed by a retry
    result = harness.gateway.send(_attempt(), _request())
    assert result.failure is not None and result.failure.code == code
    assert result.retries == 0 and harness.sleeps == []


def test_5xx_with_a_foreign_code_is_an_http_error_and_retried(harness: _Harness) -> None:
    harness.error("ServiceUnavailable", status=503, message="Service Unavailable")
    harness.error("ServiceUnavailable", status=503, message="Service Unavailable")
    harness.error("ServiceUnavailable", status=503, message="Service Unavailable")
    result = harness.gateway.send(_attempt(), _request())
    assert result.failure is not None and result.failure.code == "HttpError"
    assert "ServiceUnavailable" in result.failure.aws_message
    assert result.http_status == 503 and result.retries == 2


def test_missing_region_is_reported_without_a_call(harness: _Harness) -> None:
    result = harness.gateway.send(_attempt(region=" "), _request())
    assert result.failure is not None and result.failure.code == "NoRegion"
    assert result.failure.kind is FailureKind.INPUT


def _endpoint_error(inner: BaseException) -> bex.EndpointConnectionError:
    return bex.EndpointConnectionError(endpoint_url=URL, error=inner)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (bex.ConnectTimeoutError(endpoint_url=URL, error="t"), "ConnectTimeout"),
        (bex.ReadTimeoutError(endpoint_url=URL, error="t"), "ReadTimeout"),
        (bex.SSLError(endpoint_url=URL, error="cert"), "TlsError"),
        (bex.ConnectionClosedError(endpoint_url=URL), "ConnectionDropped"),
        (bex.HTTPClientError(error="ProtocolError('Connection aborted.')"), "ConnectionDropped"),
        (_endpoint_error(ConnectionRefusedError(111, "refused")), "EndpointUnreachable"),
        (_endpoint_error(socket.gaierror(-2, "Name or service not known")), "DnsFailure"),
        (_endpoint_error(NewConnectionError(None, "Failed to establish")),  # type: ignore[arg-type]
         "EndpointUnreachable"),
        (ResponseParserError("Unable to parse"), "MalformedResponse"),
        (bex.NoRegionError(), "NoRegion"),
        (ValueError("Invalid endpoint: htp:/x"), "InvalidEndpointUrl"),
        (bex.ParamValidationError(report="Invalid length for parameter Username"),
         "ParamValidation"),
        (RuntimeError("something odd"), "UnknownError"),
    ],
)
def test_exceptions_map_to_the_catalog(exc: BaseException, code: str) -> None:
    failure = map_exception(exc)
    assert failure.code == code
    assert failure.title


def test_unknown_exception_names_its_type_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    try:
        {}["weird"]
    except KeyError as exc:
        failure = map_exception(exc)
    assert failure.aws_message.startswith("KeyError")
    assert "Traceback" not in failure.aws_message
    assert "Traceback" in caplog.text and "KeyError" in caplog.text


def test_secret_hash_never_reaches_a_message(caplog: pytest.LogCaptureFixture) -> None:
    report = f"Invalid type for parameter SecretHash, value: {HASH}, type: <class 'str'>"
    failure = map_exception(bex.ParamValidationError(report=report), secret_hash=HASH)
    assert HASH not in failure.aws_message
    failure = map_exception(RuntimeError(f"echo {HASH}"), secret_hash=HASH)
    assert HASH not in failure.aws_message
    assert HASH not in caplog.text


def test_send_logs_no_request_parameters(
    harness: _Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    harness.ok()
    harness.gateway.send(_attempt(), _request(secret=True))
    assert HASH not in caplog.text
    assert "alice" in caplog.text  # the outcome line is there, naming who


def test_the_default_read_timeout_outlasts_cognitos_trigger_retries() -> None:
    """A hung CustomMessage trigger is answered after 3 tries of 5 s: the app must wait for
    that answer (UnexpectedLambdaException names the trigger) rather than time out first."""
    from app.sandbox.trigger import COGNITO_TIMEOUT_S, COGNITO_TRIES

    assert GatewayConfig().read_timeout > COGNITO_TIMEOUT_S * COGNITO_TRIES + 2
