"""Every admin call the diagnosis needs, signed with the sandbox's admin keys, over real HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from app.sandbox.server import Sandbox
from tests.support.sandbox import make_signed_client

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "handlers.py"
CUSTOM_MESSAGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sandbox-custom-message"


@pytest.fixture
def box(clean_sandbox: Sandbox) -> Sandbox:
    return clean_sandbox


def _code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def _names(answer: dict[str, Any]) -> list[str]:
    return [u["Username"] for u in answer["Users"]]


def test_list_users_filters(box: Sandbox, sandbox_admin: Any) -> None:
    pool = box.info.user_pool_id
    by_email = sandbox_admin.list_users(UserPoolId=pool, Filter='email = "frank@example.com"')
    assert _names(by_email) == ["frank"]
    by_phone = sandbox_admin.list_users(UserPoolId=pool, Filter='phone_number = "+15555550124"')
    assert _names(by_phone) == ["frank"]
    sub = next(
        a["Value"]
        for a in sandbox_admin.admin_get_user(UserPoolId=pool, Username="grace")["UserAttributes"]
        if a["Name"] == "sub"
    )
    assert _names(sandbox_admin.list_users(UserPoolId=pool, Filter=f'sub = "{sub}"')) == ["grace"]
    prefix = sandbox_admin.list_users(UserPoolId=pool, Filter='email ^= "qa-user-01"')
    assert _names(prefix) == ["qa-user-010"]
    assert _names(sandbox_admin.list_users(UserPoolId=pool, Filter='status = "Disabled"')) == [
        "erin"
    ]
    assert _names(sandbox_admin.list_users(UserPoolId=pool, Filter='email = "nobody@x.org"')) == []


def test_admin_get_user_status_enabled_and_attributes(box: Sandbox, sandbox_admin: Any) -> None:
    pool = box.info.user_pool_id
    dave = sandbox_admin.admin_get_user(UserPoolId=pool, Username="dave")
    assert (dave["UserStatus"], dave["Enabled"]) == ("FORCE_CHANGE_PASSWORD", True)
    erin = sandbox_admin.admin_get_user(UserPoolId=pool, Username="erin")
    assert (erin["UserStatus"], erin["Enabled"]) == ("UNCONFIRMED", False)
    frank = {a["Name"]: a["Value"] for a in sandbox_admin.admin_get_user(
        UserPoolId=pool, Username="frank"
    )["UserAttributes"]}
    assert (frank["email"], frank["phone_number"]) == ("frank@example.com", "+15555550124")
    carol = {a["Name"]: a["Value"] for a in sandbox_admin.admin_get_user(
        UserPoolId=pool, Username="carol"
    )["UserAttributes"]}
    assert carol["email_verified"] == "true"
    assert _code(sandbox_admin.admin_get_user, UserPoolId=pool, Username="nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_pools_and_clients_are_listed_and_described(box: Sandbox, sandbox_admin: Any) -> None:
    info = box.info
    pools = sandbox_admin.list_user_pools(MaxResults=60)["UserPools"]
    ours = {p["Name"]: p["Id"] for p in pools if p["Id"] in {c.user_pool_id for c in info.clients}}
    assert ours == {
        "sandbox-pool": info.user_pool_id,
        "sandbox-pool-no-verify": info.pool_id("sandbox-pool-no-verify"),
        "sandbox-pool-link": info.pool_id("sandbox-pool-link"),
    }
    clients = sandbox_admin.list_user_pool_clients(UserPoolId=info.user_pool_id, MaxResults=60)
    assert {c["ClientName"] for c in clients["UserPoolClients"]} == {
        "public",
        "protected",
        "secret",
    }
    for name, setting in (("public", "LEGACY"), ("protected", "ENABLED"), ("secret", "ENABLED")):
        described = sandbox_admin.describe_user_pool_client(
            UserPoolId=info.user_pool_id, ClientId=info.client(name).client_id
        )["UserPoolClient"]
        assert described["PreventUserExistenceErrors"] == setting
        assert ("ClientSecret" in described) == (name == "secret")


def test_describe_user_pool_shows_the_custom_message_trigger(
    box: Sandbox, sandbox_admin: Any
) -> None:
    pool = box.info.user_pool_id
    assert sandbox_admin.describe_user_pool(UserPoolId=pool)["UserPool"]["LambdaConfig"] == {}
    box.set_custom_message_trigger(f"{HANDLERS}:ok")
    for pool_id in {c.user_pool_id for c in box.info.clients}:
        described = sandbox_admin.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        assert described["LambdaConfig"] == {"CustomMessage": CUSTOM_MESSAGE_ARN}
    box.set_custom_message_trigger(None)
    assert sandbox_admin.describe_user_pool(UserPoolId=pool)["UserPool"]["LambdaConfig"] == {}


def test_a_trigger_attached_at_start_survives_reset_in_lambda_config() -> None:
    started = Sandbox(custom_message_trigger=f"{HANDLERS}:ok")
    info = started.start()
    try:
        admin = make_signed_client(info)
        for _ in range(2):
            described = admin.describe_user_pool(UserPoolId=info.user_pool_id)["UserPool"]
            assert described["LambdaConfig"] == {"CustomMessage": CUSTOM_MESSAGE_ARN}
            started.reset()
    finally:
        started.stop()


def test_log_delivery_configuration_get_and_set(box: Sandbox, sandbox_admin: Any) -> None:
    pool = box.info.user_pool_id
    group_arn = (
        f"arn:aws:logs:us-east-1:123456789012:log-group:/aws/cognito/userpools/{pool}"
        "/user-notification"
    )
    seeded = sandbox_admin.get_log_delivery_configuration(UserPoolId=pool)
    assert seeded["LogDeliveryConfiguration"] == {
        "UserPoolId": pool,
        "LogConfigurations": [
            {
                "EventSource": "userNotification",
                "LogLevel": "ERROR",
                "CloudWatchLogsConfiguration": {"LogGroupArn": group_arn},
            }
        ],
    }
    other = box.info.pool_id("sandbox-pool-link")
    assert sandbox_admin.get_log_delivery_configuration(UserPoolId=other)[
        "LogDeliveryConfiguration"
    ] == {"UserPoolId": other, "LogConfigurations": []}
    changed = sandbox_admin.set_log_delivery_configuration(UserPoolId=other, LogConfigurations=[])
    assert changed["LogDeliveryConfiguration"]["LogConfigurations"] == []
    set_answer = sandbox_admin.set_log_delivery_configuration(
        UserPoolId=other,
        LogConfigurations=[
            {
                "EventSource": "userNotification",
                "LogLevel": "ERROR",
                "CloudWatchLogsConfiguration": {"LogGroupArn": group_arn},
            }
        ],
    )
    assert set_answer["LogDeliveryConfiguration"]["LogConfigurations"][0]["LogLevel"] == "ERROR"
    assert _code(
        sandbox_admin.get_log_delivery_configuration, UserPoolId="us-east-1_nothere"
    ) == ("ResourceNotFoundException", "User pool us-east-1_nothere does not exist.")
    box.reset()
    assert sandbox_admin.get_log_delivery_configuration(UserPoolId=other)[
        "LogDeliveryConfiguration"
    ]["LogConfigurations"] == []


def test_resend_invitation_for_force_change_password_user(
    box: Sandbox, sandbox_admin: Any
) -> None:
    pool = box.info.user_pool_id
    answer = sandbox_admin.admin_create_user(
        UserPoolId=pool, Username="dave", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
    )
    assert answer["User"]["Username"] == "dave"
    assert answer["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    emails = {a["Name"]: a["Value"] for a in answer["User"]["Attributes"]}
    assert emails["email"] == "dave@example.com"
    [invitation] = box.inbox("dave")
    assert (invitation.kind, invitation.medium, invitation.destination) == (
        "invitation",
        "EMAIL",
        "dave@example.com",
    )
    assert "dave" in invitation.message and invitation.code in invitation.message
    # Still the same user, attributes and all (moto alone would replace it with a blank one).
    again = sandbox_admin.admin_get_user(UserPoolId=pool, Username="dave")
    assert {a["Name"] for a in again["UserAttributes"]} >= {"email", "sub"}


def test_resend_invitation_refused_for_other_states(box: Sandbox, sandbox_admin: Any) -> None:
    pool = box.info.user_pool_id
    for username in ("alice", "carol"):
        code, _ = _code(
            sandbox_admin.admin_create_user,
            UserPoolId=pool,
            Username=username,
            MessageAction="RESEND",
        )
        assert code == "UnsupportedUserStateException"
    assert _code(
        sandbox_admin.admin_create_user, UserPoolId=pool, Username="nobody", MessageAction="RESEND"
    ) == ("UserNotFoundException", "User does not exist.")
    assert box.inbox() == []


def test_admin_confirm_then_mark_verified(
    box: Sandbox, sandbox_admin: Any, sandbox_cognito: Any
) -> None:
    pool = box.info.user_pool_id
    sandbox_admin.admin_confirm_sign_up(UserPoolId=pool, Username="alice")
    alice = sandbox_admin.admin_get_user(UserPoolId=pool, Username="alice")
    assert alice["UserStatus"] == "CONFIRMED"
    # AdminConfirmSignUp leaves the email unverified (COGNITO.md).
    assert "true" not in {
        a["Value"] for a in alice["UserAttributes"] if a["Name"] == "email_verified"
    }
    sandbox_admin.admin_update_user_attributes(
        UserPoolId=pool,
        Username="alice",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    alice = sandbox_admin.admin_get_user(UserPoolId=pool, Username="alice")
    assert {a["Name"]: a["Value"] for a in alice["UserAttributes"]}["email_verified"] == "true"
    with pytest.raises(ClientError, match="User is already confirmed"):
        sandbox_cognito.resend_confirmation_code(
            ClientId=box.info.client("public").client_id, Username="alice"
        )


def test_admin_confirm_refuses_users_that_are_not_unconfirmed(
    box: Sandbox, sandbox_admin: Any
) -> None:
    pool = box.info.user_pool_id
    for username, status in (("dave", "FORCE_CHANGE_PASSWORD"), ("carol", "CONFIRMED")):
        assert _code(sandbox_admin.admin_confirm_sign_up, UserPoolId=pool, Username=username) == (
            "NotAuthorizedException",
            f"User cannot be confirmed. Current status is {status}",
        )
    assert _code(sandbox_admin.admin_confirm_sign_up, UserPoolId=pool, Username="nobody") == (
        "UserNotFoundException",
        "User does not exist.",
    )


def test_admin_calls_take_the_sub_or_a_verified_alias(
    box: Sandbox, sandbox_admin: Any, sandbox_cognito: Any
) -> None:
    pool = box.info.user_pool_id
    # carol's email is verified: it is an alias; alice's is not, so it is nobody.
    carol = sandbox_admin.admin_get_user(UserPoolId=pool, Username="carol@example.com")
    assert carol["Username"] == "carol"
    assert _code(sandbox_admin.admin_get_user, UserPoolId=pool, Username="alice@example.com") == (
        "UserNotFoundException",
        "User does not exist.",
    )
    sub = next(
        a["Value"]
        for a in sandbox_admin.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]
        if a["Name"] == "sub"
    )
    assert sandbox_admin.admin_get_user(UserPoolId=pool, Username=sub)["Username"] == "alice"
    sandbox_admin.admin_confirm_sign_up(UserPoolId=pool, Username=sub)
    assert sandbox_admin.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == (
        "CONFIRMED"
    )
    # ResendConfirmationCode takes the sub as well.
    frank_sub = next(
        a["Value"]
        for a in sandbox_admin.admin_get_user(UserPoolId=pool, Username="frank")["UserAttributes"]
        if a["Name"] == "sub"
    )
    sandbox_cognito.resend_confirmation_code(
        ClientId=box.info.client("public").client_id, Username=frank_sub
    )
    assert [m.username for m in box.inbox()] == ["frank"]
