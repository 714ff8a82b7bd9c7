"""`users find`, `diagnose` and `admin` as subprocesses against the session sandbox."""

from __future__ import annotations

import json
import subprocess

import pytest

from app.sandbox.server import Sandbox
from tests.integration.cli.test_cli import run_cli

pytestmark = pytest.mark.timeout(120)


def _on_sandbox(box: Sandbox, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--profile", "Sandbox", "--endpoint-url", box.info.endpoint_url, **kw)  # type: ignore[arg-type]


def _clean(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stdout + out.stderr, out.stderr


def test_diagnose_json_has_the_documented_shape(fresh_sandbox: Sandbox) -> None:
    out = _on_sandbox(
        fresh_sandbox, "diagnose", "--username", "alice@example.com", "--sandbox-client",
        "protected", "--json",
    )  # fmt: skip
    _clean(out)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["user"] == {**data["user"], "found": True, "username": "alice",
                            "status": "UNCONFIRMED", "enabled": True}  # fmt: skip
    assert data["prediction"]["will_send"] is False
    codes = {f["code"] for f in data["findings"]}
    assert {"UNVERIFIED_ALIAS", "SIMULATED_DELIVERY"} <= codes
    for f in data["findings"]:
        assert set(f) == {"code", "severity", "title", "detail", "remedy"}
    assert {"user", "pool", "client"} <= set(data["checked"])
    assert data["not_checked"] == []


@pytest.mark.parametrize(
    ("who", "client", "code"),
    [
        ("carol", "protected", "ALREADY_CONFIRMED"),
        ("dave", "protected", "FORCE_CHANGE_PASSWORD"),
        ("erin", "protected", "USER_DISABLED"),
        ("ghost", "protected", "USER_NOT_FOUND"),
        ("ivan", "no-verify", "NO_AUTO_VERIFIED_ATTRIBUTE"),
        ("judy", "link", "CONFIRM_WITH_LINK"),
        ("alice", "public", "DEFAULT_EMAIL_DAILY_CAP"),
    ],
)
def test_diagnose_finds_each_case_and_exits_0(
    fresh_sandbox: Sandbox, who: str, client: str, code: str
) -> None:
    out = _on_sandbox(
        fresh_sandbox, "diagnose", "--username", who, "--sandbox-client", client, "--json"
    )
    _clean(out)
    assert out.returncode == 0, out.stderr
    assert code in {f["code"] for f in json.loads(out.stdout)["findings"]}


def test_diagnose_text_says_the_prediction(fresh_sandbox: Sandbox) -> None:
    out = _on_sandbox(fresh_sandbox, "diagnose", "--username", "frank")
    _clean(out)
    assert out.returncode == 0
    assert "will send — a code will go by SMS to +*******0124" in out.stdout


def test_users_find_by_email_lists_the_real_username(fresh_sandbox: Sandbox) -> None:
    out = _on_sandbox(fresh_sandbox, "users", "find", "--email", "frank@example.com", "--json")
    _clean(out)
    assert out.returncode == 0, out.stderr
    [match] = json.loads(out.stdout)
    assert match["username"] == "frank" and match["email"] == "f***@e***"
    none = _on_sandbox(fresh_sandbox, "users", "find", "--username", "nobody")
    assert none.returncode == 0 and "no user has username = 'nobody'" in none.stderr


def test_admin_confirm_refuses_without_a_terminal_and_changes_nothing(
    fresh_sandbox: Sandbox,
) -> None:
    out = _on_sandbox(fresh_sandbox, "admin", "confirm", "--username", "alice", stdin="y\n")
    _clean(out)
    assert out.returncode == 2
    assert "standard input is not a terminal" in out.stderr and "--yes" in out.stderr
    assert "AdminConfirmSignUp" in out.stderr  # it said what would change
    assert fresh_sandbox.user_attributes("alice") is not None
    d = _on_sandbox(fresh_sandbox, "diagnose", "--username", "alice", "--json")
    assert json.loads(d.stdout)["user"]["status"] == "UNCONFIRMED"


def test_admin_actions_with_yes_change_the_user_and_land_in_the_history(
    fresh_sandbox: Sandbox,
) -> None:
    out = _on_sandbox(
        fresh_sandbox, "admin", "confirm", "--username", "alice", "--mark-verified", "email",
        "--yes", "--json",
    )  # fmt: skip
    _clean(out)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["kind"] == "admin_confirm"
    invite = _on_sandbox(fresh_sandbox, "admin", "resend-invitation", "--username", "dave", "--yes")
    _clean(invite)
    assert invite.returncode == 0, invite.stderr
    assert "Invitation sent" in invite.stdout
    d = json.loads(_on_sandbox(fresh_sandbox, "diagnose", "--username", "alice", "--json").stdout)
    assert d["user"]["status"] == "CONFIRMED" and d["user"]["email_verified"] is True
    history = run_cli("history", "list", "--json")
    kinds = [a["kind"] for a in json.loads(history.stdout)]
    assert "admin_confirm" in kinds and "admin_resend_invitation" in kinds


@pytest.mark.keyring
def test_a_stored_profile_with_a_missing_aws_profile_says_so(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    add = run_cli(
        "profiles", "add", "Pool", "--region", info.region, "--client-id",
        info.client("protected").client_id, "--endpoint-url", info.endpoint_url,
        "--user-pool-id", info.user_pool_id, "--aws-profile", "ghost",
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    out = run_cli("diagnose", "--profile", "Pool", "--username", "alice", "--json")
    _clean(out)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["user"]["found"] is None
    assert any("aws configure --profile ghost" in n["allow"] for n in data["not_checked"])
    show = run_cli("profiles", "show", "Pool", "--json")
    assert json.loads(show.stdout)["aws_profile"] == "ghost"
    cleared = run_cli("profiles", "set", "Pool", "--no-aws-profile")
    assert cleared.returncode == 0, cleared.stderr
    assert "aws_profile" not in json.loads(run_cli("profiles", "show", "Pool", "--json").stdout)


def test_resend_hedges_only_where_the_client_can_simulate(fresh_sandbox: Sandbox) -> None:
    legacy = _on_sandbox(fresh_sandbox, "resend", "--username", "alice", "--json")
    assert json.loads(legacy.stdout)["verdict"] == "delivered"
    assert "caution" not in json.loads(legacy.stdout)
    protected = _on_sandbox(
        fresh_sandbox, "resend", "--username", "ghost", "--sandbox-client", "protected", "--json"
    )
    data = json.loads(protected.stdout)
    assert data["verdict"] == "may_be_simulated" and "simulated" in data["caution"]
