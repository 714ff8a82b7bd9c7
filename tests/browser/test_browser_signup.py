"""A real browser (Debian's headless Chromium) runs the sign-up loop against the sandbox.

The page is served by this test on its own loopback port, so every sandbox call is
cross-origin and needs CORS, as in a web app under test. The page posts what it saw back to
its own server; the test waits for that (bounded), then ends Chromium.
"""

from __future__ import annotations

import http.server
import json
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.server import Sandbox

PAGE = Path(__file__).with_name("signup_loop.html")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# From ../.library/env/machines/python.md: without the background-networking flags Chromium
# keeps trying (and failing) to reach Google's hosts on this closed network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
RESULT_TIMEOUT_S = 60.0

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (./scripts/dev.sh setup test)"
)


class _PageServer(http.server.ThreadingHTTPServer):
    results: queue.Queue[dict[str, Any]]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _PageServer

    def do_GET(self) -> None:
        body = PAGE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.results.put(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def page_server() -> Iterator[_PageServer]:
    server = _PageServer(("127.0.0.1", 0), _Handler)
    server.results = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _run_page(url: str) -> tuple[subprocess.Popen[bytes], Path]:
    profile = Path(tempfile.mkdtemp(prefix="sandbox-chromium-"))
    assert CHROMIUM is not None
    process = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return process, profile


def test_signup_resend_confirm_in_headless_chromium(
    fresh_sandbox: Sandbox, page_server: _PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    info = fresh_sandbox.info
    query = urllib.parse.urlencode(
        {
            "endpoint": info.endpoint_url,
            "client": info.client("public").client_id,
            "username": "browser-user",
        }
    )
    url = f"http://127.0.0.1:{page_server.server_address[1]}/?{query}"
    assert urllib.parse.urlsplit(url).port != urllib.parse.urlsplit(info.endpoint_url).port
    started = time.monotonic()
    process, profile = _run_page(url)
    try:
        outcome = page_server.results.get(timeout=RESULT_TIMEOUT_S)
    except queue.Empty:
        pytest.fail(f"the page reported nothing within {RESULT_TIMEOUT_S:g} s")
    finally:
        process.terminate()
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
        fresh_sandbox.reset()
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nbrowser sign-up loop: {elapsed:.1f} s (Chromium start included)")

    # A CORS failure would be a TypeError "Failed to fetch", not a Cognito answer.
    assert outcome["ok"], outcome
    steps = outcome["steps"]
    sign_up, resend = steps["signUp"], steps["resend"]
    assert sign_up["status"] == 200 and sign_up["body"]["UserConfirmed"] is False
    assert sign_up["body"]["CodeDeliveryDetails"] == {
        "Destination": "b***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert resend["status"] == 200 and resend["body"]["CodeDeliveryDetails"]["Destination"]
    assert steps["sources"] == ["CustomMessage_SignUp", "CustomMessage_ResendCode"]
    for step in (sign_up, resend, steps["confirmOld"], steps["confirmNew"]):
        # x-amzn-RequestId is readable only because the sandbox exposes it.
        assert step["requestId"], step
    old = steps["confirmOld"]
    assert old["status"] == 400
    assert old["body"] == {
        "__type": "CodeMismatchException",
        "message": "Invalid verification code provided, please try again.",
    }
    assert old["errorType"].startswith("CodeMismatchException")
    assert steps["confirmNew"] == {
        "status": 200,
        "requestId": steps["confirmNew"]["requestId"],
        "errorType": None,
        "body": {},
    }
