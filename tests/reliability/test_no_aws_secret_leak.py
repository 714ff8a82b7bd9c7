"""1 and 6 (AWS keys): a session of diagnoses and support actions signed with AWS secret keys
leaves none of them in any file the app wrote, its log, exports, outputs or the clipboard text.

Three secret access keys are in play: the sandbox's admin and read-only keys (the built-in
profile signs with the admin one; a throw-away ~/.aws/credentials file holds both for a
stored profile's --aws-profile) and an unknown key AWS refuses. The session: diagnoses,
users find, both support actions (allowed, refused for the read-only key, refused for the
unknown key), "Why didn't it arrive?" for a bounce, the IAM policy text, history export
(CSV and JSON), all through the CLI and in process with the app's log set-up. Then every
file under the test's XDG folders and every captured text is scanned; a negative control
proves the scan finds a planted key.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import pytest

from app.core.diagnosis_json import diagnosis_text, diagnosis_to_dict
from app.core.iam_policy import policy_json
from app.core.profile import SANDBOX_PROFILE_NAME, Profile
from app.core.secrets import Secret
from app.sandbox.server import Sandbox
from app.services.admin_stack import AdminServices
from app.services.admin_targets import sandbox_target
from app.services.aws_session import AwsCredentialSource, StaticKeys
from app.services.history_store import HistoryStore
from app.services.logging_setup import configure_logging
from app.services.paths import AppPaths
from tests.reliability.support import run_cli, scan, xdg_roots

pytestmark = pytest.mark.timeout(300)

UNKNOWN_SECRET = "unknown-aws-secret-" + uuid.uuid4().hex


def _aws_files(home: Path, box: Sandbox) -> dict[str, str]:
    keys = box.info.aws_credentials
    aws = home / "aws"
    aws.mkdir()
    (aws / "credentials").write_text(
        f"[qa-admin]\naws_access_key_id = {keys.admin.access_key_id}\n"
        f"aws_secret_access_key = {keys.admin.secret_access_key}\n"
        f"[qa-ro]\naws_access_key_id = {keys.read_only.access_key_id}\n"
        f"aws_secret_access_key = {keys.read_only.secret_access_key}\n"
        f"[qa-bad]\naws_access_key_id = AKIAUNKNOWN0000000000\n"
        f"aws_secret_access_key = {UNKNOWN_SECRET}\n",
        encoding="utf-8",
    )
    (aws / "config").write_text("", encoding="utf-8")
    return {
        "AWS_SHARED_CREDENTIALS_FILE": str(aws / "credentials"),
        "AWS_CONFIG_FILE": str(aws / "config"),
    }


@pytest.mark.keyring
def test_a_diagnosis_session_leaves_no_aws_secret_key_anywhere(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    info = fresh_sandbox.info
    keys = info.aws_credentials
    secrets = [keys.admin.secret_access_key, keys.read_only.secret_access_key, UNKNOWN_SECRET]
    env = _aws_files(tmp_path, fresh_sandbox)
    outputs: dict[str, str] = {}

    def cli(name: str, *args: str) -> int:
        out = run_cli(*args, env=env)
        outputs[f"{name} stdout"] = out.stdout
        outputs[f"{name} stderr"] = out.stderr
        assert "Traceback" not in out.stdout + out.stderr, (name, out.stderr)
        return out.returncode

    url = info.endpoint_url
    sandbox = ("--profile", SANDBOX_PROFILE_NAME, "--endpoint-url", url)
    for who in ("alice", "alice@example.com", "dave", "ghost", "grace"):
        assert cli(f"diagnose {who}", "diagnose", *sandbox, "--username", who, "--json") == 0
    assert cli("find", "users", "find", *sandbox, "--email", "frank@example.com", "--json") == 0
    assert cli("confirm", "admin", "confirm", *sandbox, "--username", "bob", "--yes") == 0
    for aws_profile in ("qa-admin", "qa-ro", "qa-bad"):
        name = f"Pool-{aws_profile}"
        assert cli(
            f"add {name}", "profiles", "add", name, "--region", info.region, "--client-id",
            info.client("protected").client_id, "--endpoint-url", url, "--user-pool-id",
            info.user_pool_id, "--aws-profile", aws_profile,
        ) == 0  # fmt: skip
        cli(f"diagnose {name}", "diagnose", "--profile", name, "--username", "alice")
        cli(f"invite {name}", "admin", "resend-invitation", "--profile", name,
            "--username", "dave", "--yes", "--json")  # fmt: skip
        cli(f"confirm {name}", "admin", "confirm", "--profile", name, "--username", "frank",
            "--mark-verified", "email", "--yes")  # fmt: skip
    assert "Not allowed: cognito-idp:AdminConfirmSignUp" in outputs["confirm Pool-qa-ro stderr"]
    assert "AWS keys not accepted" in outputs["diagnose Pool-qa-bad stdout"]

    # In process, with the app's own log set-up (at DEBUG: everything that could be logged).
    paths = AppPaths.from_platform().ensure()
    configure_logging(paths.log_file, stderr_level=None)
    logging.getLogger().setLevel(logging.DEBUG)
    history = HistoryStore(paths.history_db)
    services = AdminServices(history, None)
    try:
        profile = Profile(SANDBOX_PROFILE_NAME, info.region, url, builtin=True)
        target = sandbox_target(info, profile, "protected")
        d = services.diagnosis.diagnose(target, "grace")
        outputs["in-process diagnosis"] = diagnosis_text(d) + json.dumps(diagnosis_to_dict(d))
        invited = services.actions.resend_invitation(target, "dave")
        outputs["in-process invitation"] = repr(invited)
        bad = type(target)(
            target.profile, target.client_id,
            AwsCredentialSource(static=StaticKeys("AKIAUNKNOWN", Secret(UNKNOWN_SECRET))),
        )  # fmt: skip
        refused = services.actions.confirm(bad, "alice")
        assert refused.failure is not None and refused.failure.title == "AWS keys not accepted"
        outputs["in-process refusal"] = repr(refused) + repr(bad)
        outputs["policy (clipboard text)"] = policy_json(pool_id=info.user_pool_id)
        logging.getLogger("botocore").debug("probe")  # botocore's own logger is quiet
    finally:
        services.close()
        history.close()
    for fmt in ("csv", "json"):
        assert cli(f"export {fmt}", "history", "export", "--format", fmt,
                   "--output", str(paths.data_dir / f"export.{fmt}")) == 0  # fmt: skip
    hits = scan(xdg_roots(), secrets, outputs)
    assert hits == [], hits


def test_the_scan_finds_a_planted_aws_secret_key(tmp_path: Path) -> None:
    planted = "planted-aws-secret-" + uuid.uuid4().hex
    paths = AppPaths.from_platform().ensure()
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
    paths.log_file.write_text(f"aws_secret_access_key={planted}\n", encoding="utf-8")
    assert scan(xdg_roots(), [planted], {"out": "nothing"}) != []
    assert scan([], [planted], {"out": f"...{planted}..."}) == [f"out: {planted[:8]}..."]
