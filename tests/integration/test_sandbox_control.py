"""The /_sandbox/* control endpoints over urllib, and the SandboxControl helper built on them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from app.sandbox.control import SandboxControl, SandboxControlError
from app.sandbox.model import SandboxInfo
from app.sandbox.server import Sandbox


def _call(sandbox: Sandbox, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        sandbox.info.endpoint_url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _resend(cognito: Any, sandbox: Sandbox, username: str) -> None:
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=username,
        ClientMetadata={"k": "v"},
    )


def test_info(fresh_sandbox: Sandbox) -> None:
    status, body = _call(fresh_sandbox, "GET", "/_sandbox/info")
    assert status == 200
    assert body == fresh_sandbox.info.to_json()
    info = SandboxInfo.from_json(body)
    assert info == fresh_sandbox.info
    assert {c.name for c in info.clients} == {"public", "protected", "secret", "no-verify", "link"}
    assert info.client("secret").client_secret
    assert info.client("public").client_secret is None
    assert not info.client("public").prevents_user_existence_errors
    assert info.client("protected").prevents_user_existence_errors
    users = {u.username: u for u in info.users}
    assert users["bob"].delivery_attribute == "phone_number"
    assert users["carol"].status == "CONFIRMED"
    assert {f"qa-user-{n:03d}" for n in range(1, 11)} <= set(users)
    with pytest.raises(KeyError, match="known: public, protected, secret, no-verify, link"):
        info.client("nope")


def test_inbox_filters_by_username(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    _resend(sandbox_cognito, fresh_sandbox, "alice")
    _resend(sandbox_cognito, fresh_sandbox, "bob")
    status, everything = _call(fresh_sandbox, "GET", "/_sandbox/inbox")
    assert status == 200
    assert [m["username"] for m in everything] == ["alice", "bob"]
    _, bobs = _call(fresh_sandbox, "GET", "/_sandbox/inbox?username=bob")
    assert len(bobs) == 1 and bobs[0]["medium"] == "SMS"
    assert bobs[0]["client_metadata"] == {"k": "v"}
    assert bobs[0]["code"] == fresh_sandbox.inbox("bob")[0].code


def test_reset(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    _resend(sandbox_cognito, fresh_sandbox, "alice")
    status, _ = _call(fresh_sandbox, "POST", "/_sandbox/reset", {})
    assert status == 200
    assert fresh_sandbox.inbox() == []


def test_faults(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    status, body = _call(fresh_sandbox, "POST", "/_sandbox/faults", {"faults": ["throttle"]})
    assert (status, body) == (200, {"queued": ["throttle"]})
    with pytest.raises(Exception, match="TooManyRequestsException"):
        _resend(sandbox_cognito, fresh_sandbox, "alice")
    status, body = _call(fresh_sandbox, "POST", "/_sandbox/faults", {"faults": ["bogus"]})
    assert status == 400 and "unknown fault 'bogus'" in body["error"]
    status, body = _call(fresh_sandbox, "POST", "/_sandbox/faults", {"faults": "throttle"})
    assert status == 400
    _resend(sandbox_cognito, fresh_sandbox, "alice")  # nothing was queued by the bad calls


def test_unknown_control_endpoint(fresh_sandbox: Sandbox) -> None:
    status, body = _call(fresh_sandbox, "GET", "/_sandbox/nope")
    assert status == 404 and "nope" in body["error"]


def test_sandbox_control_helper(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    control = SandboxControl(fresh_sandbox.info.endpoint_url)
    assert control.info() == fresh_sandbox.info
    _resend(sandbox_cognito, fresh_sandbox, "alice")
    assert control.inbox("alice") == fresh_sandbox.inbox("alice")
    assert control.inbox("bob") == []
    control.inject("delivery")
    with pytest.raises(Exception, match="CodeDeliveryFailureException"):
        _resend(sandbox_cognito, fresh_sandbox, "alice")
    control.reset()
    assert control.inbox() == []
    with pytest.raises(SandboxControlError, match="unknown fault"):
        control.inject("bogus")


def test_sandbox_control_unreachable() -> None:
    # Port 9 (discard) is closed on a test machine; connection refused comes at once.
    control = SandboxControl("http://127.0.0.1:9", timeout_s=1)
    with pytest.raises(SandboxControlError, match="cannot reach"):
        control.info()
