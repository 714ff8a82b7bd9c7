"""The exact delivery verdict of a resend: delivered, simulated, or may be simulated."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from app.core.outcome import (
    SIMULATED_DELIVERY_CAUTION,
    Attempt,
    AttemptKind,
    DeliveryVerdict,
    DiagnosisSnapshot,
    Status,
)

if TYPE_CHECKING:
    # Only the type: every resend judges its delivery, few come with a diagnosis, and the
    # diagnosis modules cost a one-shot resend ~6 ms to import.
    from app.core.diagnosis_result import Diagnosis

SIMULATED_NOTE = (
    "Simulated — nothing was sent: the app client prevents user-existence errors, and "
    "Cognito answered for a user it does not know (or a disabled user, or an email that is "
    "not a verified alias) with made-up delivery details."
)


def delivery_verdict(client_can_simulate: bool | None, addressable: bool | None) -> DeliveryVerdict:
    """How sure a Cognito "delivered" answer is.

    Only a client with PreventUserExistenceErrors ENABLED answers with made-up delivery
    details (developer guide, managing user-existence errors), so a LEGACY client's
    delivery is real. Otherwise the diagnosis decides: the identifier resolved to an
    enabled user (delivered) or not (simulated: LEGACY would have answered
    UserNotFoundException, so a delivery answer for it can only be a made-up one).
    """
    if client_can_simulate is False or addressable is True:
        return DeliveryVerdict.DELIVERED
    if addressable is False:
        return DeliveryVerdict.SIMULATED
    return DeliveryVerdict.MAYBE_SIMULATED


def snapshot(diagnosis: Diagnosis) -> DiagnosisSnapshot:
    """The part of a diagnosis an attempt keeps (codes and a one-line summary; no PII
    beyond the masked destination)."""
    user = diagnosis.user
    if user.found is None:
        who = "user not checked"
    elif not user.found:
        who = "no such user"
    elif user.username is None:
        who = f"{len(diagnosis.matches)} matching users"
    else:
        state = "enabled" if user.enabled else "disabled"
        who = f"{user.username} {user.status}, {state}"
    summary = f"{who}; {diagnosis.prediction.reason}" if diagnosis.prediction.reason else who
    return DiagnosisSnapshot(
        summary=summary,
        user_found=user.found,
        addressable=diagnosis.addressable,
        client_can_simulate=diagnosis.client_can_simulate,
        will_send=diagnosis.prediction.will_send,
        findings=tuple(f.code.value for f in diagnosis.findings),
    )


def judge(
    attempt: Attempt,
    diagnosis: Diagnosis | None = None,
    *,
    client_can_simulate: bool | None = None,
) -> Attempt:
    """The attempt with its verdict (delivered attempts only) and the diagnosis it was
    sent under. `client_can_simulate` is what the caller knows without a diagnosis (the
    sandbox knows its clients); a diagnosis's own knowledge wins."""
    can_simulate = client_can_simulate
    addressable: bool | None = None
    kept = attempt.diagnosis
    if diagnosis is not None:
        kept = snapshot(diagnosis)
        addressable = diagnosis.addressable
        if diagnosis.client_can_simulate is not None:
            can_simulate = diagnosis.client_can_simulate
    verdict = (
        delivery_verdict(can_simulate, addressable) if attempt.status is Status.DELIVERED else None
    )
    return replace(attempt, verdict=verdict, diagnosis=kept)


def delivery_note(attempt: Attempt) -> str | None:
    """What to add to a delivered attempt's account: the hedge only where it can apply."""
    if attempt.status is not Status.DELIVERED or attempt.kind is not AttemptKind.RESEND:
        return None  # only ResendConfirmationCode answers with made-up deliveries
    if attempt.verdict is DeliveryVerdict.DELIVERED:
        return None
    if attempt.verdict is DeliveryVerdict.SIMULATED:
        return SIMULATED_NOTE
    # MAYBE_SIMULATED, or an attempt recorded before verdicts existed.
    return SIMULATED_DELIVERY_CAUTION
