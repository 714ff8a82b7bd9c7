"""aws_cli_command: a line a shell splits back into the exact request the app sends."""

from __future__ import annotations

import contextlib
import io
import json
import shlex
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.cli_command import aws_cli_command
from app.core.outcome import Attempt, AttemptKind
from app.core.request import ResendInput, validate
from app.core.secrets import Secret, compute_secret_hash
from app.core.signup import ConfirmInput, SignUpInput, validate_confirm, validate_signup


def _attempt(**kw: object) -> Attempt:
    values: dict[str, object] = {
        "profile": "QA", "username": "alice", "client_id": "abc123", "region": "eu-west-1",
        **kw,
    }  # fmt: skip
    return Attempt(**values)  # type: ignore[arg-type]


def _options(cmd: str, sub: str = "resend-confirmation-code") -> dict[str, str]:
    """The --option value pairs of a command, after the shell has split it."""
    argv = shlex.split(cmd)
    assert argv[:3] == ["aws", "cognito-idp", sub]
    opts: dict[str, str] = {}
    i = 3
    while i < len(argv):
        arg = argv[i]
        assert arg.startswith("--"), argv
        if "=" in arg:
            name, _, value = arg.partition("=")
            opts[name] = value
            i += 1
        elif arg == "--no-sign-request":
            opts[arg] = ""
            i += 1
        else:
            assert not argv[i + 1].startswith("-"), argv
            opts[arg] = argv[i + 1]
            i += 2
    return opts


def test_minimal_command() -> None:
    cmd = aws_cli_command(_attempt())
    assert cmd == (
        "aws cognito-idp resend-confirmation-code --no-sign-request --region eu-west-1 "
        "--client-id abc123 --username alice"
    )


def test_every_option() -> None:
    a = _attempt(
        endpoint_url="http://127.0.0.1:9229",
        username="o'brien@example.com",
        used_secret_hash=True,
        client_metadata=(("lang", "de"), ("note", "it's \"quoted\" $HOME `x`")),
        ip_address="203.0.113.7",
        encoded_data="fp==",
        analytics_endpoint_id="ep-1",
    )
    opts = _options(aws_cli_command(a))
    assert opts["--region"] == "eu-west-1"
    assert opts["--endpoint-url"] == "http://127.0.0.1:9229"
    assert opts["--username"] == "o'brien@example.com"
    assert opts["--secret-hash"] == "<SECRET_HASH>"
    metadata = {"lang": "de", "note": "it's \"quoted\" $HOME `x`"}
    assert json.loads(opts["--client-metadata"]) == metadata
    assert json.loads(opts["--user-context-data"]) == {"IpAddress": "203.0.113.7",
                                                        "EncodedData": "fp=="}  # fmt: skip
    assert json.loads(opts["--analytics-metadata"]) == {"AnalyticsEndpointId": "ep-1"}
    assert "--no-sign-request" in opts


def test_custom_placeholder_and_no_hash() -> None:
    a = _attempt(used_secret_hash=True)
    cmd = aws_cli_command(a, secret_hash_placeholder="$HASH")
    assert _options(cmd)["--secret-hash"] == "$HASH"
    assert "--secret-hash" not in aws_cli_command(_attempt())


def test_only_ip_in_user_context() -> None:
    opts = _options(aws_cli_command(_attempt(ip_address="::1")))
    assert json.loads(opts["--user-context-data"]) == {"IpAddress": "::1"}
    assert "--analytics-metadata" not in opts and "--client-metadata" not in opts


def test_no_region_no_flag() -> None:
    assert "--region" not in aws_cli_command(_attempt(region=""))


def test_dash_username_is_not_taken_for_an_option() -> None:
    opts = _options(aws_cli_command(_attempt(username="-rf")))
    assert opts["--username"] == "-rf"


def test_paramfile_lookalike_username_goes_through_cli_input_json() -> None:
    opts = _options(aws_cli_command(_attempt(username="file:///etc/passwd")))
    assert "--username" not in opts
    assert json.loads(opts["--cli-input-json"]) == {"Username": "file:///etc/passwd"}


# Usernames the API accepts (letters, marks, symbols, numbers, punctuation), shell-hostile.
_username_chars = st.characters(categories=["L", "M", "S", "N", "P"]) | st.sampled_from(
    list("'\"`$\\!;&|<>(){}[]*?~#%-=:/")
)
usernames = st.text(_username_chars, min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(usernames, st.lists(st.tuples(st.text(min_size=1, max_size=8),
                                     st.text(max_size=8)), max_size=3))  # fmt: skip
def test_shell_round_trip(username: str, metadata: list[tuple[str, str]]) -> None:
    a = _attempt(username=username, client_metadata=tuple(dict(metadata).items()))
    opts = _options(aws_cli_command(a))
    if "--cli-input-json" in opts:
        assert json.loads(opts["--cli-input-json"])["Username"] == username
    else:
        assert opts["--username"] == username
    if metadata:
        assert json.loads(opts["--client-metadata"]) == dict(metadata)


# --- the real AWS CLI parses the command into the request the app would send -----------


@pytest.fixture(scope="module")
def aws_cli() -> Iterator[Any]:
    """Run the AWS CLI in-process; a before-call hook captures the request and answers it.

    Nothing goes over the network, no credentials or config are read.
    """
    clidriver = pytest.importorskip("awscli.clidriver")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        mp.delenv("AWS_PROFILE", raising=False)
        mp.delenv("AWS_DEFAULT_REGION", raising=False)
        captured: list[dict[str, Any]] = []

        class _Http:
            status_code = 200
            headers: dict[str, str] = {}
            content = b""

        def hook(params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
            captured.append({"body": json.loads(params["body"]), "url": params["url"]})
            return _Http(), {"CodeDeliveryDetails": {}, "UserConfirmed": False, "UserSub": "s"}

        # One driver for the module: creating it costs about a second.
        driver = clidriver.create_clidriver()
        for operation in ("ResendConfirmationCode", "SignUp", "ConfirmSignUp"):
            driver.session.register(f"before-call.cognito-idp.{operation}", hook)

        def run(cmd: str) -> dict[str, Any]:
            captured.clear()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(
                io.StringIO()
            ) as err:
                rc = driver.main(shlex.split(cmd)[1:])
            assert rc == 0, err.getvalue()
            assert len(captured) == 1
            return captured[0]

        yield run


@pytest.mark.parametrize(
    "username",
    ["alice", "-rf", "o'brien@example.com", "file:///etc/passwd", "https://evil.example/x",
     "ünï+tag@例え.jp", "a$(touch;x)`y`"],
)  # fmt: skip
def test_aws_cli_sends_what_the_app_sends(aws_cli: Any, username: str) -> None:
    raw = ResendInput(
        client_id="abc123",
        username=username,
        client_metadata=(("lang", "de"), ("note", "a,b=c {x}")),
        analytics_endpoint_id="ep-1",
        ip_address="203.0.113.7",
        encoded_data="fp==",
    )
    result = validate(raw)
    assert result.request is not None, result.errors
    request = result.request.with_secret_hash(
        compute_secret_hash(username, "abc123", Secret("s3cret"))
    )
    attempt = _attempt(
        username=username,
        endpoint_url="http://127.0.0.1:1",
        used_secret_hash=True,
        client_metadata=tuple(raw.client_metadata),
        analytics_endpoint_id=raw.analytics_endpoint_id,
        ip_address=raw.ip_address,
        encoded_data=raw.encoded_data,
    )
    sent = aws_cli(aws_cli_command(attempt))
    expected = request.to_api_params()
    expected["SecretHash"] = "<SECRET_HASH>"
    assert sent["body"] == expected
    assert sent["url"].startswith("http://127.0.0.1:1")


def test_sign_up_and_confirm_commands_name_their_call() -> None:
    signup = _attempt(kind=AttemptKind.SIGNUP, user_attributes=(("email", "a@example.com"),))
    opts = _options(aws_cli_command(signup), "sign-up")
    assert opts["--password"] == "<PASSWORD>"
    assert json.loads(opts["--user-attributes"]) == [{"Name": "email", "Value": "a@example.com"}]
    confirm = _attempt(kind=AttemptKind.CONFIRM, confirmation_code="123456")
    opts = _options(aws_cli_command(confirm), "confirm-sign-up")
    assert opts["--confirmation-code"] == "123456" and "--password" not in opts
    odd = _attempt(kind=AttemptKind.CONFIRM, confirmation_code="file://x")
    opts = _options(aws_cli_command(odd), "confirm-sign-up")
    assert json.loads(opts["--cli-input-json"]) == {"ConfirmationCode": "file://x"}


@pytest.mark.parametrize("username", ["alice", "-rf", "file:///etc/passwd", "a$(x)`y`"])
def test_aws_cli_signs_up_and_confirms_as_the_app_does(aws_cli: Any, username: str) -> None:
    common = ResendInput(client_id="abc123", username=username, client_metadata=(("k", "v"),))
    signup = validate_signup(
        SignUpInput(common, password=Secret("<PASSWORD>"),
                    user_attributes=[("email", "a@example.com"), ("name", "O'Brien $x")])
    ).request  # fmt: skip
    confirm = validate_confirm(ConfirmInput(common, "-123456")).request
    assert signup is not None and confirm is not None
    base = {"username": username, "endpoint_url": "http://127.0.0.1:1",
            "client_metadata": (("k", "v"),)}  # fmt: skip
    sent = aws_cli(aws_cli_command(_attempt(
        kind=AttemptKind.SIGNUP, user_attributes=(("email", "a@example.com"),
                                                  ("name", "O'Brien $x")), **base)))  # fmt: skip
    assert sent["body"] == signup.to_api_params()
    sent = aws_cli(aws_cli_command(_attempt(
        kind=AttemptKind.CONFIRM, confirmation_code="-123456", **base)))  # fmt: skip
    assert sent["body"] == confirm.to_api_params()
