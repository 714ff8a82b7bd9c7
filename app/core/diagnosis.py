"""The diagnosis rules: from a user, pool and client settings and recent attempts to findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from app.core.diagnosis_input import (
    Area,
    ClientSettings,
    LookupKey,
    NotChecked,
    PoolSettings,
    UserRecord,
)
from app.core.masking import mask_destination
from app.core.outcome import Attempt, AttemptKind, DeliveryMedium, Status
from app.core.words import counted

# Cognito's built-in email: at most 50 messages a day per account (COGNITO.md, quotas page).
DEFAULT_EMAIL_DAILY_CAP = 50
DEFAULT_EMAIL_SENDER = "no-reply@verificationemail.com"
# AWS publishes neither the per-user attempt limit nor its reset time; testers report
# about 5 rapid attempts (COGNITO.md, identity-js#548). Warn before the likely limit.
RECENT_WINDOW = timedelta(hours=1)
LIKELY_ATTEMPT_LIMIT = 5
WARN_AT_ATTEMPTS = 3


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


# ---------------------------------------------------------------- the rules


def delivery_attribute(user: UserRecord, pool: PoolSettings) -> str | None:
    """Where Cognito sends the code: phone wins when both are auto-verified and present
    (developer guide, signing up users)."""
    for attribute in ("phone_number", "email"):
        if attribute in pool.auto_verified and user.has(attribute):
            return attribute
    return None


def _medium(attribute: str) -> DeliveryMedium:
    return DeliveryMedium.SMS if attribute == "phone_number" else DeliveryMedium.EMAIL


def _summary(user: UserRecord | None, found: bool | None) -> UserSummary:
    if user is None:
        return UserSummary(found=found)
    return UserSummary(
        found=True,
        username=user.username,
        status=user.status,
        enabled=user.enabled,
        email=mask_destination("email", user.email) if user.email else None,
        email_verified=user.email_verified if user.email else None,
        phone_number=mask_destination("phone_number", user.phone_number)
        if user.phone_number
        else None,
        phone_number_verified=user.phone_number_verified if user.phone_number else None,
        created=user.created,
        modified=user.modified,
    )


def _resolves(user: UserRecord, pool: PoolSettings | None) -> bool | None:
    """Whether Cognito accepts the identifier the user was found by as a username."""
    if user.matched_by in (LookupKey.USERNAME, LookupKey.SUB):
        return True
    attribute = user.matched_by.value
    if pool is None:
        return None
    if attribute in pool.username_attributes:
        # Email/phone *as* the username works in every API except ListUsers.
        return True
    if attribute in pool.alias_attributes:
        # An alias resolves only once verified (developer guide, user pool attributes).
        return user.verified(attribute)
    return False


def _recent_for(
    identifier: str, user: UserRecord | None, recent: Sequence[Attempt]
) -> list[Attempt]:
    names = {identifier.strip()}
    if user is not None:
        names.update(v for v in (user.username, user.email, user.phone_number, user.sub) if v)
    return [a for a in recent if a.kind is AttemptKind.RESEND and a.username in names]


class _Rules:
    """One diagnosis being built: findings in the order the rules add them."""

    def __init__(self, data: DiagnosisInput) -> None:
        self.data = data
        self.findings: list[Finding] = []

    def add(self, code: Code, severity: Severity, title: str, detail: str, remedy: str) -> None:
        self.findings.append(Finding(code, severity, title, detail, remedy))

    # -- who the user is ---------------------------------------------------------------

    def simulated(self, why: str) -> None:
        client = self.data.client
        already = any(f.code is Code.SIMULATED_DELIVERY for f in self.findings)
        if client is not None and client.prevents_user_existence_errors and not already:
            self.add(
                Code.SIMULATED_DELIVERY,
                Severity.WARNING,
                "A resend will look delivered, but nothing is sent",
                f"The app client {client.name or client.client_id} prevents user-existence "
                f"errors, so for {why} Cognito answers with made-up delivery details.",
                "Do not trust a 'Delivered' for this identifier; fix the identifier first.",
            )

    def not_found(self) -> None:
        d = self.data
        self.add(
            Code.USER_NOT_FOUND,
            Severity.ERROR,
            "No such user",
            f"No user in the pool has the username, email, phone number or sub {d.identifier!r}.",
            "Check the spelling and that the profile points at the right pool and region.",
        )
        self.simulated("an unknown user")

    def several(self, matches: Sequence[UserRecord]) -> None:
        listed = ", ".join(f"{u.username} ({u.status})" for u in matches)
        self.add(
            Code.SEVERAL_MATCHES,
            Severity.WARNING,
            "Several users match",
            f"{len(matches)} users match {self.data.identifier!r}: {listed}.",
            "Choose one and use its username.",
        )

    def alias(self, user: UserRecord, pool: PoolSettings) -> None:
        attribute = user.matched_by.value
        label = "email" if attribute == "email" else "phone number"
        if attribute in pool.alias_attributes:
            self.add(
                Code.UNVERIFIED_ALIAS,
                Severity.ERROR,
                f"This {label} is not a verified alias yet",
                f"In this pool the {label} becomes an alias only once it is verified, and "
                f"{self.data.identifier!r} is not — the username is {user.username!r}.",
                f"Resend to the username {user.username!r} (or its sub) instead.",
            )
        else:
            self.add(
                Code.NOT_AN_ALIAS,
                Severity.ERROR,
                f"The {label} is not a sign-in name in this pool",
                f"The pool uses neither alias nor username attributes for {label}s, so "
                f"Cognito does not know {self.data.identifier!r} — the username is "
                f"{user.username!r}.",
                f"Resend to the username {user.username!r} instead.",
            )
        self.simulated(f"the {label} as typed")

    def status(self, user: UserRecord) -> NextStep | None:
        """A finding for a user no confirmation code is for; the next step instead."""
        if not user.enabled:
            self.add(
                Code.USER_DISABLED,
                Severity.ERROR,
                "The user is disabled",
                f"{user.username!r} is disabled; Cognito sends a disabled user nothing.",
                "Enable the user (AdminEnableUser, or the console) before resending.",
            )
            self.simulated("a disabled user")
            return NextStep.NONE
        if user.status == "CONFIRMED":
            self.add(
                Code.ALREADY_CONFIRMED,
                Severity.INFO,
                "Already confirmed",
                f"{user.username!r} has confirmed sign-up; there is no code to send "
                "(Cognito answers 'User is already confirmed.').",
                "Nothing to do: the user can sign in. For a forgotten password use ForgotPassword.",
            )
            return NextStep.NONE
        if user.status == "FORCE_CHANGE_PASSWORD":
            self.add(
                Code.FORCE_CHANGE_PASSWORD,
                Severity.WARNING,
                "Created by an administrator: resend the invitation",
                f"{user.username!r} was created with AdminCreateUser and has not signed in "
                "yet; a confirmation code is not for them.",
                "Resend the invitation (AdminCreateUser with MessageAction=RESEND).",
            )
            return NextStep.RESEND_INVITATION
        if user.status == "RESET_REQUIRED":
            self.add(
                Code.RESET_REQUIRED,
                Severity.WARNING,
                "Password reset required",
                f"{user.username!r} must reset the password; a sign-up code is not for them.",
                "Have the user use 'Forgot password' (ForgotPassword).",
            )
            return NextStep.NONE
        return None

    # -- how the code would go -----------------------------------------------------------

    def no_auto_verified(self) -> None:
        self.add(
            Code.NO_AUTO_VERIFIED_ATTRIBUTE,
            Severity.ERROR,
            "The pool verifies no attribute",
            "AutoVerifiedAttributes is empty, so Cognito refuses: 'Cannot resend codes. "
            "Auto verification not turned on.'",
            "Turn on email or phone verification in the pool's sign-up settings, or "
            "confirm the user without a code.",
        )

    def channel(self, user: UserRecord, pool: PoolSettings) -> Prediction:
        if not pool.auto_verified:
            self.no_auto_verified()
            return Prediction(False, reason="the pool verifies no attribute")
        attribute = delivery_attribute(user, pool)
        if attribute is None:
            wanted = " or ".join(pool.auto_verified)
            self.add(
                Code.NO_DELIVERY_ATTRIBUTE,
                Severity.ERROR,
                "Nowhere to send the code",
                f"The pool sends codes to {wanted}, and {user.username!r} has none.",
                f"Add the user's {wanted} (AdminUpdateUserAttributes), or confirm without a code.",
            )
            return Prediction(False, reason=f"the user has no {wanted}")
        value = user.value(attribute) or ""
        medium = _medium(attribute)
        destination = mask_destination(attribute, value)
        if medium is DeliveryMedium.EMAIL:
            self.email(pool, destination)
        else:
            self.sms(pool)
        self.triggers(pool, medium)
        return Prediction(
            True,
            medium=medium,
            attribute=attribute,
            destination=destination,
            reason=f"a code will go by {medium.value} to {destination}",
        )

    def email(self, pool: PoolSettings, destination: str) -> None:
        if pool.email_sending_account == "DEVELOPER":
            sender = pool.email_from or pool.email_source_arn or "the pool's SES identity"
            self.add(
                Code.SES_SANDBOX_POSSIBLE,
                Severity.INFO,
                "Sent through your Amazon SES",
                f"Email goes out through SES as {sender}. An SES account still in its "
                "sandbox sends only to verified addresses.",
                "If nothing arrives, check the SES account's sandbox status and that the "
                "FROM identity is verified and lets email.cognito-idp.amazonaws.com send.",
            )
        else:
            sender = pool.email_from or DEFAULT_EMAIL_SENDER
            self.add(
                Code.DEFAULT_EMAIL_DAILY_CAP,
                Severity.WARNING,
                "Cognito's built-in email: 50 a day",
                f"The pool sends with Cognito's default email (COGNITO_DEFAULT): at most "
                f"{DEFAULT_EMAIL_DAILY_CAP} emails a day per AWS account, from {sender}, "
                "often filtered as spam.",
                "Check the spam folder; for more than a few tests a day configure Amazon SES "
                "(EmailSendingAccount DEVELOPER).",
            )
        if pool.email_configuration_failure:
            self.add(
                Code.EMAIL_CONFIGURATION_FAILURE,
                Severity.ERROR,
                "The pool's email configuration failed",
                f"Cognito recorded: {pool.email_configuration_failure}",
                "Fix the pool's email (SES) configuration in the console.",
            )
        if pool.default_email_option == "CONFIRM_WITH_LINK":
            self.add(
                Code.CONFIRM_WITH_LINK,
                Severity.INFO,
                "The email holds a link, not a code",
                f"The pool confirms by link (DefaultEmailOption CONFIRM_WITH_LINK): "
                f"{destination} gets a link to click, valid for 24 hours.",
                "Tell the user to click the link; there is no code to type.",
            )

    def sms(self, pool: PoolSettings) -> None:
        failure = pool.sms_configuration_failure
        if "SNSSandbox" in failure:
            self.add(
                Code.SMS_SANDBOX,
                Severity.ERROR,
                "SMS is still in the SNS sandbox",
                "The account's SMS is in the SNS sandbox: only verified phone numbers get "
                f"messages (Cognito recorded: {failure}).",
                "Verify this number in SNS, or move the account's SMS out of the sandbox.",
            )
        elif failure:
            self.add(
                Code.SMS_CONFIGURATION_FAILURE,
                Severity.ERROR,
                "The pool's SMS configuration failed",
                f"Cognito recorded: {failure}",
                "Fix the pool's SMS role (sns:Publish, trust for cognito-idp.amazonaws.com).",
            )
        else:
            where = f" through {pool.sms_region}" if pool.sms_region else ""
            self.add(
                Code.SMS_LIMITS,
                Severity.INFO,
                f"SMS goes out through Amazon SNS{where}",
                "A new account's SMS is in the SNS sandbox (verified numbers only) with a "
                "$1 monthly spend limit; some regions send through another region.",
                "If nothing arrives, check SNS's sandbox status, spend limit and delivery logs.",
            )

    def triggers(self, pool: PoolSettings, medium: DeliveryMedium) -> None:
        if pool.custom_message_lambda:
            self.add(
                Code.CUSTOM_MESSAGE_TRIGGER,
                Severity.INFO,
                "A CustomMessage trigger writes the text",
                f"{pool.custom_message_lambda} receives CustomMessage_ResendCode and may "
                "change the message; it must keep the {####} placeholder and answer within "
                "5 seconds, and an over-long message falls back to the default text.",
                "If the text looks wrong or the resend fails, read the trigger's logs.",
            )
        sender = (
            pool.custom_sms_sender_lambda
            if medium is DeliveryMedium.SMS
            else pool.custom_email_sender_lambda
        )
        if sender:
            self.add(
                Code.CUSTOM_SENDER_TRIGGER,
                Severity.INFO,
                "A custom sender trigger sends the message",
                f"Cognito hands the KMS-encrypted code to {sender}; that function, not "
                "Cognito, delivers it.",
                "If nothing arrives, read that function's logs.",
            )

    # -- the client and the history ------------------------------------------------------

    def secret(self) -> None:
        client, has = self.data.client, self.data.profile_has_secret
        if client is not None and client.has_secret and has is False:
            self.add(
                Code.SECRET_MISSING,
                Severity.ERROR,
                "The profile lacks the client secret",
                "This app client has a secret, so a resend needs a SecretHash, and the "
                "profile has no secret: Cognito answers 'Unable to verify secret hash'.",
                "Edit the profile and add the app client's secret.",
            )

    def recent(self, user: UserRecord | None) -> bool:
        """Adds RECENT_ATTEMPTS / ATTEMPT_LIMIT_HIT; True when the limit was hit lately."""
        now = self.data.now
        mine = [
            a
            for a in _recent_for(self.data.identifier, user, self.data.recent)
            if timedelta(0) <= now - a.started_at <= RECENT_WINDOW
        ]
        if not mine:
            return False
        limited = [a for a in mine if a.failure and a.failure.code == "LimitExceededException"]
        delivered = sum(1 for a in mine if a.status is Status.DELIVERED)
        if limited:
            self.add(
                Code.ATTEMPT_LIMIT_HIT,
                Severity.ERROR,
                "The attempt limit was hit in the last hour",
                f"{len(mine)} attempts in the last hour, {len(limited)} answered 'Attempt "
                "limit exceeded'. AWS does not publish when the limit resets.",
                "Wait (often up to an hour); every retry now extends the wait.",
            )
            return True
        severity = Severity.WARNING if len(mine) >= WARN_AT_ATTEMPTS else Severity.INFO
        remedy = (
            f"Testers report about {LIKELY_ATTEMPT_LIMIT} rapid attempts before 'Attempt limit "
            "exceeded'; only the newest code works, so wait for it before resending."
        )
        self.add(
            Code.RECENT_ATTEMPTS,
            severity,
            f"{counted(len(mine), 'resend')} in the last hour",
            f"This app sent {counted(len(mine), 'resend')} for this user in the last hour "
            f"({delivered} delivered).",
            remedy,
        )
        return False


def diagnose(data: DiagnosisInput) -> Diagnosis:
    """Apply every rule to what was found; what could not be checked lowers certainty only."""
    rules = _Rules(data)
    checked = [
        area
        for area, present in (
            (Area.USER, data.matches is not None),
            (Area.POOL, data.pool is not None),
            (Area.CLIENT, data.client is not None),
            (Area.HISTORY, data.history_checked),
        )
        if present
    ]
    client_can_simulate = (
        data.client.prevents_user_existence_errors if data.client is not None else None
    )
    rules.secret()
    user: UserRecord | None = None
    addressable: bool | None = None
    next_step = NextStep.RESEND
    prediction: Prediction
    if data.matches is None:
        summary = _summary(None, None)
        prediction = Prediction(None, reason="the user could not be looked up")
        if data.pool is not None and not data.pool.auto_verified:
            rules.no_auto_verified()
            prediction = Prediction(False, reason="the pool verifies no attribute")
            next_step = NextStep.CONFIRM
    elif not data.matches:
        summary = _summary(None, False)
        addressable = False
        rules.not_found()
        prediction = Prediction(False, reason="no such user")
        next_step = NextStep.NONE
    elif len(data.matches) > 1:
        summary = _summary(None, True)
        rules.several(data.matches)
        prediction = Prediction(None, reason="several users match; choose one")
        next_step = NextStep.USE_USERNAME
    else:
        user = data.matches[0]
        summary = _summary(user, True)
        resolves = _resolves(user, data.pool)
        addressable = None if resolves is None else resolves and user.enabled
        prediction, next_step = _predict(rules, user, resolves)
    if rules.recent(user) and prediction.will_send:
        next_step = NextStep.WAIT
    return Diagnosis(
        identifier=data.identifier,
        user=summary,
        prediction=prediction,
        findings=tuple(rules.findings),
        checked=tuple(checked),
        not_checked=data.not_checked,
        next_step=next_step,
        addressable=addressable,
        client_can_simulate=client_can_simulate,
        matches=tuple(u.username for u in data.matches or ()) if data.matches else (),
    )


def _predict(rules: _Rules, user: UserRecord, resolves: bool | None) -> tuple[Prediction, NextStep]:
    pool = rules.data.pool
    if resolves is False and pool is not None:
        rules.alias(user, pool)
        # The real username would work; say where the code would then go.
        rules.status(user)
        return (
            Prediction(False, reason=f"use the username {user.username!r}"),
            NextStep.USE_USERNAME,
        )
    step = rules.status(user)
    if step is not None:
        reason = {
            NextStep.RESEND_INVITATION: "an administrator-created user needs the invitation resent",
            NextStep.NONE: "disabled" if not user.enabled else f"status is {user.status}",
        }[step]
        if user.status == "CONFIRMED" and user.enabled:
            reason = "already confirmed; the user can sign in"
        return Prediction(False, reason=reason), step
    if pool is None:
        return Prediction(None, reason="the pool's settings could not be read"), NextStep.RESEND
    prediction = rules.channel(user, pool)
    if prediction.will_send is False:
        return prediction, NextStep.CONFIRM
    return prediction, NextStep.RESEND
