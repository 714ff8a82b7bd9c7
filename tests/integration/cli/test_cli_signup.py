"""`signup` and `confirm` as subprocesses: help, refusals that name their flag (before
any call), Cognito's refusals explained, the password never printed unless asked for,
and `history --kind`."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from app.sandbox.server import Sandbox
from tests.integration.cli.test_cli import run_cli

pytestmark = pytest.mark.timeout(120)


def cli_json(out: subprocess.CompletedProcess[str]) -> Any:
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    return json.loads(out.stdout)


def sandbox_call(sandbox: Sandbox, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(command, "--profile", "Sandbox", "--endpoint-url",
                   sandbox.info.endpoint_url, *args, "--json")  # fmt: skip


@pytest.mark.parametrize("command", ["signup", "confirm"])
def test_help(command: str) -> None:
    out = run_cli(command, "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: ")
    assert "exit codes" in out.stdout
    listed = run_cli("--help").stdout
    assert command in listed


def test_signup_refusals_name_their_flag(fresh_sandbox: Sandbox) -> None:
    out = sandbox_call(fresh_sandbox, "signup", "--username", "alice", "--generate-password")
    taken = cli_json(out)
    assert out.returncode == 3 and taken["error_code"] == "UsernameExistsException"

    out = run_cli("signup", "--profile", "Sandbox", "--endpoint-url",
                  fresh_sandbox.info.endpoint_url, "--username", "weak-pw-user",
                  "--email", "weak@example.com", "--password-stdin", "--json",
                  stdin="short\n")  # fmt: skip
    weak = cli_json(out)
    assert out.returncode == 3 and weak["error_code"] == "InvalidPasswordException"
    assert "Cognito says:" in weak["cause"]

    out = run_cli("signup", "--profile", "Sandbox", "--username", "x y", "--email", "e",
                  "--attribute", "=v", "--password-stdin", stdin="has space\n")  # fmt: skip
    assert out.returncode == 2
    assert "signup: --username:" in out.stderr
    assert "signup: --password-stdin:" in out.stderr
    assert "signup: --email/--phone/--attribute (attribute 2): name is empty" in out.stderr
    assert "has space" not in out.stderr + out.stdout
    assert "Traceback" not in out.stderr

    out = run_cli("confirm", "--profile", "Sandbox", "--username", "alice", "--code", "1 2")
    assert out.returncode == 2 and "confirm: --code:" in out.stderr


def test_a_generated_password_is_printed_only_when_asked(fresh_sandbox: Sandbox) -> None:
    out = sandbox_call(fresh_sandbox, "signup", "--username", "pw-quiet",
                        "--email", "q@example.com", "--generate-password")  # fmt: skip
    assert out.returncode == 0 and "password" not in cli_json(out), out.stderr
    out = sandbox_call(fresh_sandbox, "signup", "--username", "pw-shown",
                        "--email", "s@example.com", "--generate-password",
                        "--show-password")  # fmt: skip
    shown = cli_json(out)["password"]
    assert out.returncode == 0 and len(shown) == 20
    history = run_cli("history", "export", "--format", "json")
    assert shown not in history.stdout and "pw-shown" in history.stdout
    out = run_cli("signup", "--profile", "Sandbox", "--username", "u", "--show-password",
                  "--password-stdin", stdin="Aa1!aaaa\n")  # fmt: skip
    assert out.returncode == 2 and "--show-password" in out.stderr
    out = run_cli("signup", "--profile", "Sandbox", "--username", "u")
    assert out.returncode == 2 and "--generate-password" in out.stderr


def test_history_filters_by_kind(fresh_sandbox: Sandbox) -> None:
    sandbox_call(fresh_sandbox, "resend", "--username", "alice")
    sandbox_call(fresh_sandbox, "signup", "--username", "kind-user", "--generate-password")
    for kind, expected in (("resend", ["alice"]), ("signup", ["kind-user"]), ("confirm", [])):
        out = run_cli("history", "list", "--kind", kind, "--json")
        assert [a["username"] for a in cli_json(out)] == expected, kind
    human = run_cli("history", "list").stdout
    assert "signup" in human and "resend" in human
    out = run_cli("history", "list", "--kind", "nope")
    assert out.returncode == 2 and "--kind" in out.stderr
