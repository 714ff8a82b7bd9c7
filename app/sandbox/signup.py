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
from typing import Any, Final, Protocol

from app.sandbox.accounts import MotoAccounts, PoolRules
from app.sandbox.codes import CodeBook
from app.sandbox.directory import UserRecord
from app.sandbox.resend import (
    CognitoError,
    ResendConfirmationCode,
    UserDirectory,
    check_secret_hash,
)
from app.sandbox.signup_input import (
    EMAIL,
    MAX_CODE,
    MAX_PASSWORD,
    PHONE,
    STANDARD_ATTRIBUTES,
    Problems,
    client_metadata,
    common_params,
    find_client,
    password_problem,
    string_param,
    user_attributes,
)

SIGNUP_SOURCE: Final = "CustomMessage_SignUp"



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
        problems = Problems()
        client_id, username, sent_hash = common_params(params, problems)
        password = string_param(params, "Password")
        if password is None:
            # Sandbox wording: a pool without passwordless sign-in needs a password; this is
            # what Cognito's validator said while the model still required it.
            problems.null("password")
        else:
            problems.check(
                "password",
                password,
                max_length=MAX_PASSWORD,
                matches=lambda v: bool(re.fullmatch(r"\S+", v)),
                pattern=r"[\S]+",
            )
        problems.raise_if_any()
        assert client_id is not None and username is not None and password is not None
        attributes = user_attributes(params)
        metadata = client_metadata(params)
        client = find_client(self._directory, client_id)
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
                if (a == "email" and EMAIL.fullmatch(username))
                or (a == "phone_number" and PHONE.fullmatch(username))
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
                EMAIL.fullmatch(username)
                if alias == "email"
                else (PHONE.fullmatch(username) if alias == "phone_number" else None)
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
            if name not in STANDARD_ATTRIBUTES and name not in rules.custom_attributes:
                # Sandbox wording, after the "Attributes did not conform to the schema" answers.
                raise CognitoError(
                    "InvalidParameterException",
                    f"Attributes did not conform to the schema: {name}: Attribute does not exist "
                    "in the schema.",
                )
            if len(value) > MAX_CODE:
                raise CognitoError(
                    "InvalidParameterException",
                    f"Attribute {name} is longer than {MAX_CODE} characters.",
                )
        # Amplify UI's vocabulary holds both messages as Cognito's.
        if "email" in attributes and not EMAIL.fullmatch(attributes["email"]):
            raise CognitoError("InvalidParameterException", "Invalid email address format.")
        if "phone_number" in attributes and not PHONE.fullmatch(attributes["phone_number"]):
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
        problems = Problems()
        client_id, username, sent_hash = common_params(params, problems)
        code = string_param(params, "ConfirmationCode")
        if code is None:
            problems.null("confirmationCode")
        else:
            problems.check(
                "confirmationCode",
                code,
                max_length=MAX_CODE,
                matches=lambda v: bool(re.fullmatch(r"\S+", v)),
                pattern=r"[\S]+",
                sensitive=False,
            )
        problems.raise_if_any()
        assert client_id is not None and username is not None and code is not None
        force = params.get("ForceAliasCreation", False)
        if not isinstance(force, bool):
            raise CognitoError("SerializationException", "ForceAliasCreation must be a boolean")
        client_metadata(params)
        client = find_client(self._directory, client_id)
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
