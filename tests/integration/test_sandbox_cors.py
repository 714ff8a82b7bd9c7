"""CORS on every sandbox answer and on the preflight; HTTP/1.1 keep-alive on one socket.

Raw http.client on purpose: it shows the headers exactly as a browser receives them, and
one HTTPConnection object is one TCP connection.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.sandbox.server import Sandbox

ORIGIN = "http://127.0.0.1:8765"
TARGET = "AWSCognitoIdentityProviderService."
NEEDED_REQUEST_HEADERS = (
    "content-type",
    "x-amz-target",
    "x-amz-user-agent",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
)


@pytest.fixture
def box(fresh_sandbox: Sandbox) -> Iterator[Sandbox]:
    yield fresh_sandbox
    fresh_sandbox.reset()


@pytest.fixture
def conn(box: Sandbox) -> Iterator[http.client.HTTPConnection]:
    parts = urlsplit(box.info.endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    yield connection
    connection.close()


def _call(
    conn: http.client.HTTPConnection,
    action: str,
    body: dict[str, Any],
    origin: str | None = ORIGIN,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + action}
    if origin:
        headers["Origin"] = origin
    conn.request("POST", "/", json.dumps(body), headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def _assert_cors(headers: dict[str, str], origin: str = ORIGIN) -> None:
    assert headers["access-control-allow-origin"] == origin
    exposed = {h.strip().lower() for h in headers["access-control-expose-headers"].split(",")}
    assert {"x-amzn-requestid", "x-amzn-errortype"} <= exposed
    assert "close" not in headers.get("connection", "").lower()
    assert "content-length" in headers


def test_sandbox_served_success(box: Sandbox, conn: http.client.HTTPConnection) -> None:
    status, headers, body = _call(
        conn, "ResendConfirmationCode", {"ClientId": box.info.client("public").client_id,
                                         "Username": "alice"}
    )  # fmt: skip
    assert status == 200 and b"CodeDeliveryDetails" in body
    _assert_cors(headers)
    assert headers["x-amzn-requestid"]


def test_sandbox_served_error(box: Sandbox, conn: http.client.HTTPConnection) -> None:
    status, headers, body = _call(conn, "ConfirmSignUp", {
        "ClientId": box.info.client("public").client_id, "Username": "alice",
        "ConfirmationCode": "123456"})  # fmt: skip
    assert status == 400 and json.loads(body)["__type"] == "CodeMismatchException"
    _assert_cors(headers)
    assert headers["x-amzn-errortype"].startswith("CodeMismatchException")


@pytest.mark.parametrize("kind", ["throttle", "internal", "http-500", "http-503", "malformed"])
def test_faults(box: Sandbox, conn: http.client.HTTPConnection, kind: str) -> None:
    box.inject(kind)
    status, headers, _ = _call(conn, "ResendConfirmationCode", {"ClientId": "x", "Username": "a"})
    assert status in (200, 400, 500, 503)
    _assert_cors(headers)


def test_moto_served_answers(box: Sandbox, conn: http.client.HTTPConnection) -> None:
    # InitiateAuth is unsigned and still moto's; flask-cors's own "*" must not be doubled.
    status, headers, _ = _call(conn, "InitiateAuth", {
        "ClientId": box.info.client("public").client_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "carol", "PASSWORD": "wrong"}})  # fmt: skip
    assert status == 400
    _assert_cors(headers)
    conn.request("POST", "/", json.dumps({}), {"Origin": ORIGIN, "X-Amz-Target": "Nope"})
    response = conn.getresponse()
    response.read()
    assert response.getheader("Access-Control-Allow-Origin") == ORIGIN
    assert len(response.headers.get_all("Access-Control-Allow-Origin") or []) == 1


def test_control_endpoints_and_no_origin(box: Sandbox, conn: http.client.HTTPConnection) -> None:
    for path in ("/_sandbox/inbox", "/_sandbox/clock", "/_sandbox/info", "/_sandbox/nothing"):
        conn.request("GET", path, headers={"Origin": ORIGIN})
        response = conn.getresponse()
        response.read()
        _assert_cors({k.lower(): v for k, v in response.getheaders()})
    # No Origin (a non-browser client): the wildcard.
    _, headers, _ = _call(conn, "ResendConfirmationCode", {"ClientId": "x", "Username": "a"}, None)
    assert headers["access-control-allow-origin"] == "*"


def test_preflight(box: Sandbox, conn: http.client.HTTPConnection) -> None:
    conn.request(
        "OPTIONS",
        "/",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": ",".join(NEEDED_REQUEST_HEADERS) + ",x-new-sdk",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    response = conn.getresponse()
    assert response.read() == b""
    headers = {k.lower(): v for k, v in response.getheaders()}
    assert response.status == 200
    assert headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in headers["access-control-allow-methods"]
    allowed = {h.strip() for h in headers["access-control-allow-headers"].split(",")}
    assert set(NEEDED_REQUEST_HEADERS) | {"x-new-sdk"} <= allowed
    assert int(headers["access-control-max-age"]) > 0
    assert headers["access-control-allow-private-network"] == "true"


def test_two_requests_on_one_socket(box: Sandbox) -> None:
    parts = urlsplit(box.info.endpoint_url)
    body = json.dumps({"ClientId": box.info.client("public").client_id, "Username": "alice"})
    request = (
        "POST / HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: {TARGET}ResendConfirmationCode\r\nContent-Length: {len(body)}\r\n\r\n"
        + body
    ).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        reader = sock.makefile("rb")
        for _ in range(2):
            sock.sendall(request)
            status = reader.readline()
            assert status.startswith(b"HTTP/1.1 200")
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                assert (name.lower(), value.strip().lower()) != ("connection", "close")
                if name.lower() == "content-length":
                    length = int(value)
            assert b"CodeDeliveryDetails" in reader.read(length)
    assert len(box.inbox("alice")) == 2


def test_an_unread_body_does_not_poison_the_next_request(
    box: Sandbox, conn: http.client.HTTPConnection
) -> None:
    # A control endpoint that never reads its body, then a normal call on the same socket.
    conn.request("GET", "/_sandbox/info", body=b"x" * 5000, headers={"Content-Length": "5000"})
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    status, _, _ = _call(conn, "ResendConfirmationCode", {
        "ClientId": box.info.client("public").client_id, "Username": "bob"})  # fmt: skip
    assert status == 200


def test_stop_closes_kept_alive_connections() -> None:
    box = Sandbox()
    info = box.start()
    parts = urlsplit(info.endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        connection.request("GET", "/_sandbox/clock")
        connection.getresponse().read()
        started = time.monotonic()
        box.stop()
        assert time.monotonic() - started < 3
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            connection.request("GET", "/_sandbox/clock")
            connection.getresponse().read()
    finally:
        connection.close()
        box.stop()


def test_200_sequential_resends_share_one_connection(capsys: pytest.CaptureFixture[str]) -> None:
    """Every answer keeps the connection open: 200 resends travel over one socket.

    The rate is printed for the record only; speed targets live in bench/ (the sandbox row
    of `make bench`), not in a timed test on two shared cores.
    """
    # Its own sandbox: a resend limit that lets all 200 deliver a code.
    box = Sandbox(resend_limit=10_000)
    box.start()
    parts = urlsplit(box.info.endpoint_url)
    body = {"ClientId": box.info.client("public").client_id, "Username": "alice"}
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        started = time.perf_counter()
        _call(conn, "ResendConfirmationCode", body, None)
        first = conn.sock
        assert first is not None
        for _ in range(199):
            status, _, _ = _call(conn, "ResendConfirmationCode", body, None)
            assert status == 200
            assert conn.sock is first, "the sandbox closed a kept-alive connection"
        rate = 200 / (time.perf_counter() - started)
    finally:
        conn.close()
        box.stop()
    with capsys.disabled():
        print(f"\n200 sequential resends on one kept-alive connection: {rate:.0f}/s")


def test_a_crash_still_answers_with_cors() -> None:
    from app.sandbox.cors import CorsMiddleware

    def broken(environ: Any, start_response: Any) -> Any:
        raise RuntimeError("boom")

    seen: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen.append((status, headers))
        return lambda data: None

    body = b"".join(CorsMiddleware(broken)({"REQUEST_METHOD": "POST", "HTTP_ORIGIN": ORIGIN},
                                           start_response))  # fmt: skip
    [(status, headers)] = seen
    assert status.startswith("500")
    assert json.loads(body)["__type"] == "InternalErrorException"
    names = dict(headers)
    assert names["Access-Control-Allow-Origin"] == ORIGIN
    assert names["Content-Length"] == str(len(body))
