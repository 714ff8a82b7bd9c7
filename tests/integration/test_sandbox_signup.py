"""SignUp and ConfirmSignUp against the sandbox over real HTTP, as Cognito answers them.

Two clients nobody here wrote are the oracle: boto3 (unsigned, no credentials) and the AWS
CLI (``--no-sign-request``) in its own process. Extra pools (email as sign-in attribute, no
auto-verification) are created in moto's backend in-process: only the seeded pool is public.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto.cognitoidp.models import cognitoidp_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from app.sandbox.accounts import MotoAccounts
from app.sandbox.server import Sandbox
from tests.support.sandbox import error_of as _error
from tests.support.sandbox import no_credentials_env
from tests.support.sandbox import secret_hash as _hash

PASSWORD = "Sandbox-Passw0rd!"


def _email(address: str) -> list[dict[str, str]]:
    return [{"Name": "email", "Value": address}]


@pytest.fixture
def box(fresh_sandbox: Sandbox) -> Iterator[Sandbox]:
    yield fresh_sandbox
    fresh_sandbox.reset()


def _public(box: Sandbox) -> str:
    return box.info.client("public").client_id


def _pool(box: Sandbox, config: dict[str, Any]) -> tuple[str, str]:
    """A new pool and its public client in moto's backend: (pool id, client id)."""
    backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][box.info.region]
    pool = backend.create_user_pool(f"extra-{uuid.uuid4().hex[:8]}", config)
    client = backend.create_user_pool_client(pool.id, False, {"ClientName": "extra"})
    return pool.id, client.id


# -- SignUp -------------------------------------------------------------------------------


def test_sign_up_answers_like_cognito_and_sends_the_first_code(
    box: Sandbox, sandbox_cognito: Any
) -> None:
    answer = sandbox_cognito.sign_up(
        ClientId=_public(box),
        Username="zoe",
        Password=PASSWORD,
        UserAttributes=_email("zoe@example.net"),
        ClientMetadata={"run": "qa-1"},
    )
    assert answer["UserConfirmed"] is False
    assert uuid.UUID(answer["UserSub"])
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "z***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    [message] = box.inbox("zoe")
    assert message.trigger_source == "CustomMessage_SignUp"
    assert message.client_metadata == {"run": "qa-1"}
    assert message.request_id == answer["ResponseMetadata"]["RequestId"]
    assert box.user_attributes("zoe") == {
        "email": "zoe@example.net",
        "sub": answer["UserSub"],
        "cognito:user_status": "UNCONFIRMED",
        "email_verified": "false",
    }


def test_phone_wins_when_both_are_auto_verified(box: Sandbox, sandbox_cognito: Any) -> None:
    answer = sandbox_cognito.sign_up(
        ClientId=_public(box),
        Username="yuri",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": "yuri@example.net"},
            {"Name": "phone_number", "Value": "+15555550199"},
        ],
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******0199",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    assert box.inbox("yuri")[0].medium == "SMS"


def test_no_code_when_the_pool_verifies_nothing(box: Sandbox, sandbox_cognito: Any) -> None:
    _, client_id = _pool(box, {"AutoVerifiedAttributes": []})
    answer = sandbox_cognito.sign_up(
        ClientId=client_id, Username="xena", Password=PASSWORD, UserAttributes=_email("x@e.net")
    )
    assert answer["UserConfirmed"] is False and "CodeDeliveryDetails" not in answer
    assert box.inbox("xena") == []


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("NOLOWER-1234", "Password must have lowercase characters"),
        ("noupper-1234", "Password must have uppercase characters"),
        ("NoNumbers-here", "Password must have numeric characters"),
        ("NoSymbols1234", "Password must have symbol characters"),
    ],
)
def test_default_password_policy(
    box: Sandbox, sandbox_cognito: Any, password: str, rule: str
) -> None:
    error = _error(
        lambda: sandbox_cognito.sign_up(ClientId=_public(box), Username="wes", Password=password)
    )
    assert error == {
        "Code": "InvalidPasswordException",
        "Message": f"Password did not conform with policy: {rule}",
    }
    assert box.user_attributes("wes") is None


def test_the_pools_own_policy(box: Sandbox, sandbox_cognito: Any) -> None:
    policy = {
        "MinimumLength": 12,
        "RequireUppercase": False,
        "RequireLowercase": True,
        "RequireNumbers": False,
        "RequireSymbols": False,
    }
    _, client_id = _pool(box, {"Policies": {"PasswordPolicy": policy}})
    error = _error(
        lambda: sandbox_cognito.sign_up(ClientId=client_id, Username="v1", Password="short")
    )
    assert error["Message"] == "Password did not conform with policy: Password not long enough"
    sandbox_cognito.sign_up(ClientId=client_id, Username="v1", Password="onlylowercase")


def test_existing_username(box: Sandbox, sandbox_cognito: Any) -> None:
    error = _error(
        lambda: sandbox_cognito.sign_up(ClientId=_public(box), Username="alice", Password=PASSWORD)
    )
    assert error == {"Code": "UsernameExistsException", "Message": "User already exists"}


def test_email_shaped_username_in_an_email_alias_pool(box: Sandbox, sandbox_cognito: Any) -> None:
    error = _error(
        lambda: sandbox_cognito.sign_up(
            ClientId=_public(box), Username="una@example.net", Password=PASSWORD
        )
    )
    assert error == {
        "Code": "InvalidParameterException",
        "Message": "Username cannot be of email format, since user pool is configured for "
        "email alias.",
    }


def test_email_as_sign_in_attribute(box: Sandbox, sandbox_cognito: Any) -> None:
    _, client_id = _pool(
        box, {"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}
    )
    error = _error(
        lambda: sandbox_cognito.sign_up(ClientId=client_id, Username="tess", Password=PASSWORD)
    )
    assert error == {"Code": "InvalidParameterException", "Message": "Username should be an email."}
    answer = sandbox_cognito.sign_up(
        ClientId=client_id, Username="tess@example.net", Password=PASSWORD
    )
    assert answer["CodeDeliveryDetails"]["Destination"] == "t***@e***"
    # The user's name is its sub; the email is how one addresses it.
    [message] = box.inbox(answer["UserSub"])
    assert message.destination == "tess@example.net"


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (_email("not-an-address"), "Invalid email address format."),
        ([{"Name": "phone_number", "Value": "555-0100"}], "Invalid phone number format."),
        (
            [{"Name": "custom:team", "Value": "qa"}],
            "Attributes did not conform to the schema: custom:team: Attribute does not exist "
            "in the schema.",
        ),
    ],
)
def test_bad_attributes(
    box: Sandbox, sandbox_cognito: Any, attributes: list[dict[str, str]], message: str
) -> None:
    error = _error(
        lambda: sandbox_cognito.sign_up(
            ClientId=_public(box), Username="sam", Password=PASSWORD, UserAttributes=attributes
        )
    )
    assert error == {"Code": "InvalidParameterException", "Message": message}


def test_missing_password_and_bad_username_are_validation_errors(box: Sandbox) -> None:
    # boto3 validates its input itself; the raw call shows the service's wording.
    import urllib.error
    import urllib.request

    body = json.dumps({"ClientId": _public(box), "Username": "bad name"}).encode()
    request = urllib.request.Request(
        box.info.endpoint_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    answer = json.loads(caught.value.read())
    assert answer["__type"] == "InvalidParameterException"
    assert answer["message"].startswith("2 validation errors detected: ")
    assert "at 'username' failed to satisfy constraint" in answer["message"]
    assert "Value null at 'password'" in answer["message"]


# -- the secret hash on all three calls ------------------------------------------------------


@pytest.mark.parametrize("operation", ["sign_up", "confirm_sign_up", "resend_confirmation_code"])
def test_missing_secret_hash_has_cognitos_wording(
    box: Sandbox, sandbox_cognito: Any, operation: str
) -> None:
    client_id = box.info.client("secret").client_id
    params: dict[str, Any] = {"ClientId": client_id, "Username": "alice"}
    if operation == "sign_up":
        params.update(Username="rita", Password=PASSWORD, UserAttributes=_email("r@e.net"))
    if operation == "confirm_sign_up":
        params["ConfirmationCode"] = "123456"
    error = _error(lambda: getattr(sandbox_cognito, operation)(**params))
    assert error == {
        "Code": "NotAuthorizedException",
        "Message": f"Unable to verify secret hash for client {client_id}",
    }


def test_the_whole_loop_with_a_secret_hash(box: Sandbox, sandbox_cognito: Any) -> None:
    client = box.info.client("secret")
    assert client.client_secret
    digest = _hash(client.client_secret, "quinn", client.client_id)
    sandbox_cognito.sign_up(
        ClientId=client.client_id,
        Username="quinn",
        Password=PASSWORD,
        SecretHash=digest,
        UserAttributes=_email("quinn@example.net"),
    )
    sandbox_cognito.resend_confirmation_code(
        ClientId=client.client_id, Username="quinn", SecretHash=digest
    )
    old, new = (m.code for m in box.inbox("quinn"))
    if old != new:
        error = _error(
            lambda: sandbox_cognito.confirm_sign_up(
                ClientId=client.client_id, Username="quinn", ConfirmationCode=old, SecretHash=digest
            )
        )
        assert error["Code"] == "CodeMismatchException"
    sandbox_cognito.confirm_sign_up(
        ClientId=client.client_id, Username="quinn", ConfirmationCode=new, SecretHash=digest
    )
    assert (box.user_attributes("quinn") or {})["cognito:user_status"] == "CONFIRMED"


# -- ConfirmSignUp and aliases -----------------------------------------------------------


def _sign_up_and_confirm(box: Sandbox, cognito: Any, username: str, email: str) -> None:
    cognito.sign_up(
        ClientId=_public(box), Username=username, Password=PASSWORD, UserAttributes=_email(email)
    )
    code = box.inbox(username)[-1].code
    cognito.confirm_sign_up(ClientId=_public(box), Username=username, ConfirmationCode=code)


def test_confirming_verifies_the_address_and_makes_it_an_alias(
    box: Sandbox, sandbox_cognito: Any
) -> None:
    _sign_up_and_confirm(box, sandbox_cognito, "pia", "pia@example.net")
    attributes = box.user_attributes("pia") or {}
    assert attributes["email_verified"] == "true"
    assert attributes["cognito:user_status"] == "CONFIRMED"
    # The verified address now resolves to pia (and she is confirmed).
    error = _error(
        lambda: sandbox_cognito.resend_confirmation_code(
            ClientId=_public(box), Username="pia@example.net"
        )
    )
    assert error == {"Code": "InvalidParameterException", "Message": "User is already confirmed."}


def test_an_address_already_another_users_alias(box: Sandbox, sandbox_cognito: Any) -> None:
    _sign_up_and_confirm(box, sandbox_cognito, "olga", "shared@example.net")
    sandbox_cognito.sign_up(
        ClientId=_public(box),
        Username="olga2",
        Password=PASSWORD,
        UserAttributes=_email("shared@example.net"),
    )
    code = box.inbox("olga2")[-1].code
    error = _error(
        lambda: sandbox_cognito.confirm_sign_up(
            ClientId=_public(box), Username="olga2", ConfirmationCode=code
        )
    )
    assert error == {
        "Code": "AliasExistsException",
        "Message": "An account with the given email already exists.",
    }
    # The code was not used up: with ForceAliasCreation the alias moves to the new user.
    sandbox_cognito.confirm_sign_up(
        ClientId=_public(box), Username="olga2", ConfirmationCode=code, ForceAliasCreation=True
    )
    assert (box.user_attributes("olga") or {})["email_verified"] == "false"
    assert (box.user_attributes("olga2") or {})["email_verified"] == "true"


def test_confirm_unknown_user(box: Sandbox, sandbox_cognito: Any) -> None:
    error = _error(
        lambda: sandbox_cognito.confirm_sign_up(
            ClientId=_public(box), Username="nobody", ConfirmationCode="123456"
        )
    )
    assert error == {
        "Code": "UserNotFoundException",
        "Message": "Username/client id combination not found.",
    }
    protected = box.info.client("protected").client_id
    error = _error(
        lambda: sandbox_cognito.confirm_sign_up(
            ClientId=protected, Username="nobody", ConfirmationCode="123456"
        )
    )
    assert error["Code"] == "CodeMismatchException"


def test_unverified_email_does_not_address_a_user_on_confirm(
    box: Sandbox, sandbox_cognito: Any
) -> None:
    sandbox_cognito.resend_confirmation_code(ClientId=_public(box), Username="alice")
    code = box.inbox("alice")[-1].code
    error = _error(
        lambda: sandbox_cognito.confirm_sign_up(
            ClientId=_public(box), Username="alice@example.com", ConfirmationCode=code
        )
    )
    assert error["Code"] == "UserNotFoundException"
    MotoAccounts().set_verified(box.info.user_pool_id, "alice", "email", True)
    sandbox_cognito.confirm_sign_up(
        ClientId=_public(box), Username="alice@example.com", ConfirmationCode=code
    )


# -- the AWS CLI as a second, independent client ----------------------------------------------


def _aws(box: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    aws = Path(sys.executable).with_name("aws")
    command = [str(aws)] if aws.exists() else [sys.executable, "-m", "awscli"]
    env = {**no_credentials_env(), "AWS_DEFAULT_REGION": box.info.region, "AWS_PAGER": ""}
    env.pop("AWS_PROFILE", None)
    return subprocess.run(
        [
            *command,
            "cognito-idp",
            *args,
            "--endpoint-url",
            box.info.endpoint_url,
            "--no-sign-request",
            "--output",
            "json",
            "--cli-read-timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in env.items() if k != "PYTHONPATH"} | {"PATH": os.environ["PATH"]},
        check=False,
    )


def test_the_loop_through_the_aws_cli(box: Sandbox) -> None:
    client_id = _public(box)
    done = _aws(
        box,
        "sign-up",
        "--client-id",
        client_id,
        "--username",
        "cli-user",
        "--password",
        PASSWORD,
        "--user-attributes",
        "Name=email,Value=cli@example.net",
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["UserConfirmed"] is False and answer["CodeDeliveryDetails"]["Destination"]
    done = _aws(box, "resend-confirmation-code", "--client-id", client_id, "--username", "cli-user")
    assert done.returncode == 0, done.stderr
    old, new = (m.code for m in box.inbox("cli-user"))
    if old != new:
        done = _aws(
            box,
            "confirm-sign-up",
            "--client-id",
            client_id,
            "--username",
            "cli-user",
            "--confirmation-code",
            old,
        )
        assert done.returncode != 0
        assert "CodeMismatchException" in done.stderr
        assert "Invalid verification code provided, please try again." in done.stderr
    args = ("--client-id", client_id, "--username", "cli-user", "--confirmation-code", new)
    done = _aws(box, "confirm-sign-up", *args)
    assert done.returncode == 0, done.stderr
    done = _aws(box, "confirm-sign-up", *args)
    assert "NotAuthorizedException" in done.stderr
    assert "User cannot be confirmed. Current status is CONFIRMED" in done.stderr
