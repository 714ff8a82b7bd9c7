"""The CustomMessage_ResendCode event a CustomMessage trigger receives, and checks of its answer.

Shape and limits follow the Cognito developer guide ("Custom message Lambda trigger"):
the request carries ``codeParameter`` ``{####}``, which Cognito replaces with the code;
an SMS message may be 140 UTF-8 characters and an email message 20,000, code included.
The subject's 140 comes from the API's MessageTemplateType (the guide names no limit).
``usernameParameter`` is null for ResendCode and ``linkParameter`` is ``{##Click Here##}``,
as in events captured from real pools; the guide's sample omits both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

TRIGGER_SOURCE: Final = "CustomMessage_ResendCode"
EVENT_VERSION: Final = "1"
CODE_PARAMETER: Final = "{####}"
LINK_PARAMETER: Final = "{##Click Here##}"
# What real events carry when Cognito cannot name the caller's SDK (unsigned calls, boto3).
DEFAULT_SDK_VERSION: Final = "aws-sdk-unknown-unknown"

SMS_MESSAGE_MAX: Final = 140
EMAIL_MESSAGE_MAX: Final = 20_000
EMAIL_SUBJECT_MAX: Final = 140

POOL_ID_PLACEHOLDER: Final = "<user pool id>"
# A real pool's attributes are unknown without admin credentials; these stand in for the
# ones a resend usually carries, so a developer sees the keys the trigger will read.
PLACEHOLDER_ATTRIBUTES: Final[Mapping[str, str]] = {
    "sub": "<the user's sub>",
    "cognito:user_status": "UNCONFIRMED",
    "email_verified": "false",
    "email": "<the user's email, if any>",
}

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class EventPreview:
    """A built event plus what in it is a placeholder rather than a known value."""

    event: JsonObject
    attributes_known: bool
    pool_id_known: bool

    @property
    def placeholder_note(self) -> str | None:
        """A sentence saying which parts are placeholders, or None when nothing is."""
        parts = []
        if not self.attributes_known:
            parts.append("request.userAttributes (the pool's real attributes are not known here)")
        if not self.pool_id_known:
            parts.append("userPoolId (the profile names no user pool)")
        if not parts:
            return None
        return "Placeholders: " + "; ".join(parts) + "."

    def to_json_text(self) -> str:
        return json.dumps(self.event, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ResponseProblem:
    """Why Cognito would refuse a trigger's answer: the AWS error code and its message."""

    error_type: str
    message: str


def build_custom_message_event(
    *,
    region: str,
    user_pool_id: str | None,
    username: str,
    client_id: str,
    client_metadata: Mapping[str, str],
    user_attributes: Mapping[str, str] | None,
    sdk_version: str = DEFAULT_SDK_VERSION,
) -> JsonObject:
    """The event as Cognito sends it on ResendConfirmationCode (placeholders where unknown)."""
    attributes = PLACEHOLDER_ATTRIBUTES if user_attributes is None else user_attributes
    return {
        "version": EVENT_VERSION,
        "triggerSource": TRIGGER_SOURCE,
        "region": region,
        "userPoolId": user_pool_id or POOL_ID_PLACEHOLDER,
        "userName": username,
        "callerContext": {"awsSdkVersion": sdk_version, "clientId": client_id},
        "request": {
            "userAttributes": dict(attributes),
            "codeParameter": CODE_PARAMETER,
            "linkParameter": LINK_PARAMETER,
            "usernameParameter": None,
            # Exactly as sent: Cognito passes ClientMetadata through without validating it.
            "clientMetadata": dict(client_metadata),
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }


def preview_custom_message_event(
    *,
    region: str,
    user_pool_id: str | None,
    username: str,
    client_id: str,
    client_metadata: Mapping[str, str],
    user_attributes: Mapping[str, str] | None,
    sdk_version: str = DEFAULT_SDK_VERSION,
) -> EventPreview:
    """`build_custom_message_event` plus flags saying which parts are placeholders."""
    event = build_custom_message_event(
        region=region,
        user_pool_id=user_pool_id,
        username=username,
        client_id=client_id,
        client_metadata=client_metadata,
        user_attributes=user_attributes,
        sdk_version=sdk_version,
    )
    return EventPreview(
        event=event,
        attributes_known=user_attributes is not None,
        pool_id_known=bool(user_pool_id),
    )


_INVALID_OUTPUT = "Invalid lambda function output : "


def validate_custom_message_response(answer: object) -> ResponseProblem | None:
    """None when Cognito would accept `answer` (the event the handler returned), else why not.

    Shape errors (not an object, a response that is not an object, a message that is not a
    string) are InvalidLambdaResponseException, as Cognito reports unparseable output. A
    message without the code placeholder or over its length limit is
    InvalidLambdaResponseException too: Cognito cannot deliver it.
    """
    if not isinstance(answer, dict):
        return ResponseProblem("InvalidLambdaResponseException", _INVALID_OUTPUT + "Invalid JSON")
    response = answer.get("response")
    if response is None:
        return None
    if not isinstance(response, dict):
        return ResponseProblem(
            "InvalidLambdaResponseException", _INVALID_OUTPUT + "response must be an object"
        )
    limits = (
        ("smsMessage", SMS_MESSAGE_MAX, True),
        ("emailMessage", EMAIL_MESSAGE_MAX, True),
        ("emailSubject", EMAIL_SUBJECT_MAX, False),
    )
    for key, limit, needs_code in limits:
        value = response.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return ResponseProblem(
                "InvalidLambdaResponseException",
                _INVALID_OUTPUT + f"{key} must be a string, not {_json_type(value)}",
            )
        if needs_code and CODE_PARAMETER not in value:
            return ResponseProblem(
                "InvalidLambdaResponseException",
                _INVALID_OUTPUT + f"{key} must contain the code parameter {CODE_PARAMETER}",
            )
        if len(value) > limit:
            return ResponseProblem(
                "InvalidLambdaResponseException",
                _INVALID_OUTPUT + f"{key} is {len(value)} characters long; the limit is {limit}",
            )
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
