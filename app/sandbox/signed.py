"""The front for IAM-authorised calls: SigV4 check, then the admin actions, else moto (logs too)."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from app.sandbox.admin import AdminActions
from app.sandbox.auth import ACCOUNT_ID, SignedRequest, SigV4Verifier, needs_signature, split_target
from app.sandbox.directory import MotoDirectory
from app.sandbox.logs import SandboxLogs
from app.sandbox.resend import CognitoError
from app.sandbox.state import Inbox
from app.sandbox.wsgi import Body, _error, _json, _json_object, _read_body


class SignedCalls:
    """SignedCallHooks for SandboxApp: answers refusals and admin actions, else lets moto."""

    def __init__(
        self,
        verifier: SigV4Verifier,
        admin: AdminActions,
        logs: SandboxLogs,
        inbox: Inbox,
        region: str,
    ) -> None:
        self._verifier = verifier
        self._admin = admin
        self._logs = logs
        self._inbox = inbox
        self._region = region

    def serve(self, environ: WSGIEnvironment, start_response: StartResponse) -> Body | None:
        split = split_target(str(environ.get("HTTP_X_AMZ_TARGET", "")))
        if split is None:
            return None
        service, action = split
        if not needs_signature(service, action):
            return None
        body = _read_body(environ)
        # moto reads the body again after us.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        request_id = str(uuid.uuid4())
        params = _json_object(body) or {}
        refusal = self._verifier.check(
            _signed_request(environ, body), service, action, self._resource(service, params)
        )
        if refusal is not None:
            error = CognitoError(refusal.error_type, refusal.message, refusal.status)
            return _error(start_response, error, request_id)
        if service != "cognito-idp":
            return None
        try:
            answer = self._admin(action, params, request_id)
        except CognitoError as error:
            return _error(start_response, error, request_id)
        if answer is None:
            forwarded = self._admin.forward(action, params)
            if forwarded is not None:
                rewritten = json.dumps(forwarded).encode()
                environ["wsgi.input"] = io.BytesIO(rewritten)
                environ["CONTENT_LENGTH"] = str(len(rewritten))
            return None
        return _json(start_response, "200 OK", answer, request_id)

    def delivered(self, request_id: str, bounce: bool) -> None:
        """After ResendConfirmationCode delivered: a bounce writes the pool's error log."""
        directory = MotoDirectory()
        for message in self._inbox.messages():
            if message.request_id != request_id:
                continue
            client = directory.find_client(message.client_id)
            if client is None:
                continue
            user = directory.find_user(client.user_pool_id, message.username)
            sub = None if user is None else user.attributes.get("sub")
            self._logs.record_delivery(message, client.user_pool_id, sub, bounce)

    def _resource(self, service: str, params: dict[str, Any]) -> str:
        """The ARN an AccessDeniedException names (the pool's, the log group's, or *)."""
        if service == "cognito-idp" and isinstance(params.get("UserPoolId"), str):
            pool = params["UserPoolId"]
            return f"arn:aws:cognito-idp:{self._region}:{ACCOUNT_ID}:userpool/{pool}"
        if service == "logs" and isinstance(params.get("logGroupName"), str):
            group = params["logGroupName"]
            return f"arn:aws:logs:{self._region}:{ACCOUNT_ID}:log-group:{group}:*"
        return "*"


def _signed_request(environ: WSGIEnvironment, body: bytes) -> SignedRequest:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
    for key, name in (("CONTENT_TYPE", "content-type"), ("CONTENT_LENGTH", "content-length")):
        if environ.get(key):
            headers[name] = str(environ[key])
    return SignedRequest(
        method=str(environ.get("REQUEST_METHOD", "POST")),
        path=str(environ.get("PATH_INFO", "/")),
        query=str(environ.get("QUERY_STRING", "")),
        headers=headers,
        body=body,
    )
