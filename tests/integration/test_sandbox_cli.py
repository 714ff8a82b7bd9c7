"""The sandbox from other processes: the real AWS CLI against it, and `serve_forever` in a child."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from typing import Any

from app.sandbox.control import SandboxControl
from app.sandbox.server import Sandbox
from tests.support.sandbox import make_cognito_client, no_credentials_env, sandbox_child


def test_aws_cli_resends_with_no_credentials(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "cognito-idp",
            "resend-confirmation-code",
            "--endpoint-url",
            info.endpoint_url,
            "--no-sign-request",
            "--region",
            info.region,
            "--client-id",
            info.client("public").client_id,
            "--username",
            "alice",
            "--output",
            "json",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=30,
        env=no_credentials_env(),
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_serve_forever_prints_info_first_and_stops_on_sigterm() -> None:
    serve = (
        "import sys; from app.sandbox.server import serve_forever; "
        "sys.exit(serve_forever('127.0.0.1', 0, True, sys.stdout))"
    )
    with sandbox_child([sys.executable, "-c", serve]) as (child, first):
        control = SandboxControl(first["endpoint_url"])
        info = control.info()
        assert info.to_json() == first
        cognito = make_cognito_client(info)
        cognito.resend_confirmation_code(ClientId=info.client("public").client_id, Username="bob")
        [message] = control.inbox("bob")
        assert message.medium == "SMS"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 0
        assert child.stderr is not None
        assert child.stderr.read() == "", "the sandbox must not log each request"
