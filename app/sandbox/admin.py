"""The IAM-authorised Cognito calls moto lacks or answers unlike Cognito, served as Cognito does.

* GetLogDeliveryConfiguration / SetLogDeliveryConfiguration (moto has neither);
* AdminCreateUser with MessageAction=RESEND (moto replaces the user with a blank one): the
  invitation goes to the inbox again for a FORCE_CHANGE_PASSWORD user;
* AdminConfirmSignUp for a user that is not UNCONFIRMED (moto confirms anyone);
* the Username of every Admin* call may be the username, the sub, or a verified alias
  (botocore model, AdminGetUser.Username: "it can be any of their alias attributes. If
  username isn't an alias attribute in your user pool, this value must be the sub"); moto
  knows only the username, so the request moto gets names the real one.

Everything else (ListUsers with Filter, AdminGetUser, DescribeUserPool, ...) is moto's.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.cognitoidp.models import UserStatus, cognitoidp_backends
from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow

from app.sandbox.auth import ACCOUNT_ID
from app.sandbox.logs import LogDeliveryError, SandboxLogs
from app.sandbox.model import InboxMessage
from app.sandbox.resend import CognitoError
from app.sandbox.state import Inbox

# Cognito's default invitation text (moto's DEFAULT_USER_POOL_CONFIG carries the same).
DEFAULT_INVITATION = "Your username is {username} and temporary password is {####}. "


class AdminActions:
    """Answers one signed cognito-idp action, or None to let moto answer it."""

    def __init__(
        self,
        region: str,
        logs: SandboxLogs,
        inbox: Inbox,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._region = region
        self._logs = logs
        self._inbox = inbox
        self._clock = clock

    def __call__(self, action: str, params: dict[str, Any], request_id: str) -> Any | None:
        try:
            if action == "GetLogDeliveryConfiguration":
                return self._logs.get_configuration(self._pool(params).id)
            if action == "SetLogDeliveryConfiguration":
                pool = self._pool(params)
                return self._logs.set_configuration(pool.id, params.get("LogConfigurations"))
            if action == "AdminCreateUser" and params.get("MessageAction") == "RESEND":
                return self._resend_invitation(params, request_id)
            if action == "AdminConfirmSignUp":
                self._check_confirmable(params)
        except LogDeliveryError as error:
            raise CognitoError(error.error_type, error.message) from error
        except JsonRESTError as error:
            raise CognitoError(error.error_type, error.message, error.code) from error
        return None

    def forward(self, action: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The parameters moto should get instead (Username resolved), or None to keep them."""
        if not action.startswith("Admin") or not isinstance(params.get("Username"), str):
            return None
        pool = self._backend().user_pools.get(params.get("UserPoolId"))
        if pool is None:
            return None
        real = resolve_username(pool, params["Username"])
        if real is None or real == params["Username"]:
            return None
        return {**params, "Username": real}

    def _backend(self) -> Any:
        return cognitoidp_backends[ACCOUNT_ID][self._region]

    def _pool(self, params: dict[str, Any]) -> Any:
        # moto's ResourceNotFoundException "User pool <id> does not exist." is Cognito's text.
        return self._backend().describe_user_pool(str(params.get("UserPoolId") or ""))

    def _user(self, params: dict[str, Any]) -> Any:
        # moto's UserNotFoundException "User does not exist." is Cognito's admin wording.
        pool = self._pool(params)
        name = str(params.get("Username") or "")
        return self._backend().admin_get_user(pool.id, resolve_username(pool, name) or name)

    def _check_confirmable(self, params: dict[str, Any]) -> None:
        """Cognito confirms only UNCONFIRMED users; others get NotAuthorizedException.

        Wording: "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD" is what
        public code matches on after AdminConfirmSignUp, and amplify-ui#219 reports the
        CONFIRMED one (COGNITO.md).
        """
        user = self._user(params)
        status = str(getattr(user.status, "value", user.status))
        if status != "UNCONFIRMED":
            raise CognitoError(
                "NotAuthorizedException", f"User cannot be confirmed. Current status is {status}"
            )

    def _resend_invitation(self, params: dict[str, Any], request_id: str) -> dict[str, Any]:
        """AdminCreateUser MessageAction=RESEND (API reference: "resend the invitation message
        to a user that already exists and reset the expiration limit on the user's account").

        An unknown user: UserNotFoundException (getmoto/moto#2741, from AWS's behaviour); a
        user past FORCE_CHANGE_PASSWORD: UnsupportedUserStateException (floci-io/floci#755,
        "Align RESEND error behavior with real AWS Cognito"); its message is sandbox wording.
        """
        pool = self._pool(params)
        user = self._user(params)
        status = str(getattr(user.status, "value", user.status))
        if status != "FORCE_CHANGE_PASSWORD":
            raise CognitoError(
                "UnsupportedUserStateException",
                f"Resend not possible. {user.username} status is {status}, not "
                "FORCE_CHANGE_PASSWORD.",
            )
        password = params.get("TemporaryPassword") or _temporary_password()
        user.password = password
        user.status = UserStatus.FORCE_CHANGE_PASSWORD
        user.last_modified_date = utcnow()
        template = (
            (pool.extended_config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate")
            or {}
        )
        for medium, attribute in self._mediums(params, user.attribute_lookup):
            text = (
                template.get("SMSMessage" if medium == "SMS" else "EmailMessage")
                or DEFAULT_INVITATION
            )
            self._inbox.add(
                InboxMessage(
                    username=user.username,
                    code=password,
                    medium=medium,
                    destination=user.attribute_lookup[attribute],
                    client_id="",
                    client_metadata={
                        str(k): str(v) for k, v in (params.get("ClientMetadata") or {}).items()
                    },
                    sent_at=self._clock()
                    .isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z"),
                    message=text.replace("{username}", user.username).replace("{####}", password),
                    subject=template.get("EmailSubject") if medium == "EMAIL" else None,
                    request_id=request_id,
                    kind="invitation",
                )
            )
        return {"User": _jsonable(user.to_json(extended=True))}

    @staticmethod
    def _mediums(params: dict[str, Any], attributes: dict[str, str]) -> list[tuple[str, str]]:
        """Where the invitation goes: DesiredDeliveryMediums (API default SMS) the user has.

        With none of them present the sandbox falls back to whichever of email or phone the
        user has (sandbox behaviour: what Cognito does then was not found).
        """
        wanted = params.get("DesiredDeliveryMediums") or ["SMS"]
        by_medium = {"EMAIL": "email", "SMS": "phone_number"}
        chosen = [(m, by_medium[m]) for m in wanted if attributes.get(by_medium.get(m, ""))]
        if chosen:
            return chosen
        return [(m, a) for m, a in by_medium.items() if attributes.get(a)][:1]


def resolve_username(pool: Any, name: str) -> str | None:
    """The username `name` stands for in `pool`: itself, a sub, or a verified alias.

    Email and phone are aliases only once verified (developer guide, user pool attributes:
    COGNITO.md "Aliases"); preferred_username has no verified flag and always is one.
    """
    user = pool._get_user(name)
    if user is not None:
        return str(user.username)
    users = list(pool.users.values())
    for candidate in users:
        if candidate.attribute_lookup.get("sub") == name:
            return str(candidate.username)
    for attribute in pool.extended_config.get("AliasAttributes") or []:
        for candidate in users:
            if candidate.attribute_lookup.get(attribute) != name:
                continue
            if attribute == "preferred_username" or (
                candidate.attribute_lookup.get(f"{attribute}_verified") == "true"
            ):
                return str(candidate.username)
    return None


def _jsonable(value: Any) -> Any:
    """moto's record with its datetimes as the JSON protocol sends timestamps (epoch seconds)."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _temporary_password() -> str:
    """A temporary password meeting Cognito's default policy (all four classes, 12 long)."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "^$*.[]{}()?-!@#%&")
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice("".join(classes)) for _ in range(8)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
