"""The gateway's calls are unsigned: no Authorization header, no credentials looked up or sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.core.outcome import Attempt, Status
from app.core.request import ResendInput, validate
from app.core.secrets import Secret, compute_secret_hash
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig

pytestmark = pytest.mark.timeout(60)

FAKE_KEY_ID = "AKIAFAKEFAKEFAKEFAKE"
FAKE_SECRET_KEY = "fake/secret/access/key/that/must/not/be/used"
FAKE_TOKEN = "FAKE-SESSION-TOKEN-MUST-NOT-BE-SENT"
REPO = Path(__file__).resolve().parents[2]


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST like Cognito's ResendConfirmationCode and keeps what it received."""

    seen: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen.append(({k.lower(): v for k, v in self.headers.items()}, body))
        answer = json.dumps(
            {
                "CodeDeliveryDetails": {
                    "Destination": "a***@e***",
                    "DeliveryMedium": "EMAIL",
                    "AttributeName": "email",
                }
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("x-amzn-RequestId", "rec-1")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()
    server.server_close()


def _send(gateway: CognitoGateway, endpoint_url: str, *, secret: str | None = None) -> Attempt:
    checked = validate(ResendInput(client_id="client123", username="alice"))
    assert checked.request is not None
    request = checked.request
    if secret:
        hashed = compute_secret_hash("alice", "client123", Secret(secret))
        request = request.with_secret_hash(hashed)
    attempt = Attempt(
        profile="p", username="alice", client_id="client123", region="eu-west-1",
        endpoint_url=endpoint_url,
    )
    return gateway.send(attempt, request)


def test_no_authorization_header_even_with_credentials_in_the_environment(
    recorder: tuple[str, list[tuple[dict[str, str], bytes]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = recorder
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_TOKEN)
    result = _send(CognitoGateway(), url, secret="client-secret")
    assert result.status is Status.DELIVERED, result.failure
    [(headers, body)] = seen
    assert "authorization" not in headers
    assert "x-amz-security-token" not in headers
    assert not any(FAKE_KEY_ID in v or FAKE_TOKEN in v for v in headers.values())
    assert headers["x-amz-target"] == "AWSCognitoIdentityProviderService.ResendConfirmationCode"
    assert headers["content-type"] == "application/x-amz-json-1.1"
    sent = json.loads(body)
    assert sent["ClientId"] == "client123" and sent["Username"] == "alice"
    assert sent["SecretHash"] == compute_secret_hash(
        "alice", "client123", Secret("client-secret")
    ).reveal()


def test_one_http_call_per_send_and_no_retry_on_success(
    recorder: tuple[str, list[tuple[dict[str, str], bytes]]],
) -> None:
    url, seen = recorder
    gateway = CognitoGateway(GatewayConfig(max_attempts=3))
    for _ in range(3):
        assert _send(gateway, url).status is Status.DELIVERED
    assert len(seen) == 3
    assert not any("SecretHash" in json.loads(b) for _, b in seen)


_CHILD = """
import sys
from app.core.outcome import Attempt
from app.core.request import ResendInput, validate
from app.services.cognito_gateway import CognitoGateway
url, client_id, region = sys.argv[1:4]
request = validate(ResendInput(client_id=client_id, username="alice")).request
attempt = Attempt(profile="p", username="alice", client_id=client_id, region=region,
                  endpoint_url=url)
result = CognitoGateway().send(attempt, request)
print(result.status.value, result.failure.code if result.failure else "-")
"""


@pytest.mark.parametrize("profile_var", [None, "no-such-profile"])
def test_works_with_no_aws_configuration_at_all(sandbox: Sandbox, profile_var: str | None) -> None:
    """A fresh process, no credentials anywhere, config files that do not exist."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith("AWS_") or k in ("AWS_CA_BUNDLE",)
    }
    env.update(
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=str(REPO),
    )
    if profile_var:
        env["AWS_PROFILE"] = profile_var  # a stale profile name must not matter either
    sandbox.reset()
    info = sandbox.info
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, info.endpoint_url, info.client("public").client_id,
         info.region],
        env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["delivered", "-"], out.stderr
    assert len(sandbox.inbox("alice")) == 1
