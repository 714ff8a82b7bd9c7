"""Confirmation codes over real HTTP: six digits, 24 hours, newest only, repeated wrong codes.

boto3 (unsigned, no credentials) is the client; the clock is moved through the sandbox's own
control endpoint (`POST /_sandbox/clock`) the way a tester would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.sandbox.control import SandboxControl, SandboxControlError
from app.sandbox.server import Sandbox
from tests.support.sandbox import error_of as _error

MISMATCH = {
    "Code": "CodeMismatchException",
    "Message": "Invalid verification code provided, please try again.",
}
EXPIRED = {
    "Code": "ExpiredCodeException",
    "Message": "Invalid code provided, please request a code again.",
}
LIMIT = {
    "Code": "LimitExceededException",
    "Message": "Attempt limit exceeded, please try after some time.",
}


@pytest.fixture
def box(fresh_sandbox: Sandbox) -> Any:
    yield fresh_sandbox
    # Nothing a test does to the clock may leak into the next file.
    fresh_sandbox.reset()


@pytest.fixture
def control(box: Sandbox) -> SandboxControl:
    return SandboxControl(box.info.endpoint_url)


def _resend(box: Sandbox, cognito: Any, username: str = "alice") -> str:
    client_id = box.info.client("public").client_id
    cognito.resend_confirmation_code(ClientId=client_id, Username=username)
    return box.inbox(username)[-1].code


def _confirm(box: Sandbox, cognito: Any, code: str, username: str = "alice") -> Any:
    client_id = box.info.client("public").client_id
    return cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)


def test_codes_are_six_digits_valid_for_24_hours(box: Sandbox, sandbox_cognito: Any) -> None:
    _resend(box, sandbox_cognito)
    [message] = box.inbox("alice")
    assert re.fullmatch(r"[0-9]{6}", message.code)
    assert message.trigger_source == "CustomMessage_ResendCode"
    assert message.expires_at is not None
    sent = datetime.fromisoformat(message.sent_at.replace("Z", "+00:00"))
    expires = datetime.fromisoformat(message.expires_at.replace("Z", "+00:00"))
    assert expires - sent == timedelta(hours=24)


def test_only_the_newest_code_confirms(
    box: Sandbox, sandbox_cognito: Any, control: SandboxControl
) -> None:
    first = _resend(box, sandbox_cognito)
    second = _resend(box, sandbox_cognito)
    if first == second:  # one in a million: the same six digits twice
        second = _resend(box, sandbox_cognito)
    assert _error(lambda: _confirm(box, sandbox_cognito, first)) == MISMATCH
    state = control.code_state("alice")
    assert state is not None and state["code"] == second and state["failed_attempts"] == 1
    _confirm(box, sandbox_cognito, second)
    # Used up, and the user is confirmed now.
    assert control.code_state("alice") is None
    assert _error(lambda: _confirm(box, sandbox_cognito, second)) == {
        "Code": "NotAuthorizedException",
        "Message": "User cannot be confirmed. Current status is CONFIRMED",
    }


def test_a_user_never_sent_a_code_gets_a_mismatch(box: Sandbox, sandbox_cognito: Any) -> None:
    assert _error(lambda: _confirm(box, sandbox_cognito, "123456", "qa-user-003")) == MISMATCH


def test_the_clock_expires_a_code(
    box: Sandbox, sandbox_cognito: Any, control: SandboxControl
) -> None:
    code = _resend(box, sandbox_cognito)
    before = control.clock()
    assert before["offset_seconds"] == 0.0
    moved = control.set_clock(advance_seconds=24 * 3600 - 5)
    assert moved["offset_seconds"] == pytest.approx(24 * 3600 - 5)
    # Still valid five seconds before the end ...
    wrong = "000000" if code != "000000" else "111111"
    assert _error(lambda: _confirm(box, sandbox_cognito, wrong)) == MISMATCH
    control.set_clock(advance_seconds=10)
    # ... and expired after it: every code, right or wrong, gets ExpiredCodeException.
    assert _error(lambda: _confirm(box, sandbox_cognito, code)) == EXPIRED
    assert _error(lambda: _confirm(box, sandbox_cognito, wrong)) == EXPIRED
    # A resend issues a code that lives 24 hours of sandbox time.
    fresh = _resend(box, sandbox_cognito)
    message = box.inbox("alice")[-1]
    assert message.sent_at.startswith(str((datetime.now(UTC) + timedelta(days=1)).date()))
    _confirm(box, sandbox_cognito, fresh)


def test_clock_set_to_an_instant_and_reset(box: Sandbox, control: SandboxControl) -> None:
    target = datetime.now(UTC) + timedelta(days=3)
    state = control.set_clock(now=target.isoformat())
    shown = datetime.fromisoformat(state["now"].replace("Z", "+00:00"))
    assert abs((shown - target).total_seconds()) < 2
    assert control.reset_clock()["offset_seconds"] == 0.0
    control.set_clock(advance_seconds=3600)
    box.reset()
    assert control.clock()["offset_seconds"] == 0.0


@pytest.mark.parametrize(
    "payload",
    [{}, {"advance_seconds": "ten"}, {"now": "yesterday"}, {"reset": False}, {"jump": 1}],
)
def test_bad_clock_requests_are_refused(control: SandboxControl, payload: dict[str, Any]) -> None:
    with pytest.raises(SandboxControlError, match="HTTP 400"):
        control._call("POST", "clock", payload)
    assert control.clock()["offset_seconds"] == 0.0


def test_five_wrong_codes_lock_the_user_out_until_the_clock_moves(
    box: Sandbox, sandbox_cognito: Any, control: SandboxControl
) -> None:
    code = _resend(box, sandbox_cognito)
    wrong = "000000" if code != "000000" else "111111"
    answers = [_error(lambda: _confirm(box, sandbox_cognito, wrong)) for _ in range(5)]
    assert answers == [MISMATCH] * 5
    # Now even the right code is refused, and a resend does not lift the lock.
    assert _error(lambda: _confirm(box, sandbox_cognito, code)) == LIMIT
    code = _resend(box, sandbox_cognito)
    assert _error(lambda: _confirm(box, sandbox_cognito, code)) == LIMIT
    state = control.code_state("alice")
    assert state is not None and state["locked_until"] is not None
    control.set_clock(advance_seconds=16 * 60)
    _confirm(box, sandbox_cognito, code)


def test_resend_window_follows_the_sandbox_clock(box: Sandbox, sandbox_cognito: Any) -> None:
    for _ in range(5):
        _resend(box, sandbox_cognito, "qa-user-004")
    error = _error(lambda: _resend(box, sandbox_cognito, "qa-user-004"))
    assert error["Code"] == "LimitExceededException"
    box.clock.advance(3601)
    _resend(box, sandbox_cognito, "qa-user-004")


def test_codes_control_endpoint_knows_unknown_users(control: SandboxControl) -> None:
    assert control.code_state("nobody-at-all") is None
