"""SigV4 for the sandbox's IAM-authorised calls: its keys, the signature check, AWS's refusals.

Which calls need a signature is read from botocore's service model: an operation whose
`auth` is ``smithy.api#noAuth`` (older models: ``authtype: none``) is unauthenticated
(SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth, ...) and stays unsigned, as
on AWS; everything else (the Admin*, List*, Describe* ... calls and every CloudWatch Logs
call) needs a SigV4 signature made with one of the sandbox's key pairs.

The signature is recomputed here from the request as received (canonical request, string to
sign, signing key: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
and compared with the one sent. The refusals are AWS's own for JSON-protocol services:

==================================  ====  ============================================
case                                HTTP  ``__type``: message
==================================  ====  ============================================
no Authorization header             400   MissingAuthenticationTokenException:
                                          Missing Authentication Token
unknown access key id               400   UnrecognizedClientException: The security
                                          token included in the request is invalid.
signature does not match            400   InvalidSignatureException: The request
                                          signature we calculated does not match ...
read-only key on a write action     400   AccessDeniedException: User: arn:aws:iam::
                                          123456789012:user/sandbox-read-only is not
                                          authorized to perform: cognito-idp:<Action>
                                          on resource: <pool arn> because no
                                          identity-based policy allows the
                                          cognito-idp:<Action> action
==================================  ====  ============================================

Sources: UnrecognizedClientException 400 from cognito-idp AdminInitiateAuth
(ArranJacques/laravel-aws-cognito-auth#25); InvalidSignatureException 400 from cognito-idp
AdminCreateUser (ellaisys/aws-cognito#24, ArranJacques/laravel-aws-cognito-auth#18);
AccessDeniedException "status code: 400" with "because no identity-based policy allows"
(lgallard/terraform-aws-cognito-user-pool#116) and a pool ARN as resource (aws/chalice#529);
"Missing Authentication Token" on an unsigned AdminCreateUser
(aws/aws-aspnet-cognito-identity-provider#66). Its HTTP status for cognito-idp was not
found; 400 is what DynamoDB, another AWS JSON-protocol service, answers an unsigned request
with (a public curl transcript: HTTP/1.1 400, "Request is missing Authentication Token"),
and what every other authentication refusal of cognito-idp uses.
A request dated more than 15 minutes away from now gets InvalidSignatureException
"Signature expired: <date> is now earlier than <now - 15 min> (<now> - 15 min.)" or
"Signature not yet current: ..." (the wording AWS services answer with, e.g. in public
client code and DynamoDB reports). Not checked: session tokens, the scope's region.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from urllib.parse import parse_qsl, quote

from app.sandbox.model import AwsCredentials, AwsKeyPair

# moto's default account (DEFAULT_ACCOUNT_ID), the one every ARN the sandbox shows names.
ACCOUNT_ID: Final = "123456789012"
ADMIN_USER: Final = "sandbox-admin"
READ_ONLY_USER: Final = "sandbox-read-only"
COGNITO_TARGET_PREFIX: Final = "AWSCognitoIdentityProviderService."
LOGS_TARGET_PREFIX: Final = "Logs_20140328."
_ALGORITHM: Final = "AWS4-HMAC-SHA256"
_AUTH_PATTERN: Final = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*$"
)
# What the read-only key may do beyond the List*/Describe*/Get* families.
_EXTRA_READS: Final = frozenset({"AdminGetUser", "AdminListGroupsForUser", "FilterLogEvents"})
_READ_PREFIXES: Final = ("List", "Describe", "Get")
_SKEW: Final = timedelta(minutes=15)
_AMZ_DATE: Final = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class AuthRefusal:
    """AWS's answer to a request it will not authorise."""

    error_type: str
    message: str
    status: int = 400


@dataclass(frozen=True)
class SignedRequest:
    """What the signature check needs from one HTTP request (taken from the WSGI environ)."""

    method: str
    path: str
    query: str
    # Lower-case header names to their values as received.
    headers: Mapping[str, str]
    body: bytes


def generate_credentials() -> AwsCredentials:
    """Two fresh key pairs shaped like IAM user keys (AKIA + 16, 40-character secret)."""

    def pair() -> AwsKeyPair:
        alphabet = string.ascii_uppercase + "234567"
        key_id = "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))
        secret_alphabet = string.ascii_letters + string.digits + "+/"
        secret = "".join(secrets.choice(secret_alphabet) for _ in range(40))
        return AwsKeyPair(key_id, secret)

    return AwsCredentials(admin=pair(), read_only=pair())


@functools.cache
def unsigned_cognito_operations() -> frozenset[str]:
    """The cognito-idp operations botocore's model marks as needing no authentication."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("cognito-idp")
    names = set()
    for name in model.operation_names:
        operation = model.operation_model(name)
        auth = operation.metadata.get("auth") or getattr(operation, "auth", None) or []
        if operation.auth_type == "none" or "smithy.api#noAuth" in auth:
            names.add(name)
    return frozenset(names)


def is_read_action(action: str) -> bool:
    """Whether the read-only key may call `action` (cognito-idp or logs)."""
    return action.startswith(_READ_PREFIXES) or action in _EXTRA_READS


def split_target(target: str) -> tuple[str, str] | None:
    """("cognito-idp" | "logs", action) for an X-Amz-Target the sandbox serves, else None."""
    if target.startswith(COGNITO_TARGET_PREFIX):
        return "cognito-idp", target[len(COGNITO_TARGET_PREFIX) :]
    if target.startswith(LOGS_TARGET_PREFIX):
        return "logs", target[len(LOGS_TARGET_PREFIX) :]
    return None


def needs_signature(service: str, action: str) -> bool:
    return service == "logs" or action not in unsigned_cognito_operations()


class SigV4Verifier:
    """Checks one request against the sandbox's keys; answers who signed it, or AWS's refusal."""

    def __init__(
        self, credentials: AwsCredentials, region: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._credentials = credentials
        self._region = region
        # Wall-clock seconds: SDKs sign with the machine's real time.
        self._clock = clock

    def check(
        self, request: SignedRequest, service: str, action: str, resource: str
    ) -> AuthRefusal | None:
        """None when the request may go on; else the refusal AWS would send."""
        authorization = request.headers.get("authorization")
        if not authorization:
            return AuthRefusal(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        match = _AUTH_PATTERN.match(authorization)
        if match is None:
            # A header that is not a SigV4 one at all: AWS says which parts are missing; the
            # sandbox says the same in short.
            return AuthRefusal(
                "IncompleteSignatureException",
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
                f"parameters. Authorization={authorization[:40]}",
            )
        scope = match["credential"].split("/")
        key_id = scope[0]
        pair = self._pair(key_id)
        if pair is None or len(scope) != 5:
            return AuthRefusal(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        stale = self._stale(request.headers.get("x-amz-date", ""))
        if stale is not None:
            return AuthRefusal("InvalidSignatureException", stale)
        expected = signature(request, pair.secret_access_key, "/".join(scope[1:]), match["signed"])
        if expected is None or not hmac.compare_digest(expected, match["signature"].lower()):
            return AuthRefusal(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method. Consult the service "
                "documentation for details.",
            )
        if pair is self._credentials.read_only and not is_read_action(action):
            user = f"arn:aws:iam::{ACCOUNT_ID}:user/{READ_ONLY_USER}"
            permission = f"{service}:{action}"
            return AuthRefusal(
                "AccessDeniedException",
                f"User: {user} is not authorized to perform: {permission} on resource: "
                f"{resource} because no identity-based policy allows the {permission} action",
            )
        return None

    def _stale(self, amz_date: str) -> str | None:
        """AWS's message for a request signed too long ago or too far ahead, else None."""
        try:
            signed_at = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=UTC)
        except ValueError:
            return None  # no usable date: the signature check fails it
        now = datetime.fromtimestamp(self._clock(), UTC)
        stamp = f"{signed_at:{_AMZ_DATE}}"
        if signed_at < now - _SKEW:
            return (
                f"Signature expired: {stamp} is now earlier than {now - _SKEW:{_AMZ_DATE}} "
                f"({now:{_AMZ_DATE}} - 15 min.)"
            )
        if signed_at > now + _SKEW:
            return (
                f"Signature not yet current: {stamp} is still later than "
                f"{now + _SKEW:{_AMZ_DATE}} ({now:{_AMZ_DATE}} + 15 min.)"
            )
        return None

    def _pair(self, key_id: str) -> AwsKeyPair | None:
        for pair in (self._credentials.admin, self._credentials.read_only):
            if pair.access_key_id and hmac.compare_digest(pair.access_key_id, key_id):
                return pair
        return None


def signature(request: SignedRequest, secret: str, scope: str, signed_headers: str) -> str | None:
    """The hex SigV4 signature of `request` for `scope` (date/region/service/aws4_request).

    None when a signed header is missing from the request, or the scope is malformed.
    """
    parts = scope.split("/")
    if len(parts) != 4 or parts[3] != "aws4_request":
        return None
    date, region, service, _ = parts
    amz_date = request.headers.get("x-amz-date")
    if amz_date is None:
        return None
    canonical = canonical_request(request, signed_headers)
    if canonical is None:
        return None
    string_to_sign = "\n".join(
        [_ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def canonical_request(request: SignedRequest, signed_headers: str) -> str | None:
    """The canonical request botocore signs (method, path, query, headers, payload hash)."""
    names = signed_headers.split(";")
    lines = []
    for name in names:
        value = request.headers.get(name)
        if value is None:
            return None
        # Values are trimmed and inner runs of spaces collapsed, as botocore does.
        lines.append(f"{name}:{' '.join(value.split())}")
    # Non-S3 services: the path URI-encoded with "/" and "~" kept (botocore
    # auth.SigV4Auth._normalize_url_path + quote(safe="/~")).
    path = quote(request.path or "/", safe="/~")
    pairs = sorted(
        (quote(k, safe="-_.~"), quote(v, safe="-_.~"))
        for k, v in parse_qsl(request.query, keep_blank_values=True)
    )
    query = "&".join(f"{k}={v}" for k, v in pairs)
    # The body as received is what was signed; a mismatching x-amz-content-sha256 fails too.
    payload = hashlib.sha256(request.body).hexdigest()
    return "\n".join(
        [request.method.upper(), path, query, "\n".join(lines) + "\n", signed_headers, payload]
    )


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()
