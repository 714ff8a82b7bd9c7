"""`profiles export`, `import` and `import-aws` as subprocesses: the real keyring, the sandbox.

The export is scanned for the client secret (it must not be there); the import puts the
typed secret into the keyring and a resend through the imported profile delivers with a
SecretHash; import-aws signs with an AWS CLI profile holding the sandbox's admin keys and
fetches the secret itself, which shows in no output or file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.sandbox.server import Sandbox
from tests.integration.cli.test_cli import run_cli

pytestmark = pytest.mark.timeout(180)


def _files_containing(folders: dict[str, Path], needle: str) -> list[Path]:
    return [
        f
        for folder in folders.values()
        for f in folder.rglob("*")
        if f.is_file() and needle.encode() in f.read_bytes()
    ]


def _aws_profile_env(box: Sandbox, folder: Path) -> dict[str, str]:
    """An AWS CLI profile `sandbox-admin` with the sandbox's admin keys (as a user sets up)."""
    admin = box.info.aws_credentials.admin
    creds = folder / "aws-credentials"
    creds.write_text(
        "[sandbox-admin]\n"
        f"aws_access_key_id = {admin.access_key_id}\n"
        f"aws_secret_access_key = {admin.secret_access_key}\n",
        encoding="utf-8",
    )
    return {"AWS_SHARED_CREDENTIALS_FILE": str(creds)}


@pytest.mark.keyring
def test_export_has_no_secret_and_import_puts_it_in_the_keyring(
    fresh_sandbox: Sandbox, _fresh_xdg_dirs: dict[str, Path], tmp_path: Path
) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    secret = client.client_secret or ""
    assert secret
    added = run_cli(
        "profiles", "add", "Team staging", "--region", info.region, "--client-id",
        client.client_id, "--endpoint-url", info.endpoint_url, "--user-pool-id",
        info.user_pool_id, "--secret-stdin", stdin=secret + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    exported = tmp_path / "team.json"
    out = run_cli("profiles", "export", "--output", str(exported))
    assert out.returncode == 0, out.stderr
    text = exported.read_text(encoding="utf-8")
    assert secret not in text and secret not in out.stdout + out.stderr
    [record] = json.loads(text)["profiles"]
    assert record["client_id"] == client.client_id and record["needs_secret"] is True
    assert record["user_pool_id"] == info.user_pool_id

    # A teammate's machine: the profile is gone; the file is all they get, plus the secret.
    assert run_cli("profiles", "remove", "Team staging").returncode == 0
    imported = run_cli("profiles", "import", str(exported), "--secret-stdin",
                       stdin=secret + "\n")
    assert imported.returncode == 0, imported.stderr
    assert "Imported 'Team staging'" in imported.stderr
    again = run_cli("profiles", "import", str(exported), "--secret-stdin", stdin=secret + "\n")
    assert again.returncode == 1 and "exists" in again.stderr  # no silent overwrite
    try:
        sent = run_cli("resend", "--profile", "Team staging", "--username", "alice", "--json")
        assert sent.returncode == 0, sent.stdout + sent.stderr
        result = json.loads(sent.stdout)
        assert result["outcome"] == "delivered" and result["used_secret_hash"] is True
        for text in (imported.stdout, imported.stderr, sent.stdout, sent.stderr):
            assert secret not in text
        assert _files_containing(_fresh_xdg_dirs, secret) == []
    finally:
        run_cli("profiles", "remove", "Team staging")


def test_import_without_a_terminal_asks_for_secret_stdin(tmp_path: Path) -> None:
    exported = tmp_path / "team.json"
    exported.write_text(json.dumps({
        "format": "cognito-resend-profiles", "version": 1,
        "profiles": [{"name": "needs", "region": "eu-west-1", "client_id": "abc123",
                      "needs_secret": True}],
    }), encoding="utf-8")  # fmt: skip
    out = run_cli("profiles", "import", str(exported), stdin="")
    assert out.returncode == 2 and "--secret-stdin" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.keyring
def test_import_aws_fetches_the_secret_into_the_keyring_and_a_send_works(
    fresh_sandbox: Sandbox, _fresh_xdg_dirs: dict[str, Path], tmp_path: Path
) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    secret = client.client_secret or ""
    env = _aws_profile_env(fresh_sandbox, tmp_path)
    base = ["profiles", "import-aws", "--aws-profile", "sandbox-admin", "--region",
            info.region, "--endpoint-url", info.endpoint_url]  # fmt: skip

    # Several pools: the command lists them and asks for one (no guess).
    several = run_cli(*base, env=env)
    assert several.returncode == 2 and "--user-pool-id" in several.stderr, several.stderr
    assert info.user_pool_id in several.stderr
    clients = run_cli(*base, "--user-pool-id", info.user_pool_id, env=env)
    assert clients.returncode == 2 and "--client-id" in clients.stderr
    assert client.client_id in clients.stderr and "secret" in clients.stderr

    out = run_cli(*base, "--user-pool-id", info.user_pool_id, "--client-id", client.client_id,
                  "--name", "From AWS", env=env)
    try:
        assert out.returncode == 0, out.stderr
        assert "client ID and secret saved in the keyring" in out.stderr
        shown = json.loads(run_cli("profiles", "show", "From AWS", "--json").stdout)
        assert shown["has_secret"] is True and shown["aws_profile"] == "sandbox-admin"
        assert shown["user_pool_id"] == info.user_pool_id
        sent = run_cli("resend", "--profile", "From AWS", "--username", "alice", "--json")
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert json.loads(sent.stdout)["used_secret_hash"] is True
        for text in (out.stdout, out.stderr, several.stderr, clients.stderr, sent.stdout):
            assert secret not in text
        assert _files_containing(_fresh_xdg_dirs, secret) == []
    finally:
        run_cli("profiles", "remove", "From AWS")


def test_import_aws_with_unknown_keys_is_explained(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    creds = tmp_path / "aws-credentials"
    creds.write_text("[wrong]\naws_access_key_id = AKIAWRONG\naws_secret_access_key = nope\n",
                     encoding="utf-8")
    info = fresh_sandbox.info
    out = run_cli("profiles", "import-aws", "--aws-profile", "wrong", "--region", info.region,
                  "--endpoint-url", info.endpoint_url,
                  env={"AWS_SHARED_CREDENTIALS_FILE": str(creds)})
    assert out.returncode != 0 and "ListUserPools" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "nope" not in out.stderr
