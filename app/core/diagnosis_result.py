"""What a diagnosis says: findings, the prediction, the user as seen, and its input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from app.core.diagnosis_input import Area, ClientSettings, NotChecked, PoolSettings, UserRecord
from app.core.outcome import Attempt, DeliveryMedium


class Severity(StrEnum):
    ERROR = "error"  # no code will arrive (or Cognito will refuse)
    WARNING = "warning"  # a code may not arrive, or the next step is another action
    INFO = "info"  # worth knowing; nothing wrong


class Code(StrEnum):
    """Stable finding codes (scripts read them from `diagnose --json`)."""

    USER_NOT_FOUND = "USER_NOT_FOUND"
    SEVERAL_MATCHES = "SEVERAL_MATCHES"
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"
    UNVERIFIED_ALIAS = "UNVERIFIED_ALIAS"
    NOT_AN_ALIAS = "NOT_AN_ALIAS"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    RESET_REQUIRED = "RESET_REQUIRED"
    USER_DISABLED = "USER_DISABLED"
    NO_AUTO_VERIFIED_ATTRIBUTE = "NO_AUTO_VERIFIED_ATTRIBUTE"
    NO_DELIVERY_ATTRIBUTE = "NO_DELIVERY_ATTRIBUTE"
    DEFAULT_EMAIL_DAILY_CAP = "DEFAULT_EMAIL_DAILY_CAP"
    SES_SANDBOX_POSSIBLE = "SES_SANDBOX_POSSIBLE"
    EMAIL_CONFIGURATION_FAILURE = "EMAIL_CONFIGURATION_FAILURE"
    SMS_SANDBOX = "SMS_SANDBOX"
    SMS_CONFIGURATION_FAILURE = "SMS_CONFIGURATION_FAILURE"
    SMS_LIMITS = "SMS_LIMITS"
    SIMULATED_DELIVERY = "SIMULATED_DELIVERY"
    CONFIRM_WITH_LINK = "CONFIRM_WITH_LINK"
    CUSTOM_MESSAGE_TRIGGER = "CUSTOM_MESSAGE_TRIGGER"
    CUSTOM_SENDER_TRIGGER = "CUSTOM_SENDER_TRIGGER"
    SECRET_MISSING = "SECRET_MISSING"
    RECENT_ATTEMPTS = "RECENT_ATTEMPTS"
    ATTEMPT_LIMIT_HIT = "ATTEMPT_LIMIT_HIT"


class NextStep(StrEnum):
    """The action the window and CLI offer next."""

    RESEND = "resend"  # ResendConfirmationCode
    RESEND_INVITATION = "resend_invitation"  # AdminCreateUser MessageAction=RESEND
    CONFIRM = "confirm"  # AdminConfirmSignUp
    USE_USERNAME = "use_username"  # retype the real username
    NONE = "none"  # nothing to send (confirmed, disabled, not found)
    WAIT = "wait"  # the attempt limit was hit


@dataclass(frozen=True)
class Finding:
    code: Code
    severity: Severity
    title: str
    detail: str
    remedy: str


@dataclass(frozen=True)
class UserSummary:
    """found: True, False, or None when the user could not be looked up."""

    found: bool | None
    username: str | None = None
    status: str | None = None
    enabled: bool | None = None
    email: str | None = None  # masked
    email_verified: bool | None = None
    phone_number: str | None = None  # masked
    phone_number_verified: bool | None = None
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class Prediction:
    """will_send: True, False, or None when it could not be told."""

    will_send: bool | None
    medium: DeliveryMedium | None = None
    attribute: str | None = None
    destination: str | None = None  # masked like Cognito's Destination
    reason: str = ""


@dataclass(frozen=True)
class Diagnosis:
    """Everything the card and `diagnose --json` show; no secrets, destinations masked."""

    identifier: str
    user: UserSummary
    prediction: Prediction
    findings: tuple[Finding, ...]
    checked: tuple[Area, ...]
    not_checked: tuple[NotChecked, ...]
    next_step: NextStep
    # Whether Cognito resolves the identifier as typed to an enabled user (None: unknown).
    # With a client that prevents user-existence errors, False means a simulated delivery.
    addressable: bool | None = None
    # The app client's PreventUserExistenceErrors (None: not checked).
    client_can_simulate: bool | None = None
    matches: tuple[str, ...] = ()  # every matching username when there are several

    def has(self, code: Code) -> bool:
        return any(f.code is code for f in self.findings)


@dataclass(frozen=True)
class DiagnosisInput:
    """What the admin reader found (None where it could not look) plus the history.

    `matches` is None when the user lookup could not run; () when it ran and found none.
    """

    identifier: str
    matches: tuple[UserRecord, ...] | None
    pool: PoolSettings | None
    client: ClientSettings | None
    recent: tuple[Attempt, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    profile_has_secret: bool | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    history_checked: bool = True


class Findings:
    """The findings of one diagnosis being built, in the order the rules add them."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, code: Code, severity: Severity, title: str, detail: str, remedy: str) -> None:
        self.items.append(Finding(code, severity, title, detail, remedy))

    def has(self, code: Code) -> bool:
        return any(f.code is code for f in self.items)
