"""SignUp and ConfirmSignUp as unsigned gateway calls: the parameters, and their answers read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.errors import decode
from app.core.signup import ConfirmRequest, SignUpRequest
from app.services.cognito_gateway import (
    CallOutcome,
    UnsignedCall,
    parse_delivery_details,
    response_ids,
)

# Retried only when the request cannot have been acted on: throttled, refused connection,
# no connection in time. An InternalError or a 5xx may come after Cognito created the user
# (or confirmed it), and the retry would then answer UsernameExists (or "already confirmed").
_SAFE_RETRIES = frozenset({"TooManyRequestsException", "EndpointUnreachable", "ConnectTimeout"})


def _secrets(*values: str | None) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def signup_call(request: SignUpRequest) -> UnsignedCall:
    """The SignUp call for `request`; its password and SecretHash are scrubbed from errors."""
    return UnsignedCall(
        operation="SignUp",
        method="sign_up",
        params=request.to_api_params(),
        parse=parse_signup,
        secrets=_secrets(
            request.password.reveal() if request.password else None,
            request.common.secret_hash.reveal() if request.common.secret_hash else None,
        ),
        retry_codes=_SAFE_RETRIES,
    )


def confirm_call(request: ConfirmRequest) -> UnsignedCall:
    """The ConfirmSignUp call for `request`; its SecretHash and Session are scrubbed."""
    return UnsignedCall(
        operation="ConfirmSignUp",
        method="confirm_sign_up",
        params=request.to_api_params(),
        parse=parse_confirm,
        secrets=_secrets(
            request.common.secret_hash.reveal() if request.common.secret_hash else None,
            request.session.reveal() if request.session else None,
        ),
        retry_codes=_SAFE_RETRIES,
    )


def _malformed(response: Mapping[str, Any], what: str) -> CallOutcome:
    request_id, status = response_ids(response)
    # botocore turns an unparseable JSON body into {"message": <body>} rather than raising.
    body = str(response.get("message", ""))[:200]
    failure = decode(
        "MalformedResponse",
        f"The answer is not a complete Cognito response ({what})"
        + (f": {body!r}" if body else "."),
        request_id=request_id,
        http_status=status,
    )
    return CallOutcome(failure=failure, request_id=request_id, http_status=status)


def parse_signup(response: Mapping[str, Any]) -> CallOutcome:
    """SignUp's answer: UserSub and UserConfirmed are required; CodeDeliveryDetails is there
    when a code went out. Session (a sign-in token) is never kept."""
    request_id, status = response_ids(response)
    sub = response.get("UserSub")
    confirmed = response.get("UserConfirmed")
    if not isinstance(sub, str) or not isinstance(confirmed, bool):
        return _malformed(response, "no UserSub or UserConfirmed")
    lines = [f"User sub: {sub}", f"Confirmed: {'yes' if confirmed else 'no'}"]
    details = response.get("CodeDeliveryDetails")
    if isinstance(details, Mapping):
        return CallOutcome(
            delivery=parse_delivery_details(details),
            request_id=request_id,
            http_status=status,
            notes="\n".join(lines),
        )
    if confirmed:
        lines.append("No code was sent: the pool confirmed the user at once (a pre sign-up "
                     "trigger that sets autoConfirmUser does this).")  # fmt: skip
    else:
        lines.append("No code was sent: the pool verifies no attribute automatically, so "
                     "the user stays unconfirmed until an administrator confirms it.")  # fmt: skip
    return CallOutcome(
        succeeded=True, request_id=request_id, http_status=status, notes="\n".join(lines)
    )


def parse_confirm(response: Mapping[str, Any]) -> CallOutcome:
    """ConfirmSignUp's answer is empty (or a Session, never kept); anything else is not
    Cognito speaking."""
    if set(response) - {"ResponseMetadata", "Session"}:
        return _malformed(response, "unexpected fields")
    request_id, status = response_ids(response)
    return CallOutcome(succeeded=True, request_id=request_id, http_status=status)
