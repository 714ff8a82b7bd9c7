"""The SignUp and ConfirmSignUp requests: raw input, validation against the model, parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.core import limits
from app.core.request import (
    Field,
    FieldError,
    ResendInput,
    ResendRequest,
    form_errors,
    length_error,
    validate,
)
from app.core.secrets import Secret


@dataclass(frozen=True)
class UserAttribute:
    """One entry of UserAttributes or ValidationData (AttributeType: Name, Value)."""

    name: str
    value: str


@dataclass(frozen=True)
class SignUpInput:
    """What the CLI or the window collected for a sign-up: not yet checked.

    `common` holds the fields SignUp shares with ResendConfirmationCode (client ID,
    username, metadata, analytics and context data), checked by the same rules.
    `password` is None for a passwordless sign-up (the model makes Password optional).
    """

    common: ResendInput
    password: Secret | None = field(default=None, repr=False)
    user_attributes: Sequence[tuple[str, str]] = ()
    validation_data: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class ConfirmInput:
    """What the CLI or the window collected for a confirmation: not yet checked."""

    common: ResendInput
    confirmation_code: str
    force_alias_creation: bool = False
    # From SignUp's answer when the pool continues to sign-in (passwordless); a token.
    session: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SignUpRequest:
    """A valid SignUp request. Only `validate_signup` should build one.

    `common` carries the shared fields and the SecretHash.
    """

    common: ResendRequest
    password: Secret | None = field(default=None, repr=False, compare=False)
    user_attributes: tuple[UserAttribute, ...] = ()
    validation_data: tuple[UserAttribute, ...] = ()

    def with_secret_hash(self, secret_hash: Secret | None) -> SignUpRequest:
        return replace(self, common=self.common.with_secret_hash(secret_hash))

    def to_api_params(self) -> dict[str, object]:
        """Keyword arguments for boto3's `sign_up`; empty optionals omitted."""
        params = self.common.to_api_params()
        if self.password is not None:
            params["Password"] = self.password.reveal()
        if self.user_attributes:
            params["UserAttributes"] = _attribute_params(self.user_attributes)
        if self.validation_data:
            params["ValidationData"] = _attribute_params(self.validation_data)
        return params


@dataclass(frozen=True)
class ConfirmRequest:
    """A valid ConfirmSignUp request. Only `validate_confirm` should build one."""

    common: ResendRequest
    confirmation_code: str
    force_alias_creation: bool = False
    session: Secret | None = field(default=None, repr=False, compare=False)

    def with_secret_hash(self, secret_hash: Secret | None) -> ConfirmRequest:
        return replace(self, common=self.common.with_secret_hash(secret_hash))

    def to_api_params(self) -> dict[str, object]:
        """Keyword arguments for boto3's `confirm_sign_up`; empty optionals omitted."""
        params = self.common.to_api_params()
        params["ConfirmationCode"] = self.confirmation_code
        if self.force_alias_creation:
            params["ForceAliasCreation"] = True
        if self.session is not None:
            params["Session"] = self.session.reveal()
        return params


def _attribute_params(attributes: tuple[UserAttribute, ...]) -> list[dict[str, str]]:
    return [{"Name": a.name, "Value": a.value} for a in attributes]


@dataclass(frozen=True)
class SignUpValidation:
    """Either a sign-up request (no errors) or the field errors (no request)."""

    request: SignUpRequest | None
    errors: tuple[FieldError, ...]


@dataclass(frozen=True)
class ConfirmValidation:
    """Either a confirmation request (no errors) or the field errors (no request)."""

    request: ConfirmRequest | None
    errors: tuple[FieldError, ...]


def _named(chars: list[str]) -> str:
    return ", ".join(limits.describe_char(ch) for ch in chars[:3])


def validate_password(password: Secret | None) -> list[FieldError]:
    """Password: absent (passwordless), or 1–256 characters without ASCII white space.

    Messages never quote the password: they name characters by class, not by value.
    """
    if password is None:
        return []
    value = password.reveal()
    if not value:
        return [FieldError(Field.PASSWORD, "is empty; leave it out for a passwordless sign-up")]
    problem = length_error(value, limits.PASSWORD)
    if problem is None and limits.non_space_bad_chars(value):
        problem = (
            "contains white space (space, tab or line break); the API allows none (pattern [\\S]+)"
        )
    return [FieldError(Field.PASSWORD, problem)] if problem else []


def validate_code(code: str) -> list[FieldError]:
    """ConfirmationCode: 1–2,048 characters without white space (Cognito sends six digits)."""
    problem = length_error(code, limits.CONFIRMATION_CODE)
    if problem is None:
        bad = limits.non_space_bad_chars(code)
        if bad:
            problem = f"contains {_named(bad)}; a code has no white space"
    return [FieldError(Field.CONFIRMATION_CODE, problem)] if problem else []


def validate_session(session: Secret | None) -> list[FieldError]:
    """Session: absent, or the 20–4,096 character token SignUp returned."""
    if session is None:
        return []
    problem = length_error(session.reveal(), limits.SESSION)
    return [FieldError(Field.SESSION, problem)] if problem else []


def validate_attributes(which: Field, pairs: Sequence[tuple[str, str]]) -> list[FieldError]:
    """UserAttributes / ValidationData rows: names 1–32 characters of the model's pattern,
    values at most 2,048 characters, each name once."""
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for row, (name, value) in enumerate(pairs):
        if not name:
            if value:
                errors.append(FieldError(which, "name is empty", row))
            continue  # an unused row (neither name nor value)
        problem = length_error(name, limits.ATTRIBUTE_NAME)
        if problem is None:
            bad = limits.attribute_name_bad_chars(name)
            if bad:
                problem = (
                    f"contains {_named(bad)}; names are letters, digits, symbols and punctuation"
                )
        if problem:
            errors.append(FieldError(which, f"name {problem}", row))
        problem = length_error(value, limits.ATTRIBUTE_VALUE)
        if problem:
            errors.append(FieldError(which, f"value of {name[:32]!r} {problem}", row))
        if name in seen:
            # Not a model rule: a repeated name leaves which value counts to Cognito.
            errors.append(
                FieldError(which, f"name {name[:32]!r} repeats row {seen[name] + 1}", row)
            )
        else:
            seen[name] = row
    return errors


def _attributes(pairs: Sequence[tuple[str, str]]) -> tuple[UserAttribute, ...]:
    return tuple(UserAttribute(n, v) for n, v in pairs if n)


def validate_signup(raw: SignUpInput) -> SignUpValidation:
    """Check every SignUp field against the model's limits; all problems at once.

    The shared fields are trimmed as for a resend; the password never is (a space is a
    character of it, and the message says so).
    """
    common = validate(raw.common)
    errors = [
        *common.errors,
        *validate_password(raw.password),
        *validate_attributes(Field.USER_ATTRIBUTES, raw.user_attributes),
        *validate_attributes(Field.VALIDATION_DATA, raw.validation_data),
    ]
    if common.request is None or errors:
        return SignUpValidation(None, tuple(errors))
    request = SignUpRequest(
        common=common.request,
        password=raw.password,
        user_attributes=_attributes(raw.user_attributes),
        validation_data=_attributes(raw.validation_data),
    )
    return SignUpValidation(request, ())


def validate_confirm(raw: ConfirmInput) -> ConfirmValidation:
    """Check every ConfirmSignUp field against the model's limits; all problems at once.

    The code is trimmed too: a code pasted from an email often brings a line break.
    """
    common = validate(raw.common)
    code = raw.confirmation_code.strip()
    errors = [*common.errors, *validate_code(code), *validate_session(raw.session)]
    if common.request is None or errors:
        return ConfirmValidation(None, tuple(errors))
    request = ConfirmRequest(
        common=common.request,
        confirmation_code=code,
        force_alias_creation=raw.force_alias_creation,
        session=raw.session,
    )
    return ConfirmValidation(request, ())


def signup_form_errors(raw: SignUpInput) -> tuple[FieldError, ...]:
    """The problems a form (or the CLI) can show before the client ID is known."""
    return (
        *form_errors(raw.common),
        *validate_password(raw.password),
        *validate_attributes(Field.USER_ATTRIBUTES, raw.user_attributes),
        *validate_attributes(Field.VALIDATION_DATA, raw.validation_data),
    )


def confirm_form_errors(raw: ConfirmInput) -> tuple[FieldError, ...]:
    """The problems a form (or the CLI) can show before the client ID is known."""
    return (
        *form_errors(raw.common),
        *validate_code(raw.confirmation_code.strip()),
        *validate_session(raw.session),
    )


def parse_attribute_assignment(text: str) -> tuple[str, str]:
    """Parse one NAME=VALUE (the CLI's --attribute); the value may itself contain '='.

    Raises ValueError naming the problem when there is no '='.
    """
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"{text[:40]!r} is not NAME=VALUE")
    return name, value
