"""The error catalog covers botocore's model for resend, sign-up and confirm; explains well."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.errors import (
    CATALOGUED_OPERATIONS,
    CLIENT_ERRORS,
    SERVICE_ERRORS,
    decode,
    lookup,
)
from app.core.outcome import FailureKind, Severity

botocore_session = pytest.importorskip("botocore.session")


@pytest.fixture(scope="module")
def errors_by_operation() -> dict[str, set[str]]:
    model = botocore_session.get_session().get_service_model("cognito-idp")
    out: dict[str, set[str]] = {}
    for name in CATALOGUED_OPERATIONS:
        op: Any = model.operation_model(name)
        out[name] = {shape.name for shape in op.error_shapes}
    return out


@pytest.fixture(scope="module")
def model_errors(errors_by_operation: dict[str, set[str]]) -> set[str]:
    return set().union(*errors_by_operation.values())


def test_catalogue_covers_resend_signup_and_confirm() -> None:
    assert set(CATALOGUED_OPERATIONS) >= {"ResendConfirmationCode", "SignUp", "ConfirmSignUp"}


def test_every_model_error_is_explained(model_errors: set[str]) -> None:
    missing = model_errors - set(SERVICE_ERRORS)
    assert not missing, f"AWS lists errors the catalog does not explain: {sorted(missing)}"
    for code in model_errors:
        entry = SERVICE_ERRORS[code]
        assert entry.title.strip() and entry.cause.strip() and entry.remedy.strip(), code
        assert entry.kind is FailureKind.SERVICE, code


def test_catalog_has_no_stale_codes(model_errors: set[str]) -> None:
    assert set(SERVICE_ERRORS) <= model_errors, sorted(set(SERVICE_ERRORS) - model_errors)


@pytest.mark.parametrize(
    ("operation", "count"),
    [("ResendConfirmationCode", 16), ("SignUp", 17), ("ConfirmSignUp", 16)],
)
def test_model_error_counts(
    errors_by_operation: dict[str, set[str]], operation: str, count: int
) -> None:
    # DESIGN.md says 16 for resend; if AWS changes a list, the docs need a look too.
    assert len(errors_by_operation[operation]) == count


@pytest.mark.parametrize(
    ("code", "message", "title"),
    [("CodeMismatchException", "Invalid verification code provided, please try again.",
      "Wrong code"),
     ("ExpiredCodeException", "Invalid code provided, please request a code again.",
      "Code expired"),
     ("TooManyFailedAttemptsException", "", "Too many wrong codes"),
     ("AliasExistsException", "An account with the given email already exists.",
      "Email or phone already in use"),
     ("UsernameExistsException", "User already exists", "Username already taken"),
     ("NotAuthorizedException", "SignUp is not permitted for this user pool",
      "Self sign-up is off")],
)  # fmt: skip
def test_signup_and_confirm_errors(code: str, message: str, title: str) -> None:
    failure = decode(code, message)
    assert failure.title == title
    assert failure.kind is FailureKind.SERVICE
    assert failure.severity is Severity.ERROR
    assert failure.aws_message == message


@pytest.mark.parametrize(
    ("code", "message"),
    [("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"),
     ("InvalidParameterException", "User is already confirmed.")],
)  # fmt: skip
def test_already_confirmed_is_information(code: str, message: str) -> None:
    failure = decode(code, message)
    assert failure.title == "Already confirmed"
    assert failure.severity is Severity.INFO


@pytest.mark.parametrize(
    ("message", "policy"),
    [("Password did not conform with policy: Password not long enough",
      "Password not long enough"),
     ("Password did not conform with policy: Password must have symbol characters",
      "Password must have symbol characters"),
     ("Password must have uppercase characters", "Password must have uppercase characters")],
)  # fmt: skip
def test_invalid_password_says_the_policy(message: str, policy: str) -> None:
    failure = decode("InvalidPasswordException", message)
    assert failure.title == "Password breaks the pool's policy"
    assert failure.cause.endswith(f"Cognito says: {policy}")
    assert decode("InvalidPasswordException").cause == lookup("InvalidPasswordException").cause


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


def test_a_refused_hash_that_was_never_sent_is_a_missing_secret() -> None:
    message = "Unable to verify secret hash for client abc"
    assert decode("NotAuthorizedException", message).title == "Wrong client secret"
    assert decode("NotAuthorizedException", message, secret_hash_sent=True).title == (
        "Wrong client secret"
    )
    missing = decode("NotAuthorizedException", message, secret_hash_sent=False)
    assert missing.title == "Client secret missing"
    assert missing.aws_message == message
    # Only that message: another NotAuthorized stays what it is.
    other = decode("NotAuthorizedException", "User is disabled.", secret_hash_sent=False)
    assert other.title != "Client secret missing"
