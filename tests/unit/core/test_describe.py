"""describe_attempt: what happened, in words, with AWS's own words kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings

from app.core.describe import describe_attempt
from app.core.errors import decode
from app.core.outcome import (
    SIMULATED_DELIVERY_CAUTION,
    Attempt,
    AttemptKind,
    DeliveryDetails,
    DeliveryMedium,
    Status,
)

from .strategies import attempts

START = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def _attempt(**kw: object) -> Attempt:
    values: dict[str, object] = {
        "profile": "QA pool", "username": "alice", "client_id": "abc123",
        "region": "eu-west-1", "started_at": START, **kw,
    }  # fmt: skip
    return Attempt(**values)  # type: ignore[arg-type]


def test_delivery() -> None:
    a = _attempt(client_metadata=(("source", "qa"), ("lang", "de")), batch_id="b-7").delivered(
        DeliveryDetails("a***@e***", DeliveryMedium.EMAIL, "email"),
        request_id="req-1",
        http_status=200,
        finished_at=datetime(2025, 3, 4, 5, 6, 7, 250000, tzinfo=UTC),
    )
    text = describe_attempt(a)
    assert text.startswith("Outcome: Delivered")
    for part in ["EMAIL", "a***@e***", "Attribute: email", SIMULATED_DELIVERY_CAUTION,
                 "HTTP status: 200", "Request ID: req-1", "Latency: 250 ms",
                 "Started: 2025-03-04 05:06:07 UTC", "Profile: QA pool", "Username: alice",
                 "Client ID: abc123", "Region: eu-west-1", "Client metadata keys: source, lang",
                 "SecretHash: not used", "Batch: b-7", f"Attempt ID: {a.attempt_id}"]:  # fmt: skip
        assert part in text, part
    assert "What happened" not in text


def test_failure_shows_explanation_and_aws_words() -> None:
    message = "Attempt limit exceeded, please try after some time."
    failure = decode("LimitExceededException", message, request_id="req-42", http_status=400)
    a = _attempt(endpoint_url="http://127.0.0.1:9229", used_secret_hash=True).failed(
        failure, finished_at=START
    )
    text = describe_attempt(a)
    assert text.startswith(f"Outcome: {failure.title}")
    for part in [f"What happened: {failure.title}", f"Why: {failure.cause}",
                 f"What to do: {failure.remedy}", f"AWS message: {message}",
                 "Error code: LimitExceededException", "HTTP status: 400", "Request ID: req-42",
                 "Retry: not advised", "Endpoint: http://127.0.0.1:9229",
                 "SecretHash: sent"]:  # fmt: skip
        assert part in text, part
    assert SIMULATED_DELIVERY_CAUTION not in text


def test_failure_status_and_request_id_taken_from_the_failure_if_needed() -> None:
    failure = decode("InternalErrorException", "boom", request_id="rid", http_status=500)
    a = _attempt(status=Status.FAILED, failure=failure)  # built by hand, not via .failed()
    text = describe_attempt(a)
    assert "HTTP status: 500" in text and "Request ID: rid" in text
    assert "Retry: may help" in text


def test_network_failure_without_aws_message() -> None:
    a = _attempt().failed(decode("ConnectTimeout"))
    text = describe_attempt(a)
    # AWS said nothing: no "AWS message" line for a failure on this side (issue 14).
    assert "AWS message" not in text
    assert "Error code: ConnectTimeout" in text
    assert "HTTP status" not in text


def test_pending() -> None:
    text = describe_attempt(_attempt())
    assert text.startswith("Outcome: Pending")
    assert "Latency" not in text


def test_notes_and_multiline_message_kept_verbatim() -> None:
    message = "line one\nline two: {####} <b>"
    a = _attempt(notes="Trigger said: ok").failed(decode("UserLambdaValidationException", message))
    text = describe_attempt(a)
    assert message in text and text.endswith("Trigger said: ok")


@settings(max_examples=80, deadline=None)
@given(attempts())
def test_describe_any_attempt(a: Attempt) -> None:
    text = describe_attempt(a)
    assert text.startswith("Outcome: ")
    assert f"Attempt ID: {a.attempt_id}" in text
    if a.failure is not None:
        assert a.failure.aws_message in text and a.failure.code in text


def test_information_and_sign_up_outcomes_read_as_such() -> None:
    base = Attempt(profile="p", username="u", client_id="c", region="r")
    info = base.failed(decode("InvalidParameterException", "User is already confirmed."))
    assert describe_attempt(info).startswith(
        "Outcome: Already confirmed (information: nothing is wrong)"
    )
    confirmed = replace(base, kind=AttemptKind.CONFIRM).succeeded(request_id="r", http_status=200)
    assert describe_attempt(confirmed).startswith("Outcome: Confirmed")
    signup = replace(base, kind=AttemptKind.SIGNUP).delivered(
        DeliveryDetails("a***", DeliveryMedium.EMAIL, "email"), request_id="r", http_status=200
    )
    # SignUp created the user: its delivery is never a simulated one.
    assert SIMULATED_DELIVERY_CAUTION not in describe_attempt(signup)
