"""AWS-side problems decoded, the IAM policy, masking and the "Why didn't it arrive?" list."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.arrival import LogFindings, LogLine, arrival_checklist
from app.core.aws_problems import (
    NO_CREDENTIALS,
    PROFILE_NOT_FOUND,
    SSO_TOKEN_EXPIRED,
    AwsContext,
    decode_aws_problem,
    missing_action,
)
from app.core.iam_policy import READ_ACTIONS, WRITE_ACTIONS, policy_json
from app.core.masking import mask_email, mask_phone
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, FailureKind

from .diagnosis_cases import NOW, POOL

CTX = AwsContext("cognito-idp:ListUsers", aws_profile="qa", region="us-east-1",
                 pool_id="eu-west-1_Abc")  # fmt: skip


def _decoded(code: str, message: str = "", context: AwsContext = CTX) -> tuple[str, str, str]:
    f = decode_aws_problem(code, message, context)
    assert f is not None, code
    assert f.aws_message == message
    return f.title, f.cause, f.remedy


def test_no_credentials_and_missing_profile() -> None:
    title, _, remedy = _decoded(NO_CREDENTIALS, "Unable to locate credentials")
    assert "No AWS credentials" in title and "--aws-profile" in remedy
    title, cause, remedy = _decoded(
        PROFILE_NOT_FOUND, "The config profile (ghost) could not be found"
    )
    assert "'ghost'" in cause and "aws configure --profile ghost" in remedy


def test_expired_sso_names_the_login_to_run() -> None:
    _, _, remedy = _decoded(SSO_TOKEN_EXPIRED, "Error loading SSO Token")
    assert remedy == "Run: aws sso login --profile qa"
    _, _, remedy = _decoded(SSO_TOKEN_EXPIRED, "", replace(CTX, aws_profile=None))
    assert remedy == "Run: aws sso login"


def test_invalid_keys() -> None:
    for code in ("UnrecognizedClientException", "InvalidSignatureException"):
        title, _, _ = _decoded(code, "The security token included in the request is invalid.")
        assert title == "AWS keys not accepted"
        f = decode_aws_problem(code, "", CTX)
        assert f is not None and f.kind is FailureKind.CREDENTIALS


def test_access_denied_names_the_missing_action() -> None:
    message = (
        "User: arn:aws:iam::123456789012:user/support is not authorized to perform: "
        "cognito-idp:AdminConfirmSignUp on resource: arn:aws:cognito-idp:us-east-1:1:userpool/x"
    )
    title, _, remedy = _decoded("AccessDeniedException", message)
    assert title == "Not allowed: cognito-idp:AdminConfirmSignUp"
    assert "cognito-idp:AdminConfirmSignUp" in remedy
    assert (
        missing_action("no action named here", "cognito-idp:ListUsers") == "cognito-idp:ListUsers"
    )


def test_pool_in_another_region() -> None:
    title, cause, _ = _decoded(
        "ResourceNotFoundException", "User pool eu-west-1_Abc does not exist."
    )
    assert title == "User pool not found in this region"
    assert "eu-west-1" in cause and "us-east-1" in cause
    # Any other code is left to the Cognito catalog.
    assert decode_aws_problem("UserNotFoundException", "", CTX) is None
    assert decode_aws_problem("ResourceNotFoundException", "", replace(CTX, pool_id="")) is None
    # A missing app client in an existing pool is not a region problem.
    assert (
        decode_aws_problem("ResourceNotFoundException", "User pool client x does not exist.", CTX)
        is None
    )


def test_policy_lists_read_and_write_actions_separately() -> None:
    doc = json.loads(policy_json(pool_id="us-east-1_Abc", account="123456789012"))
    sids = {s["Sid"]: s for s in doc["Statement"]}
    assert sids["CognitoResendDiagnosis"]["Action"] == list(READ_ACTIONS)
    assert "cognito-idp:ListUsers" in READ_ACTIONS
    assert "cognito-idp:AdminGetUser" not in READ_ACTIONS  # ListUsers has no cost impact
    assert sids["CognitoResendDeliveryLogs"]["Action"] == ["logs:FilterLogEvents"]
    assert sids["CognitoResendSupportActions"]["Action"] == list(WRITE_ACTIONS)
    arn = sids["CognitoResendDiagnosis"]["Resource"]
    assert arn == "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"
    read_only = json.loads(policy_json(include_write=False))
    assert all(s["Sid"] != "CognitoResendSupportActions" for s in read_only["Statement"])


def test_masking_like_cognito() -> None:
    assert mask_email("jane.doe@example.com") == "j***@e***"
    assert mask_email("not-an-email") == "***"
    assert mask_phone("+15555550123") == "+*******0123"


@settings(derandomize=True, deadline=None)
@given(st.emails())
def test_a_masked_email_never_shows_more_than_two_letters(email: str) -> None:
    masked = mask_email(email)
    local, _, domain = email.rpartition("@")
    if len(local) > 1:
        assert local not in masked
    assert masked.count("***") >= 1


def _delivered(medium: DeliveryMedium) -> Attempt:
    return Attempt("p", "alice", "c", "r", started_at=NOW).delivered(
        DeliveryDetails("x", medium, "email"), request_id=None, http_status=200
    )


def test_checklist_from_the_pools_settings() -> None:
    email = arrival_checklist(_delivered(DeliveryMedium.EMAIL), POOL)
    titles = [i.title for i in email]
    assert "Cognito's daily email cap" in titles
    assert "Amazon SES sandbox" not in titles and "A link, not a code" not in titles
    assert any("no-reply@verificationemail.com" in i.detail for i in email)
    for always in ("It can take a minute or two", "A code is valid for 24 hours",
                   "Only the newest code works"):  # fmt: skip
        assert always in titles
    link = arrival_checklist(
        _delivered(DeliveryMedium.EMAIL), replace(POOL, default_email_option="CONFIRM_WITH_LINK")
    )
    assert "A link, not a code" in [i.title for i in link]
    ses = arrival_checklist(
        _delivered(DeliveryMedium.EMAIL), replace(POOL, email_sending_account="DEVELOPER")
    )
    assert "Amazon SES sandbox" in [i.title for i in ses]
    sms = [i.title for i in arrival_checklist(_delivered(DeliveryMedium.SMS), POOL)]
    assert "SNS SMS sandbox and spend limit" in sms and "Cognito's daily email cap" not in sms
    trigger = arrival_checklist(
        _delivered(DeliveryMedium.EMAIL), replace(POOL, custom_message_lambda="arn:f")
    )
    assert "A trigger may have changed the text" in [i.title for i in trigger]
    assert "A trigger may have changed the text" not in titles


def test_checklist_puts_logged_delivery_errors_first() -> None:
    bounce = LogLine(NOW + timedelta(seconds=3), '{"eventType":"Bounce","username":"grace"}')
    logs = LogFindings(delivery_errors=(bounce,), trigger_lines=())
    items = arrival_checklist(_delivered(DeliveryMedium.EMAIL), POOL, logs)
    assert items[0].title == "Cognito logged a delivery error for this user" and items[0].likely
    assert "Bounce" in items[0].detail
    quiet = arrival_checklist(_delivered(DeliveryMedium.EMAIL), POOL, LogFindings(()))
    assert quiet[0].title == "No delivery error was logged"
    unread = LogFindings(None, "no AWS credentials", trigger_lines=None)
    assert arrival_checklist(_delivered(DeliveryMedium.EMAIL), POOL, unread)[0].title == (
        "Delivery error logs not read"
    )


def test_the_readme_shows_the_policy_the_app_copies() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert policy_json() in readme
    assert json.dumps(json.loads(policy_json(include_write=False)), indent=2) in readme
