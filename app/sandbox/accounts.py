"""Writes to moto's in-memory Cognito that SignUp and ConfirmSignUp need (users, verified flags).

The read side stays in ``directory``; this is the only module that creates or confirms users
outside the seeding code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends


@dataclass(frozen=True)
class PoolRules:
    """The parts of a pool's configuration that SignUp checks."""

    user_pool_id: str
    alias_attributes: tuple[str, ...]
    username_attributes: tuple[str, ...]
    auto_verified_attributes: tuple[str, ...]
    password_policy: dict[str, Any]
    case_sensitive: bool
    custom_attributes: frozenset[str]


class MotoAccounts:
    """Creates and confirms users in whichever pool of moto's holds the client."""

    def _pool(self, user_pool_id: str) -> Any | None:
        for per_account in list(cognitoidp_backends.values()):
            for backend in list(per_account.values()):
                pool = backend.user_pools.get(user_pool_id)
                if pool is not None:
                    return pool
        return None

    def rules(self, user_pool_id: str) -> PoolRules:
        pool = self._pool(user_pool_id)
        config: dict[str, Any] = pool.extended_config if pool is not None else {}
        schema = pool.schema_attributes if pool is not None else {}
        username_config = config.get("UsernameConfiguration") or {}
        return PoolRules(
            user_pool_id=user_pool_id,
            alias_attributes=tuple(config.get("AliasAttributes") or ()),
            username_attributes=tuple(config.get("UsernameAttributes") or ()),
            auto_verified_attributes=tuple(config.get("AutoVerifiedAttributes") or ()),
            password_policy=dict((config.get("Policies") or {}).get("PasswordPolicy") or {}),
            # The API's default when a pool sets nothing is case-sensitive user names.
            case_sensitive=bool(username_config.get("CaseSensitive", True)),
            custom_attributes=frozenset(n for n in schema if str(n).startswith("custom:")),
        )

    def username_taken(self, user_pool_id: str, username: str, case_sensitive: bool) -> bool:
        pool = self._pool(user_pool_id)
        if pool is None:
            return False
        if case_sensitive:
            return username in pool.users
        folded = username.casefold()
        return any(str(name).casefold() == folded for name in pool.users)

    def create_unconfirmed(
        self,
        user_pool_id: str,
        username: str | None,
        password: str | None,
        attributes: dict[str, str],
    ) -> tuple[str, str]:
        """A new UNCONFIRMED user; (its username, its sub). username None = use the sub."""
        pool = self._pool(user_pool_id)
        if pool is None:
            raise LookupError(user_pool_id)
        user = CognitoIdpUser(
            user_pool_id=user_pool_id,
            username=username,
            password=password,
            status=UserStatus.UNCONFIRMED,
            attributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        )
        pool.users[user.username] = user
        return user.username, user.id

    def delete(self, user_pool_id: str, username: str) -> None:
        pool = self._pool(user_pool_id)
        if pool is not None:
            pool.users.pop(username, None)

    def alias_owner(
        self, user_pool_id: str, attribute: str, value: str, exclude: str
    ) -> str | None:
        """The other user for whom `value` is a verified `attribute` (an alias), if any."""
        pool = self._pool(user_pool_id)
        if pool is None:
            return None
        for name, user in list(pool.users.items()):
            lookup = user.attribute_lookup
            if (
                name != exclude
                and lookup.get(attribute) == value
                and str(lookup.get(f"{attribute}_verified", "")).lower() == "true"
            ):
                return str(name)
        return None

    def set_verified(
        self, user_pool_id: str, username: str, attribute: str, verified: bool
    ) -> None:
        pool = self._pool(user_pool_id)
        user = None if pool is None else pool.users.get(username)
        if user is not None:
            value = "true" if verified else "false"
            user.update_attributes([{"Name": f"{attribute}_verified", "Value": value}])

    def confirm(self, user_pool_id: str, username: str) -> None:
        pool = self._pool(user_pool_id)
        user = None if pool is None else pool.users.get(username)
        if user is not None:
            user.status = UserStatus.CONFIRMED
