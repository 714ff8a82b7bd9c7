"""The diagnosis rules: from a user, pool and client settings and recent attempts to findings.

The result types are in `diagnosis_result`, the pool's delivery rules in
`diagnosis_delivery`; this module decides who the user is and what comes next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from app.core.diagnosis_delivery import DeliveryRules
from app.core.diagnosis_input import Area, LookupKey, PoolSettings, UserRecord
from app.core.diagnosis_result import (
    Code,
    Diagnosis,
    DiagnosisInput,
    Findings,
    NextStep,
    Prediction,
    Severity,
    UserSummary,
)
from app.core.masking import mask_destination
from app.core.outcome import Attempt, AttemptKind, Status
from app.core.words import counted

# AWS publishes neither the per-user attempt limit nor its reset time; testers report
# about 5 rapid attempts (COGNITO.md, identity-js#548). Warn before the likely limit.
RECENT_WINDOW = timedelta(hours=1)
LIKELY_ATTEMPT_LIMIT = 5
WARN_AT_ATTEMPTS = 3


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
        self.findings = Findings()
        self.add = self.findings.add
        self.delivery = DeliveryRules(self.findings)

    # -- who the user is ---------------------------------------------------------------

    def simulated(self, why: str) -> None:
        client = self.data.client
        already = self.findings.has(Code.SIMULATED_DELIVERY)
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
            rules.delivery.no_auto_verified()
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
        findings=tuple(rules.findings.items),
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
    prediction = rules.delivery.channel(user, pool)
    if prediction.will_send is False:
        return prediction, NextStep.CONFIRM
    return prediction, NextStep.RESEND
