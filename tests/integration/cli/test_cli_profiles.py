"""`profiles` and `resend --profile NAME` via the CLI: the real keyring, and no keyring at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.profile import Profile
from app.sandbox.server import Sandbox
from app.services.paths import AppPaths
from app.services.profile_repository import ProfileRepository
from tests.integration.cli.test_cli import run_cli

pytestmark = pytest.mark.timeout(120)

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _files_containing(folders: dict[str, Path], needle: str) -> list[Path]:
    hits = []
    for folder in folders.values():
        for f in folder.rglob("*"):
            if f.is_file() and needle.encode() in f.read_bytes():
                hits.append(f)
    return hits


@pytest.mark.keyring
def test_add_with_secret_stdin_then_resend_through_the_profile(
    fresh_sandbox: Sandbox, _fresh_xdg_dirs: dict[str, Path]
) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    assert client.client_secret
    added = run_cli(
        "profiles", "add", "Local secret", "--region", info.region, "--client-id",
        client.client_id, "--endpoint-url", info.endpoint_url, "--user-pool-id",
        info.user_pool_id, "--secret-stdin", stdin=client.client_secret + "\n",
    )
    try:
        assert added.returncode == 0, added.stderr
        assert "saved in the keyring" in added.stderr

        shown = run_cli("profiles", "show", "Local secret", "--json")
        assert shown.returncode == 0, shown.stderr
        data = json.loads(shown.stdout)
        assert data["has_secret"] is True and data["endpoint_url"] == info.endpoint_url
        listed = json.loads(run_cli("profiles", "list", "--json").stdout)
        assert [p["name"] for p in listed] == ["Local secret", "Sandbox"]

        out = run_cli("resend", "--profile", "Local secret", "--username", "alice", "--json")
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout)
        assert result["outcome"] == "delivered" and result["used_secret_hash"] is True
        assert result["client_id"] == client.client_id
        assert len(fresh_sandbox.inbox("alice")) == 1

        # The secret is in the keyring only: not in any file, not in any output.
        assert _files_containing(_fresh_xdg_dirs, client.client_secret) == []
        for text in (added.stdout, added.stderr, out.stdout, out.stderr, shown.stdout):
            assert client.client_secret not in text
    finally:
        removed = run_cli("profiles", "remove", "Local secret")
    assert removed.returncode == 0, removed.stderr
    gone = run_cli("resend", "--profile", "Local secret", "--username", "alice")
    assert gone.returncode == 2


@pytest.mark.keyring
def test_wrong_secret_in_the_keyring_is_explained(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    added = run_cli(
        "profiles", "add", "wrong", "--region", info.region, "--client-id", client.client_id,
        "--endpoint-url", info.endpoint_url, "--secret-stdin", stdin="not-the-secret\n",
    )
    try:
        assert added.returncode == 0, added.stderr
        out = run_cli("resend", "--profile", "wrong", "--username", "alice")
        assert out.returncode == 3
        assert "Wrong client secret" in out.stdout
    finally:
        run_cli("profiles", "remove", "wrong")


def test_no_keyring_add_fails_clearly_and_writes_nothing(
    _fresh_xdg_dirs: dict[str, Path],
) -> None:
    secret = "plaintext-must-never-appear-0123456789"
    out = run_cli(
        "profiles", "add", "nokeyring", "--region", "eu-west-1", "--client-id", "abc123",
        "--secret-stdin", stdin=secret + "\n", env=NO_KEYRING,
    )
    assert out.returncode == 5, out.stderr
    assert "keyring" in out.stderr.lower() and "Traceback" not in out.stderr
    assert secret not in out.stdout + out.stderr
    assert _files_containing(_fresh_xdg_dirs, secret) == []
    listed = json.loads(run_cli("profiles", "list", "--json", env=NO_KEYRING).stdout)
    assert [p["name"] for p in listed] == ["Sandbox"]


def test_no_keyring_resend_exits_5_with_a_clear_message() -> None:
    ProfileRepository(AppPaths.from_platform().ensure().profiles_file).save(
        Profile(name="stored", region="eu-west-1", endpoint_url="http://127.0.0.1:9")
    )
    out = run_cli("resend", "--profile", "stored", "--username", "alice", env=NO_KEYRING)
    assert out.returncode == 5, out.stdout + out.stderr
    assert "Client credentials unavailable" in out.stdout
    assert "keyring" in out.stdout.lower()
    assert "Traceback" not in out.stdout + out.stderr
    history = json.loads(run_cli("history", "list", "--json").stdout)
    assert history[0]["failure"]["code"] == "CredentialsUnavailable"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["bad", "--region", "nowhere", "--client-id", "abc"], "--region"),
        (["bad", "--region", "eu-west-1", "--client-id", "has space"], "--client-id"),
        (["bad", "--region", "eu-west-1", "--client-id", "abc", "--endpoint-url", "ftp://x"],
         "--endpoint-url"),
        (["Sandbox", "--region", "eu-west-1", "--client-id", "abc"], "built-in"),
        (["bad", "--region", "eu-west-1", "--client-id", "abc", "--secret-stdin"],
         "--secret-stdin"),
    ],
)
def test_add_refuses_bad_input_before_touching_the_keyring(args: list[str], flag: str) -> None:
    out = run_cli("profiles", "add", *args, stdin="", env=NO_KEYRING)
    assert out.returncode == 2, out.stderr
    assert flag in out.stderr and "Traceback" not in out.stderr


def test_show_and_remove_unknown_profiles() -> None:
    assert run_cli("profiles", "show", "ghost").returncode == 2
    assert run_cli("profiles", "remove", "ghost").returncode == 2
    assert run_cli("profiles", "remove", "Sandbox").returncode == 2
    builtin = json.loads(run_cli("profiles", "show", "Sandbox", "--json").stdout)
    assert builtin["builtin"] is True
