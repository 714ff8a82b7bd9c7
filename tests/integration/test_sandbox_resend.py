"""ResendConfirmationCode against the sandbox over real HTTP, through boto3 with no credentials."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from app.sandbox.accounts import MotoAccounts
from app.sandbox.server import Sandbox
from tests.support.sandbox import error_response as _error
from tests.support.sandbox import make_cognito_client
from tests.support.sandbox import secret_hash as _hash

TARGET = "AWSCognitoIdentityProviderService.ResendConfirmationCode"


def _raw_post(endpoint: str, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_email_user_gets_a_code_in_the_inbox(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    before = datetime.now(UTC)

    answer = sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")

    assert answer["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert answer["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    [message] = fresh_sandbox.inbox("alice")
    assert re.fullmatch(r"\d{6}", message.code)
    assert (message.medium, message.destination) == ("EMAIL", "alice@example.com")
    assert message.client_id == client_id
    assert message.code in message.message
    sent = datetime.fromisoformat(message.sent_at.replace("Z", "+00:00"))
    assert sent.tzinfo is not None and before - timedelta(seconds=1) <= sent <= datetime.now(UTC)


def test_phone_user_gets_an_sms_masked_like_cognito(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    answer = sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="bob")
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    assert [m.destination for m in fresh_sandbox.inbox("bob")] == ["+15555550123"]


def test_each_resend_sends_a_new_code_newest_last(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    for _ in range(3):
        sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="qa-user-001")
    messages = fresh_sandbox.inbox("qa-user-001")
    assert len(messages) == 3
    assert [m.sent_at for m in messages] == sorted(m.sent_at for m in messages)
    assert fresh_sandbox.inbox("qa-user-002") == []


def _verify_email(sandbox: Sandbox, username: str) -> None:
    # In-process on purpose: no public call verifies an unconfirmed user's address.
    MotoAccounts().set_verified(sandbox.info.user_pool_id, username, "email", True)


def test_verified_email_alias_resolves_to_the_user(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    _verify_email(fresh_sandbox, "alice")
    client_id = fresh_sandbox.info.client("public").client_id
    answer = sandbox_cognito.resend_confirmation_code(
        ClientId=client_id, Username="alice@example.com"
    )
    assert answer["CodeDeliveryDetails"]["Destination"] == "a***@e***"
    assert [m.username for m in fresh_sandbox.inbox()] == ["alice"]


def test_unverified_email_is_no_alias_on_a_legacy_client(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(
            ClientId=client_id, Username="alice@example.com"
        )
    )
    assert response["Error"] == {
        "Code": "UserNotFoundException",
        "Message": "Username/client id combination not found.",
    }
    assert fresh_sandbox.inbox() == []


def test_unverified_email_is_simulated_on_a_protecting_client(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("protected").client_id
    answer = sandbox_cognito.resend_confirmation_code(
        ClientId=client_id, Username="alice@example.com"
    )
    # Looks delivered (the mask of the address asked for), but nobody gets anything.
    assert answer["CodeDeliveryDetails"]["Destination"] == "a***@e***"
    assert fresh_sandbox.inbox() == []


def test_client_metadata_is_recorded_verbatim(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    metadata = {"source": "qa", "empty": "", "unicode": "Grüße ✓", "json": '{"a": [1, 2]}'}
    sandbox_cognito.resend_confirmation_code(
        ClientId=fresh_sandbox.info.client("public").client_id,
        Username="alice",
        ClientMetadata=metadata,
    )
    [message] = fresh_sandbox.inbox("alice")
    assert message.client_metadata == metadata


def test_unknown_client_id(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(ClientId="nosuchclient", Username="alice")
    )
    assert response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "User pool client nosuchclient does not exist.",
    }
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_secret_client_without_hash(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client_id = fresh_sandbox.info.client("secret").client_id
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
    )
    assert response["Error"] == {
        "Code": "NotAuthorizedException",
        # Not InitiateAuth's "... is configured with secret but SECRET_HASH was not received".
        "Message": f"Unable to verify secret hash for client {client_id}",
    }
    assert fresh_sandbox.inbox() == []


def test_secret_client_with_wrong_hash(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client = fresh_sandbox.info.client("secret")
    assert client.client_secret
    wrong = _hash(client.client_secret + "x", "alice", client.client_id)
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(
            ClientId=client.client_id, Username="alice", SecretHash=wrong
        )
    )
    assert response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": f"Unable to verify secret hash for client {client.client_id}",
    }


def test_secret_client_with_right_hash(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client = fresh_sandbox.info.client("secret")
    assert client.client_secret
    answer = sandbox_cognito.resend_confirmation_code(
        ClientId=client.client_id,
        Username="alice",
        SecretHash=_hash(client.client_secret, "alice", client.client_id),
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_secret_hash_is_checked_against_the_username_as_sent(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    _verify_email(fresh_sandbox, "alice")
    client = fresh_sandbox.info.client("secret")
    assert client.client_secret
    alias = "alice@example.com"
    hash_of_real_name = _hash(client.client_secret, "alice", client.client_id)
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(
            ClientId=client.client_id, Username=alias, SecretHash=hash_of_real_name
        )
    )
    assert response["Error"]["Code"] == "NotAuthorizedException"
    sandbox_cognito.resend_confirmation_code(
        ClientId=client.client_id,
        Username=alias,
        SecretHash=_hash(client.client_secret, alias, client.client_id),
    )
    assert len(fresh_sandbox.inbox("alice")) == 1


def test_unknown_user_on_legacy_client(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="nobody")
    )
    assert response["Error"] == {
        "Code": "UserNotFoundException",
        "Message": "Username/client id combination not found.",
    }


@pytest.mark.parametrize("client_name", ["protected", "secret"])
@pytest.mark.parametrize("username", ["nobody", "ghost@example.org"])
def test_unknown_user_on_protected_client_gets_a_simulated_delivery(
    fresh_sandbox: Sandbox, sandbox_cognito: Any, client_name: str, username: str
) -> None:
    client = fresh_sandbox.info.client(client_name)
    extra = (
        {"SecretHash": _hash(client.client_secret, username, client.client_id)}
        if client.client_secret
        else {}
    )
    first = sandbox_cognito.resend_confirmation_code(
        ClientId=client.client_id, Username=username, **extra
    )
    again = sandbox_cognito.resend_confirmation_code(
        ClientId=client.client_id, Username=username, **extra
    )
    details = first["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL" and details["AttributeName"] == "email"
    assert re.fullmatch(r"\w\*\*\*@\w\*\*\*", details["Destination"])
    assert again["CodeDeliveryDetails"] == details, "the simulation must not vary per call"
    assert fresh_sandbox.inbox() == []


def test_confirmed_user(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    client_id = fresh_sandbox.info.client("protected").client_id
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="carol")
    )
    assert response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "User is already confirmed.",
    }


def test_attempt_limit_per_user_and_retries_burn_attempts(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    for _ in range(5):
        sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="qa-user-003")
    for _ in range(2):
        response = _error(
            lambda: sandbox_cognito.resend_confirmation_code(
                ClientId=client_id, Username="qa-user-003"
            )
        )
        assert response["Error"] == {
            "Code": "LimitExceededException",
            "Message": "Attempt limit exceeded, please try after some time.",
        }
    assert len(fresh_sandbox.inbox("qa-user-003")) == 5
    # Another user is not affected, and a reset clears the counters.
    sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="qa-user-004")
    fresh_sandbox.reset()
    sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="qa-user-003")


def test_attempt_window_expires() -> None:
    box = Sandbox(resend_limit=1, resend_window_s=0.3)
    info = box.start()
    try:
        cognito = make_cognito_client(info)
        client_id = info.client("public").client_id
        cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
        with pytest.raises(ClientError, match="LimitExceededException"):
            cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
        time.sleep(0.35)
        cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
    finally:
        box.stop()


def test_too_long_username_is_rejected_like_cognito(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    response = _error(
        lambda: sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="u" * 129)
    )
    assert response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "1 validation error detected: Value at 'username' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    }


def test_missing_fields_on_the_wire(fresh_sandbox: Sandbox) -> None:
    status, headers, body = _raw_post(fresh_sandbox.info.endpoint_url, {"Username": "alice"})
    assert status == 400
    assert {k.lower() for k in headers} >= {"x-amzn-requestid", "content-type"}
    assert body == {
        "__type": "InvalidParameterException",
        "message": "1 validation error detected: Value null at 'clientId' failed to satisfy "
        "constraint: Member must not be null",
    }
    status, _, body = _raw_post(fresh_sandbox.info.endpoint_url, {})
    assert status == 400
    assert body["message"].startswith("2 validation errors detected: Value null at 'clientId'")
    assert "Value null at 'username'" in body["message"]


def test_client_id_pattern(fresh_sandbox: Sandbox) -> None:
    status, _, body = _raw_post(
        fresh_sandbox.info.endpoint_url, {"ClientId": "bad id!", "Username": "alice"}
    )
    assert status == 400
    assert body["message"] == (
        "1 validation error detected: Value at 'clientId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+]+"
    )


def test_signed_client_works_without_any_credentials(
    fresh_sandbox: Sandbox, no_aws_credentials: None
) -> None:
    import boto3

    session = boto3.session.Session()
    assert session.get_credentials() is None
    # Default signing config: botocore must still send this authtype-none call unsigned.
    cognito = make_cognito_client(fresh_sandbox.info, unsigned=False)
    answer = cognito.resend_confirmation_code(
        ClientId=fresh_sandbox.info.client("public").client_id, Username="bob"
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"


def test_reset_restores_seeded_users_and_drops_signed_up_ones(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    client_id = fresh_sandbox.info.client("public").client_id
    signed_up = sandbox_cognito.sign_up(
        ClientId=client_id,
        Username="zoe",
        Password="Sandbox-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "zoe@example.net"}],
    )
    # SignUp delivered the first code; a resend replaces it.
    assert signed_up["CodeDeliveryDetails"]["Destination"] == "z***@e***"
    answer = sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="zoe")
    assert answer["CodeDeliveryDetails"]["Destination"] == "z***@e***"
    assert len(fresh_sandbox.inbox("zoe")) == 2
    sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
    code = fresh_sandbox.inbox("alice")[-1].code
    sandbox_cognito.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=code)
    with pytest.raises(ClientError, match="User is already confirmed"):
        sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")

    fresh_sandbox.reset()

    sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
    with pytest.raises(ClientError, match="UserNotFoundException"):
        sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="zoe")
