"""The CustomMessage event the sandbox sends a local trigger, and what makes an answer usable.

The sandbox's own builder, kept apart from app.core's on purpose (the sandbox imports
nothing from the app; a test checks that both builders agree field by field). Part of
`app.sandbox.trigger`, which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

TRIGGER_SOURCE: Final = "CustomMessage_ResendCode"
CODE_PARAMETER: Final = "{####}"
LINK_PARAMETER: Final = "{##Click Here##}"
SDK_VERSION: Final = "aws-sdk-unknown-unknown"
# Cognito does not refuse an over-long message: it silently sends the default one instead
# (reports: amazon-cognito-identity-js#396, #155). The subject keeps its refusal.
FALLBACK_LIMITS: Final = (("smsMessage", 140), ("emailMessage", 20_000))
LIMITS: Final = (
    ("smsMessage", 140, True),
    ("emailMessage", 20_000, True),
    ("emailSubject", 140, False),
)
INVALID_OUTPUT: Final = "Invalid lambda function output : "


@dataclass(frozen=True)
class HandlerSpec:
    """`path` (absolute) and `function` of a ``file.py:function`` handler."""

    path: Path
    function: str

    def __str__(self) -> str:
        return f"{self.path}:{self.function}"


def parse_handler_spec(spec: str, base: Path | None = None) -> HandlerSpec:
    """Parse ``path/to/file.py:function``; ValueError says what is wrong with it."""
    # rpartition: a Windows path has a colon of its own (C:\\...).
    path_text, sep, function = spec.strip().rpartition(":")
    if not sep or not path_text or not function:
        raise ValueError(f"{spec!r}: expected path/to/file.py:function")
    if not function.isidentifier():
        raise ValueError(f"{spec!r}: {function!r} is not a Python function name")
    path = Path(path_text).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    path = path.resolve()
    if path.suffix != ".py":
        raise ValueError(f"{spec!r}: the handler must be a .py file")
    if not path.is_file():
        raise ValueError(f"{spec!r}: no such file {path}")
    return HandlerSpec(path, function)


def build_event(
    *,
    region: str,
    user_pool_id: str,
    username: str,
    client_id: str,
    client_metadata: Mapping[str, str],
    user_attributes: Mapping[str, str],
    trigger_source: str = TRIGGER_SOURCE,
) -> dict[str, Any]:
    """The CustomMessage event (CustomMessage_ResendCode unless told), as Cognito sends it."""
    return {
        "version": "1",
        "triggerSource": trigger_source,
        "region": region,
        "userPoolId": user_pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": client_id},
        "request": {
            "userAttributes": dict(user_attributes),
            "codeParameter": CODE_PARAMETER,
            "linkParameter": LINK_PARAMETER,
            "usernameParameter": None,
            "clientMetadata": dict(client_metadata),
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }


def answer_problem(answer: object) -> str | None:
    """Why Cognito would refuse this answer (an InvalidLambdaResponseException message)."""
    if not isinstance(answer, dict):
        return INVALID_OUTPUT + "Invalid JSON"
    response = answer.get("response")
    if response is None:
        return None
    if not isinstance(response, dict):
        return INVALID_OUTPUT + "response must be an object"
    for key, limit, needs_code in LIMITS:
        value = response.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return INVALID_OUTPUT + f"{key} must be a string"
        if needs_code and CODE_PARAMETER not in value:
            return INVALID_OUTPUT + f"{key} must contain the code parameter {CODE_PARAMETER}"
        if len(value) > limit:
            return INVALID_OUTPUT + f"{key} is {len(value)} characters long; the limit is {limit}"
    return None


@dataclass(frozen=True)
class TriggerAnswer:
    """A usable answer: the messages the handler chose (None = keep the pool's template)."""

    sms_message: str | None
    email_message: str | None
    email_subject: str | None


def drop_overlong(answer: object) -> list[str]:
    """Null out over-long messages in `answer` (in place); one note per message dropped."""
    if not isinstance(answer, dict) or not isinstance(answer.get("response"), dict):
        return []
    response = answer["response"]
    notes = []
    for key, limit in FALLBACK_LIMITS:
        value = response.get(key)
        if isinstance(value, str) and len(value) > limit:
            response[key] = None
            notes.append(
                f"{key} is {len(value)} characters long (Cognito's limit is {limit:,}): Cognito "
                "silently sends the default message instead, so the trigger's text was dropped"
            )
    return notes
