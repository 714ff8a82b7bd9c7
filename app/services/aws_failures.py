"""botocore exceptions of the signed admin calls decoded: credentials, permissions, region."""

from __future__ import annotations

from app.core.aws_problems import (
    CREDENTIALS_UNUSABLE,
    NO_CREDENTIALS,
    PROFILE_NOT_FOUND,
    SSO_TOKEN_EXPIRED,
    AwsContext,
    decode_aws_problem,
)
from app.core.errors import decode
from app.core.outcome import DecodedFailure
from app.services.cognito_failures import map_exception


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for value in secrets:
        if value:
            text = text.replace(value, "••••••")
    return text


def _local_code(exc: BaseException) -> str | None:
    """The aws_problems code of a credentials problem botocore raised before any request."""
    from botocore import exceptions as bex

    # SSO first: UnauthorizedSSOTokenError and SSOTokenLoadError are also SSOErrors, and
    # botocore wraps an expired SSO cache entry as TokenRetrievalError for sso-session.
    sso = tuple(
        getattr(bex, n)
        for n in ("UnauthorizedSSOTokenError", "SSOTokenLoadError", "TokenRetrievalError")
        if hasattr(bex, n)
    )
    if sso and isinstance(exc, sso):
        return SSO_TOKEN_EXPIRED
    if isinstance(exc, bex.ProfileNotFound):
        return PROFILE_NOT_FOUND
    if isinstance(exc, bex.NoCredentialsError | bex.PartialCredentialsError):
        return NO_CREDENTIALS
    if isinstance(exc, bex.CredentialRetrievalError | bex.SSOError | bex.InvalidConfigError):
        return CREDENTIALS_UNUSABLE
    return None


def map_aws_exception(
    exc: BaseException, context: AwsContext, *, secrets: tuple[str, ...] = ()
) -> DecodedFailure:
    """Decode any exception of a signed call: AWS-side problems through core's decoder,
    everything else (network, Cognito errors) through the Cognito catalog."""
    from botocore import exceptions as bex

    message = _scrub(str(exc), secrets)
    code = _local_code(exc)
    if code is not None:
        failure = decode_aws_problem(code, message, context)
        assert failure is not None
        return failure
    if isinstance(exc, bex.ClientError):
        error = exc.response.get("Error") or {}
        meta = exc.response.get("ResponseMetadata") or {}
        status = meta.get("HTTPStatusCode")
        status = status if isinstance(status, int) else None
        request_id = meta.get("RequestId") or None
        err_code = str(error.get("Code") or "")
        err_message = _scrub(str(error.get("Message") or ""), secrets)
        explained = decode_aws_problem(
            err_code, err_message, context, request_id=request_id, http_status=status
        )
        if explained is not None:
            return explained
        if err_code:
            return decode(err_code, err_message, request_id=request_id, http_status=status)
    return map_exception(exc)
