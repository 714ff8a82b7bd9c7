"""Read-only look-ups of app clients, users and pool settings in moto's in-memory Cognito."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.cognitoidp.models import cognitoidp_backends


@dataclass(frozen=True)
class ClientRecord:
    client_id: str
    user_pool_id: str
    secret: str | None
    prevents_user_existence_errors: bool


@dataclass(frozen=True)
class UserRecord:
    username: str
    status: str
    enabled: bool
    attributes: dict[str, str]


@dataclass(frozen=True)
class PoolSettings:
    auto_verified_attributes: tuple[str, ...]
    email_template: str | None
    sms_template: str | None
    # VerificationMessageTemplate.DefaultEmailOption and its link template (CONFIRM_WITH_LINK).
    default_email_option: str = "CONFIRM_WITH_CODE"
    email_link_template: str | None = None


class MotoDirectory:
    """Looks across every account and region moto holds, as moto's own unsigned actions do.

    Unsigned requests carry no region, so a client id is the only key; this also serves
    pools and clients that someone created later through moto's own API.
    """

    def _pools(self) -> list[Any]:
        return [
            pool
            for per_account in list(cognitoidp_backends.values())
            for backend in list(per_account.values())
            for pool in list(backend.user_pools.values())
        ]

    def _pool(self, user_pool_id: str) -> Any | None:
        for pool in self._pools():
            if pool.id == user_pool_id:
                return pool
        return None

    def find_client(self, client_id: str) -> ClientRecord | None:
        for pool in self._pools():
            client = pool.clients.get(client_id)
            if client is not None:
                config = client.extended_config
                return ClientRecord(
                    client_id=client.id,
                    user_pool_id=pool.id,
                    secret=client.secret if client.generate_secret else None,
                    prevents_user_existence_errors=(
                        config.get("PreventUserExistenceErrors") == "ENABLED"
                    ),
                )
        return None

    def find_user(self, user_pool_id: str, username: str) -> UserRecord | None:
        """By username, by sign-in attribute (UsernameAttributes), by sub, then verified alias.

        An email or phone number becomes an alias only once it is verified (developer guide,
        "user pool attributes", aliases): an unconfirmed user's unverified address finds no
        one, so it must be addressed by its username.
        """
        pool = self._pool(user_pool_id)
        if pool is None:
            return None
        user = pool._get_user(username)
        if user is None:
            # The sub is accepted too (botocore model, ResendConfirmationCode.Username).
            user = next(
                (u for u in list(pool.users.values()) if u.attribute_lookup.get("sub") == username),
                None,
            )
        if user is None:
            aliases = pool.extended_config.get("AliasAttributes") or []
            for candidate in list(pool.users.values()):
                lookup = candidate.attribute_lookup
                if any(
                    lookup.get(a) == username
                    and str(lookup.get(f"{a}_verified", "")).lower() == "true"
                    for a in aliases
                ):
                    user = candidate
                    break
        if user is None:
            return None
        return UserRecord(
            username=user.username,
            status=_status_name(user.status),
            enabled=bool(user.enabled),
            attributes={str(k): str(v) for k, v in user.attribute_lookup.items()},
        )

    def pool_settings(self, user_pool_id: str) -> PoolSettings:
        pool = self._pool(user_pool_id)
        config: dict[str, Any] = pool.extended_config if pool is not None else {}
        template = config.get("VerificationMessageTemplate") or {}
        return PoolSettings(
            auto_verified_attributes=tuple(config.get("AutoVerifiedAttributes") or ()),
            email_template=template.get("EmailMessage") or config.get("EmailVerificationMessage"),
            sms_template=template.get("SmsMessage") or config.get("SmsVerificationMessage"),
            default_email_option=str(template.get("DefaultEmailOption") or "CONFIRM_WITH_CODE"),
            email_link_template=template.get("EmailMessageByLink"),
        )


def _status_name(status: Any) -> str:
    # moto mixes str and Enum (UserStatus.CONFIRMED), whose str() is "UserStatus.CONFIRMED"
    # on Python 3.11; its value is the wire name.
    return str(getattr(status, "value", status))
