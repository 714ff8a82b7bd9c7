"""The agreed seeded pools and users, and what ResendConfirmationCode does for each of them."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from app.sandbox.server import Sandbox


def _resend(cognito: Any, box: Sandbox, client: str, username: str) -> dict[str, Any]:
    answer = cognito.resend_confirmation_code(
        ClientId=box.info.client(client).client_id, Username=username
    )
    return dict(answer["CodeDeliveryDetails"])


def _error(cognito: Any, box: Sandbox, client: str, username: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        _resend(cognito, box, client, username)
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def test_three_pools_five_clients_and_every_seeded_user(fresh_sandbox: Sandbox) -> None:
    info = fresh_sandbox.info
    pools = {c.name: c.pool_name for c in info.clients}
    assert pools == {
        "public": "sandbox-pool",
        "protected": "sandbox-pool",
        "secret": "sandbox-pool",
        "no-verify": "sandbox-pool-no-verify",
        "link": "sandbox-pool-link",
    }
    assert info.client("public").user_pool_id == info.user_pool_id
    assert info.pool_id("sandbox-pool") == info.user_pool_id
    assert len({c.user_pool_id for c in info.clients}) == 3
    users = {u.username: u for u in info.users}
    assert len(users) == 13 + 4 + 2
    assert users["dave"].status == "FORCE_CHANGE_PASSWORD"
    assert users["erin"].enabled is False
    assert (users["frank"].delivery_attribute, users["frank"].destination) == (
        "phone_number",
        "+15555550124",
    )
    assert users["grace"].destination == "bounce@simulator.amazonses.com"
    assert users["ivan"].user_pool_id == info.pool_id("sandbox-pool-no-verify")
    assert users["judy"].pool_name == "sandbox-pool-link"


def test_main_pool_settings_as_describe_user_pool_shows_them(
    fresh_sandbox: Sandbox, sandbox_admin: Any
) -> None:
    pool = sandbox_admin.describe_user_pool(UserPoolId=fresh_sandbox.info.user_pool_id)["UserPool"]
    assert pool["Name"] == "sandbox-pool"
    assert pool["AutoVerifiedAttributes"] == ["email", "phone_number"]
    assert pool["AliasAttributes"] == ["email"]
    assert pool["EmailConfiguration"]["EmailSendingAccount"] == "COGNITO_DEFAULT"
    assert pool["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    link = sandbox_admin.describe_user_pool(
        UserPoolId=fresh_sandbox.info.pool_id("sandbox-pool-link")
    )["UserPool"]
    assert link["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_LINK"
    assert link["AutoVerifiedAttributes"] == ["email"]
    no_verify = sandbox_admin.describe_user_pool(
        UserPoolId=fresh_sandbox.info.pool_id("sandbox-pool-no-verify")
    )["UserPool"]
    assert no_verify["AutoVerifiedAttributes"] == []


def test_frank_gets_his_code_by_sms(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    details = _resend(sandbox_cognito, fresh_sandbox, "public", "frank")
    assert details == {
        "Destination": "+*******0124",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    [message] = fresh_sandbox.inbox("frank")
    assert (message.medium, message.destination) == ("SMS", "+15555550124")


def test_no_auto_verified_attribute_refuses_the_resend(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    assert _error(sandbox_cognito, fresh_sandbox, "no-verify", "ivan") == (
        "InvalidParameterException",
        "Cannot resend codes. Auto verification not turned on.",
    )
    assert fresh_sandbox.inbox("ivan") == []


def test_link_pool_mails_a_link_not_a_code(fresh_sandbox: Sandbox, sandbox_cognito: Any) -> None:
    details = _resend(sandbox_cognito, fresh_sandbox, "link", "judy")
    assert details["DeliveryMedium"] == "EMAIL"
    [message] = fresh_sandbox.inbox("judy")
    assert message.link is not None
    assert "/confirmUser?" in message.link and f"confirmation_code={message.code}" in message.link
    assert message.link in message.message
    assert "{##Verify Email##}" not in message.message
    client_id = fresh_sandbox.info.client("link").client_id
    assert f"client_id={client_id}" in message.link and "user_name=judy" in message.link
    # The main pool still sends a code, and no link.
    _resend(sandbox_cognito, fresh_sandbox, "public", "alice")
    [alice] = fresh_sandbox.inbox("alice")
    assert alice.link is None and alice.code in alice.message


def test_disabled_user_legacy_says_so_enabled_simulates(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    assert _error(sandbox_cognito, fresh_sandbox, "public", "erin") == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    simulated = _resend(sandbox_cognito, fresh_sandbox, "protected", "erin")
    assert simulated["DeliveryMedium"] == "EMAIL"
    assert fresh_sandbox.inbox("erin") == []


def test_force_change_password_user_is_already_confirmed(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    for client in ("public", "protected"):
        assert _error(sandbox_cognito, fresh_sandbox, client, "dave") == (
            "InvalidParameterException",
            "User is already confirmed.",
        )
    assert fresh_sandbox.inbox("dave") == []


def test_reset_restores_every_pool_and_user(fresh_sandbox: Sandbox, sandbox_admin: Any) -> None:
    info = fresh_sandbox.info
    sandbox_admin.admin_enable_user(UserPoolId=info.user_pool_id, Username="erin")
    sandbox_admin.admin_update_user_attributes(
        UserPoolId=info.user_pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    sandbox_admin.admin_confirm_sign_up(
        UserPoolId=info.pool_id("sandbox-pool-link"), Username="judy"
    )
    sandbox_admin.admin_create_user(
        UserPoolId=info.pool_id("sandbox-pool-no-verify"), Username="newbie"
    )

    fresh_sandbox.reset()

    assert fresh_sandbox.info == info
    erin = sandbox_admin.admin_get_user(UserPoolId=info.user_pool_id, Username="erin")
    assert erin["Enabled"] is False
    alice = sandbox_admin.admin_get_user(UserPoolId=info.user_pool_id, Username="alice")
    assert {a["Name"]: a["Value"] for a in alice["UserAttributes"]}["email_verified"] == "false"
    judy = sandbox_admin.admin_get_user(
        UserPoolId=info.pool_id("sandbox-pool-link"), Username="judy"
    )
    assert judy["UserStatus"] == "UNCONFIRMED"
    listed = sandbox_admin.list_users(UserPoolId=info.pool_id("sandbox-pool-no-verify"))
    assert [u["Username"] for u in listed["Users"]] == ["ivan"]
