"""The error catalog: every failure a resend, sign-up or confirmation can meet, explained."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.core.outcome import DecodedFailure, FailureKind, Severity


@dataclass(frozen=True)
class CatalogEntry:
    """How to explain one error code (or one well-known message of a code)."""

    title: str
    cause: str
    remedy: str
    kind: FailureKind = FailureKind.SERVICE
    # Whether a bounded automatic retry may help. LimitExceeded is False on purpose:
    # every retry burns another of the user's attempts.
    retryable: bool = False
    # INFO: nothing was done because the goal already holds ("already confirmed").
    severity: Severity = Severity.ERROR


_S = FailureKind.SERVICE
_N = FailureKind.NETWORK
_I = FailureKind.INPUT

# The operations whose errors the catalog explains.
CATALOGUED_OPERATIONS = ("ResendConfirmationCode", "SignUp", "ConfirmSignUp")

# Every error shape botocore's model lists for CATALOGUED_OPERATIONS. A unit test reads
# the model: a new AWS error fails that test until it is described here.
SERVICE_ERRORS: Mapping[str, CatalogEntry] = MappingProxyType(
    {
        "ResourceNotFoundException": CatalogEntry(
            "App client or pool not found",
            "Cognito has no app client with this ID in this region (or its user pool was deleted).",
            "Check the profile's client ID and region; app client IDs belong to one pool in one "
            "region. Copy the ID from the console's App integration → App clients page.",
        ),
        "InvalidParameterException": CatalogEntry(
            "Request refused",
            "Cognito refused a parameter of the request or the user's state.",
            "Read the AWS message below: it names what was refused.",
        ),
        "UnexpectedLambdaException": CatalogEntry(
            "Lambda trigger failed unexpectedly",
            "A Lambda trigger of the pool (usually CustomMessage) failed, timed out (Cognito waits "
            "5 seconds) or could not be invoked.",
            "Open the trigger's CloudWatch logs; check its timeout, errors and that Cognito may "
            "invoke it.",
        ),
        "UserLambdaValidationException": CatalogEntry(
            "Lambda trigger rejected the request",
            "A Lambda trigger of the pool raised an error; its message is below.",
            "Fix the trigger, or send the client metadata it expects. The AWS message carries the "
            "trigger's own error text.",
        ),
        "NotAuthorizedException": CatalogEntry(
            "Not authorized",
            "Cognito did not accept the request for this app client.",
            "Read the AWS message: usually the client secret or SecretHash is wrong or missing.",
        ),
        "InvalidLambdaResponseException": CatalogEntry(
            "Lambda trigger answered wrongly",
            "A Lambda trigger returned a response Cognito could not use (wrong shape, or a message "
            "without the code placeholder).",
            "Make the trigger return the event it received, with response fields set correctly; "
            "messages must contain {####}.",
        ),
        "TooManyRequestsException": CatalogEntry(
            "Too many requests (throttled)",
            "The account's request rate for this category of Cognito operations was exceeded.",
            "Wait a moment and try again, or send more slowly. This is safe to retry.",
            retryable=True,
        ),
        "LimitExceededException": CatalogEntry(
            "Attempt limit exceeded",
            "Cognito limits how often one user may be sent a code or try one; this user hit the "
            "limit.",
            "Wait (often up to an hour) before trying again. Do not retry now: every attempt "
            "extends the wait.",
        ),
        "InvalidSmsRoleAccessPolicyException": CatalogEntry(
            "SMS role lacks permission",
            "The IAM role the pool uses to send SMS has no permission to publish via Amazon SNS.",
            "Give the pool's SMS role an sns:Publish policy (User pool → Messaging → SMS).",
        ),
        "InvalidSmsRoleTrustRelationshipException": CatalogEntry(
            "SMS role does not trust Cognito",
            "The pool's SMS IAM role does not let cognito-idp.amazonaws.com assume it (or the "
            "external ID does not match).",
            "Fix the role's trust policy: principal cognito-idp.amazonaws.com with the pool's "
            "external ID.",
        ),
        "InvalidEmailRoleAccessPolicyException": CatalogEntry(
            "Email sending not permitted",
            "Cognito may not send email through the pool's Amazon SES identity.",
            "Check the SES identity's sending authorization policy and that it is verified in "
            "this region.",
        ),
        "CodeDeliveryFailureException": CatalogEntry(
            "Code could not be delivered",
            "Cognito created a code but failed to send it by email or SMS.",
            "Check the user's email or phone attribute, the pool's SES/SNS setup and sending "
            "quotas (the default Cognito email sender allows only a few emails a day).",
        ),
        "UserNotFoundException": CatalogEntry(
            "User not found",
            "No user with this username (or alias) exists in the app client's pool.",
            "Check the username and the profile: usernames are case-sensitive unless the pool "
            "says otherwise, and an email works only when it is an alias.",
        ),
        "OperationNotEnabledException": CatalogEntry(
            "Operation not enabled",
            "This operation is not enabled for the user pool (for example on a pool feature tier "
            "or configuration that does not allow it).",
            "Check the pool's configuration and feature plan in the Cognito console.",
        ),
        "InternalErrorException": CatalogEntry(
            "Cognito internal error",
            "Cognito had an internal error.",
            "Try again in a moment; if it persists, check the AWS Health Dashboard.",
            retryable=True,
        ),
        "ForbiddenException": CatalogEntry(
            "Forbidden by AWS WAF",
            "An AWS WAF web ACL associated with the user pool blocked the request.",
            "Check the web ACL's rules (IP sets, rate rules) or call from an allowed address.",
        ),
        # SignUp
        "InvalidPasswordException": CatalogEntry(
            "Password breaks the pool's policy",
            "The password does not meet the user pool's password policy.",
            "Choose a password the policy allows (Cognito's default: at least 8 characters with "
            "upper and lower case, a number and a symbol), or let the app generate one.",
        ),
        "UsernameExistsException": CatalogEntry(
            "Username already taken",
            "A user with this username already exists in the pool.",
            "Sign up with another username; to test the same user again, resend its code or "
            "delete the user first.",
        ),
        # ConfirmSignUp
        "CodeMismatchException": CatalogEntry(
            "Wrong code",
            "The confirmation code is not the user's current code (a typo, or an older code: "
            "a resend makes earlier codes invalid).",
            "Use the newest code sent to the user; request another with resend if unsure.",
        ),
        "ExpiredCodeException": CatalogEntry(
            "Code expired",
            "The confirmation code is too old: sign-up codes are valid for 24 hours (or it was "
            "already replaced or used).",
            "Resend a code and confirm with the new one.",
        ),
        "TooManyFailedAttemptsException": CatalogEntry(
            "Too many wrong codes",
            "This user entered wrong codes too often; Cognito refuses further tries for a while.",
            "Wait before trying again, then use the newest code (resend for a fresh one).",
        ),
        "AliasExistsException": CatalogEntry(
            "Email or phone already in use",
            "Another user already has this email address or phone number as a verified alias, "
            "so confirming would move the alias.",
            "Use another address for this test user, or confirm with ForceAliasCreation to move "
            "the alias to this user.",
        ),
    }
)

# Well-known messages that deserve a sharper explanation than their code alone.
# Matched by prefix (AWS appends the client id or other detail).
MESSAGE_REFINEMENTS: tuple[tuple[str, str, CatalogEntry], ...] = (
    (
        "NotAuthorizedException",
        "Unable to verify secret hash for client",
        CatalogEntry(
            "Wrong client secret",
            # Cognito says the same when no hash was sent at all (COGNITO.md, SecretHash).
            "The SecretHash was wrong or missing: the client secret stored for this profile is "
            "not the app client's secret, the profile has no secret for a client that has one, "
            "or the client ID belongs to another client.",
            "Edit the profile and paste the client secret again from the console (App clients → "
            "the client → Show client secret).",
        ),
    ),
    (
        "NotAuthorizedException",
        "Client ",  # "Client <id> is configured with secret but SECRET_HASH was not received"
        CatalogEntry(
            "Client secret missing",
            "This app client has a secret, so every call needs a SecretHash, but the profile has "
            "no client secret.",
            "Edit the profile and add the app client's secret; the SecretHash is computed for you.",
        ),
    ),
    (
        "InvalidParameterException",
        "User is already confirmed",
        CatalogEntry(
            "Already confirmed",
            "This user has already confirmed sign-up, so there is no code to resend.",
            "Nothing to do for sign-up. To test again, use an unconfirmed user; to reset a "
            "password use ForgotPassword instead.",
            severity=Severity.INFO,
        ),
    ),
    (
        # ConfirmSignUp's wording for the same state (amplify-ui#219).
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
        CatalogEntry(
            "Already confirmed",
            "This user has already confirmed sign-up; the code was not needed.",
            "Nothing to do: the user can sign in. To test confirmation again, sign up a new user.",
            severity=Severity.INFO,
        ),
    ),
    (
        # SignUp on a pool that allows only administrators to create users.
        "NotAuthorizedException",
        "SignUp is not permitted for this user pool",
        CatalogEntry(
            "Self sign-up is off",
            "The user pool lets only administrators create users, so SignUp is refused.",
            "Turn on self-registration in the pool's sign-up settings, or create the user with "
            "AdminCreateUser.",
        ),
    ),
    (
        "InvalidParameterException",
        "Cannot resend codes. Auto verification not turned on",
        CatalogEntry(
            "Auto-verification is off",
            "The pool does not verify email or phone automatically, so Cognito has nowhere to "
            "send a code.",
            "Turn on attribute verification (email or phone) in the pool's sign-up settings.",
        ),
    ),
)

# Failures that happen on this side, before or instead of an answer from Cognito.
CLIENT_ERRORS: Mapping[str, CatalogEntry] = MappingProxyType(
    {
        "EndpointUnreachable": CatalogEntry(
            "Endpoint unreachable",
            "The connection to the endpoint was refused or the host could not be reached.",
            "Check the network and the profile's endpoint URL/region. For the sandbox, check it "
            "is running.",
            kind=_N,
            retryable=True,
        ),
        "DnsFailure": CatalogEntry(
            "Host name not found",
            "The endpoint's host name could not be resolved.",
            "Check the endpoint URL for typos, and the network's DNS.",
            kind=_N,
        ),
        "ConnectTimeout": CatalogEntry(
            "Connection timed out",
            "No connection to the endpoint could be made in time.",
            "Check the network, proxy and firewall; try again.",
            kind=_N,
            retryable=True,
        ),
        "ReadTimeout": CatalogEntry(
            "No answer in time",
            "The endpoint accepted the connection but did not answer in time. The code may or may "
            "not have been sent.",
            "Check the user's inbox before trying again; a retry may count as another attempt.",
            kind=_N,
        ),
        "ConnectionDropped": CatalogEntry(
            "Connection dropped",
            "The connection closed before a complete answer arrived. The code may or may not have "
            "been sent.",
            "Check the user's inbox before trying again.",
            kind=_N,
        ),
        "TlsError": CatalogEntry(
            "Secure connection failed",
            "The TLS handshake failed (untrusted or expired certificate, or a proxy).",
            "Check the endpoint URL and the system's certificates; behind a corporate proxy set "
            "AWS_CA_BUNDLE to its CA file.",
            kind=_N,
        ),
        "MalformedResponse": CatalogEntry(
            "Unreadable answer",
            "The endpoint answered with something that is not a Cognito response.",
            "Check the endpoint URL points at Cognito (cognito-idp) and not at another service or "
            "a proxy page.",
            kind=_N,
        ),
        "HttpError": CatalogEntry(
            "Unexpected HTTP error",
            "The endpoint answered with an HTTP error that carries no Cognito error code.",
            "Try again later; check the endpoint URL if it persists.",
            kind=_N,
            retryable=True,
        ),
        "NoRegion": CatalogEntry(
            "No region",
            "The profile names no AWS region, so there is no Cognito endpoint to call.",
            "Edit the profile and choose the user pool's region (the part before '_' in the pool "
            "ID).",
            kind=_I,
        ),
        "InvalidEndpointUrl": CatalogEntry(
            "Invalid endpoint URL",
            "The profile's endpoint URL is not a valid http(s) URL.",
            "Edit the profile: use https://host[:port] or leave the endpoint empty for AWS.",
            kind=_I,
        ),
        "ParamValidation": CatalogEntry(
            "Invalid request",
            "The request was refused before sending because a field breaks the API's rules.",
            "Fix the field named in the message.",
            kind=_I,
        ),
        "CredentialsUnavailable": CatalogEntry(
            "Client credentials unavailable",
            "The profile's client ID or secret could not be read from the system keyring.",
            "Unlock the keyring, or edit the profile and enter the client ID and secret again.",
            kind=FailureKind.CREDENTIALS,
        ),
        "Cancelled": CatalogEntry(
            "Cancelled",
            "The resend was cancelled before an answer arrived. The code may or may not have "
            "been sent.",
            "Check the user's inbox before trying again.",
            kind=_N,
        ),
        "UnknownError": CatalogEntry(
            "Unknown error",
            "Cognito answered with an error this version does not know.",
            "Read the AWS message and code below; search the Cognito API reference for the code.",
        ),
    }
)


# Cognito words a missing and a wrong SecretHash alike (COGNITO.md, SecretHash); the caller
# knows which it was, and a missing one has its own remedy.
_HASH_REFUSED = "Unable to verify secret hash for client"
_HASH_MISSING = next(e for c, p, e in MESSAGE_REFINEMENTS if e.title == "Client secret missing")


def lookup(
    code: str, aws_message: str = "", *, secret_hash_sent: bool | None = None
) -> CatalogEntry:
    """The entry that explains `code` (refined by a well-known message), or UnknownError.

    `secret_hash_sent` (False: the call carried no SecretHash) tells a missing secret from a
    wrong one, which Cognito's message does not.
    """
    if (
        secret_hash_sent is False
        and code == "NotAuthorizedException"
        and aws_message.startswith(_HASH_REFUSED)
    ):
        return _HASH_MISSING
    for ref_code, prefix, entry in MESSAGE_REFINEMENTS:
        if code == ref_code and aws_message.startswith(prefix):
            if prefix == "Client " and "SECRET_HASH was not received" not in aws_message:
                continue
            return entry
    return SERVICE_ERRORS.get(code) or CLIENT_ERRORS.get(code) or CLIENT_ERRORS["UnknownError"]


def decode(
    code: str,
    aws_message: str = "",
    *,
    request_id: str | None = None,
    http_status: int | None = None,
    secret_hash_sent: bool | None = None,
) -> DecodedFailure:
    """Explain an error code; the AWS message and request id are kept verbatim."""
    entry = lookup(code, aws_message, secret_hash_sent=secret_hash_sent)
    cause = entry.cause
    if code == "InvalidPasswordException" and aws_message:
        cause = f"The password breaks the pool's policy; Cognito says: {_policy_text(aws_message)}"
    return DecodedFailure(
        code=code,
        title=entry.title,
        cause=cause,
        remedy=entry.remedy,
        kind=entry.kind,
        aws_message=aws_message,
        request_id=request_id,
        http_status=http_status,
        retryable=entry.retryable,
        severity=entry.severity,
    )


def _policy_text(aws_message: str) -> str:
    """The rule in "Password did not conform with policy: Password not long enough"."""
    _, sep, rule = aws_message.partition("policy:")
    text = (rule if sep else aws_message).strip()
    return text[:300] or aws_message[:300]
