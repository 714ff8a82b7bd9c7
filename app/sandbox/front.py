"""Routes SignUp, ConfirmSignUp and the clock and codes control endpoints; the rest goes on.

Sits in front of ``wsgi.SandboxApp`` (which serves ResendConfirmationCode, faults and the
other control endpoints, and hands everything else to moto).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Final
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from app.sandbox.clock import SandboxClock
from app.sandbox.codes import CodeBook
from app.sandbox.resend import CognitoError
from app.sandbox.wsgi import (
    CONTROL_PREFIX,
    _error,
    _json,
    _json_object,
    _not_an_object,
    _read_body,
)

_TARGET_PREFIX: Final = "AWSCognitoIdentityProviderService."
Action = Callable[[dict[str, Any], str | None], dict[str, Any]]


class SignUpFront:
    """Answers the sign-up actions and the clock/codes endpoints; hands the rest to `inner`."""

    def __init__(
        self,
        inner: WSGIApplication,
        actions: dict[str, Action],
        clock: SandboxClock,
        codes: CodeBook,
    ) -> None:
        self._inner = inner
        self._actions = actions
        self._clock = clock
        self._codes = codes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if target.startswith(_TARGET_PREFIX) and environ.get("REQUEST_METHOD") == "POST":
            action = self._actions.get(target[len(_TARGET_PREFIX) :])
            if action is not None:
                return self._action(action, environ, start_response)
        path = str(environ.get("PATH_INFO", ""))
        if path in (CONTROL_PREFIX + "clock", CONTROL_PREFIX + "codes"):
            return self._control(path[len(CONTROL_PREFIX) :], environ, start_response)
        return self._inner(environ, start_response)

    def _action(
        self, action: Action, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes]:
        request_id = str(uuid.uuid4())
        params = _json_object(_read_body(environ))
        if params is None:
            return _error(start_response, _not_an_object(), request_id)
        try:
            answer = action(params, request_id)
        except CognitoError as error:
            return _error(start_response, error, request_id)
        return _json(start_response, "200 OK", answer, request_id)

    def _control(
        self, name: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> list[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        request_id = str(uuid.uuid4())
        if name == "clock" and method == "GET":
            return _json(start_response, "200 OK", self._clock.state().to_json(), request_id)
        if name == "clock" and method == "POST":
            try:
                state = self._clock.apply(json.loads(_read_body(environ) or b"{}"))
            except ValueError as error:
                return _json(start_response, "400 Bad Request", {"error": str(error)}, request_id)
            return _json(start_response, "200 OK", state.to_json(), request_id)
        if name == "codes" and method == "GET":
            query = parse_qs(str(environ.get("QUERY_STRING", "")))
            username = query.get("username", [""])[0]
            issued = self._codes.for_username(username)
            if issued is None:
                body = {"error": f"no valid code for {username!r} (none sent, or it was used)"}
                return _json(start_response, "404 Not Found", body, request_id)
            return _json(start_response, "200 OK", issued.to_json(), request_id)
        body = {"error": f"no control endpoint {method} {CONTROL_PREFIX}{name}"}
        return _json(start_response, "404 Not Found", body, request_id)
