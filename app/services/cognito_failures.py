"""Every exception an unsigned Cognito call can raise, decoded into the error catalog."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.errors import SERVICE_ERRORS, decode
from app.core.outcome import DecodedFailure

logger = logging.getLogger(__name__)

_MASK = "••••••"


def _scrub(text: str, secrets: Sequence[str]) -> str:
    """Remove secret values (the SecretHash, a password) from an exception's text: botocore
    may echo parameter values."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _MASK)
    return text


def _is_dns_failure(exc: BaseException) -> bool:
    """Whether a connection error (or anything it wraps) is a host-name resolution failure."""
    from urllib3.exceptions import NameResolutionError

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror | NameResolutionError):
            return True
        kwargs = getattr(current, "kwargs", None)
        inner = kwargs.get("error") if isinstance(kwargs, dict) else None
        stack.extend([inner if isinstance(inner, BaseException) else None])
        stack.extend([current.__cause__, current.__context__])
        stack.extend(a for a in current.args if isinstance(a, BaseException))
        reason = getattr(current, "reason", None)
        stack.append(reason if isinstance(reason, BaseException) else None)
    return False


def map_exception(
    exc: BaseException,
    *,
    secret_hash: str | None = None,
    secrets: Sequence[str] = (),
    operation: str = "ResendConfirmationCode",
) -> DecodedFailure:
    """Decode any exception a boto3 call may raise into the error catalog.

    `secret_hash` and `secrets` are scrubbed from every text kept or logged.
    """
    from botocore import exceptions as bex
    from botocore.parsers import ResponseParserError

    hidden = (*secrets, secret_hash) if secret_hash else tuple(secrets)
    message = _scrub(str(exc), hidden)
    if isinstance(exc, bex.ClientError):
        return _decode_client_error(exc.response, hidden)
    # Order matters: ConnectTimeoutError and SSLError are also ConnectionErrors.
    if isinstance(exc, bex.ConnectTimeoutError):
        return decode("ConnectTimeout", message)
    if isinstance(exc, bex.ReadTimeoutError):
        return decode("ReadTimeout", message)
    if isinstance(exc, bex.SSLError):
        return decode("TlsError", message)
    if isinstance(exc, bex.EndpointConnectionError):
        return decode("DnsFailure" if _is_dns_failure(exc) else "EndpointUnreachable", message)
    if isinstance(exc, bex.ConnectionClosedError):
        return decode("ConnectionDropped", message)
    if isinstance(exc, bex.ProxyConnectionError):
        return decode("EndpointUnreachable", message)
    if isinstance(exc, bex.HTTPClientError):
        # Anything else urllib3 raised mid-exchange (ProtocolError and kin): the request
        # may have reached the server, so it counts as dropped, never retried.
        return decode("ConnectionDropped", message)
    if isinstance(exc, ResponseParserError):
        return decode("MalformedResponse", message)
    if isinstance(exc, bex.NoRegionError):
        return decode("NoRegion", message)
    if isinstance(exc, bex.InvalidRegionError):
        return decode("ParamValidation", f"Region: {message}")
    if isinstance(exc, bex.ParamValidationError):
        return decode("ParamValidation", message)
    if isinstance(exc, ValueError) and "endpoint" in message.lower():
        return decode("InvalidEndpointUrl", message)
    # The traceback goes to the log (never to the user), scrubbed like the message: an
    # exception's text may quote the parameters it was given.
    trace = _scrub("".join(traceback.format_exception(exc)), hidden)
    logger.error("unexpected %s during %s\n%s", type(exc).__name__, operation, trace)
    return decode("UnknownError", f"{type(exc).__name__}: {message}"[:500])


def _decode_client_error(response: Mapping[str, Any], secrets: Sequence[str]) -> DecodedFailure:
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "")
    message = _scrub(str(error.get("Message") or ""), secrets)
    request_id = meta.get("RequestId") or None
    status = meta.get("HTTPStatusCode")
    status = status if isinstance(status, int) else None
    if status is not None and status >= 500 and code not in SERVICE_ERRORS:
        # botocore uses the status as the code when the body has none (an HTML error page).
        detail = message if code.isdigit() or not code else f"{code}: {message}"
        return decode("HttpError", detail[:500], request_id=request_id, http_status=status)
    return decode(code or "UnknownError", message, request_id=request_id, http_status=status)
