"""The error catalog covers botocore's model for ResendConfirmationCode and explains well."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.errors import CLIENT_ERRORS, SERVICE_ERRORS, decode, lookup
from app.core.outcome import FailureKind

botocore_session = pytest.importorskip("botocore.session")


@pytest.fixture(scope="module")
def model_errors() -> set[str]:
    model = botocore_session.get_session().get_service_model("cognito-idp")
    op: Any = model.operation_model("ResendConfirmationCode")
    return {shape.name for shape in op.error_shapes}


def test_every_model_error_is_explained(model_errors: set[str]) -> None:
    missing = model_errors - set(SERVICE_ERRORS)
    assert not missing, f"AWS lists errors the catalog does not explain: {sorted(missing)}"
    for code in model_errors:
        entry = SERVICE_ERRORS[code]
        assert entry.title.strip() and entry.cause.strip() and entry.remedy.strip(), code
        assert entry.kind is FailureKind.SERVICE, code


def test_catalog_has_no_stale_codes(model_errors: set[str]) -> None:
    assert set(SERVICE_ERRORS) <= model_errors, sorted(set(SERVICE_ERRORS) - model_errors)


def test_model_still_lists_sixteen_errors(model_errors: set[str]) -> None:
    # DESIGN.md says 16; if AWS changes the list, the docs need a look too.
    assert len(model_errors) == 16


def test_retry_advice() -> None:
    assert lookup("LimitExceededException").retryable is False
    assert lookup("TooManyRequestsException").retryable is True
    assert decode("LimitExceededException", "Attempt limit exceeded, please try after some "
                  "time.").retryable is False  # fmt: skip


@pytest.mark.parametrize(
    ("code", "message", "title"),
    [
        ("NotAuthorizedException", "Unable to verify secret hash for client abc",
         "Wrong client secret"),
        ("NotAuthorizedException",
         "Client abc is configured with secret but SECRET_HASH was not received",
         "Client secret missing"),
        ("InvalidParameterException", "User is already confirmed.", "Already confirmed"),
        ("NotAuthorizedException", "Client abc is disabled", "Not authorized"),
        ("NotAuthorizedException", "", "Not authorized"),
        ("InvalidParameterException", "1 validation error detected", "Request refused"),
        # A refinement belongs to its code only.
        ("UserNotFoundException", "User is already confirmed.", "User not found"),
    ],
)  # fmt: skip
def test_message_refinements(code: str, message: str, title: str) -> None:
    failure = decode(code, message, request_id="rid-1", http_status=400)
    assert failure.title == title
    assert failure.code == code
    assert failure.aws_message == message
    assert (failure.request_id, failure.http_status) == ("rid-1", 400)


def test_unknown_code_keeps_code_and_message_verbatim() -> None:
    message = "Something  new\nhappened: <b>&amp;</b> ✓"
    failure = decode("BrandNewException", message, request_id="r", http_status=418)
    assert failure.title == "Unknown error"
    assert failure.code == "BrandNewException"
    assert failure.aws_message == message
    assert failure.http_status == 418
    assert failure.cause and failure.remedy


@pytest.mark.parametrize(
    "code",
    ["EndpointUnreachable", "ConnectTimeout", "ReadTimeout", "NoRegion", "InvalidEndpointUrl",
     "TlsError", "ParamValidation", "UnknownError", "DnsFailure", "MalformedResponse",
     "ConnectionDropped"],
)  # fmt: skip
def test_client_side_codes_present(code: str) -> None:
    entry = CLIENT_ERRORS[code]
    assert entry.title.strip() and entry.cause.strip() and entry.remedy.strip()
    assert decode(code).title == entry.title


def test_client_and_service_codes_do_not_overlap() -> None:
    assert not set(CLIENT_ERRORS) & set(SERVICE_ERRORS)


def test_input_failures_are_input_kind() -> None:
    for code in ("NoRegion", "InvalidEndpointUrl", "ParamValidation"):
        assert decode(code).kind is FailureKind.INPUT
    for code in ("EndpointUnreachable", "ReadTimeout", "TlsError", "DnsFailure"):
        assert decode(code).kind is FailureKind.NETWORK


def test_read_timeout_not_retried_automatically() -> None:
    # The code may already have gone out; an automatic retry could burn an attempt.
    assert decode("ReadTimeout").retryable is False
    assert decode("ConnectionDropped").retryable is False
