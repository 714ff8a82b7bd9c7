"""SignUp and ConfirmSignUp as Cognito answers them (moto creates users, and confirms any code).

Facts and where they come from (see also ``codes`` for the code rules):
- SignUp's answer: UserConfirmed and UserSub always, CodeDeliveryDetails when a code was sent
  (botocore's service model). The code goes to the phone when both email and phone are
  auto-verified and present (developer guide, "signing up users").
- Password policy: InvalidPasswordException "Password did not conform with policy: Password
  not long enough" / "... Password must have lowercase characters" (uppercase, numeric, symbol)
  - the wordings apps match on (grep of public code; the German and Spanish translation tables
  of Amplify-based apps list them). Cognito states one broken rule; the order is not published.
  A pool without a policy has Cognito's default: 8 characters, all four classes.
- An existing username: UsernameExistsException "User already exists" (identity-js#386); in a
  pool whose sign-in attribute is email: "An account with the given email already exists.".
- An alias pool refuses a username shaped like the alias: InvalidParameterException "Username
  cannot be of email format, since user pool is configured for email alias." (many reports);
  the phone wording is the same sentence for phone_number (by analogy, not seen).
- ConfirmSignUp on a confirmed user: NotAuthorizedException "User cannot be confirmed. Current
  status is CONFIRMED" (amazon-cognito-identity-dart-2#80, amplify-ui#219).
- An email or phone becomes an alias when verified; confirming a user whose address is already
  another user's verified alias: AliasExistsException "An account with the given email already
  exists." unless ForceAliasCreation, which moves the alias to the new user (developer guide,
  "Overview of aliases"; amplify-js#449).
- A disabled user on ConfirmSignUp: NotAuthorizedException "User is disabled." (as on resend).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, Final, Protocol

from app.sandbox.accounts import MotoAccounts, PoolRules
from app.sandbox.codes import CodeBook
from app.sandbox.directory import ClientRecord, UserRecord
from app.sandbox.resend import (
    CognitoError,
    ResendConfirmationCode,
    UserDirectory,
    check_secret_hash,
)

SIGNUP_SOURCE: Final = "CustomMessage_SignUp"
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE: Final = re.compile(r"\+[0-9]{4,15}")
# Cognito's symbol class (developer guide, "password policy"), space included since 2023.
_SYMBOLS: Final = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_STANDARD_ATTRIBUTES: Final = frozenset(
    {
        "address", "birthdate", "email", "email_verified", "family_name", "gender",
        "given_name", "locale", "middle_name", "name", "nickname", "phone_number",
        "phone_number_verified", "picture", "preferred_username", "profile", "updated_at",
        "website", "zoneinfo",
    }
)  # fmt: skip
_MAX_ID = 128
_MAX_PASSWORD = 256
_MAX_CODE = 2048


def _username_ok(value: str) -> bool:
    # [\p{L}\p{M}\p{S}\p{N}\p{P}]+ in the service model.
    return bool(value) and all(unicodedata.category(c)[0] in "LMSNP" for c in value)


class _Problems:
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


def _string(params: dict[str, Any], key: str) -> str | None:
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        raise CognitoError("SerializationException", f"{key} must be a string")
    return value


def _common(
    params: dict[str, Any], problems: _Problems
) -> tuple[str | None, str | None, str | None]:
    """ClientId, Username and SecretHash, checked like every unauthenticated call's."""
    client_id, username, sent_hash = (
        _string(params, "ClientId"),
        _string(params, "Username"),
        _string(params, "SecretHash"),
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


def _metadata(params: dict[str, Any]) -> dict[str, str]:
    metadata = params.get("ClientMetadata") or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise CognitoError("SerializationException", "ClientMetadata must map strings to strings")
    return dict(metadata)


def _attributes(params: dict[str, Any]) -> dict[str, str]:
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


def _client(directory: UserDirectory, client_id: str) -> ClientRecord:
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


class Accounts(Protocol):
    def rules(self, user_pool_id: str) -> PoolRules: ...
    def username_taken(self, user_pool_id: str, username: str, case_sensitive: bool) -> bool: ...
    def create_unconfirmed(
        self,
        user_pool_id: str,
        username: str | None,
        password: str | None,
        attributes: dict[str, str],
    ) -> tuple[str, str]: ...
    def alias_owner(
        self, user_pool_id: str, attribute: str, value: str, exclude: str
    ) -> str | None: ...
    def set_verified(
        self, user_pool_id: str, username: str, attribute: str, verified: bool
    ) -> None: ...
    def confirm(self, user_pool_id: str, username: str) -> None: ...


class SignUp:
    """Handles one SignUp request's JSON parameters; the answer, or CognitoError."""

    def __init__(
        self,
        directory: UserDirectory,
        delivery: ResendConfirmationCode,
        accounts: Accounts | None = None,
    ) -> None:
        self._directory = directory
        self._delivery = delivery
        self._accounts: Accounts = accounts or MotoAccounts()

    def __call__(self, params: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
        problems = _Problems()
        client_id, username, sent_hash = _common(params, problems)
        password = _string(params, "Password")
        if password is None:
            # Sandbox wording: a pool without passwordless sign-in needs a password; this is
            # what Cognito's validator said while the model still required it.
            problems.null("password")
        else:
            problems.check(
                "password",
                password,
                max_length=_MAX_PASSWORD,
                matches=lambda v: bool(re.fullmatch(r"\S+", v)),
                pattern=r"[\S]+",
            )
        problems.raise_if_any()
        assert client_id is not None and username is not None and password is not None
        attributes = _attributes(params)
        metadata = _metadata(params)
        client = _client(self._directory, client_id)
        check_secret_hash(client, username, sent_hash)
        rules = self._accounts.rules(client.user_pool_id)
        stored_name = self._check_username(rules, username, attributes)
        self._check_attributes(rules, attributes)
        problem = password_problem(password, rules.password_policy)
        if problem is not None:
            raise CognitoError(
                "InvalidPasswordException", f"Password did not conform with policy: {problem}"
            )
        name, sub = self._accounts.create_unconfirmed(
            client.user_pool_id, stored_name, password, attributes
        )
        answer: dict[str, Any] = {"UserConfirmed": False, "UserSub": sub}
        if any(attributes.get(a) for a in rules.auto_verified_attributes):
            user = UserRecord(username=name, status="UNCONFIRMED", enabled=True, attributes={
                **attributes, "sub": sub,
            })  # fmt: skip
            # A failing trigger fails the call; the user stays created (sandbox choice: the
            # code can be resent once the trigger is fixed, as on Cognito).
            answer.update(self._delivery.deliver(client, user, metadata, request_id, SIGNUP_SOURCE))
        return answer

    def _check_username(
        self, rules: PoolRules, username: str, attributes: dict[str, str]
    ) -> str | None:
        """The username to store (None: the sub, in a sign-in-attribute pool), or raise."""
        if rules.username_attributes:
            kinds = [
                a
                for a in rules.username_attributes
                if (a == "email" and _EMAIL.fullmatch(username))
                or (a == "phone_number" and _PHONE.fullmatch(username))
            ]
            if not kinds:
                wanted_by: dict[tuple[str, ...], str] = {
                    ("email",): "an email",
                    ("phone_number",): "a phone number",
                }
                wanted = wanted_by.get(
                    rules.username_attributes, "either an email or a phone number"
                )
                raise CognitoError("InvalidParameterException", f"Username should be {wanted}.")
            attributes[kinds[0]] = username
            if self._accounts.alias_owner(rules.user_pool_id, kinds[0], username, exclude="") or (
                self._sign_in_taken(rules, kinds[0], username)
            ):
                label = "email" if kinds[0] == "email" else "phone_number"
                raise CognitoError(
                    "UsernameExistsException", f"An account with the given {label} already exists."
                )
            return None
        for alias in rules.alias_attributes:
            shaped = (
                _EMAIL.fullmatch(username)
                if alias == "email"
                else (_PHONE.fullmatch(username) if alias == "phone_number" else None)
            )
            if shaped:
                label = "email" if alias == "email" else "phone number"
                raise CognitoError(
                    "InvalidParameterException",
                    f"Username cannot be of {label} format, since user pool is configured for "
                    f"{alias} alias.",
                )
        if self._accounts.username_taken(rules.user_pool_id, username, rules.case_sensitive):
            raise CognitoError("UsernameExistsException", "User already exists")
        return username

    def _sign_in_taken(self, rules: PoolRules, attribute: str, value: str) -> bool:
        found = self._directory.find_user(rules.user_pool_id, value)
        return found is not None and found.attributes.get(attribute) == value

    def _check_attributes(self, rules: PoolRules, attributes: dict[str, str]) -> None:
        for name, value in attributes.items():
            if name not in _STANDARD_ATTRIBUTES and name not in rules.custom_attributes:
                # Sandbox wording, after the "Attributes did not conform to the schema" answers.
                raise CognitoError(
                    "InvalidParameterException",
                    f"Attributes did not conform to the schema: {name}: Attribute does not exist "
                    "in the schema.",
                )
            if len(value) > _MAX_CODE:
                raise CognitoError(
                    "InvalidParameterException",
                    f"Attribute {name} is longer than {_MAX_CODE} characters.",
                )
        # Amplify UI's vocabulary holds both messages as Cognito's.
        if "email" in attributes and not _EMAIL.fullmatch(attributes["email"]):
            raise CognitoError("InvalidParameterException", "Invalid email address format.")
        if "phone_number" in attributes and not _PHONE.fullmatch(attributes["phone_number"]):
            raise CognitoError("InvalidParameterException", "Invalid phone number format.")


class ConfirmSignUp:
    """Handles one ConfirmSignUp request: checks the code, confirms, verifies the address."""

    def __init__(
        self,
        directory: UserDirectory,
        codes: CodeBook,
        accounts: Accounts | None = None,
    ) -> None:
        self._directory = directory
        self._codes = codes
        self._accounts: Accounts = accounts or MotoAccounts()

    def __call__(self, params: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
        problems = _Problems()
        client_id, username, sent_hash = _common(params, problems)
        code = _string(params, "ConfirmationCode")
        if code is None:
            problems.null("confirmationCode")
        else:
            problems.check(
                "confirmationCode",
                code,
                max_length=_MAX_CODE,
                matches=lambda v: bool(re.fullmatch(r"\S+", v)),
                pattern=r"[\S]+",
                sensitive=False,
            )
        problems.raise_if_any()
        assert client_id is not None and username is not None and code is not None
        force = params.get("ForceAliasCreation", False)
        if not isinstance(force, bool):
            raise CognitoError("SerializationException", "ForceAliasCreation must be a boolean")
        _metadata(params)
        client = _client(self._directory, client_id)
        check_secret_hash(client, username, sent_hash)
        user = self._directory.find_user(client.user_pool_id, username)
        if user is None:
            if client.prevents_user_existence_errors:
                # Sandbox choice: the answer a wrong code gets, so nothing tells who exists.
                raise CognitoError(
                    "CodeMismatchException", "Invalid verification code provided, please try again."
                )
            raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
        if not user.enabled:
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        if user.status != "UNCONFIRMED":
            raise CognitoError(
                "NotAuthorizedException",
                f"User cannot be confirmed. Current status is {user.status}",
            )
        verdict = self._codes.check(client.user_pool_id, user.username, code)
        if verdict.error is not None:
            raise CognitoError(*verdict.error)
        attribute = verdict.attribute
        pool = client.user_pool_id
        if attribute and user.attributes.get(attribute):
            rules = self._accounts.rules(pool)
            value = user.attributes[attribute]
            owner = self._accounts.alias_owner(pool, attribute, value, exclude=user.username)
            if owner is not None and attribute in rules.alias_attributes:
                if not force:
                    label = "email" if attribute == "email" else "phone_number"
                    raise CognitoError(
                        "AliasExistsException", f"An account with the given {label} already exists."
                    )
                # The alias moves: the other account's address is no longer verified.
                self._accounts.set_verified(pool, owner, attribute, False)
            self._accounts.set_verified(pool, user.username, attribute, True)
        self._accounts.confirm(pool, user.username)
        self._codes.forget(pool, user.username)
        return {}
