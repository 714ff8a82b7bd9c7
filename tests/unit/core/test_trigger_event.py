"""The CustomMessage_ResendCode event builder and the checks of a trigger's answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.core.trigger_event import (
    CODE_PARAMETER,
    EMAIL_MESSAGE_MAX,
    EMAIL_SUBJECT_MAX,
    PLACEHOLDER_ATTRIBUTES,
    POOL_ID_PLACEHOLDER,
    SMS_MESSAGE_MAX,
    build_custom_message_event,
    preview_custom_message_event,
    validate_custom_message_response,
)

_ARGS: dict[str, Any] = {
    "region": "eu-west-1",
    "user_pool_id": "eu-west-1_AbC123xyz",
    "username": "alice",
    "client_id": "client123",
    "client_metadata": {"flow": "resend", "n": "1"},
    "user_attributes": {"sub": "s-1", "email": "alice@example.com"},
    "sdk_version": "aws-sdk-unknown-unknown",
}


def test_event_has_every_documented_field() -> None:
    event = build_custom_message_event(**_ARGS)
    assert event == {
        "version": "1",
        "triggerSource": "CustomMessage_ResendCode",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_AbC123xyz",
        "userName": "alice",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client123"},
        "request": {
            "userAttributes": {"sub": "s-1", "email": "alice@example.com"},
            "codeParameter": "{####}",
            "linkParameter": "{##Click Here##}",
            "usernameParameter": None,
            "clientMetadata": {"flow": "resend", "n": "1"},
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }
    # It is the JSON a Lambda receives: it must survive a round trip unchanged.
    assert json.loads(json.dumps(event)) == event


def test_metadata_passes_through_exactly() -> None:
    odd = {" spaced key ": "", "ünïcode": "✓", "json": '{"a": 1}', "eq": "a=b"}
    event = build_custom_message_event(**{**_ARGS, "client_metadata": odd})
    assert event["request"]["clientMetadata"] == odd


def test_event_does_not_share_the_callers_mappings() -> None:
    metadata = {"k": "v"}
    event = build_custom_message_event(**{**_ARGS, "client_metadata": metadata})
    event["request"]["clientMetadata"]["k"] = "changed"
    assert metadata == {"k": "v"}


def test_unknown_attributes_and_pool_are_placeholders_and_flagged() -> None:
    preview = preview_custom_message_event(
        **{**_ARGS, "user_attributes": None, "user_pool_id": None}
    )
    assert preview.event["request"]["userAttributes"] == dict(PLACEHOLDER_ATTRIBUTES)
    assert preview.event["userPoolId"] == POOL_ID_PLACEHOLDER
    assert not preview.attributes_known and not preview.pool_id_known
    note = preview.placeholder_note
    assert note is not None and "userAttributes" in note and "userPoolId" in note


def test_known_values_have_no_placeholder_note() -> None:
    preview = preview_custom_message_event(**_ARGS)
    assert preview.attributes_known and preview.pool_id_known
    assert preview.placeholder_note is None
    assert json.loads(preview.to_json_text()) == preview.event


def _answer(**response: object) -> dict[str, Any]:
    event = build_custom_message_event(**_ARGS)
    event["response"].update(response)
    return event


def test_unchanged_event_and_good_messages_are_accepted() -> None:
    assert validate_custom_message_response(build_custom_message_event(**_ARGS)) is None
    assert validate_custom_message_response({"no": "response"}) is None
    ok = _answer(
        smsMessage=f"Code {CODE_PARAMETER}",
        emailMessage=f"<b>{CODE_PARAMETER}</b>",
        emailSubject="Your code",
    )
    assert validate_custom_message_response(ok) is None


def test_limits_are_inclusive() -> None:
    sms = CODE_PARAMETER + "x" * (SMS_MESSAGE_MAX - len(CODE_PARAMETER))
    email = CODE_PARAMETER + "é" * (EMAIL_MESSAGE_MAX - len(CODE_PARAMETER))
    subject = "s" * EMAIL_SUBJECT_MAX
    answer = _answer(smsMessage=sms, emailMessage=email, emailSubject=subject)
    assert validate_custom_message_response(answer) is None


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (None, "Invalid JSON"),
        ("a string", "Invalid JSON"),
        ([1, 2], "Invalid JSON"),
        ({"response": "text"}, "response must be an object"),
        (_answer(smsMessage=42), "smsMessage must be a string, not a number"),
        (_answer(emailSubject=True), "emailSubject must be a string, not a boolean"),
        (_answer(emailMessage=["x"]), "emailMessage must be a string, not an array"),
        (_answer(smsMessage="no code here"), "smsMessage must contain the code parameter"),
        (_answer(emailMessage="{###}"), "emailMessage must contain the code parameter"),
        (_answer(smsMessage=CODE_PARAMETER + "x" * SMS_MESSAGE_MAX), "the limit is 140"),
        (_answer(emailMessage=CODE_PARAMETER + "x" * EMAIL_MESSAGE_MAX), "the limit is 20000"),
        (_answer(emailSubject="s" * (EMAIL_SUBJECT_MAX + 1)), "emailSubject is 141"),
    ],
)
def test_bad_answers_are_invalid_lambda_responses(answer: object, fragment: str) -> None:
    problem = validate_custom_message_response(answer)
    assert problem is not None
    assert problem.error_type == "InvalidLambdaResponseException"
    assert problem.message.startswith("Invalid lambda function output : ")
    assert fragment in problem.message


def test_subject_needs_no_code() -> None:
    assert validate_custom_message_response(_answer(emailSubject="Welcome")) is None
