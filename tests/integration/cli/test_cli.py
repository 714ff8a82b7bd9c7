"""`python main.py ...` as a subprocess against the session sandbox: exit codes, JSON, text."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.sandbox.server import Sandbox
from tests.support.sandbox import no_credentials_env

pytestmark = pytest.mark.timeout(90)

REPO = Path(__file__).resolve().parents[3]


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run main.py with this test's XDG folders and no AWS credentials anywhere."""
    full_env = no_credentials_env()
    full_env.pop("COGNITO_RESEND_SANDBOX_URL", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args],
        cwd=REPO,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def resend(sandbox: Sandbox, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "resend", "--profile", "Sandbox", "--endpoint-url", sandbox.info.endpoint_url, *args,
        **kw,  # type: ignore[arg-type]
    )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _no_traceback(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr + out.stdout


# -- help ------------------------------------------------------------------------------------


def test_help_lists_every_command_and_the_exit_codes() -> None:
    out = run_cli("--help")
    assert out.returncode == 0
    for command in ("sandbox", "profiles", "resend", "history", "inbox"):
        assert command in out.stdout
    assert "exit codes" in out.stdout and "keyring" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["sandbox"], ["profiles"], ["profiles", "add"], ["profiles", "list"],
        ["profiles", "show"], ["profiles", "remove"], ["resend"], ["history"],
        ["history", "list"], ["history", "export"], ["inbox"],
    ],
)
def test_every_subcommand_has_help(args: list[str]) -> None:
    out = run_cli(*args, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: ")
    assert len(out.stdout.splitlines()) > 4


def test_version() -> None:
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip().startswith("cognito-resend ")


# -- resend through the sandbox ---------------------------------------------------------------


def test_resend_delivered_human(fresh_sandbox: Sandbox) -> None:
    out = resend(fresh_sandbox, "--username", "alice", "--metadata", "flow=qa")
    assert out.returncode == 0, out.stderr
    assert "Outcome: Delivered" in out.stdout
    # The `public` client is LEGACY: it cannot answer with a made-up delivery, so no hedge.
    assert "simulated" not in out.stdout.lower()
    assert "Latency:" in out.stdout
    [message] = fresh_sandbox.inbox("alice")
    assert message.client_metadata == {"flow": "qa"}


def test_resend_delivered_json(fresh_sandbox: Sandbox) -> None:
    out = resend(fresh_sandbox, "--username", "bob", "--json",
                 "--metadata-json", '{"a": "1", "b": "x=y"}')
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["outcome"] == "delivered" and data["exit_code"] == 0
    assert data["delivery"]["medium"] == "SMS"
    assert data["client_metadata"] == [["a", "1"], ["b", "x=y"]]
    assert data["profile"] == "Sandbox" and data["retries"] == 0


def test_resend_secret_client_computes_the_hash_and_never_shows_the_secret(
    fresh_sandbox: Sandbox, _fresh_xdg_dirs: dict[str, Path]
) -> None:
    secret = fresh_sandbox.info.client("secret").client_secret
    assert secret
    out = resend(fresh_sandbox, "--username", "alice", "--sandbox-client", "secret", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["used_secret_hash"] is True and data["outcome"] == "delivered"
    assert secret not in out.stdout + out.stderr
    for folder in _fresh_xdg_dirs.values():
        for f in folder.rglob("*"):
            if f.is_file():
                assert secret.encode() not in f.read_bytes(), f


def test_cognito_error_exits_3_with_the_explanation(fresh_sandbox: Sandbox) -> None:
    out = resend(fresh_sandbox, "--username", "carol")
    assert out.returncode == 3, out.stderr
    for part in ("Already confirmed", "What to do:", "AWS message: User is already confirmed.",
                 "Error code: InvalidParameterException", "HTTP status: 400", "Request ID:"):
        assert part in out.stdout
    _no_traceback(out)


def test_limit_exceeded_json_exits_3_and_is_not_retried(fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.inject("limit")
    out = resend(fresh_sandbox, "--username", "alice", "--json")
    assert out.returncode == 3
    data = json.loads(out.stdout)
    assert data["outcome"] == "failed" and data["error_code"] == "LimitExceededException"
    assert data["title"] == "Attempt limit exceeded" and data["retries"] == 0
    assert fresh_sandbox.inbox() == []


def test_read_timeout_exits_4(fresh_sandbox: Sandbox) -> None:
    out = resend(fresh_sandbox, "--username", "fault-slow-2", "--timeout", "0.5", "--json")
    assert out.returncode == 4, out.stderr
    assert json.loads(out.stdout)["error_code"] == "ReadTimeout"


def test_unreachable_sandbox_exits_4() -> None:
    out = run_cli("resend", "--profile", "Sandbox", "--endpoint-url",
                  f"http://127.0.0.1:{_closed_port()}", "--username", "alice")
    assert out.returncode == 4
    assert "no sandbox answers" in out.stderr
    _no_traceback(out)


def test_sandbox_url_from_the_environment(fresh_sandbox: Sandbox) -> None:
    out = run_cli("resend", "--profile", "Sandbox", "--username", "alice",
                  env={"COGNITO_RESEND_SANDBOX_URL": fresh_sandbox.info.endpoint_url})
    assert out.returncode == 0, out.stderr
    assert "embedded" not in out.stderr
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_embedded_sandbox_when_none_is_given() -> None:
    out = run_cli("resend", "--profile", "Sandbox", "--username", "alice", "--json")
    assert out.returncode == 0, out.stderr
    assert "starting an embedded sandbox" in out.stderr
    assert json.loads(out.stdout)["outcome"] == "delivered"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--username", "two words"], "--username"),
        (["--username", "alice", "--metadata", "novalue"], "--metadata"),
        (["--username", "alice", "--metadata-json", '{"n": 1}'], "--metadata-json"),
        (["--username", "alice", "--metadata-json", "[1"], "--metadata-json"),
        (["--username", "alice", "--metadata", "k=1", "--metadata", "k=2"], "--metadata"),
        (["--username", "alice", "--ip", "300.1.1.1"], "--ip"),
        (["--username", "alice", "--timeout", "0"], "--timeout"),
        (["--username", "alice", "--sandbox-client", "nope"], "--sandbox-client"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    fresh_sandbox: Sandbox, args: list[str], flag: str
) -> None:
    out = resend(fresh_sandbox, *args)
    assert out.returncode == 2, out.stdout
    assert flag in out.stderr
    _no_traceback(out)
    assert fresh_sandbox.inbox() == []


def test_bad_input_json_names_the_field(fresh_sandbox: Sandbox) -> None:
    out = resend(fresh_sandbox, "--username", "a b", "--json")
    assert out.returncode == 2
    data = json.loads(out.stdout)
    assert data["outcome"] == "invalid_input"
    assert data["errors"][0]["field"] == "Username" and data["errors"][0]["flag"] == "--username"


def test_unknown_profile_exits_2() -> None:
    out = run_cli("resend", "--profile", "nope", "--username", "alice")
    assert out.returncode == 2
    assert "no profile named 'nope'" in out.stderr and "Sandbox" in out.stderr


# -- history and inbox ------------------------------------------------------------------------


def test_every_resend_lands_in_the_history(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    assert resend(fresh_sandbox, "--username", "alice").returncode == 0
    assert resend(fresh_sandbox, "--username", "carol").returncode == 3
    out = run_cli("history", "list", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["username"] for r in rows] == ["carol", "alice"]  # newest first
    assert [r["status"] for r in rows] == ["failed", "delivered"]
    human = run_cli("history", "list", "--limit", "1")
    assert "carol" in human.stdout and "alice" not in human.stdout
    assert "Already confirmed" in human.stdout

    target = tmp_path / "out.csv"
    out = run_cli("history", "export", "--format", "csv", "--output", str(target))
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8")
    assert "alice" in text and "carol" in text
    out = run_cli("history", "export", "--format", "json", "--username", "alice")
    assert out.returncode == 0, out.stderr
    exported = json.loads(out.stdout)
    rows = exported if isinstance(exported, list) else exported.get("attempts", exported)
    assert "alice" in out.stdout and "carol" not in out.stdout, rows


def test_history_empty_and_export_to_a_missing_folder(tmp_path: Path) -> None:
    out = run_cli("history", "list")
    assert out.returncode == 0 and "no resends yet" in out.stderr
    out = run_cli("history", "export", "--format", "csv", "--output",
                  str(tmp_path / "missing" / "x.csv"))
    assert out.returncode == 1 and "--output" in out.stderr
    _no_traceback(out)


def test_inbox_command(fresh_sandbox: Sandbox) -> None:
    assert resend(fresh_sandbox, "--username", "alice").returncode == 0
    url = fresh_sandbox.info.endpoint_url
    out = run_cli("inbox", "--endpoint-url", url, "--username", "alice", "--json")
    assert out.returncode == 0, out.stderr
    [message] = json.loads(out.stdout)
    assert message["code"] == fresh_sandbox.inbox("alice")[0].code
    human = run_cli("inbox", "--endpoint-url", url)
    assert f"code {message['code']}" in human.stdout
    missing = run_cli("inbox")
    assert missing.returncode == 2 and "--endpoint-url" in missing.stderr
    closed = run_cli("inbox", "--endpoint-url", f"http://127.0.0.1:{_closed_port()}")
    assert closed.returncode == 4
    _no_traceback(closed)


# -- the sandbox command ----------------------------------------------------------------------


def test_sandbox_command_serves_until_sigterm() -> None:
    env = no_credentials_env()
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "sandbox", "--json", "--resend-limit", "1"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        url = info["endpoint_url"]
        first = run_cli("resend", "--profile", "Sandbox", "--endpoint-url", url,
                        "--username", "alice")
        assert first.returncode == 0, first.stderr
        second = run_cli("resend", "--profile", "Sandbox", "--endpoint-url", url,
                         "--username", "alice", "--json")
        assert second.returncode == 3
        assert json.loads(second.stdout)["error_code"] == "LimitExceededException"
        inbox = run_cli("inbox", "--endpoint-url", url, "--json")
        assert len(json.loads(inbox.stdout)) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert proc.returncode == 0


def test_sandbox_command_reports_a_taken_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = run_cli("sandbox", "--port", str(port))
    assert out.returncode == 4
    assert f"127.0.0.1:{port}" in out.stderr
    _no_traceback(out)


