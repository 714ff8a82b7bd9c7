"""What a diagnosis reads: the user record, pool and client settings, parsed from AWS answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class LookupKey(StrEnum):
    """The ListUsers filter attribute a user was found by (ListUsers' own names)."""

    USERNAME = "username"
    EMAIL = "email"
    PHONE = "phone_number"
    SUB = "sub"


class Area(StrEnum):
    """One part of a diagnosis that is checked, or could not be."""

    USER = "user"  # ListUsers / AdminGetUser
    POOL = "pool"  # DescribeUserPool
    CLIENT = "client"  # DescribeUserPoolClient
    HISTORY = "history"  # this app's own history of attempts
    DELIVERY_LOGS = "delivery_logs"  # GetLogDeliveryConfiguration + logs:FilterLogEvents
    TRIGGER_LOGS = "trigger_logs"  # the CustomMessage function's CloudWatch Logs


@dataclass(frozen=True)
class NotChecked:
    """A part that could not be checked, why, and what would allow it."""

    area: Area
    why: str
    allow: str


@dataclass(frozen=True)
class UserRecord:
    """One Cognito user as ListUsers/AdminGetUser describe it (the values are not secret)."""

    username: str
    status: str  # UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ...
    enabled: bool
    email: str | None = None
    email_verified: bool = False
    phone_number: str | None = None
    phone_number_verified: bool = False
    sub: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    # The key the lookup matched on: an email or phone match in an alias pool resolves in
    # Cognito only once that attribute is verified (COGNITO.md, aliases).
    matched_by: LookupKey = LookupKey.USERNAME

    def has(self, attribute: str) -> bool:
        """Whether the user holds a value for `email` or `phone_number`."""
        if attribute == "email":
            return bool(self.email)
        if attribute == "phone_number":
            return bool(self.phone_number)
        return False

    def verified(self, attribute: str) -> bool:
        if attribute == "email":
            return self.email_verified
        if attribute == "phone_number":
            return self.phone_number_verified
        return False

    def value(self, attribute: str) -> str | None:
        if attribute == "email":
            return self.email
        if attribute == "phone_number":
            return self.phone_number
        return None


@dataclass(frozen=True)
class PoolSettings:
    """The parts of DescribeUserPool that decide whether and how a code goes out."""

    pool_id: str
    name: str = ""
    auto_verified: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    username_attributes: tuple[str, ...] = ()
    # EmailConfiguration.EmailSendingAccount: COGNITO_DEFAULT (also when absent) or DEVELOPER.
    email_sending_account: str = "COGNITO_DEFAULT"
    email_from: str = ""
    email_source_arn: str = ""
    sms_caller_arn: str = ""
    sms_region: str = ""
    sms_configuration_failure: str = ""
    email_configuration_failure: str = ""
    default_email_option: str = "CONFIRM_WITH_CODE"
    custom_message_lambda: str = ""
    custom_email_sender_lambda: str = ""
    custom_sms_sender_lambda: str = ""

    @property
    def region(self) -> str:
        """The region part of the pool ID (eu-west-1_AbC -> eu-west-1)."""
        return self.pool_id.split("_", 1)[0]


@dataclass(frozen=True)
class ClientSettings:
    """The parts of DescribeUserPoolClient that change what a resend answers."""

    client_id: str
    name: str = ""
    # PreventUserExistenceErrors ENABLED: an unknown or disabled user gets a simulated
    # delivery; LEGACY (the API's default) answers UserNotFoundException.
    prevents_user_existence_errors: bool = False
    has_secret: bool = False


# ---------------------------------------------------------------- parsing AWS answers


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _time(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _flag(value: object) -> bool:
    # Cognito returns *_verified as the strings "true"/"false".
    return isinstance(value, str) and value.strip().lower() == "true"


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def user_from_api(
    data: Mapping[str, Any], matched_by: LookupKey = LookupKey.USERNAME
) -> UserRecord:
    """A UserRecord from one ListUsers `Users` entry (Attributes) or an AdminGetUser answer
    (UserAttributes); unknown or mistyped fields are left at their defaults."""
    raw = data.get("Attributes")
    if raw is None:
        raw = data.get("UserAttributes")
    attrs: dict[str, str] = {}
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        for item in raw:
            if isinstance(item, Mapping) and isinstance(item.get("Name"), str):
                attrs[item["Name"]] = _text(item.get("Value"))
    enabled = data.get("Enabled")
    return UserRecord(
        username=_text(data.get("Username")),
        status=_text(data.get("UserStatus")) or "UNKNOWN",
        enabled=enabled if isinstance(enabled, bool) else True,
        email=attrs.get("email") or None,
        email_verified=_flag(attrs.get("email_verified")),
        phone_number=attrs.get("phone_number") or None,
        phone_number_verified=_flag(attrs.get("phone_number_verified")),
        sub=attrs.get("sub") or None,
        created=_time(data.get("UserCreateDate")),
        modified=_time(data.get("UserLastModifiedDate")),
        matched_by=matched_by,
    )


def pool_from_api(data: Mapping[str, Any]) -> PoolSettings:
    """PoolSettings from DescribeUserPool's `UserPool` (or the whole answer)."""
    pool = _map(data.get("UserPool")) or data
    email = _map(pool.get("EmailConfiguration"))
    sms = _map(pool.get("SmsConfiguration"))
    template = _map(pool.get("VerificationMessageTemplate"))
    lambdas = _map(pool.get("LambdaConfig"))
    return PoolSettings(
        pool_id=_text(pool.get("Id")),
        name=_text(pool.get("Name")),
        auto_verified=_texts(pool.get("AutoVerifiedAttributes")),
        alias_attributes=_texts(pool.get("AliasAttributes")),
        username_attributes=_texts(pool.get("UsernameAttributes")),
        email_sending_account=_text(email.get("EmailSendingAccount")) or "COGNITO_DEFAULT",
        email_from=_text(email.get("From")),
        email_source_arn=_text(email.get("SourceArn")),
        sms_caller_arn=_text(sms.get("SnsCallerArn")),
        sms_region=_text(sms.get("SnsRegion")),
        sms_configuration_failure=_text(pool.get("SmsConfigurationFailure")),
        email_configuration_failure=_text(pool.get("EmailConfigurationFailure")),
        default_email_option=_text(template.get("DefaultEmailOption")) or "CONFIRM_WITH_CODE",
        custom_message_lambda=_text(lambdas.get("CustomMessage")),
        custom_email_sender_lambda=_text(_map(lambdas.get("CustomEmailSender")).get("LambdaArn")),
        custom_sms_sender_lambda=_text(_map(lambdas.get("CustomSMSSender")).get("LambdaArn")),
    )


def client_from_api(data: Mapping[str, Any]) -> ClientSettings:
    """ClientSettings from DescribeUserPoolClient's `UserPoolClient` (or the whole answer)."""
    client = _map(data.get("UserPoolClient")) or data
    return ClientSettings(
        client_id=_text(client.get("ClientId")),
        name=_text(client.get("ClientName")),
        prevents_user_existence_errors=_text(client.get("PreventUserExistenceErrors")) == "ENABLED",
        has_secret=bool(_text(client.get("ClientSecret"))),
    )
