"""CORS on every sandbox answer (sandbox- and moto-served, errors and faults) and on preflights.

A page on another origin gets a network error, not the Cognito answer, when an answer lacks
Access-Control-Allow-Origin (measured in headless Chromium, ../shared/GROUND.md). Real Cognito
answers browsers too: Amplify and amazon-cognito-identity-js call it with fetch.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Iterable
from typing import Final
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger(__name__)

ALLOW_METHODS: Final = "GET, POST, PUT, DELETE, OPTIONS"
# What the AWS SDKs, Amplify and amazon-cognito-identity-js send; a preflight's own list is
# echoed as well, so a header a future SDK adds is not refused.
ALLOW_HEADERS: Final = (
    "content-type",
    "x-amz-target",
    "x-amz-user-agent",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "authorization",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "cache-control",
)
EXPOSE_HEADERS: Final = (
    "x-amzn-RequestId",
    "x-amzn-ErrorType",
    "x-amzn-ErrorMessage",
    "x-amz-request-id",
    "Date",
)
# Chromium caps a preflight cache at two hours; a longer value would be silently cut.
MAX_AGE_S: Final = 7200


def cors_headers(environ: WSGIEnvironment) -> list[tuple[str, str]]:
    """The headers every answer carries: the caller's origin echoed (or *)."""
    origin = environ.get("HTTP_ORIGIN")
    headers = [
        ("Access-Control-Allow-Origin", str(origin) if origin else "*"),
        ("Access-Control-Expose-Headers", ", ".join(EXPOSE_HEADERS)),
    ]
    if origin:
        # The answer depends on Origin: caches must not hand it to another origin.
        headers.append(("Vary", "Origin"))
    return headers


def preflight_headers(environ: WSGIEnvironment) -> list[tuple[str, str]]:
    requested = [
        h.strip().lower()
        for h in str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")).split(",")
        if h.strip()
    ]
    allowed = list(ALLOW_HEADERS) + [h for h in requested if h not in ALLOW_HEADERS]
    headers = cors_headers(environ) + [
        ("Access-Control-Allow-Methods", ALLOW_METHODS),
        ("Access-Control-Allow-Headers", ", ".join(allowed)),
        ("Access-Control-Max-Age", str(MAX_AGE_S)),
    ]
    if str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK", "")).lower() == "true":
        # Chromium's Private Network Access asks this before a public page may call loopback.
        headers.append(("Access-Control-Allow-Private-Network", "true"))
    return headers


class CorsMiddleware:
    """Answers OPTIONS itself and puts the CORS headers on whatever the inner app answers.

    Headers the inner app set (flask-cors on moto's answers) are replaced, not doubled: two
    Access-Control-Allow-Origin values make a browser refuse the answer.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            start_response("200 OK", preflight_headers(environ) + [("Content-Length", "0")])
            return [b""]
        extra = cors_headers(environ)
        names = {name.lower() for name, _ in extra} | {"access-control-allow-methods"}

        def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
            kept = [(k, v) for k, v in headers if k.lower() not in names]
            if exc_info is not None:
                return start_response(status, kept + extra, exc_info)  # type: ignore[arg-type]
            return start_response(status, kept + extra)

        try:
            return self._app(environ, start)  # type: ignore[arg-type]
        except ConnectionError:
            # The drop fault: the socket is already gone, there is nobody to answer.
            raise
        except Exception:  # noqa: BLE001 - a crash must still reach a browser as an answer
            logger.exception("sandbox crashed answering %s", environ.get("PATH_INFO"))
            request_id = str(uuid.uuid4())
            body = json.dumps(
                {"__type": "InternalErrorException", "message": "The sandbox failed: see its log."}
            ).encode()
            start_response(
                "500 Internal Server Error",
                [
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("Content-Length", str(len(body))),
                    ("x-amzn-RequestId", request_id),
                    ("x-amzn-ErrorType", "InternalErrorException:"),
                ]
                + extra,
                # Allowed to replace headers not yet sent; re-raises when they were.
                sys.exc_info(),
            )
            return [body]
