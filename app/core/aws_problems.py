"""AWS-side problems of the signed admin calls (credentials, permissions, region), explained."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.outcome import DecodedFailure, FailureKind

# Codes for problems botocore raises before any request (not AWS error codes).
NO_CREDENTIALS = "NoCredentials"
PROFILE_NOT_FOUND = "ProfileNotFound"
SSO_TOKEN_EXPIRED = "SsoTokenExpired"
CREDENTIALS_UNUSABLE = "CredentialRetrieval"

# AWS's answers to a key it does not know or a signature it cannot verify (Cognito answers
# UnrecognizedClientException "The security token included in the request is invalid.").
INVALID_KEY_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
    }
)
EXPIRED_KEY_CODES = frozenset({"ExpiredTokenException", "ExpiredToken", "RequestExpired"})
ACCESS_DENIED_CODES = frozenset({"AccessDeniedException", "AccessDenied"})

# "... is not authorized to perform: cognito-idp:ListUsers on resource: ..." (IAM's wording).
_ACTION_RE = re.compile(r"perform:\s*([A-Za-z0-9-]+:[A-Za-z0-9]+)")
_PROFILE_RE = re.compile(r"profile \(([^)]*)\)")


@dataclass(frozen=True)
class AwsContext:
    """What the failing call was: the IAM action, and whose credentials in which region."""

    action: str  # e.g. "cognito-idp:ListUsers"
    aws_profile: str | None = None  # None: the default credential chain
    region: str = ""
    pool_id: str = ""


def missing_action(message: str, fallback: str) -> str:
    """The IAM action an AccessDenied message names, else the action that was called."""
    found = _ACTION_RE.search(message)
    return found.group(1) if found else fallback


def _who(context: AwsContext) -> str:
    if context.aws_profile:
        return f"the AWS profile {context.aws_profile!r}"
    return "the default AWS credentials"


def _explain(code: str, message: str, c: AwsContext) -> tuple[str, str, str, FailureKind] | None:
    who = _who(c)
    login = f"aws sso login --profile {c.aws_profile}" if c.aws_profile else "aws sso login"
    if code == NO_CREDENTIALS:
        return (
            "No AWS credentials",
            "No AWS credentials were found (no AWS profile named for this profile, and "
            "nothing in the default chain: environment, ~/.aws, SSO, instance role).",
            "Name an AWS CLI profile for this profile (profiles set NAME --aws-profile P), "
            "or configure the default credentials (aws configure / aws sso login).",
            FailureKind.CREDENTIALS,
        )
    if code == PROFILE_NOT_FOUND:
        named = _PROFILE_RE.search(message)
        name = named.group(1) if named else (c.aws_profile or "")
        return (
            "AWS profile not found",
            f"There is no AWS CLI profile named {name!r} in ~/.aws/config or "
            "~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE).",
            f"Create it (aws configure --profile {name}, or aws configure sso), or name "
            "an existing one: aws configure list-profiles.",
            FailureKind.CREDENTIALS,
        )
    if code == SSO_TOKEN_EXPIRED:
        return (
            "AWS SSO session expired",
            f"The SSO session of {who} has expired or was never started.",
            f"Run: {login}",
            FailureKind.CREDENTIALS,
        )
    if code == CREDENTIALS_UNUSABLE:
        return (
            "AWS credentials could not be obtained",
            f"botocore could not get credentials for {who} (assume-role, process or SSO "
            "provider failed).",
            "Read the AWS message below; check the profile's role_arn, source_profile or "
            "credential_process.",
            FailureKind.CREDENTIALS,
        )
    if code in INVALID_KEY_CODES:
        return (
            "AWS keys not accepted",
            f"AWS does not accept the access key of {who}: it is unknown, deleted, or its "
            "secret does not match.",
            "Check the keys (aws sts get-caller-identity with the same profile); create a "
            "new access key if this one was deleted.",
            FailureKind.CREDENTIALS,
        )
    if code in EXPIRED_KEY_CODES:
        return (
            "AWS credentials expired",
            f"The temporary credentials of {who} have expired.",
            f"Refresh them ({login}, or assume the role again).",
            FailureKind.CREDENTIALS,
        )
    if code in ACCESS_DENIED_CODES:
        action = missing_action(message, c.action)
        return (
            f"Not allowed: {action}",
            f"{who[0].upper()}{who[1:]} may not call {action}.",
            f"Add {action} to the IAM policy of these credentials (see 'Copy IAM policy' or "
            "the README's least-privilege policy).",
            FailureKind.SERVICE,
        )
    if code == "ResourceNotFoundException" and c.pool_id and "client" not in message.lower():
        pool_region = c.pool_id.split("_", 1)[0]
        elsewhere = (
            f" The pool ID says {pool_region}, the call went to {c.region}."
            if c.region and pool_region and pool_region != c.region
            else ""
        )
        return (
            "User pool not found in this region",
            f"There is no user pool {c.pool_id} in {c.region or 'this region'} for these "
            f"credentials' account.{elsewhere}",
            "Set the profile's region to the pool's (the part before '_' in the pool ID), "
            "and use credentials of the account that owns the pool.",
            FailureKind.SERVICE,
        )
    return None


def is_aws_problem(code: str) -> bool:
    """Whether `code` is one of the credential or permission problems this module explains."""
    return code in {
        NO_CREDENTIALS,
        PROFILE_NOT_FOUND,
        SSO_TOKEN_EXPIRED,
        CREDENTIALS_UNUSABLE,
        *INVALID_KEY_CODES,
        *EXPIRED_KEY_CODES,
        *ACCESS_DENIED_CODES,
    }


def decode_aws_problem(
    code: str,
    message: str,
    context: AwsContext,
    *,
    request_id: str | None = None,
    http_status: int | None = None,
) -> DecodedFailure | None:
    """The explained problem, or None when `code` is not a credentials/permission/region one
    (the caller then uses the Cognito error catalog)."""
    explained = _explain(code, message, context)
    if explained is None:
        return None
    title, cause, remedy, kind = explained
    return DecodedFailure(
        code=code,
        title=title,
        cause=cause,
        remedy=remedy,
        kind=kind,
        aws_message=message,
        request_id=request_id,
        http_status=http_status,
        retryable=False,
    )
