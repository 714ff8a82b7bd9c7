"""`main.py trigger-event` and `main.py sandbox --custom-message-trigger`, as subprocesses."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.profile import MetadataPreset, Profile
from app.core.trigger_event import PLACEHOLDER_ATTRIBUTES, build_custom_message_event
from app.sandbox.control import SandboxControl
from app.sandbox.server import Sandbox
from app.services.paths import AppPaths
from app.services.profile_repository import ProfileRepository
from tests.integration.cli.test_cli import REPO, run_cli
from tests.support.sandbox import make_cognito_client, sandbox_child

pytestmark = pytest.mark.timeout(90)

HANDLERS = REPO / "tests" / "data" / "triggers" / "handlers.py"


def trigger_event(box: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "trigger-event",
        "--profile",
        "Sandbox",
        "--endpoint-url",
        box.info.endpoint_url,
        "--username",
        "alice",
        *args,
    )


def test_sandbox_event_is_the_event_the_handler_receives(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    dump_to = tmp_path / "delivered.json"
    metadata = ["--metadata", f"dump_to={dump_to}", "--metadata", "eq=a=b", "--metadata", "e="]
    out = trigger_event(fresh_sandbox, *metadata)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "", "no placeholder note: everything is known"
    printed = json.loads(out.stdout)
    fresh_sandbox.set_custom_message_trigger(f"{HANDLERS}:dump")
    try:
        resent = run_cli(
            "resend",
            "--profile",
            "Sandbox",
            "--endpoint-url",
            fresh_sandbox.info.endpoint_url,
            "--username",
            "alice",
            *metadata,
        )
        assert resent.returncode == 0, resent.stderr
    finally:
        fresh_sandbox.set_custom_message_trigger(None)
    delivered = json.loads(dump_to.read_text(encoding="utf-8"))
    assert printed == delivered
    assert printed["request"]["clientMetadata"] == {"dump_to": str(dump_to), "eq": "a=b", "e": ""}


def test_sandbox_event_matches_core_and_can_be_saved(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "event.json"
    out = trigger_event(fresh_sandbox, "--sandbox-client", "protected", "-o", str(target))
    assert out.returncode == 0, out.stderr
    info = fresh_sandbox.info
    expected = build_custom_message_event(
        region=info.region,
        user_pool_id=info.user_pool_id,
        username="alice",
        client_id=info.client("protected").client_id,
        client_metadata={},
        user_attributes=SandboxControl(info.endpoint_url).user_attributes("alice"),
    )
    assert json.loads(out.stdout) == expected
    assert json.loads(target.read_text(encoding="utf-8")) == expected


def _save_profile() -> None:
    paths = AppPaths.from_platform().ensure()
    profile = Profile(
        name="QA pool",
        region="eu-west-1",
        user_pool_id="eu-west-1_AbC123xyz",
        presets=(
            MetadataPreset("checkout", (("flow", "checkout"), ("locale", "de"))),
            MetadataPreset("empty", ()),
        ),
    )
    ProfileRepository(paths.profiles_file).save(profile)


def test_stored_profile_uses_placeholders_and_presets() -> None:
    _save_profile()
    out = run_cli(
        "trigger-event",
        "--profile",
        "QA pool",
        "--username",
        "someone@example.com",
        "--preset",
        "checkout",
        "--metadata",
        "locale=fr",
        "--client-id",
        "abc123",
    )
    assert out.returncode == 0, out.stderr
    event = json.loads(out.stdout)
    assert event["region"] == "eu-west-1" and event["userPoolId"] == "eu-west-1_AbC123xyz"
    assert event["callerContext"]["clientId"] == "abc123"
    assert event["request"]["clientMetadata"] == {"flow": "checkout", "locale": "fr"}
    assert event["request"]["userAttributes"] == dict(PLACEHOLDER_ATTRIBUTES)
    assert "Placeholders: request.userAttributes" in out.stderr
    assert "Traceback" not in out.stderr


def test_stored_profile_without_keyring_gets_a_client_id_placeholder() -> None:
    _save_profile()
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    out = run_cli("trigger-event", "--profile", "QA pool", "--username", "u", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["callerContext"]["clientId"] == "<app client id>"
    assert "client ID is a placeholder" in out.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--profile", "QA pool", "--username", "u", "--preset", "nope"], "--preset"),
        (["--profile", "Nobody", "--username", "u"], "--profile"),
        (["--profile", "Sandbox", "--username", "u"], "no sandbox URL"),
        (["--profile", "QA pool", "--username", "u", "--metadata", "novalue"], "--metadata"),
    ],
)
def test_bad_input_exits_2(args: list[str], fragment: str) -> None:
    _save_profile()
    out = run_cli("trigger-event", *args, "--client-id", "c")
    assert out.returncode == 2
    assert fragment in out.stderr and "Traceback" not in out.stderr


def test_help_mentions_the_trigger_commands() -> None:
    assert "trigger-event" in run_cli("--help").stdout
    assert "--custom-message-trigger" in run_cli("sandbox", "--help").stdout
    assert run_cli("trigger-event", "--help").returncode == 0


def test_sandbox_command_serves_with_the_trigger_attached() -> None:
    argv = [sys.executable, str(REPO / "main.py"), "sandbox", "--json"]
    trigger = ["--custom-message-trigger", "tests/data/triggers/handlers.py:ok"]
    with sandbox_child([*argv, *trigger], cwd=REPO) as (child, first):
        control = SandboxControl(first["endpoint_url"])
        assert control.custom_message_trigger() == f"{HANDLERS}:ok"
        info = control.info()
        make_cognito_client(info).resend_confirmation_code(
            ClientId=info.client("public").client_id,
            Username="alice",
            ClientMetadata={"flow": "cli"},
        )
        [message] = control.inbox("alice")
        assert message.subject == "Your code (cli)"
        assert message.code in message.message
        assert message.trigger is not None and message.trigger.stdout == "ok handler for alice\n"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 0


def test_sandbox_command_refuses_a_bad_trigger() -> None:
    out = run_cli("sandbox", "--custom-message-trigger", "tests/data/triggers/missing.py:h")
    assert out.returncode == 2
    assert "--custom-message-trigger" in out.stderr and "no such file" in out.stderr
