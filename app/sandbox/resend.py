"""ResendConfirmationCode as Cognito answers it: validation, client, secret hash, user, limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from app.sandbox import link as confirm_link
from app.sandbox.clock import iso
from app.sandbox.codes import CODE_LIFETIME, CodeBook, new_code
from app.sandbox.directory import ClientRecord, PoolSettings, UserRecord
from app.sandbox.model import InboxMessage, TriggerRun
from app.sandbox.state import AttemptLimiter, Inbox

# Limits and patterns of the request shapes in botocore's cognito-idp service model.
_MAX_ID_LENGTH = 128
_CLIENT_ID_PATTERN = r"[\w+]+"
_USERNAME_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"
_SECRET_HASH_PATTERN = r"[\w+=/]+"
DEFAULT_TEMPLATE = "Your verification code is {####}."
RESEND_SOURCE = "CustomMessage_ResendCode"


class CognitoError(Exception):
    """An error answer on the wire: HTTP status, `__type` and message."""

    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.status = status


class UserDirectory(Protocol):
    def find_client(self, client_id: str) -> ClientRecord | None: ...
    def find_user(self, user_pool_id: str, username: str) -> UserRecord | None: ...
    def pool_settings(self, user_pool_id: str) -> PoolSettings: ...


@dataclass(frozen=True)
class PendingDelivery:
    """What a CustomMessage trigger would receive; the composer turns it into the text sent."""

    user_pool_id: str
    client_id: str
    username: str
    code: str
    medium: str
    attribute: str
    destination: str
    client_metadata: dict[str, str]
    template: str
    # As a trigger sees them: stored attributes plus cognito:user_status and *_verified.
    user_attributes: dict[str, str] = field(default_factory=dict)
    request_id: str | None = None
    # CustomMessage_SignUp for SignUp's first code, CustomMessage_ResendCode for a resend.
    trigger_source: str = RESEND_SOURCE

    @property
    def region(self) -> str:
        # A pool id starts with its region (us-east-1_AbC123); moto's pools do too.
        return self.user_pool_id.split("_", 1)[0]


@dataclass(frozen=True)
class ComposedMessage:
    """The text (code filled in) and subject to deliver, and the trigger run that chose them."""

    text: str
    subject: str | None = None
    trigger: TriggerRun | None = None


# Where the CustomMessage trigger plugs in (app.sandbox.trigger.trigger_composer): it gets
# the pending delivery (clientMetadata included) and returns the message, or raises
# CognitoError (UserLambdaValidationException, InvalidLambdaResponseException, ...).
MessageComposer = Callable[[PendingDelivery], ComposedMessage]


def template_composer(delivery: PendingDelivery) -> ComposedMessage:
    """Cognito's behaviour without a trigger: the pool's template with {####} filled in."""
    return ComposedMessage(delivery.template.replace("{####}", delivery.code))


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_secret_hash(client: ClientRecord, username: str, sent: str | None) -> None:
    """SignUp, ConfirmSignUp and ResendConfirmationCode check it alike.

    Missing or wrong, Cognito answers "Unable to verify secret hash for client <id>" on these
    three (amplify-js#1368, amazon-cognito-identity-dart-2 PR#98, the many
    amazon-cognito-identity-js reports: that library never sends a hash). "Client <id> is
    configured with secret but SECRET_HASH was not received" is InitiateAuth's wording
    (amplify-android#2504), not theirs.
    """
    if client.secret is None:
        return
    # Cognito verifies against the username exactly as sent, alias or not.
    expected = secret_hash(client.secret, username, client.client_id)
    if sent is None or not hmac.compare_digest(expected, sent):
        raise CognitoError(
            "NotAuthorizedException",
            f"Unable to verify secret hash for client {client.client_id}",
        )


def mask_email(address: str) -> str:
    """Cognito's mask: first letter of the local part and of the domain, a***@e***."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def mask_phone(number: str) -> str:
    """Cognito's mask: every digit but the last four starred, +*******0123."""
    keep = 4
    head, tail = number[:-keep], number[-keep:]
    return "".join(c if c == "+" else "*" for c in head) + tail


def _simulated_destination(username: str) -> str:
    if "@" in username:
        return mask_email(username)
    # Deterministic, so repeated probes for one unknown name keep getting the same answer,
    # as Cognito's own simulation does; nothing about it says "unknown user".
    letter = "abcdefghijklmnopqrstuvwxyz"[hashlib.sha256(username.encode()).digest()[0] % 26]
    return f"{username[:1].lower()}***@{letter}***"


def _is_username_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMSNP"


def _validate(params: dict[str, Any]) -> tuple[str, str, str | None, dict[str, str]]:
    """The request's fields, or InvalidParameterException worded like Cognito's validator."""
    problems: list[str] = []
    fields = {"clientId": "ClientId", "username": "Username", "secretHash": "SecretHash"}
    values: dict[str, str | None] = {}
    for wire_name, key in fields.items():
        value = params.get(key)
        if value is not None and not isinstance(value, str):
            raise CognitoError("SerializationException", f"{key} must be a string")
        values[wire_name] = value
    for wire_name in ("clientId", "username"):
        if values[wire_name] is None:
            problems.append(
                f"Value null at '{wire_name}' failed to satisfy constraint: Member must not be null"
            )
    checks: list[tuple[str, Callable[[str], bool], str]] = [
        (
            "clientId",
            lambda v: bool(re.fullmatch(_CLIENT_ID_PATTERN, v, re.ASCII)),
            _CLIENT_ID_PATTERN,
        ),
        ("username", lambda v: all(_is_username_char(c) for c in v), _USERNAME_PATTERN),
        (
            "secretHash",
            lambda v: bool(re.fullmatch(_SECRET_HASH_PATTERN, v, re.ASCII)),
            _SECRET_HASH_PATTERN,
        ),
    ]
    for wire_name, matches, pattern in checks:
        value = values[wire_name]
        if value is None:
            continue
        # Sensitive members: Cognito names the field but never echoes the value.
        prefix = f"Value at '{wire_name}' failed to satisfy constraint: Member must"
        if len(value) > _MAX_ID_LENGTH:
            problems.append(f"{prefix} have length less than or equal to {_MAX_ID_LENGTH}")
        if len(value) < 1:
            problems.append(f"{prefix} have length greater than or equal to 1")
        if not value or not matches(value):
            problems.append(f"{prefix} satisfy regular expression pattern: {pattern}")
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise CognitoError(
            "InvalidParameterException",
            f"{count} validation {noun} detected: " + "; ".join(problems),
        )
    metadata = params.get("ClientMetadata") or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise CognitoError("SerializationException", "ClientMetadata must map strings to strings")
    client_id, username = values["clientId"], values["username"]
    assert client_id is not None and username is not None  # ensured by the null checks above
    return client_id, username, values["secretHash"], dict(metadata)


class ResendConfirmationCode:
    """Handles one request's JSON parameters; returns the JSON answer or raises CognitoError."""

    def __init__(
        self,
        directory: UserDirectory,
        inbox: Inbox,
        limiter: AttemptLimiter,
        composer: MessageComposer = template_composer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        codes: CodeBook | None = None,
    ) -> None:
        self._directory = directory
        self._inbox = inbox
        self._limiter = limiter
        self._composer = composer
        self._clock = clock
        # Where the newest code per user is kept for ConfirmSignUp; None: codes are only sent.
        self._codes = codes

    def __call__(self, params: dict[str, Any], request_id: str | None = None) -> dict[str, Any]:
        client_id, username, sent_hash, metadata = _validate(params)
        client = self._directory.find_client(client_id)
        if client is None:
            raise CognitoError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        check_secret_hash(client, username, sent_hash)
        user = self._directory.find_user(client.user_pool_id, username)
        if user is None:
            return self._unknown_user(client, username)
        if not user.enabled:
            # ENABLED clients answer for a disabled user as for an unknown one (developer
            # guide, "Managing user existence error responses"; COGNITO.md); LEGACY ones say
            # so (NotAuthorizedException "User is disabled.", amazon-cognito-identity-js#373,
            # amplify-js#5503).
            if client.prevents_user_existence_errors:
                return self._unknown_user(client, username)
            raise CognitoError("NotAuthorizedException", "User is disabled.")
        # FORCE_CHANGE_PASSWORD counts as confirmed ("The user is confirmed and can sign in
        # using a temporary password", UserType.UserStatus in the API reference); such a user
        # needs AdminCreateUser MessageAction=RESEND (pycognito#50). The answer for it is
        # inferred from that, not observed.
        if user.status in ("CONFIRMED", "FORCE_CHANGE_PASSWORD"):
            raise CognitoError("InvalidParameterException", "User is already confirmed.")
        if not self._limiter.attempt(f"{client.user_pool_id}/{user.username}"):
            raise CognitoError(
                "LimitExceededException", "Attempt limit exceeded, please try after some time."
            )
        return self.deliver(client, user, metadata, request_id)

    def _unknown_user(self, client: ClientRecord, username: str) -> dict[str, Any]:
        if not client.prevents_user_existence_errors:
            raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
        # Counted like a real user, so the limit cannot reveal who exists either.
        if not self._limiter.attempt(f"{client.user_pool_id}/?{username}"):
            raise CognitoError(
                "LimitExceededException", "Attempt limit exceeded, please try after some time."
            )
        return _details(_simulated_destination(username), "EMAIL", "email")

    def deliver(
        self,
        client: ClientRecord,
        user: UserRecord,
        metadata: dict[str, str],
        request_id: str | None,
        trigger_source: str = RESEND_SOURCE,
    ) -> dict[str, Any]:
        """Send `user` a new code (the only valid one from now on); the CodeDeliveryDetails."""
        settings = self._directory.pool_settings(client.user_pool_id)
        attribute = _delivery_attribute(user, settings)
        medium = "SMS" if attribute == "phone_number" else "EMAIL"
        address = user.attributes[attribute]
        template = (settings.sms_template if medium == "SMS" else settings.email_template) or (
            DEFAULT_TEMPLATE
        )
        code = new_code()
        # CONFIRM_WITH_LINK mails a link instead of the code (email only; SMS keeps the code).
        link = None
        if medium == "EMAIL" and settings.default_email_option == confirm_link.CONFIRM_WITH_LINK:
            template = settings.email_link_template or confirm_link.DEFAULT_LINK_TEMPLATE
            link = confirm_link.confirmation_link(
                client.user_pool_id.split("_", 1)[0],
                client.user_pool_id,
                client.client_id,
                user.username,
                code,
            )
        pending = PendingDelivery(
            user_pool_id=client.user_pool_id,
            client_id=client.client_id,
            username=user.username,
            code=code,
            medium=medium,
            attribute=attribute,
            destination=address,
            client_metadata=metadata,
            template=template,
            user_attributes=event_user_attributes(user.attributes, user.status),
            request_id=request_id,
            trigger_source=trigger_source,
        )
        composed = self._composer(pending)
        # Registered only once the message is composed: a trigger that fails sends nothing,
        # so the code the user already has must stay the valid one.
        issued = (
            None
            if self._codes is None
            else self._codes.issue(
                client.user_pool_id, user.username, trigger_source, attribute, pending.code
            )
        )
        sent_at = self._clock() if issued is None else issued.issued_at
        self._inbox.add(
            InboxMessage(
                username=user.username,
                code=pending.code,
                medium=medium,
                destination=address,
                client_id=client.client_id,
                client_metadata=dict(metadata),
                sent_at=iso(sent_at),
                message=composed.text if link is None else confirm_link.with_link(
                    composed.text, link
                ),
                subject=composed.subject,
                request_id=request_id,
                trigger=composed.trigger,
                trigger_source=trigger_source,
                expires_at=iso(sent_at + CODE_LIFETIME),
                link=link,
            )
        )
        masked = mask_phone(address) if medium == "SMS" else mask_email(address)
        return _details(masked, medium, attribute)


def event_user_attributes(attributes: dict[str, str], status: str) -> dict[str, str]:
    """The userAttributes a trigger sees: the stored ones plus Cognito's status and flags."""
    result = dict(attributes)
    result["cognito:user_status"] = status
    # Cognito reports the verified flags as strings; an unconfirmed sign-up has neither set.
    for attribute in ("email", "phone_number"):
        if attribute in result:
            result.setdefault(f"{attribute}_verified", "false")
    return result


def _delivery_attribute(user: UserRecord, settings: PoolSettings) -> str:
    # With both auto-verified, Cognito sends sign-up codes by SMS when the user has a phone.
    for attribute in ("phone_number", "email"):
        if attribute in settings.auto_verified_attributes and user.attributes.get(attribute):
            return attribute
    # Cognito's wording (reported; COGNITO.md "Who gets the code").
    raise CognitoError(
        "InvalidParameterException", "Cannot resend codes. Auto verification not turned on."
    )


def _details(destination: str, medium: str, attribute: str) -> dict[str, Any]:
    return {
        "CodeDeliveryDetails": {
            "Destination": destination,
            "DeliveryMedium": medium,
            "AttributeName": attribute,
        }
    }
