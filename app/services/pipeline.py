"""The one resend pipeline: prepare (pure), then execute (the call, trigger notes, one write).

Every resend of the app goes through here: the CLI's `resend` and `batch`, the window,
the window's batches and the self-test. The public names:

- `app.services.credentials`: `CredentialResolver(keyring, sandbox=None)` with
  `.resolve(profile, session=None) -> ResolvedCredentials` (sandbox -> session-only ->
  keyring; the one error path) and `.stored_client_id(name) -> str | None`;
  `ResolvedCredentials(credentials, problem)`, `given(credentials)`, `CredentialSource`.
- `app.services.history_sink`: `HistorySink` (`append(attempt)`), `MemoryHistory`.
- here: `ResendPipeline(gateway, history, resolver, triggers=None)` with
  `.prepare(profile, raw, resolved, attempt=None) -> PreparedResend` (pure, no I/O, fine
  on the UI thread), `.execute(prepared) -> Attempt` (blocking: off the UI thread; never
  raises; writes the history exactly once), `.run(attempt, profile, raw, credentials=None)`
  (resolve + prepare + execute, blocking; what the CLI, batches and `ResendService` use);
  `PreparedResend(attempt, profile, request, refusal)`; `TriggerRuns` (`run_for`).
- `app.services.sandbox_profile`: `sandbox_target(info, client_name, presets) ->
  SandboxTarget(profile, credentials)`, `sandbox_credentials(info, client_name)`.
- `app.services.composition`: `Composition(settings)` builds the stack once, lazily;
  `StackSettings`.
- `app.services.resend_service.ResendService(gateway, secrets, history)`: a thin name for a
  keyring-backed `ResendPipeline`, kept for the callers that have not moved.
- `app.services.batch_check.check_batch_input(items, keep=, on_problem=) -> InputCheck`:
  the batch input check the CLI and the batch window share.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from app.core.attempts import begin_attempt
from app.core.errors import decode
from app.core.outcome import Attempt, DecodedFailure
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput, ResendRequest, validate
from app.core.secrets import compute_secret_hash
from app.core.verdict import judge
from app.services.credentials import CredentialResolver, ResolvedCredentials
from app.services.history_sink import HistorySink

if TYPE_CHECKING:
    from app.core.diagnosis_result import Diagnosis
    from app.sandbox.model import TriggerRun
    from app.services.cognito_gateway import CognitoGateway

logger = logging.getLogger(__name__)


class TriggerRuns(Protocol):
    """Finds the sandbox's local trigger run of one resend: `TriggerService`."""

    def run_for(self, sandbox_url: str, request_id: str) -> TriggerRun | None: ...


@dataclass(frozen=True)
class PreparedResend:
    """A resend ready to execute, or refused before anything was sent.

    `attempt` is PENDING (what a window shows while the call runs); `request` is the
    validated request with its SecretHash, None when `refusal` says why nothing is sent.
    """

    attempt: Attempt
    profile: Profile
    request: ResendRequest | None
    refusal: DecodedFailure | None = None
    # What decides the delivery verdict (core/verdict.py): the diagnosis it is sent under,
    # and the app client's PreventUserExistenceErrors where the caller knows it.
    diagnosis: Diagnosis | None = None
    client_can_simulate: bool | None = None

    def __post_init__(self) -> None:
        if (self.request is None) == (self.refusal is None):
            raise ValueError("exactly one of request and refusal is set")


def prepare_resend(
    profile: Profile,
    raw: ResendInput,
    resolved: ResolvedCredentials,
    attempt: Attempt | None = None,
) -> PreparedResend:
    """Validate, compute the SecretHash and build the PENDING attempt; pure and cheap.

    `attempt` is one already begun (a batch row carries its batch id); otherwise it is
    begun here from `profile` and `raw`.
    """
    creds = resolved.credentials
    if attempt is None:
        if creds is not None and profile.has_secret != (creds.client_secret is not None):
            # The record says whether a hash goes out, whatever the profile expected.
            profile = replace(profile, has_secret=creds.client_secret is not None)
        client_id = creds.client_id if creds is not None else raw.client_id
        attempt = begin_attempt(profile, raw, client_id=client_id)
    if creds is None:
        failure = decode("CredentialsUnavailable", resolved.problem or "")
        return PreparedResend(attempt, profile, None, failure)
    return _prepare_with(profile, raw, creds, attempt)


def _prepare_with(
    profile: Profile, raw: ResendInput, creds: ClientCredentials, attempt: Attempt
) -> PreparedResend:
    form = raw if raw.client_id == creds.client_id else replace(raw, client_id=creds.client_id)
    checked = validate(form)
    secret = creds.client_secret
    request = checked.request
    # The history shows what was sent (the trimmed username and client id) and whether a
    # hash went out. Copied only where that differs from the attempt as begun: an Attempt
    # copy costs ~7 us, and every resend used to make two of them here for nothing.
    client_id = request.client_id if request else creds.client_id.strip()
    username = request.username if request else attempt.username
    hashed = bool(secret)
    if (attempt.client_id, attempt.username, attempt.used_secret_hash) != (
        client_id, username, hashed
    ):
        attempt = replace(attempt, client_id=client_id, username=username, used_secret_hash=hashed)
    if request is None:
        detail = "; ".join(str(e) for e in checked.errors)
        logger.info("resend profile=%r refused before sending: %s", profile.name, detail)
        return PreparedResend(attempt, profile, None, decode("ParamValidation", detail))
    if secret:
        request = request.with_secret_hash(
            compute_secret_hash(request.username, request.client_id, secret)
        )
    return PreparedResend(attempt, profile, request)


def with_trigger_notes(triggers: TriggerRuns | None, profile: Profile, final: Attempt) -> Attempt:
    """`final` with the sandbox's local trigger run added to its notes, when one ran for it
    (a resend's CustomMessage_ResendCode, a sign-up's CustomMessage_SignUp)."""
    url, request_id = profile.endpoint_url, final.request_id
    if triggers is None or not profile.builtin or not url or request_id is None:
        return final
    try:
        run = triggers.run_for(url, request_id)
    except Exception:  # the call itself is done; its trigger details are a bonus
        logger.warning("could not read the trigger run of %s", request_id, exc_info=True)
        return final
    if run is None:
        return final
    from app.services.trigger_notes import trigger_run_notes

    notes = "\n\n".join(n for n in (final.notes, trigger_run_notes(run)) if n)
    return replace(final, notes=notes)


class ResendPipeline:
    """Runs resends end to end; `execute` blocks (call it off the UI thread), never raises."""

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

    def prepare(
        self,
        profile: Profile,
        raw: ResendInput,
        resolved: ResolvedCredentials,
        attempt: Attempt | None = None,
    ) -> PreparedResend:
        """See `prepare_resend`: pure, no I/O, safe on the UI thread."""
        return prepare_resend(profile, raw, resolved, attempt)

    def execute(self, prepared: PreparedResend) -> Attempt:
        """Send (unless refused), add the local trigger run's notes, record the final
        attempt once in the history and return it. Whatever goes wrong comes back as a
        failed attempt, never as an exception."""
        attempt = prepared.attempt
        try:
            final = self._send(prepared)
        except Exception as exc:  # the UI and the CLI rely on "never raises"
            logger.exception("resend profile=%r failed unexpectedly", prepared.profile.name)
            final = attempt.failed(decode("UnknownError", type(exc).__name__))
        self._record(final)
        return final

    def run(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        credentials: ClientCredentials | None = None,
        *,
        client_can_simulate: bool | None = None,
    ) -> Attempt:
        """Resolve, prepare and execute `attempt` in one blocking call; never raises.

        `credentials` are used as given (a session-only secret, the sandbox's client, a
        batch's credentials read once); otherwise the resolver finds them.
        """
        try:
            resolved = self._resolver.resolve(profile, credentials)
            prepared = self.prepare(profile, raw, resolved, attempt)
            if client_can_simulate is not None:
                prepared = replace(prepared, client_can_simulate=client_can_simulate)
        except Exception as exc:  # same promise as execute: an attempt, never a traceback
            logger.exception("resend profile=%r failed unexpectedly", profile.name)
            final = attempt.failed(decode("UnknownError", type(exc).__name__))
            self._record(final)
            return final
        return self.execute(prepared)

    def _send(self, prepared: PreparedResend) -> Attempt:
        if prepared.request is None:
            assert prepared.refusal is not None
            return prepared.attempt.failed(prepared.refusal)
        final = self._gateway.send(prepared.attempt, prepared.request)
        final = judge(final, prepared.diagnosis, client_can_simulate=prepared.client_can_simulate)
        return with_trigger_notes(self._triggers, prepared.profile, final)

    def _record(self, final: Attempt) -> None:
        record(self._history, final)


def record(history: HistorySink, final: Attempt) -> None:
    """The one history write of a finished attempt; a failed write is logged, not raised."""
    try:
        history.append(final)
    except Exception:  # a full disk must not hide the outcome of the call itself
        logger.exception("could not record attempt %s in the history", final.attempt_id)
