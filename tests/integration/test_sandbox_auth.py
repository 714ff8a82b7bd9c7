"""SigV4 on the sandbox's admin calls, over real HTTP: AWS's refusals, the read-only key, the
unauthenticated calls that stay unsigned, and the AWS CLI as a client nobody here wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from app.sandbox import auth
from app.sandbox.model import AwsCredentials, AwsKeyPair, SandboxInfo
from app.sandbox.server import Sandbox
from tests.support.sandbox import (
    make_cognito_client,
    make_signed_client,
    no_credentials_env,
    sandbox_child,
)


def _client_with(info: SandboxInfo, key_id: str, secret: str, service: str = "cognito-idp") -> Any:
    fake = SandboxInfo(
        info.endpoint_url,
        info.region,
        info.user_pool_id,
        info.clients,
        info.users,
        AwsCredentials(AwsKeyPair(key_id, secret), AwsKeyPair("", "")),
    )
    return make_signed_client(fake, service)


def _refusal(call: Any, **params: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    response = caught.value.response
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    return status, response["Error"]["Code"], response["Error"]["Message"]


def test_info_carries_two_random_key_pairs(fresh_sandbox: Sandbox) -> None:
    keys = fresh_sandbox.info.aws_credentials
    assert keys.admin.access_key_id.startswith("AKIA") and len(keys.admin.access_key_id) == 20
    assert len(keys.admin.secret_access_key) == 40
    assert keys.admin != keys.read_only
    assert auth.generate_credentials() != auth.generate_credentials()
    with urllib.request.urlopen(fresh_sandbox.info.endpoint_url + "/_sandbox/info") as answer:
        shown = json.loads(answer.read())["aws_credentials"]
    assert shown == {
        "admin": {
            "access_key_id": keys.admin.access_key_id,
            "secret_access_key": keys.admin.secret_access_key,
        },
        "read_only": {
            "access_key_id": keys.read_only.access_key_id,
            "secret_access_key": keys.read_only.secret_access_key,
        },
    }
    # reset() keeps the keys: a running app's profile stays valid.
    fresh_sandbox.reset()
    assert fresh_sandbox.info.aws_credentials == keys
    assert "secret_access_key" not in repr(keys.admin)


def test_admin_key_signed_calls_work(fresh_sandbox: Sandbox, sandbox_admin: Any) -> None:
    users = sandbox_admin.list_users(UserPoolId=fresh_sandbox.info.user_pool_id)["Users"]
    assert {"alice", "dave", "erin", "frank", "grace"} <= {u["Username"] for u in users}
    sandbox_admin.admin_confirm_sign_up(UserPoolId=fresh_sandbox.info.user_pool_id, Username="bob")


def test_unsigned_admin_call_is_missing_authentication_token(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    assert _refusal(
        sandbox_cognito.admin_get_user, UserPoolId=fresh_sandbox.info.user_pool_id, Username="bob"
    ) == (400, "MissingAuthenticationTokenException", "Missing Authentication Token")


def test_unknown_access_key_is_an_unrecognized_client(fresh_sandbox: Sandbox) -> None:
    client = _client_with(fresh_sandbox.info, "AKIA" + "Q" * 16, "s" * 40)
    assert _refusal(client.list_user_pools, MaxResults=10) == (
        400,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


def test_wrong_secret_is_an_invalid_signature(fresh_sandbox: Sandbox) -> None:
    admin = fresh_sandbox.info.aws_credentials.admin
    client = _client_with(fresh_sandbox.info, admin.access_key_id, "x" * 40)
    status, code, message = _refusal(client.list_user_pools, MaxResults=10)
    assert (status, code) == (400, "InvalidSignatureException")
    assert message.startswith(
        "The request signature we calculated does not match the signature you provided."
    )


def test_read_only_key_reads_but_may_not_write(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    reader = make_signed_client(info, key="read_only")
    assert reader.admin_get_user(UserPoolId=info.user_pool_id, Username="erin")["Enabled"] is False
    reader.list_users(UserPoolId=info.user_pool_id, Filter='username = "alice"')
    reader.describe_user_pool(UserPoolId=info.user_pool_id)
    reader.describe_user_pool_client(
        UserPoolId=info.user_pool_id, ClientId=info.client("public").client_id
    )
    reader.list_user_pools(MaxResults=10)
    reader.list_user_pool_clients(UserPoolId=info.user_pool_id)
    reader.get_log_delivery_configuration(UserPoolId=info.user_pool_id)
    pool_arn = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{info.user_pool_id}"
    writes: list[tuple[str, Any, dict[str, Any]]] = [
        ("AdminConfirmSignUp", reader.admin_confirm_sign_up, {"Username": "alice"}),
        (
            "AdminCreateUser",
            reader.admin_create_user,
            {"Username": "dave", "MessageAction": "RESEND"},
        ),
        (
            "AdminUpdateUserAttributes",
            reader.admin_update_user_attributes,
            {"Username": "alice", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]},
        ),
    ]
    for action, call, params in writes:
        assert _refusal(call, UserPoolId=info.user_pool_id, **params) == (
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/sandbox-read-only is not authorized to "
            f"perform: cognito-idp:{action} on resource: {pool_arn} because no "
            f"identity-based policy allows the cognito-idp:{action} action",
        )
    # Nothing changed.
    assert fresh_sandbox.info.user("alice").status == "UNCONFIRMED"
    assert fresh_sandbox.inbox("dave") == []


def test_unauthenticated_calls_stay_unsigned(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    unsigned = auth.unsigned_cognito_operations()
    assert {"SignUp", "ConfirmSignUp", "ResendConfirmationCode", "InitiateAuth"} <= unsigned
    assert not {"AdminGetUser", "ListUsers", "GetLogDeliveryConfiguration"} & unsigned
    client_id = fresh_sandbox.info.client("public").client_id
    sandbox_cognito.sign_up(
        ClientId=client_id,
        Username="newcomer",
        Password="Sandbox-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "newcomer@example.net"}],
    )
    sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
    # ConfirmSignUp checks the code (the newest one sent), as Cognito does.
    code = fresh_sandbox.inbox("newcomer")[-1].code
    sandbox_cognito.confirm_sign_up(ClientId=client_id, Username="newcomer", ConfirmationCode=code)
    # A signed client may call them too (a signature is simply not needed).
    signed = make_signed_client(fresh_sandbox.info)
    signed.resend_confirmation_code(ClientId=client_id, Username="bob")


def test_the_check_recomputes_botocores_signature() -> None:
    """Own canonical-request code against botocore's SigV4Auth on the same request."""
    keys = auth.generate_credentials()
    body = b'{"UserPoolId": "us-east-1_abc", "Username": "alice"}'
    request = AWSRequest(
        method="POST",
        url="http://127.0.0.1:5123/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminGetUser",
        },
    )
    creds = Credentials(keys.admin.access_key_id, keys.admin.secret_access_key)
    SigV4Auth(creds, "cognito-idp", "us-east-1").add_auth(request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["host"] = "127.0.0.1:5123"
    sent = auth.SignedRequest("POST", "/", "", headers, body)
    verifier = auth.SigV4Verifier(keys, "us-east-1")
    assert verifier.check(sent, "cognito-idp", "AdminGetUser", "*") is None
    botocore_signature = headers["authorization"].rsplit("Signature=", 1)[1]
    scope = headers["authorization"].split("Credential=")[1].split(",")[0].split("/", 1)[1]
    signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert auth.signature(sent, keys.admin.secret_access_key, scope, signed) == botocore_signature
    tampered = auth.SignedRequest("POST", "/", "", headers, body.replace(b"alice", b"bob"))
    refusal = verifier.check(tampered, "cognito-idp", "AdminGetUser", "*")
    assert refusal is not None and refusal.error_type == "InvalidSignatureException"


def _aws_cli() -> list[str]:
    # The venv's own CLI first (installed with the test extras), else one on PATH.
    search = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    found = shutil.which("aws", path=search)
    if found is None:
        pytest.skip("the AWS CLI is not installed")
    return [found]


def test_aws_cli_lists_users_with_the_admin_keys(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    env = no_credentials_env()
    env.update(
        AWS_ACCESS_KEY_ID=info.aws_credentials.admin.access_key_id,
        AWS_SECRET_ACCESS_KEY=info.aws_credentials.admin.secret_access_key,
        AWS_DEFAULT_REGION=info.region,
        AWS_MAX_ATTEMPTS="1",
    )
    command = [
        *_aws_cli(),
        "cognito-idp",
        "list-users",
        "--endpoint-url",
        info.endpoint_url,
        "--user-pool-id",
        info.user_pool_id,
        "--filter",
        'email = "frank@example.com"',
        "--output",
        "json",
    ]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert [u["Username"] for u in json.loads(out.stdout)["Users"]] == ["frank"]

    env["AWS_SECRET_ACCESS_KEY"] = "z" * 40
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "InvalidSignatureException" in refused.stderr


def test_an_unsigned_client_has_no_credentials_at_all(fresh_sandbox: Sandbox) -> None:
    # The plugin's unsigned client really sends no Authorization header: the refusal proves it.
    client = make_cognito_client(fresh_sandbox.info)
    status, code, _ = _refusal(client.list_user_pools, MaxResults=1)
    assert (status, code) == (400, "MissingAuthenticationTokenException")


def test_the_sandbox_commands_json_line_carries_working_keys() -> None:
    """`main.py sandbox --json`: its first line holds aws_credentials, and they sign."""
    main = Path(__file__).resolve().parents[2] / "main.py"
    argv = [sys.executable, str(main), "sandbox", "--json", "--port", "0"]
    with sandbox_child(argv, stderr=subprocess.DEVNULL) as (_child, first):
        keys = first["aws_credentials"]
        assert set(keys) == {"admin", "read_only"}
        assert set(keys["admin"]) == {"access_key_id", "secret_access_key"}
        info = SandboxInfo.from_json(first)
        pools = make_signed_client(info).list_user_pools(MaxResults=10)["UserPools"]
        assert {"sandbox-pool", "sandbox-pool-no-verify", "sandbox-pool-link"} <= {
            p["Name"] for p in pools
        }


def test_a_request_signed_too_long_ago_has_expired() -> None:
    keys = auth.generate_credentials()
    request = AWSRequest(
        method="POST",
        url="http://127.0.0.1:5123/",
        data=b"{}",
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools"},
    )
    SigV4Auth(
        Credentials(keys.admin.access_key_id, keys.admin.secret_access_key),
        "cognito-idp",
        "us-east-1",
    ).add_auth(request)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers["host"] = "127.0.0.1:5123"
    sent = auth.SignedRequest("POST", "/", "", headers, b"{}")
    signed_at = datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    later = auth.SigV4Verifier(keys, "us-east-1", clock=lambda: signed_at.timestamp() + 16 * 60)
    refusal = later.check(sent, "cognito-idp", "ListUserPools", "*")
    assert refusal is not None and refusal.error_type == "InvalidSignatureException"
    assert refusal.message.startswith(f"Signature expired: {headers['x-amz-date']} is now earlier")
    assert refusal.message.endswith(" - 15 min.)")
    earlier = auth.SigV4Verifier(keys, "us-east-1", clock=lambda: signed_at.timestamp() - 16 * 60)
    ahead = earlier.check(sent, "cognito-idp", "ListUserPools", "*")
    assert ahead is not None and ahead.message.startswith("Signature not yet current: ")
    within = auth.SigV4Verifier(keys, "us-east-1", clock=lambda: signed_at.timestamp() + 14 * 60)
    assert within.check(sent, "cognito-idp", "ListUserPools", "*") is None
