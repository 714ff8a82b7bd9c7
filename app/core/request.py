"""The ResendConfirmationCode request: raw form input, validation, and the API parameters."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from app.core import limits
from app.core.secrets import Secret


class Field(StrEnum):
    """Names of the request's fields, as the API spells them (the UI maps them to widgets)."""

    CLIENT_ID = "ClientId"
    USERNAME = "Username"
    CLIENT_METADATA = "ClientMetadata"
    ANALYTICS_ENDPOINT_ID = "AnalyticsMetadata.AnalyticsEndpointId"
    IP_ADDRESS = "UserContextData.IpAddress"
    ENCODED_DATA = "UserContextData.EncodedData"
    # SignUp and ConfirmSignUp (app/core/signup.py).
    PASSWORD = "Password"
    USER_ATTRIBUTES = "UserAttributes"
    VALIDATION_DATA = "ValidationData"
    CONFIRMATION_CODE = "ConfirmationCode"
    SESSION = "Session"


# Short labels for messages a person reads.
FIELD_LABELS: Mapping[Field, str] = MappingProxyType(
    {
        Field.CLIENT_ID: "Client ID",
        Field.USERNAME: "Username",
        Field.CLIENT_METADATA: "Client metadata",
        Field.ANALYTICS_ENDPOINT_ID: "Analytics endpoint ID",
        Field.IP_ADDRESS: "IP address",
        Field.ENCODED_DATA: "Encoded data",
        Field.PASSWORD: "Password",
        Field.USER_ATTRIBUTES: "User attributes",
        Field.VALIDATION_DATA: "Validation data",
        Field.CONFIRMATION_CODE: "Confirmation code",
        Field.SESSION: "Session",
    }
)


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: which field, what is wrong and what is allowed.

    `row` is the 0-based row for ClientMetadata and attribute-list problems, else None.
    """

    field: Field
    message: str
    row: int | None = None

    def __str__(self) -> str:
        where = FIELD_LABELS[self.field]
        if self.row is not None:
            where += f" (row {self.row + 1})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ResendInput:
    """What a form, the CLI or a batch row typed: plain strings, not yet checked."""

    client_id: str
    username: str
    client_metadata: Sequence[tuple[str, str]] = ()
    analytics_endpoint_id: str = ""
    ip_address: str = ""
    encoded_data: str = ""


@dataclass(frozen=True)
class UserContextData:
    """UserContextData: the caller's IP address and/or the advanced-security fingerprint."""

    ip_address: str = ""
    encoded_data: str = ""


@dataclass(frozen=True)
class ResendRequest:
    """A valid ResendConfirmationCode request. Only `validate` should build one."""

    client_id: str
    username: str
    client_metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    analytics_endpoint_id: str = ""
    user_context: UserContextData | None = None
    # Derived from the client secret, never typed; never shown (Secret masks itself).
    secret_hash: Secret | None = field(default=None, repr=False, compare=False)

    def with_secret_hash(self, secret_hash: Secret | None) -> ResendRequest:
        return ResendRequest(
            client_id=self.client_id,
            username=self.username,
            client_metadata=self.client_metadata,
            analytics_endpoint_id=self.analytics_endpoint_id,
            user_context=self.user_context,
            secret_hash=secret_hash,
        )

    def to_api_params(self) -> dict[str, object]:
        """Keyword arguments for boto3's `resend_confirmation_code`; empty optionals omitted."""
        params: dict[str, object] = {"ClientId": self.client_id, "Username": self.username}
        if self.secret_hash is not None:
            params["SecretHash"] = self.secret_hash.reveal()
        if self.user_context is not None:
            ctx: dict[str, str] = {}
            if self.user_context.ip_address:
                ctx["IpAddress"] = self.user_context.ip_address
            if self.user_context.encoded_data:
                ctx["EncodedData"] = self.user_context.encoded_data
            if ctx:
                params["UserContextData"] = ctx
        if self.analytics_endpoint_id:
            params["AnalyticsMetadata"] = {"AnalyticsEndpointId": self.analytics_endpoint_id}
        if self.client_metadata:
            params["ClientMetadata"] = dict(self.client_metadata)
        return params


@dataclass(frozen=True)
class ValidationResult:
    """Either a request (no errors) or the list of field errors (no request)."""

    request: ResendRequest | None
    errors: tuple[FieldError, ...]

    @property
    def ok(self) -> bool:
        return self.request is not None

    def errors_for(self, which: Field) -> tuple[FieldError, ...]:
        return tuple(e for e in self.errors if e.field == which)


def length_error(value: str, limit: limits.StringLimit) -> str | None:
    """Why `value` breaks `limit`'s length bounds, or None when it fits."""
    if len(value) < limit.min_len:
        return "is required" if limit.min_len == 1 else f"needs at least {limit.min_len} characters"
    if len(value) > limit.max_len:
        return f"is {len(value):,} characters long; at most {limit.max_len:,} are allowed"
    return None


def validate_client_id(value: str) -> list[FieldError]:
    """ClientId: 1–128 characters of letters, digits, underscore and plus."""
    problem = length_error(value, limits.CLIENT_ID)
    if problem is None and not limits.client_id_chars_ok(value):
        problem = "may contain only ASCII letters, digits, '_' and '+' (an app client ID)"
    return [FieldError(Field.CLIENT_ID, problem)] if problem else []


def validate_username(value: str) -> list[FieldError]:
    """Username: 1–128 letters, marks, symbols, numbers or punctuation; no spaces or controls."""
    problem = length_error(value, limits.USERNAME)
    if problem is None:
        bad = limits.username_bad_chars(value)
        if bad:
            names = ", ".join(limits.describe_char(ch) for ch in bad[:3])
            problem = (
                f"contains {names}; only letters, digits, symbols and punctuation are "
                "allowed (no spaces or control characters)"
            )
    return [FieldError(Field.USERNAME, problem)] if problem else []


def validate_string(which: Field, value: str) -> list[FieldError]:
    """Any of the free StringType fields: at most 131,072 characters."""
    problem = length_error(value, limits.STRING)
    return [FieldError(which, problem)] if problem else []


def validate_ip_address(value: str) -> list[FieldError]:
    """IpAddress: empty, or an IPv4/IPv6 address (Cognito scores risk from it)."""
    errors = validate_string(Field.IP_ADDRESS, value)
    if not errors and value:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            errors.append(
                FieldError(Field.IP_ADDRESS, "must be an IPv4 or IPv6 address, e.g. 203.0.113.7")
            )
    return errors


def validate_metadata(pairs: Sequence[tuple[str, str]]) -> list[FieldError]:
    """ClientMetadata rows: non-empty unique keys, keys and values within 131,072 characters."""
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for row, (key, value) in enumerate(pairs):
        if not key:
            if value:
                errors.append(FieldError(Field.CLIENT_METADATA, "key is empty", row))
            # A row with neither key nor value is an unused row, not an error.
            continue
        problem = length_error(key, limits.STRING)
        if problem:
            errors.append(FieldError(Field.CLIENT_METADATA, f"key {problem}", row))
        problem = length_error(value, limits.STRING)
        if problem:
            errors.append(FieldError(Field.CLIENT_METADATA, f"value {problem}", row))
        if key in seen:
            errors.append(
                FieldError(
                    Field.CLIENT_METADATA,
                    f"key {key[:40]!r} repeats row {seen[key] + 1}; keys must be unique",
                    row,
                )
            )
        else:
            seen[key] = row
    return errors


def validate(raw: ResendInput) -> ValidationResult:
    """Check every field against the service model's limits; collect all problems at once.

    Username and ClientId are trimmed: neither may contain white space, and a pasted
    trailing space or newline is the commonest typo.
    """
    client_id = raw.client_id.strip()
    username = raw.username.strip()
    errors = [
        *validate_client_id(client_id),
        *validate_username(username),
        *validate_metadata(raw.client_metadata),
        *validate_string(Field.ANALYTICS_ENDPOINT_ID, raw.analytics_endpoint_id),
        *validate_ip_address(raw.ip_address),
        *validate_string(Field.ENCODED_DATA, raw.encoded_data),
    ]
    if errors:
        return ValidationResult(None, tuple(errors))
    metadata = {k: v for k, v in raw.client_metadata if k}
    context = (
        UserContextData(raw.ip_address, raw.encoded_data)
        if raw.ip_address or raw.encoded_data
        else None
    )
    request = ResendRequest(
        client_id=client_id,
        username=username,
        client_metadata=MappingProxyType(metadata),
        analytics_endpoint_id=raw.analytics_endpoint_id,
        user_context=context,
    )
    return ValidationResult(request, ())


class MetadataParseError(ValueError):
    """A ClientMetadata JSON text that is not an object of strings."""


def parse_metadata_json(text: str) -> list[tuple[str, str]]:
    """Parse a JSON object of string → string (as pasted or passed with --metadata-json).

    Numbers and booleans are refused, not coerced: Cognito takes strings only, and a
    trigger that compares "1" with 1 is exactly the bug a developer is hunting.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataParseError(
            f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise MetadataParseError("is nested too deeply to be a metadata object") from None
    except ValueError:
        # Python refuses integers of more than 4,300 digits with a plain ValueError.
        raise MetadataParseError(
            "holds a number too long to read; values must be strings"
        ) from None
    if not isinstance(data, dict):
        raise MetadataParseError(
            f'must be a JSON object like {{"key": "value"}}, not {type(data).__name__}'
        )
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if not isinstance(value, str):
            raise MetadataParseError(
                f"value of {key!r} is {type(value).__name__}; every value must be a string"
            )
        pairs.append((key, value))
    return pairs


def parse_metadata_assignment(text: str) -> tuple[str, str]:
    """Parse one KEY=VALUE (the CLI's --metadata); the value may itself contain '='."""
    key, sep, value = text.partition("=")
    if not sep:
        raise MetadataParseError(f"{text[:40]!r} is not KEY=VALUE")
    return key, value


def form_errors(raw: ResendInput) -> tuple[FieldError, ...]:
    """The problems a form can show inline before the client ID is known (it is in the keyring).

    The client ID is checked later, when the profile's credentials are read.
    """
    probe = ResendInput(
        client_id=raw.client_id.strip() or "placeholder",
        username=raw.username,
        client_metadata=raw.client_metadata,
        analytics_endpoint_id=raw.analytics_endpoint_id,
        ip_address=raw.ip_address,
        encoded_data=raw.encoded_data,
    )
    return tuple(e for e in validate(probe).errors if e.field is not Field.CLIENT_ID)
