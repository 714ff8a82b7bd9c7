"""The SignUp and ConfirmSignUp requests: raw input, validation against the model, parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from app.core import limits
from app.core.request import (
    Field,
    FieldError,
    UserContextData,
    length_error,
    validate_client_id,
    validate_ip_address,
    validate_metadata,
    validate_string,
    validate_username,
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

    `password` is None for a passwordless sign-up (the model makes Password optional).
    """

    client_id: str
    username: str
    password: Secret | None = field(default=None, repr=False)
    user_attributes: Sequence[tuple[str, str]] = ()
    validation_data: Sequence[tuple[str, str]] = ()
    client_metadata: Sequence[tuple[str, str]] = ()
    analytics_endpoint_id: str = ""
    ip_address: str = ""
    encoded_data: str = ""


@dataclass(frozen=True)
class ConfirmInput:
    """What the CLI or the window collected for a confirmation: not yet checked."""

    client_id: str
    username: str
    confirmation_code: str
    force_alias_creation: bool = False
    # From SignUp's answer when the pool continues to sign-in (passwordless); a token.
    session: Secret | None = field(default=None, repr=False)
    client_metadata: Sequence[tuple[str, str]] = ()
    analytics_endpoint_id: str = ""
    ip_address: str = ""
    encoded_data: str = ""


def _empty_metadata() -> Mapping[str, str]:
    return MappingProxyType({})


def _context_params(context: UserContextData | None) -> dict[str, str]:
    if context is None:
        return {}
    ctx: dict[str, str] = {}
    if context.ip_address:
        ctx["IpAddress"] = context.ip_address
    if context.encoded_data:
        ctx["EncodedData"] = context.encoded_data
    return ctx


def _common_params(
    client_id: str,
    username: str,
    secret_hash: Secret | None,
    context: UserContextData | None,
    analytics_endpoint_id: str,
    client_metadata: Mapping[str, str],
) -> dict[str, object]:
    params: dict[str, object] = {"ClientId": client_id, "Username": username}
    if secret_hash is not None:
        params["SecretHash"] = secret_hash.reveal()
    ctx = _context_params(context)
    if ctx:
        params["UserContextData"] = ctx
    if analytics_endpoint_id:
        params["AnalyticsMetadata"] = {"AnalyticsEndpointId": analytics_endpoint_id}
    if client_metadata:
        params["ClientMetadata"] = dict(client_metadata)
    return params


@dataclass(frozen=True)
class SignUpRequest:
    """A valid SignUp request. Only `validate_signup` should build one."""

    client_id: str
    username: str
    password: Secret | None = field(default=None, repr=False, compare=False)
    user_attributes: tuple[UserAttribute, ...] = ()
    validation_data: tuple[UserAttribute, ...] = ()
    client_metadata: Mapping[str, str] = field(default_factory=_empty_metadata)
    analytics_endpoint_id: str = ""
    user_context: UserContextData | None = None
    secret_hash: Secret | None = field(default=None, repr=False, compare=False)

    def with_secret_hash(self, secret_hash: Secret | None) -> SignUpRequest:
        return replace(self, secret_hash=secret_hash)

    def to_api_params(self) -> dict[str, object]:
        """Keyword arguments for boto3's `sign_up`; empty optionals omitted."""
        params = _common_params(
            self.client_id,
            self.username,
            self.secret_hash,
            self.user_context,
            self.analytics_endpoint_id,
            self.client_metadata,
        )
        if self.password is not None:
            params["Password"] = self.password.reveal()
        if self.user_attributes:
            params["UserAttributes"] = [
                {"Name": a.name, "Value": a.value} for a in self.user_attributes
            ]
        if self.validation_data:
            params["ValidationData"] = [
                {"Name": a.name, "Value": a.value} for a in self.validation_data
            ]
        return params


@dataclass(frozen=True)
class ConfirmRequest:
    """A valid ConfirmSignUp request. Only `validate_confirm` should build one."""

    client_id: str
    username: str
    confirmation_code: str
    force_alias_creation: bool = False
    session: Secret | None = field(default=None, repr=False, compare=False)
    client_metadata: Mapping[str, str] = field(default_factory=_empty_metadata)
    analytics_endpoint_id: str = ""
    user_context: UserContextData | None = None
    secret_hash: Secret | None = field(default=None, repr=False, compare=False)

    def with_secret_hash(self, secret_hash: Secret | None) -> ConfirmRequest:
        return replace(self, secret_hash=secret_hash)

    def to_api_params(self) -> dict[str, object]:
        """Keyword arguments for boto3's `confirm_sign_up`; empty optionals omitted."""
        params = _common_params(
            self.client_id,
            self.username,
            self.secret_hash,
            self.user_context,
            self.analytics_endpoint_id,
            self.client_metadata,
        )
        params["ConfirmationCode"] = self.confirmation_code
        if self.force_alias_creation:
            params["ForceAliasCreation"] = True
        if self.session is not None:
            params["Session"] = self.session.reveal()
        return params


@dataclass(frozen=True)
class SignUpValidation:
    """Either a sign-up request (no errors) or the field errors (no request)."""

    request: SignUpRequest | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return self.request is not None


@dataclass(frozen=True)
class ConfirmValidation:
    """Either a confirmation request (no errors) or the field errors (no request)."""

    request: ConfirmRequest | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return self.request is not None


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


def _context(ip_address: str, encoded_data: str) -> UserContextData | None:
    return UserContextData(ip_address, encoded_data) if ip_address or encoded_data else None


def _shared_errors(
    client_id: str,
    username: str,
    client_metadata: Sequence[tuple[str, str]],
    analytics_endpoint_id: str,
    ip_address: str,
    encoded_data: str,
) -> list[FieldError]:
    return [
        *validate_client_id(client_id),
        *validate_username(username),
        *validate_metadata(client_metadata),
        *validate_string(Field.ANALYTICS_ENDPOINT_ID, analytics_endpoint_id),
        *validate_ip_address(ip_address),
        *validate_string(Field.ENCODED_DATA, encoded_data),
    ]


def _attributes(pairs: Sequence[tuple[str, str]]) -> tuple[UserAttribute, ...]:
    return tuple(UserAttribute(n, v) for n, v in pairs if n)


def validate_signup(raw: SignUpInput) -> SignUpValidation:
    """Check every SignUp field against the model's limits; all problems at once.

    Username and ClientId are trimmed as for a resend; the password never is (a space
    is a character of it, and the message says so).
    """
    client_id = raw.client_id.strip()
    username = raw.username.strip()
    errors = [
        *_shared_errors(
            client_id,
            username,
            raw.client_metadata,
            raw.analytics_endpoint_id,
            raw.ip_address,
            raw.encoded_data,
        ),
        *validate_password(raw.password),
        *validate_attributes(Field.USER_ATTRIBUTES, raw.user_attributes),
        *validate_attributes(Field.VALIDATION_DATA, raw.validation_data),
    ]
    if errors:
        return SignUpValidation(None, tuple(errors))
    request = SignUpRequest(
        client_id=client_id,
        username=username,
        password=raw.password,
        user_attributes=_attributes(raw.user_attributes),
        validation_data=_attributes(raw.validation_data),
        client_metadata=MappingProxyType({k: v for k, v in raw.client_metadata if k}),
        analytics_endpoint_id=raw.analytics_endpoint_id,
        user_context=_context(raw.ip_address, raw.encoded_data),
    )
    return SignUpValidation(request, ())


def validate_confirm(raw: ConfirmInput) -> ConfirmValidation:
    """Check every ConfirmSignUp field against the model's limits; all problems at once.

    The code is trimmed too: a code pasted from an email often brings a line break.
    """
    client_id = raw.client_id.strip()
    username = raw.username.strip()
    code = raw.confirmation_code.strip()
    errors = [
        *_shared_errors(
            client_id,
            username,
            raw.client_metadata,
            raw.analytics_endpoint_id,
            raw.ip_address,
            raw.encoded_data,
        ),
        *validate_code(code),
        *validate_session(raw.session),
    ]
    if errors:
        return ConfirmValidation(None, tuple(errors))
    request = ConfirmRequest(
        client_id=client_id,
        username=username,
        confirmation_code=code,
        force_alias_creation=raw.force_alias_creation,
        session=raw.session,
        client_metadata=MappingProxyType({k: v for k, v in raw.client_metadata if k}),
        analytics_endpoint_id=raw.analytics_endpoint_id,
        user_context=_context(raw.ip_address, raw.encoded_data),
    )
    return ConfirmValidation(request, ())


def parse_attribute_assignment(text: str) -> tuple[str, str]:
    """Parse one NAME=VALUE (the CLI's --attribute); the value may itself contain '='.

    Raises ValueError naming the problem when there is no '='.
    """
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"{text[:40]!r} is not NAME=VALUE")
    return name, value
