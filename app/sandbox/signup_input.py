"""The request checks SignUp and ConfirmSignUp share: parameter shapes and lengths (one
InvalidParameterException listing every problem, as Cognito's validation does), the
client, and the pool's password policy in Cognito's words. Part of `app.sandbox.signup`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, Final

from app.sandbox.directory import ClientRecord
from app.sandbox.resend import CognitoError, UserDirectory

EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE: Final = re.compile(r"\+[0-9]{4,15}")
# Cognito's symbol class (developer guide, "password policy"), space included since 2023.
_SYMBOLS: Final = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
STANDARD_ATTRIBUTES: Final = frozenset(
    {
        "address", "birthdate", "email", "email_verified", "family_name", "gender",
        "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
        "phone_number_verified", "picture", "preferred_username", "profile", "updated_at",
        "website", "zoneinfo",
    }
)  # fmt: skip
_MAX_ID = 128
MAX_PASSWORD = 256
MAX_CODE = 2048


def _username_ok(value: str) -> bool:
    # [\p{L}\p{M}\p{S}\p{N}\p{P}]+ in the service model.
    return bool(value) and all(unicodedata.category(c)[0] in "LMSNP" for c in value)


class Problems:
    """Collects validation problems worded as Cognito's request validator words them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def null(self, wire: str) -> None:
        self.items.append(
            f"Value null at '{wire}' failed to satisfy constraint: Member must not be null"
        )

    def check(
        self,
        wire: str,
        value: str,
        *,
        max_length: int,
        matches: Callable[[str], bool],
        pattern: str,
        sensitive: bool = True,
    ) -> None:
        # Sensitive members are named, never echoed; others are quoted (e.g. the code).
        shown = f"Value at '{wire}'" if sensitive else f"Value '{value}' at '{wire}'"
        prefix = f"{shown} failed to satisfy constraint: Member must"
        if len(value) > max_length:
            self.items.append(f"{prefix} have length less than or equal to {max_length}")
        if len(value) < 1:
            self.items.append(f"{prefix} have length greater than or equal to 1")
        if not value or not matches(value):
            self.items.append(f"{prefix} satisfy regular expression pattern: {pattern}")

    def raise_if_any(self) -> None:
        if self.items:
            count = len(self.items)
            noun = "error" if count == 1 else "errors"
            raise CognitoError(
                "InvalidParameterException",
                f"{count} validation {noun} detected: " + "; ".join(self.items),
            )


def string_param(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        raise CognitoError("SerializationException", f"{key} must be a string")
    return value


def common_params(
    params: dict[str, Any], problems: Problems
) -> tuple[str | None, str | None, str | None]:
    """ClientId, Username and SecretHash, checked like every unauthenticated call's."""
    client_id, username, sent_hash = (
        string_param(params, "ClientId"),
        string_param(params, "Username"),
        string_param(params, "SecretHash"),
    )
    if client_id is None:
        problems.null("clientId")
    else:
        problems.check(
            "clientId",
            client_id,
            max_length=_MAX_ID,
            matches=lambda v: bool(re.fullmatch(r"[\w+]+", v, re.ASCII)),
            pattern=r"[\w+]+",
        )
    if username is None:
        problems.null("username")
    else:
        problems.check(
            "username",
            username,
            max_length=_MAX_ID,
            matches=_username_ok,
            pattern=r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+",
        )
    if sent_hash is not None:
        problems.check(
            "secretHash",
            sent_hash,
            max_length=_MAX_ID,
            matches=lambda v: bool(re.fullmatch(r"[\w+=/]+", v, re.ASCII)),
            pattern=r"[\w+=/]+",
        )
    return client_id, username, sent_hash


def client_metadata(params: dict[str, Any]) -> dict[str, str]:
    metadata = params.get("ClientMetadata") or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise CognitoError("SerializationException", "ClientMetadata must map strings to strings")
    return dict(metadata)


def user_attributes(params: dict[str, Any]) -> dict[str, str]:
    raw = params.get("UserAttributes") or []
    if not isinstance(raw, list):
        raise CognitoError("SerializationException", "UserAttributes must be a list")
    result: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise CognitoError("SerializationException", "each attribute needs a string Name")
        value = item.get("Value", "")
        if not isinstance(value, str):
            raise CognitoError("SerializationException", "an attribute Value must be a string")
        result[item["Name"]] = value
    return result


def find_client(directory: UserDirectory, client_id: str) -> ClientRecord:
    client = directory.find_client(client_id)
    if client is None:
        raise CognitoError(
            "ResourceNotFoundException", f"User pool client {client_id} does not exist."
        )
    return client


def password_problem(password: str, policy: dict[str, Any]) -> str | None:
    """The first rule of the pool's policy `password` breaks, in Cognito's words."""
    minimum = int(policy.get("MinimumLength", 8))
    rules = [
        (len(password) < minimum, "Password not long enough"),
        (
            policy.get("RequireLowercase", True) and not any(c.islower() for c in password),
            "Password must have lowercase characters",
        ),
        (
            policy.get("RequireUppercase", True) and not any(c.isupper() for c in password),
            "Password must have uppercase characters",
        ),
        (
            policy.get("RequireNumbers", True) and not any(c.isdigit() for c in password),
            "Password must have numeric characters",
        ),
        (
            policy.get("RequireSymbols", True) and not any(c in _SYMBOLS for c in password),
            "Password must have symbol characters",
        ),
    ]
    for broken, message in rules:
        if broken:
            return message
    return None
