"""A plain-text account of one attempt, for the details panel, the CLI and support tickets."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.advice import from_aws, remedy_for
from app.core.outcome import Attempt, AttemptKind, Severity, Status
from app.core.verdict import delivery_note

# The API operation each kind of attempt calls.
_OPERATIONS = {
    AttemptKind.RESEND: "ResendConfirmationCode",
    AttemptKind.SIGNUP: "SignUp",
    AttemptKind.CONFIRM: "ConfirmSignUp",
    AttemptKind.ADMIN_RESEND_INVITATION: "AdminCreateUser (MessageAction RESEND)",
    AttemptKind.ADMIN_CONFIRM: "AdminConfirmSignUp",
}


def _when(value: datetime) -> str:
    # Naive times are shown as they are; aware ones in UTC so two machines agree.
    if value.tzinfo is None:
        return value.isoformat(sep=" ", timespec="seconds")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _outcome(a: Attempt) -> str:
    if a.status is Status.PENDING:
        return "Pending (no answer yet)"
    if a.failure is not None and a.failure.severity is Severity.INFO:
        return f"{a.outcome_label} (information: nothing is wrong)"
    return a.outcome_label


def describe_attempt(a: Attempt) -> str:
    """Outcome first, then what Cognito said (delivery or the explained failure), then the
    request as sent. The client secret and SecretHash are never part of an Attempt, so
    they cannot appear here; only whether a hash was sent."""
    lines = [f"Outcome: {_outcome(a)}"]

    if a.status is Status.DELIVERED and a.delivery is not None:
        d = a.delivery
        lines.append(f"Sent by: {d.medium.value if d.medium else 'unknown medium'}")
        lines.append(f"Destination: {d.destination or '(not given)'}")
        if d.attribute_name:
            lines.append(f"Attribute: {d.attribute_name}")
        # Only a resend can be simulated (SignUp creates the user), and only where the
        # client can simulate and it was not ruled out (core/verdict.py).
        note = delivery_note(a)
        if note:
            lines.append(f"Note: {note}")
    elif a.status is Status.SUCCEEDED and a.kind is AttemptKind.CONFIRM:
        lines.append("What happened: Cognito confirmed the sign-up; the user can sign in.")
    elif a.status is Status.FAILED and a.failure is not None:
        f = a.failure
        lines.append(f"What happened: {f.title}")
        lines.append(f"Why: {f.cause}")
        lines.append(f"What to do: {remedy_for(f, a.endpoint_url)}")
        if from_aws(f):
            lines.append(f"AWS message: {f.aws_message or '(none)'}")
        elif f.aws_message:
            lines.append(f"Details: {f.aws_message}")
        lines.append(f"Error code: {f.code}")
        lines.append("Retry: " + ("may help" if f.retryable else "not advised"))

    if a.diagnosis is not None:
        lines.append(f"Diagnosis when sent: {a.diagnosis.summary}")

    lines.append("")
    http_status = a.http_status
    request_id = a.request_id
    if a.failure is not None:
        # Attempt.failed copies these; a hand-built attempt may have them only here.
        http_status = http_status if http_status is not None else a.failure.http_status
        request_id = request_id or a.failure.request_id
    if http_status is not None:
        lines.append(f"HTTP status: {http_status}")
    if request_id:
        lines.append(f"Request ID: {request_id}")
    lines.append(f"Started: {_when(a.started_at)}")
    if a.latency_ms is not None:
        lines.append(f"Latency: {a.latency_ms:,.0f} ms")
    if a.retries:
        lines.append(f"Automatic retries: {a.retries}")

    lines.append("")
    lines.append(f"Call: {_OPERATIONS[a.kind]}")
    lines.append(f"Profile: {a.profile}")
    lines.append(f"Username: {a.username}")
    if a.user_attributes:
        lines.append("User attributes: " + ", ".join(f"{n}={v}" for n, v in a.user_attributes))
    if a.confirmation_code:
        lines.append(f"Confirmation code: {a.confirmation_code}")
    lines.append(f"Client ID: {a.client_id}")
    lines.append(f"Region: {a.region or '(none)'}")
    if a.endpoint_url:
        lines.append(f"Endpoint: {a.endpoint_url}")
    lines.append("SecretHash: " + ("sent" if a.used_secret_hash else "not used"))
    if a.client_metadata:
        keys = ", ".join(k for k, _ in a.client_metadata)
        lines.append(f"Client metadata keys: {keys}")
    if a.analytics_endpoint_id:
        lines.append(f"Analytics endpoint ID: {a.analytics_endpoint_id}")
    if a.ip_address:
        lines.append(f"IP address: {a.ip_address}")
    if a.encoded_data:
        lines.append(f"Encoded data: {len(a.encoded_data):,} characters")
    if a.batch_id:
        lines.append(f"Batch: {a.batch_id}")
    lines.append(f"Attempt ID: {a.attempt_id}")
    if a.notes:
        lines.extend(["", a.notes])
    return "\n".join(lines)
