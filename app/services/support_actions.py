"""The support actions: resend an invitation, confirm without a code; each one in the history."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from app.core.diagnosis_input import LookupKey, UserRecord
from app.core.masking import mask_destination
from app.core.outcome import (
    Attempt,
    AttemptKind,
    DecodedFailure,
    DeliveryDetails,
    DeliveryMedium,
    DeliveryVerdict,
)
from app.services.admin_reader import AdminReader, AdminReadError
from app.services.aws_session import AdminTarget

logger = logging.getLogger(__name__)

MARKABLE = ("email", "phone_number")


class AttemptSink(Protocol):
    """Where a finished action is recorded (the history store, or a buffer of it)."""

    def append(self, attempt: Attempt) -> None: ...


@dataclass(frozen=True)
class ActionPlan:
    """What an action will change, in words, for the confirmation prompt."""

    title: str
    changes: tuple[str, ...]
    warning: str = ""

    def text(self) -> str:
        lines = [self.title, *(f"- {c}" for c in self.changes)]
        if self.warning:
            lines.append(self.warning)
        return "\n".join(lines)


def plan_resend_invitation(target: AdminTarget, username: str) -> ActionPlan:
    return ActionPlan(
        f"Resend the invitation to {username!r} in {target.pool_id}",
        (
            "AdminCreateUser with MessageAction=RESEND: Cognito sends the invitation again "
            "with a new temporary password; the old temporary password stops working.",
        ),
    )


def plan_confirm(target: AdminTarget, username: str, mark_verified: str | None) -> ActionPlan:
    changes = [
        f"AdminConfirmSignUp: {username!r} in {target.pool_id} becomes CONFIRMED without a "
        "code and can sign in."
    ]
    warning = ""
    if mark_verified:
        changes.append(
            f"AdminUpdateUserAttributes: {mark_verified}_verified is set to true, so "
            f"password reset can reach the user's {mark_verified}."
        )
    else:
        warning = (
            "The email and phone stay unverified: 'Forgot password' cannot reach the user "
            "until one is verified."
        )
    return ActionPlan(f"Confirm {username!r} without a code", tuple(changes), warning)


class SupportActions:
    """Signed writes through the reader's `call`, never retried (a retried write may act
    twice); each action appends exactly one Attempt (kind ADMIN_RESEND_INVITATION or
    ADMIN_CONFIRM) to the sink."""

    def __init__(
        self,
        reader: AdminReader,
        history: AttemptSink,
    ) -> None:
        self._reader = reader
        self._history = history

    def _begin(self, target: AdminTarget, username: str, kind: AttemptKind) -> Attempt:
        return Attempt(
            profile=target.profile.name,
            username=username.strip(),
            client_id=target.client_id,
            region=target.region,
            endpoint_url=target.profile.endpoint_url or None,
            kind=kind,
        )

    def _fail(self, attempt: Attempt, failure: DecodedFailure) -> Attempt:
        return self._record(attempt.failed(failure))

    def _record(self, attempt: Attempt) -> Attempt:
        self._history.append(attempt)
        return attempt

    def _write(self, target: AdminTarget, action: str, call: Callable[[Any], Any]) -> Any:
        return self._reader.call(target, "cognito-idp", action, call, write=True)

    def _user(self, target: AdminTarget, username: str) -> UserRecord | None:
        users = self._reader.find(target, LookupKey.USERNAME, username)
        return users[0] if users else None

    def resend_invitation(self, target: AdminTarget, username: str) -> Attempt:
        """AdminCreateUser MessageAction=RESEND to the user's email and/or phone."""
        attempt = self._begin(target, username, AttemptKind.ADMIN_RESEND_INVITATION)
        try:
            user = self._user(target, attempt.username)
            # DesiredDeliveryMediums defaults to SMS alone; ask for what the user has.
            mediums = [
                m
                for m, present in (
                    ("EMAIL", user and user.email),
                    ("SMS", user and user.phone_number),
                )
                if present
            ] or ["EMAIL"]
            answer = self._write(
                target,
                "AdminCreateUser",
                lambda c: c.admin_create_user(
                    UserPoolId=target.pool_id,
                    Username=attempt.username,
                    MessageAction="RESEND",
                    DesiredDeliveryMediums=mediums,
                ),
            )
        except AdminReadError as exc:
            return self._fail(attempt, exc.failure)
        meta = answer.get("ResponseMetadata") or {}
        attribute = "email" if mediums[0] == "EMAIL" else "phone_number"
        value = (user.value(attribute) if user else None) or ""
        delivery = DeliveryDetails(
            destination=mask_destination(attribute, value) if value else "",
            medium=DeliveryMedium(mediums[0]),
            attribute_name=attribute,
        )
        done = attempt.delivered(
            delivery, request_id=meta.get("RequestId"), http_status=meta.get("HTTPStatusCode")
        )
        # AdminCreateUser answers an unknown user with an error, never a made-up delivery.
        return self._record(replace(done, verdict=DeliveryVerdict.DELIVERED))

    def confirm(
        self, target: AdminTarget, username: str, mark_verified: str | None = None
    ) -> Attempt:
        """AdminConfirmSignUp, then (optionally) <attribute>_verified=true."""
        if mark_verified is not None and mark_verified not in MARKABLE:
            raise ValueError(f"mark_verified must be one of {', '.join(MARKABLE)}")
        attempt = self._begin(target, username, AttemptKind.ADMIN_CONFIRM)
        try:
            answer = self._write(
                target,
                "AdminConfirmSignUp",
                lambda c: c.admin_confirm_sign_up(
                    UserPoolId=target.pool_id, Username=attempt.username
                ),
            )
        except AdminReadError as exc:
            return self._fail(attempt, exc.failure)
        notes = "Confirmed with AdminConfirmSignUp."
        if mark_verified:
            try:
                self._write(
                    target,
                    "AdminUpdateUserAttributes",
                    lambda c: c.admin_update_user_attributes(
                        UserPoolId=target.pool_id,
                        Username=attempt.username,
                        UserAttributes=[{"Name": f"{mark_verified}_verified", "Value": "true"}],
                    ),
                )
                notes += f" {mark_verified} marked verified (AdminUpdateUserAttributes)."
            except AdminReadError as exc:
                notes += (
                    f" Marking {mark_verified} verified failed: {exc.failure.title} — "
                    f"{exc.failure.remedy}"
                )
        else:
            notes += " Email and phone stay unverified: password reset cannot reach the user."
        meta = answer.get("ResponseMetadata") or {}
        # SUCCEEDED, not DELIVERED: AdminConfirmSignUp sends nothing.
        done = attempt.succeeded(
            request_id=meta.get("RequestId"), http_status=meta.get("HTTPStatusCode")
        )
        return self._record(replace(done, notes=notes))
