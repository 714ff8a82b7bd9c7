"""The sandbox's HTTP front: ResendConfirmationCode, faults and /_sandbox/*; moto does the rest."""

from __future__ import annotations

import json
import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from app.sandbox.faults import (
    BounceFault,
    ErrorFault,
    Fault,
    SlowFault,
    WireFault,
    fault_for_username,
)
from app.sandbox.model import InboxMessage, SandboxInfo
from app.sandbox.resend import CognitoError, ResendConfirmationCode
from app.sandbox.state import FaultQueue

logger = logging.getLogger(__name__)

RESEND_TARGET = "AWSCognitoIdentityProviderService.ResendConfirmationCode"
CONTROL_PREFIX = "/_sandbox/"
_AMZ_JSON = "application/x-amz-json-1.1"
_MAX_BODY = 1024 * 1024

Body = list[bytes]


class SandboxControlHooks:
    """What the control endpoints may do to the sandbox that owns this app."""

    def __init__(
        self,
        info: Callable[[], SandboxInfo],
        inbox: Callable[[str | None], list[InboxMessage]],
        reset: Callable[[], None],
        inject: Callable[..., None],
        set_trigger: Callable[[str | None], str | None] | None = None,
        trigger_state: Callable[[], dict[str, Any]] | None = None,
        user_attributes: Callable[[str], dict[str, str] | None] | None = None,
    ) -> None:
        self.info = info
        self.inbox = inbox
        self.reset = reset
        self.inject = inject
        self.set_trigger = set_trigger
        self.trigger_state = trigger_state
        self.user_attributes = user_attributes


class SignedCallHooks(Protocol):
    """SigV4, the admin actions and logs (app.sandbox.signed): checked before moto answers."""

    def serve(self, environ: WSGIEnvironment, start_response: StartResponse) -> Body | None: ...

    def delivered(self, request_id: str, bounce: bool) -> None: ...


class SandboxApp:
    """Answers what moto cannot (resend, faults, control) and hands the rest to moto."""

    def __init__(
        self,
        moto_app: WSGIApplication,
        resend: ResendConfirmationCode,
        faults: FaultQueue,
        control: SandboxControlHooks,
        signed: SignedCallHooks | None = None,
    ) -> None:
        self._moto_app = moto_app
        self._resend = resend
        self._faults = faults
        self._control = control
        self._signed = signed

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith(CONTROL_PREFIX):
            return self._control_endpoint(environ, start_response, path[len(CONTROL_PREFIX) :])
        if self._signed is not None:
            answered = self._signed.serve(environ, start_response)
            if answered is not None:
                return answered
        if environ.get("HTTP_X_AMZ_TARGET") == RESEND_TARGET:
            return self._resend_endpoint(environ, start_response)
        return self._moto_app(environ, start_response)

    # -- ResendConfirmationCode -------------------------------------------------------------

    def _resend_endpoint(self, environ: WSGIEnvironment, start_response: StartResponse) -> Body:
        request_id = str(uuid.uuid4())
        params = _json_object(_read_body(environ))
        if params is None:
            return _error(start_response, _not_an_object(), request_id)
        username = params.get("Username")
        fault = self._faults.pop() or (
            fault_for_username(username) if isinstance(username, str) else None
        )
        if fault is not None:
            answered = self._apply_fault(fault, environ, start_response, request_id)
            if answered is not None:
                return answered
        try:
            answer = self._resend(params, request_id)
        except CognitoError as error:
            return _error(start_response, error, request_id)
        if self._signed is not None:
            self._signed.delivered(request_id, isinstance(fault, BounceFault))
        return _json(start_response, "200 OK", answer, request_id)

    def _apply_fault(
        self,
        fault: Fault,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        request_id: str,
    ) -> Body | None:
        """The faulty answer, or None when the call should go on normally (slow)."""
        if isinstance(fault, ErrorFault):
            error = CognitoError(fault.error_type, fault.message, fault.status)
            return _error(start_response, error, request_id)
        if isinstance(fault, SlowFault):
            time.sleep(fault.delay_s)
            return None
        if isinstance(fault, BounceFault):
            return None
        return self._wire_fault(fault, environ, start_response, request_id)

    def _wire_fault(
        self,
        fault: WireFault,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        request_id: str,
    ) -> Body:
        if fault.kind == "http-500":
            page = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            return _raw(start_response, "500 Internal Server Error", "text/html", page, request_id)
        if fault.kind == "http-503":
            body = {"__type": "ServiceUnavailable", "message": "Service Unavailable"}
            return _json(start_response, "503 Service Unavailable", body, request_id)
        if fault.kind == "malformed":
            broken = b'{"CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMed'
            return _raw(start_response, "200 OK", _AMZ_JSON, broken, request_id)
        # drop: close the socket before a single byte of answer; werkzeug treats the
        # ConnectionError below as a client that went away and writes nothing more.
        sock = environ.get("werkzeug.socket")
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("sandbox fault: drop")

    # -- /_sandbox/* ------------------------------------------------------------------------

    def _control_endpoint(
        self, environ: WSGIEnvironment, start_response: StartResponse, name: str
    ) -> Body:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        request_id = str(uuid.uuid4())
        if (method, name) == ("GET", "info"):
            return _json(start_response, "200 OK", self._control.info().to_json(), request_id)
        if (method, name) == ("GET", "inbox"):
            query = parse_qs(str(environ.get("QUERY_STRING", "")))
            username = query.get("username", [None])[0]
            messages = [m.to_json() for m in self._control.inbox(username)]
            return _json(start_response, "200 OK", messages, request_id)
        if (method, name) == ("POST", "reset"):
            self._control.reset()
            return _json(start_response, "200 OK", {"reset": True}, request_id)
        if (method, name) == ("POST", "faults"):
            try:
                payload = json.loads(_read_body(environ) or b"{}")
                faults = payload["faults"]
                if not isinstance(faults, list) or not all(isinstance(f, str) for f in faults):
                    raise ValueError('"faults" must be a list of strings')
                self._control.inject(*faults)
            except (ValueError, KeyError, TypeError) as error:
                body = {"error": str(error) or 'expected {"faults": [...]}'}
                return _json(start_response, "400 Bad Request", body, request_id)
            return _json(start_response, "200 OK", {"queued": faults}, request_id)
        answered = self._trigger_endpoints(environ, start_response, method, name, request_id)
        if answered is not None:
            return answered
        body = {"error": f"no control endpoint {method} {CONTROL_PREFIX}{name}"}
        return _json(start_response, "404 Not Found", body, request_id)


    def _trigger_endpoints(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        method: str,
        name: str,
        request_id: str,
    ) -> Body | None:
        """GET/POST trigger and GET user; None when `name` is none of them."""
        hooks = self._control
        if (method, name) == ("GET", "trigger") and hooks.trigger_state is not None:
            return _json(start_response, "200 OK", hooks.trigger_state(), request_id)
        if (method, name) == ("POST", "trigger") and hooks.set_trigger is not None:
            try:
                payload = json.loads(_read_body(environ) or b"{}")
                if not isinstance(payload, dict) or "handler" not in payload:
                    raise ValueError('expected {"handler": "path/to/file.py:function" | null}')
                spec = payload["handler"]
                if spec is not None and not isinstance(spec, str):
                    raise ValueError('"handler" must be a string or null')
                attached = hooks.set_trigger(spec)
            except ValueError as error:
                return _json(start_response, "400 Bad Request", {"error": str(error)}, request_id)
            return _json(start_response, "200 OK", {"handler": attached}, request_id)
        if (method, name) == ("GET", "user") and hooks.user_attributes is not None:
            query = parse_qs(str(environ.get("QUERY_STRING", "")))
            username = query.get("username", [""])[0]
            attributes = hooks.user_attributes(username)
            if attributes is None:
                body = {"error": f"no user {username!r} in the sandbox pool"}
                return _json(start_response, "404 Not Found", body, request_id)
            answer = {"username": username, "attributes": attributes}
            return _json(start_response, "200 OK", answer, request_id)
        return None


def _read_body(environ: WSGIEnvironment) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return bytes(environ["wsgi.input"].read(min(length, _MAX_BODY))) if length > 0 else b""


def _json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object (an empty body is {}); None when it is not one."""
    try:
        params = json.loads(body or b"{}")
    except ValueError:
        return None
    return params if isinstance(params, dict) else None


def _not_an_object() -> CognitoError:
    return CognitoError("SerializationException", "The request body is not a JSON object.")


def _raw(
    start_response: StartResponse, status: str, content_type: str, body: bytes, request_id: str
) -> Body:
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]


def _json(start_response: StartResponse, status: str, payload: Any, request_id: str) -> Body:
    return _raw(start_response, status, _AMZ_JSON, json.dumps(payload).encode(), request_id)


def _error(start_response: StartResponse, error: CognitoError, request_id: str) -> Body:
    body = json.dumps({"__type": error.error_type, "message": error.message}).encode()
    reason = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}
    start_response(
        f"{error.status} {reason.get(error.status, 'Error')}",
        [
            ("Content-Type", _AMZ_JSON),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
            ("x-amzn-ErrorType", f"{error.error_type}:"),
            ("x-amzn-ErrorMessage", error.message),
        ],
    )
    logger.debug("ResendConfirmationCode -> %s (%s)", error.error_type, request_id)
    return [body]
