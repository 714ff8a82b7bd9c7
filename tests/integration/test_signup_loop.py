"""The whole sign-up loop through the CLI, as a QA tester runs it against the sandbox:
sign up -> the code in the inbox -> resend -> the old code is refused -> the new one
confirms -> a resend now says "already confirmed". Each step is its own `main.py`
process; the history then holds every step under its kind."""

from __future__ import annotations

import uuid

import pytest

from app.sandbox.server import Sandbox
from tests.integration.cli.test_cli import run_cli
from tests.integration.cli.test_cli_signup import cli_json, sandbox_call

pytestmark = pytest.mark.timeout(120)


def _codes(sandbox: Sandbox, username: str) -> list[str]:
    out = run_cli("inbox", "--endpoint-url", sandbox.info.endpoint_url, "--username", username,
                  "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    return [m["code"] for m in cli_json(out)]


def test_sign_up_resend_confirm_loop(fresh_sandbox: Sandbox) -> None:
    user = f"qa-loop-{uuid.uuid4().hex[:8]}"

    out = sandbox_call(fresh_sandbox, "signup", "--username", user,
                        "--email", f"{user}@example.com", "--generate-password")  # fmt: skip
    signed = cli_json(out)
    assert out.returncode == 0, out.stderr
    assert (signed["kind"], signed["outcome"]) == ("signup", "delivered")
    assert signed["delivery"]["medium"] == "EMAIL"
    assert "password" not in signed  # generated, not asked to be shown
    first = _codes(fresh_sandbox, user)
    assert len(first) == 1 and len(first[0]) == 6 and first[0].isdigit()

    out = sandbox_call(fresh_sandbox, "resend", "--username", user)
    assert out.returncode == 0 and cli_json(out)["outcome"] == "delivered", out.stderr
    codes = _codes(fresh_sandbox, user)
    old, new = codes[0], codes[-1]
    while new == old:  # one chance in a million: the new code happens to repeat the old one
        sandbox_call(fresh_sandbox, "resend", "--username", user)
        new = _codes(fresh_sandbox, user)[-1]

    out = sandbox_call(fresh_sandbox, "confirm", "--username", user, "--code", old)
    refused = cli_json(out)
    assert out.returncode == 3, out.stderr
    assert refused["kind"] == "confirm" and refused["error_code"] in (
        "CodeMismatchException", "ExpiredCodeException")  # fmt: skip
    assert refused["confirmation_code"] == old

    out = sandbox_call(fresh_sandbox, "confirm", "--username", user, "--code", new)
    confirmed = cli_json(out)
    assert out.returncode == 0, out.stderr
    assert confirmed["outcome"] == "succeeded" and confirmed["kind"] == "confirm"

    out = sandbox_call(fresh_sandbox, "resend", "--username", user)
    after = cli_json(out)
    assert after["title"] == "Already confirmed", after
    assert after["failure"]["severity"] == "info"

    out = run_cli("history", "list", "--kind", "confirm", "--json")
    kinds = {a["kind"] for a in cli_json(out)}
    assert kinds == {"confirm"} and len(cli_json(out)) == 2
    out = run_cli("history", "list", "--json")
    steps = [(a["kind"], a["status"]) for a in reversed(cli_json(out)) if a["username"] == user]
    assert steps[0] == ("signup", "delivered") and steps[-1] == ("resend", "failed")
    assert ("confirm", "succeeded") in steps
