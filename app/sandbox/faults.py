"""The faults a tester can provoke on purpose in the sandbox's ResendConfirmationCode.

Two ways to provoke one:

* by username: call ResendConfirmationCode with ``Username="fault-<kind>"`` (any client id,
  no secret hash needed), e.g. ``fault-throttle`` or ``fault-slow-2``;
* by injection: ``Sandbox.inject("throttle", "delivery")``, ``SandboxControl.inject(...)`` or
  ``POST /_sandbox/faults {"faults": ["throttle", "delivery"]}``. Each queued fault is used by
  exactly one following ResendConfirmationCode call, in order; an injected fault wins over a
  ``fault-`` username. Other operations (SignUp, ...) are never faulted.

A fault is applied before anything else is checked (client id, secret hash, user), as a
throttle or an outage would be in AWS.

=====================  ======  ==========================================  =====================
kind                   HTTP    answer (``__type``)                         message
=====================  ======  ==========================================  =====================
throttle               400     TooManyRequestsException                    Rate exceeded
limit                  400     LimitExceededException                      Attempt limit
                                                                           exceeded, please try
                                                                           after some time.
delivery               400     CodeDeliveryFailureException                Invalid email
                                                                           provided/Unable to
                                                                           send the email
internal               500     InternalErrorException                      (sandbox wording)
lambda-unexpected      400     UnexpectedLambdaException                   CustomMessage
                                                                           invocation failed
                                                                           due to error
                                                                           AccessDeniedException.
lambda-validation      400     UserLambdaValidationException               CustomMessage failed
                                                                           with error ...
lambda-response        400     InvalidLambdaResponseException              Invalid lambda
                                                                           function output :
                                                                           Invalid JSON
sms-role-policy        400     InvalidSmsRoleAccessPolicyException         (sandbox wording)
sms-role-trust         400     InvalidSmsRoleTrustRelationshipException    (sandbox wording)
email-role-policy      400     InvalidEmailRoleAccessPolicyException       Cognito is not allowed
                                                                           to use your email
                                                                           identity. ...
forbidden              403     ForbiddenException                          (sandbox wording)
not-enabled            400     OperationNotEnabledException                (sandbox wording)
http-500               500     plain HTML page, no JSON                    -
http-503               503     ServiceUnavailable (JSON)                   Service Unavailable
malformed              200     a truncated JSON body                       -
drop                   -       connection closed, no answer at all         -
slow-<seconds>         200     the normal answer, after the delay         e.g. slow-2, slow-0.5
bounce                 200     the normal answer; the message then        (a user-notification
                               bounces                                    ERROR log event)
=====================  ======  ==========================================  =====================

Messages marked "sandbox wording" are plausible, not copied from a real Cognito answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

USERNAME_PREFIX: Final = "fault-"
SLOW_PREFIX: Final = "slow-"
# A typo such as slow-3600 must not hang a test run or a QA session for an hour.
MAX_SLOW_S: Final = 60.0


@dataclass(frozen=True)
class ErrorFault:
    """Answer with a Cognito error document."""

    kind: str
    status: int
    error_type: str
    message: str


@dataclass(frozen=True)
class WireFault:
    """Break the HTTP exchange itself: http-500, http-503, malformed or drop."""

    kind: str


@dataclass(frozen=True)
class SlowFault:
    """Answer normally, but only after `delay_s` seconds."""

    kind: str
    delay_s: float


@dataclass(frozen=True)
class BounceFault:
    """Deliver normally, then let the message bounce (a user-notification ERROR log event)."""

    kind: str


Fault = ErrorFault | WireFault | SlowFault | BounceFault

ERROR_FAULTS: Final[dict[str, ErrorFault]] = {
    f.kind: f
    for f in (
        ErrorFault("throttle", 400, "TooManyRequestsException", "Rate exceeded"),
        ErrorFault(
            "limit",
            400,
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
        ),
        ErrorFault(
            "delivery",
            400,
            "CodeDeliveryFailureException",
            "Invalid email provided/Unable to send the email",
        ),
        ErrorFault("internal", 500, "InternalErrorException", "An internal error occurred."),
        ErrorFault(
            "lambda-unexpected",
            400,
            "UnexpectedLambdaException",
            "CustomMessage invocation failed due to error AccessDeniedException.",
        ),
        ErrorFault(
            "lambda-validation",
            400,
            "UserLambdaValidationException",
            "CustomMessage failed with error Sandbox trigger rejected the request.",
        ),
        ErrorFault(
            "lambda-response",
            400,
            "InvalidLambdaResponseException",
            "Invalid lambda function output : Invalid JSON",
        ),
        ErrorFault(
            "sms-role-policy",
            400,
            "InvalidSmsRoleAccessPolicyException",
            "Role does not have permission to publish with SNS",
        ),
        ErrorFault(
            "sms-role-trust",
            400,
            "InvalidSmsRoleTrustRelationshipException",
            "Cognito is not allowed to assume the role configured for SMS",
        ),
        ErrorFault(
            "email-role-policy",
            400,
            "InvalidEmailRoleAccessPolicyException",
            "Cognito is not allowed to use your email identity. HTTP status code: 400; "
            "Error code: AccessDenied",
        ),
        ErrorFault("forbidden", 403, "ForbiddenException", "Request not allowed due to WAF block."),
        ErrorFault(
            "not-enabled",
            400,
            "OperationNotEnabledException",
            "This operation is not enabled for the user pool.",
        ),
    )
}

WIRE_FAULTS: Final = frozenset({"http-500", "http-503", "malformed", "drop"})

BOUNCE: Final = "bounce"

FAULT_KINDS: Final[tuple[str, ...]] = (
    *ERROR_FAULTS,
    *sorted(WIRE_FAULTS),
    BOUNCE,
    f"{SLOW_PREFIX}<seconds>",
)


def parse_fault(kind: str) -> Fault:
    """The fault named `kind`; ValueError names the known kinds when it is not one."""
    if kind in ERROR_FAULTS:
        return ERROR_FAULTS[kind]
    if kind in WIRE_FAULTS:
        return WireFault(kind)
    if kind == BOUNCE:
        return BounceFault(kind)
    if kind.startswith(SLOW_PREFIX):
        try:
            delay = float(kind[len(SLOW_PREFIX) :])
        except ValueError:
            delay = -1.0
        if 0.0 <= delay <= MAX_SLOW_S:
            return SlowFault(kind, delay)
        raise ValueError(
            f"{kind!r}: the delay must be a number of seconds from 0 to {MAX_SLOW_S:g}"
        )
    raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULT_KINDS)}")


def fault_for_username(username: str) -> Fault | None:
    """The fault a `fault-<kind>` username asks for, or None for an ordinary username."""
    if not username.startswith(USERNAME_PREFIX):
        return None
    try:
        return parse_fault(username[len(USERNAME_PREFIX) :])
    except ValueError:
        # An unknown kind is just an odd username: the user lookup will answer for it.
        return None
