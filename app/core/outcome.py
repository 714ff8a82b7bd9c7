"""What one resend produced: delivery details, a decoded failure, and the attempt record."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum


class DeliveryMedium(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


class FailureKind(StrEnum):
    """Where a failure came from; decides the CLI exit code and whether retrying helps."""

    SERVICE = "service"  # Cognito answered with an error
    NETWORK = "network"  # endpoint unreachable, timeout, TLS, DNS, malformed answer
    INPUT = "input"  # refused before sending (validation, no region, bad endpoint URL)
    CREDENTIALS = "credentials"  # client id/secret could not be read (keyring)


class AttemptKind(StrEnum):
    """Which call an attempt records; the history keeps and filters them all."""

    RESEND = "resend"  # ResendConfirmationCode
    SIGNUP = "signup"  # SignUp
    CONFIRM = "confirm"  # ConfirmSignUp
    ADMIN_RESEND_INVITATION = "admin_resend_invitation"  # AdminCreateUser MessageAction=RESEND
    ADMIN_CONFIRM = "admin_confirm"  # AdminConfirmSignUp


class DeliveryVerdict(StrEnum):
    """How sure a delivery is: Cognito answers the same whether it sent a code or not when
    the app client prevents user-existence errors, so the diagnosis decides which it was."""

    DELIVERED = "delivered"  # the user exists and can receive it
    SIMULATED = "simulated"  # no such (or a disabled) user: nothing was sent
    MAYBE_SIMULATED = "may_be_simulated"  # the client can simulate and it was not ruled out


class Severity(StrEnum):
    """How a decoded failure reads: most are errors; some only say the goal already holds."""

    ERROR = "error"
    INFO = "info"  # e.g. "already confirmed": nothing was sent, and nothing is wrong


class Status(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    # The call succeeded with nothing to deliver: a confirmation, or a sign-up the pool
    # confirmed at once (SignUp's UserConfirmed true, no CodeDeliveryDetails).
    SUCCEEDED = "succeeded"


SIMULATED_DELIVERY_CAUTION = (
    "This may be a simulated delivery: when the app client prevents user-existence "
    "errors, Cognito answers an unknown username with made-up delivery details and "
    "sends nothing."
)


@dataclass(frozen=True)
class DiagnosisSnapshot:
    """What the diagnosis said when the attempt was sent (finding codes, not their text)."""

    summary: str
    user_found: bool | None = None
    addressable: bool | None = None
    client_can_simulate: bool | None = None
    will_send: bool | None = None
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeliveryDetails:
    """CodeDeliveryDetails as Cognito returned them (Destination is masked by Cognito)."""

    destination: str
    medium: DeliveryMedium | None
    attribute_name: str


@dataclass(frozen=True)
class DecodedFailure:
    """A failure explained: catalog title, cause and remedy, with AWS's words kept verbatim."""

    code: str
    title: str
    cause: str
    remedy: str
    kind: FailureKind
    aws_message: str = ""
    request_id: str | None = None
    http_status: int | None = None
    retryable: bool = False
    severity: Severity = Severity.ERROR


# Attempt ids: random version-4 UUIDs (hex) from a private PRNG seeded from os.urandom
# (and again in a forked child). uuid4() reads os.urandom for every id, which releases the
# GIL: in a batch, each id then waited for the GIL behind the worker threads (measured:
# ~100 us per id under cProfile, vs ~1.5 us for this). Unique, not secret: an id is no
# credential, and 122 random bits per process make collisions negligible.
_ids = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _ids.seed(os.urandom(32)))
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_attempt_id() -> str:
    return f"{(_ids.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET:032x}"


def utc_now() -> datetime:
    return datetime.now(UTC)


_SUCCESS_LABELS = {
    AttemptKind.CONFIRM: "Confirmed",
    AttemptKind.SIGNUP: "Signed up",
    AttemptKind.ADMIN_CONFIRM: "Confirmed",
}


@dataclass(frozen=True)
class Attempt:
    """One resend as the history keeps it. Never holds the client secret or the SecretHash."""

    profile: str
    username: str
    client_id: str
    region: str
    endpoint_url: str | None = None
    client_metadata: tuple[tuple[str, str], ...] = ()
    analytics_endpoint_id: str = ""
    ip_address: str = ""
    encoded_data: str = ""
    used_secret_hash: bool = False
    status: Status = Status.PENDING
    delivery: DeliveryDetails | None = None
    failure: DecodedFailure | None = None
    request_id: str | None = None
    http_status: int | None = None
    started_at: datetime = field(default_factory=utc_now)
    finished_at: datetime | None = None
    latency_ms: float | None = None
    retries: int = 0
    batch_id: str | None = None
    attempt_id: str = field(default_factory=new_attempt_id)
    # Free-form extra detail a producer wants shown (e.g. a local trigger's output).
    notes: str = ""
    kind: AttemptKind = AttemptKind.RESEND
    # Set on DELIVERED attempts where the delivery's reality could be judged (or not).
    verdict: DeliveryVerdict | None = None
    diagnosis: DiagnosisSnapshot | None = None
    # SIGNUP: the UserAttributes sent (name, value), in order. Not secret: the password
    # is never part of an Attempt.
    user_attributes: tuple[tuple[str, str], ...] = ()
    # CONFIRM: the code tried (a one-time code, not a secret; the history must show which
    # code was refused).
    confirmation_code: str = ""

    @property
    def outcome_label(self) -> str:
        """Delivered, Simulated, Pending, or the failure's short title (the Outcome column)."""
        if self.status is Status.DELIVERED:
            if self.kind is AttemptKind.ADMIN_RESEND_INVITATION:
                return "Invitation sent"
            return "Simulated" if self.verdict is DeliveryVerdict.SIMULATED else "Delivered"
        if self.status is Status.PENDING:
            return "Pending…"
        if self.status is Status.SUCCEEDED:
            return _SUCCESS_LABELS.get(self.kind, "Succeeded")
        return self.failure.title if self.failure else "Failed"

    def _finished(
        self,
        status: Status,
        delivery: DeliveryDetails | None,
        failure: DecodedFailure | None,
        request_id: str | None,
        http_status: int | None,
        retries: int,
        finished_at: datetime | None,
    ) -> Attempt:
        end = finished_at or utc_now()
        return replace(
            self,
            status=status,
            delivery=delivery,
            failure=failure,
            request_id=request_id,
            http_status=http_status,
            finished_at=end,
            latency_ms=(end - self.started_at).total_seconds() * 1000.0,
            retries=retries,
        )

    def succeeded(
        self,
        *,
        request_id: str | None,
        http_status: int | None,
        retries: int = 0,
        finished_at: datetime | None = None,
    ) -> Attempt:
        """The call succeeded and delivered nothing (a confirmation, an auto-confirmed sign-up)."""
        return self._finished(
            Status.SUCCEEDED, None, None, request_id, http_status, retries, finished_at
        )

    def delivered(
        self,
        delivery: DeliveryDetails,
        *,
        request_id: str | None,
        http_status: int | None,
        retries: int = 0,
        finished_at: datetime | None = None,
    ) -> Attempt:
        return self._finished(
            Status.DELIVERED, delivery, None, request_id, http_status, retries, finished_at
        )

    def failed(
        self,
        failure: DecodedFailure,
        *,
        retries: int = 0,
        finished_at: datetime | None = None,
    ) -> Attempt:
        return self._finished(
            Status.FAILED,
            None,
            failure,
            failure.request_id,
            failure.http_status,
            retries,
            finished_at,
        )
