"""Sign-ups and confirmations: prepare (pure), then execute (the unsigned call, one write).

The same shape as the resend pipeline (app/services/pipeline.py): `prepare_signup` and
`prepare_confirm` validate, compute the SecretHash from the profile's secret and begin
the PENDING attempt of its kind, with no I/O; `execute` sends through the one gateway
(its client, timeouts, retries and decoding) and writes the history exactly once.
The password and the SecretHash live only in the prepared call, never in the attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

from app.core.errors import decode
from app.core.outcome import Attempt, DecodedFailure
from app.core.profile import ClientCredentials, Profile
from app.core.request import FieldError, ResendInput, ResendRequest
from app.core.secrets import Secret, compute_secret_hash
from app.core.signup import (
    ConfirmInput,
    SignUpInput,
    validate_confirm,
    validate_signup,
)
from app.core.signup_attempts import begin_confirm, begin_signup
from app.services.credentials import CredentialResolver, ResolvedCredentials
from app.services.history_sink import HistorySink
from app.services.pipeline import TriggerRuns, record, with_trigger_notes
from app.services.signup_calls import confirm_call, signup_call

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway, UnsignedCall

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedCall:
    """A sign-up or confirmation ready to execute, or refused before anything was sent.

    `attempt` is PENDING; `call` holds the parameters (password, SecretHash) and is None
    when `refusal` says why nothing is sent.
    """

    attempt: Attempt
    profile: Profile
    call: UnsignedCall | None
    refusal: DecodedFailure | None = None

    def __post_init__(self) -> None:
        if (self.call is None) == (self.refusal is None):
            raise ValueError("exactly one of call and refusal is set")


class _Checked(Protocol):
    """What SignUpRequest and ConfirmRequest share: the common fields and the hash."""

    @property
    def common(self) -> ResendRequest: ...

    def with_secret_hash(self, secret_hash: Secret | None) -> Self: ...


_R = TypeVar("_R", bound=_Checked)


def _finish(
    profile: Profile,
    attempt: Attempt,
    creds: ClientCredentials,
    request: _R | None,
    errors: tuple[FieldError, ...],
    to_call: Callable[[_R], UnsignedCall],
) -> PreparedCall:
    if request is None:
        detail = "; ".join(str(e) for e in errors)
        logger.info("%s profile=%r refused before sending: %s", attempt.kind, profile.name, detail)
        refused = replace(attempt, client_id=creds.client_id.strip())
        return PreparedCall(refused, profile, None, decode("ParamValidation", detail))
    common = request.common
    if creds.client_secret:
        request = request.with_secret_hash(
            compute_secret_hash(common.username, common.client_id, creds.client_secret)
        )
    # The history shows what was sent: the trimmed username and client id, and whether
    # a hash went out (whatever the profile expected).
    attempt = replace(
        attempt,
        username=common.username,
        client_id=common.client_id,
        used_secret_hash=bool(creds.client_secret),
    )
    return PreparedCall(attempt, profile, to_call(request))


def _unavailable(attempt: Attempt, profile: Profile, resolved: ResolvedCredentials) -> PreparedCall:
    failure = decode("CredentialsUnavailable", resolved.problem or "")
    return PreparedCall(attempt, profile, None, failure)


def _with_client_id(common: ResendInput, resolved: ResolvedCredentials) -> ResendInput:
    creds = resolved.credentials
    return replace(common, client_id=creds.client_id) if creds is not None else common


def prepare_signup(
    profile: Profile, raw: SignUpInput, resolved: ResolvedCredentials, *, generated: bool = False
) -> PreparedCall:
    """Validate a sign-up, compute its SecretHash and begin its attempt; pure and cheap.

    `generated` records (in the attempt's notes) that the password was generated.
    """
    raw = replace(raw, common=_with_client_id(raw.common, resolved))
    attempt = begin_signup(profile, raw, generated=generated)
    if resolved.credentials is None:
        return _unavailable(attempt, profile, resolved)
    checked = validate_signup(raw)
    return _finish(
        profile, attempt, resolved.credentials, checked.request, checked.errors, signup_call
    )


def prepare_confirm(
    profile: Profile, raw: ConfirmInput, resolved: ResolvedCredentials
) -> PreparedCall:
    """Validate a confirmation, compute its SecretHash and begin its attempt; pure and cheap."""
    raw = replace(raw, common=_with_client_id(raw.common, resolved))
    attempt = begin_confirm(profile, raw)
    if resolved.credentials is None:
        return _unavailable(attempt, profile, resolved)
    checked = validate_confirm(raw)
    return _finish(
        profile, attempt, resolved.credentials, checked.request, checked.errors, confirm_call
    )


class SignUpPipeline:
    """Runs sign-ups and confirmations end to end; `execute` blocks (off the UI thread)
    and never raises."""

    def __init__(
        self,
        gateway: CognitoGateway,
        history: HistorySink,
        resolver: CredentialResolver,
        triggers: TriggerRuns | None = None,
    ) -> None:
        self._gateway = gateway
        self._history = history
        self._resolver = resolver
        self._triggers = triggers

    @property
    def resolver(self) -> CredentialResolver:
        return self._resolver

    def execute(self, prepared: PreparedCall) -> Attempt:
        """Send (unless refused), record the final attempt once and return it."""
        try:
            if prepared.call is None:
                assert prepared.refusal is not None
                final = prepared.attempt.failed(prepared.refusal)
            else:
                final = self._gateway.call(prepared.attempt, prepared.call)
                # The sandbox's local trigger ran for a sign-up (CustomMessage_SignUp).
                final = with_trigger_notes(self._triggers, prepared.profile, final)
        except Exception as exc:  # the UI and the CLI rely on "never raises"
            logger.exception("%s profile=%r failed unexpectedly", prepared.attempt.kind,
                             prepared.profile.name)  # fmt: skip
            final = prepared.attempt.failed(decode("UnknownError", type(exc).__name__))
        record(self._history, final)
        return final

    def sign_up(
        self,
        profile: Profile,
        raw: SignUpInput,
        credentials: ClientCredentials | None = None,
        *,
        generated: bool = False,
    ) -> Attempt:
        """Resolve, prepare and execute one sign-up (blocking; never raises)."""
        resolved = self._resolver.resolve(profile, credentials)
        return self.execute(prepare_signup(profile, raw, resolved, generated=generated))

    def confirm(
        self, profile: Profile, raw: ConfirmInput, credentials: ClientCredentials | None = None
    ) -> Attempt:
        """Resolve, prepare and execute one confirmation (blocking; never raises)."""
        resolved = self._resolver.resolve(profile, credentials)
        return self.execute(prepare_confirm(profile, raw, resolved))
