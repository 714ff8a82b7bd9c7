"""Pytest plugin: one local Cognito sandbox per session, and clients that talk to it unsigned.

`sandbox` is started once and shared; `fresh_sandbox` resets it (inbox, attempt counters,
queued faults, seeded users) before the test. `sandbox_cognito` is a boto3 cognito-idp
client built with no AWS credentials anywhere and no retries, so each fault shows once.
`sandbox_admin` / `sandbox_logs` are cognito-idp / logs clients SIGNED with the sandbox's
admin keys (`make_signed_client` for the read-only ones); `clean_sandbox` resets after too.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from app.sandbox.server import Sandbox, SandboxInfo

# Variables through which botocore could find credentials; removed so that a test proves
# the sandbox needs none. IMDS is switched off so nothing waits for a metadata endpoint.
_CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


_NO_CREDENTIAL_SETTINGS = {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def no_credentials_env() -> dict[str, str]:
    """A copy of this process's environment in which no AWS credentials can be found."""
    env = {k: v for k, v in os.environ.items() if k not in _CREDENTIAL_VARS}
    env.update(_NO_CREDENTIAL_SETTINGS)
    return env


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test runs with no AWS credentials findable by botocore."""
    for name in _CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in _NO_CREDENTIAL_SETTINGS.items():
        monkeypatch.setenv(name, value)


def make_cognito_client(info: SandboxInfo, *, unsigned: bool = True) -> Any:
    """A boto3 cognito-idp client for the sandbox: one attempt, short timeouts."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    options: dict[str, Any] = {
        # total_max_attempts counts the first try; the legacy "max_attempts" would still
        # allow one retry and hide a fault behind a second, clean call.
        "retries": {"total_max_attempts": 1, "mode": "standard"},
        "connect_timeout": 2,
        "read_timeout": 5,
    }
    if unsigned:
        options["signature_version"] = UNSIGNED
    session = boto3.session.Session()
    return session.client(
        "cognito-idp",
        region_name=info.region,
        endpoint_url=info.endpoint_url,
        config=Config(**options),
    )


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def fresh_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.reset()
    yield sandbox


@pytest.fixture(scope="session")
def sandbox_cognito(sandbox: Sandbox) -> Iterator[Any]:
    """An unsigned client created while the process has no AWS credentials at all."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _CREDENTIAL_VARS:
            patch.delenv(name, raising=False)
        for name, value in _NO_CREDENTIAL_SETTINGS.items():
            patch.setenv(name, value)
        yield make_cognito_client(sandbox.info)


def make_signed_client(
    info: SandboxInfo, service: str = "cognito-idp", *, key: str = "admin"
) -> Any:
    """A boto3 client SIGNED (botocore SigV4) with one of the sandbox's key pairs.

    `key` is "admin" or "read_only"; `service` "cognito-idp" or "logs" (same endpoint).
    """
    import boto3
    from botocore.config import Config

    pair = info.aws_credentials.admin if key == "admin" else info.aws_credentials.read_only
    session = boto3.session.Session(
        aws_access_key_id=pair.access_key_id,
        aws_secret_access_key=pair.secret_access_key,
        region_name=info.region,
    )
    return session.client(
        service,
        endpoint_url=info.endpoint_url,
        config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=2,
            read_timeout=5,
        ),
    )


@pytest.fixture(scope="session")
def sandbox_admin(sandbox: Sandbox) -> Any:
    """A cognito-idp client signed with the sandbox's admin keys (SigV4, as on AWS)."""
    return make_signed_client(sandbox.info)


@pytest.fixture(scope="session")
def sandbox_logs(sandbox: Sandbox) -> Any:
    """A CloudWatch Logs client signed with the sandbox's admin keys, on the same endpoint."""
    return make_signed_client(sandbox.info, "logs")


@pytest.fixture
def clean_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The session sandbox reset before AND after: an attached trigger, changed users or
    log configuration must not leak into the next test file."""
    sandbox.reset()
    yield sandbox
    sandbox.reset()


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """Cognito's SecretHash, written out here on purpose: the tests must not trust the
    sandbox's own helper."""
    import base64
    import hashlib
    import hmac

    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def error_response(call: Any, **params: Any) -> dict[str, Any]:
    """The response of the ClientError that `call(**params)` must raise; it carries a
    request id, as every Cognito error does."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call(**params)
    response: dict[str, Any] = caught.value.response
    assert response["ResponseMetadata"]["RequestId"], "errors must carry a request id"
    return response


def error_of(call: Any, **params: Any) -> dict[str, Any]:
    """The "Error" part ({"Code", "Message"}) of `error_response`."""
    return dict(error_response(call, **params)["Error"])


@contextmanager
def running_sandbox(**options: Any) -> Iterator[Sandbox]:
    """A sandbox of its own (e.g. `trigger_timeout_s=1.0`), stopped afterwards."""
    box = Sandbox(**options)
    box.start()
    try:
        yield box
    finally:
        box.stop()


@contextmanager
def sandbox_child(
    argv: list[str], *, cwd: Path | None = None, stderr: int = subprocess.PIPE
) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    """A sandbox process started with `argv` (no AWS credentials in its environment) and
    the JSON of the first line it prints; stopped afterwards if the test left it running."""
    child = subprocess.Popen(
        argv,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=no_credentials_env(),
    )
    try:
        assert child.stdout is not None
        first: dict[str, Any] = json.loads(child.stdout.readline())
        yield child, first
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
