"""One resend from start to history: credentials, validation, SecretHash, the call, the record."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput, validate
from app.core.secrets import compute_secret_hash

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_store import HistoryStore

logger = logging.getLogger(__name__)


class CredentialSource(Protocol):
    """Where a profile's client ID and secret come from: `SecretStore` in the app.

    A protocol rather than the class so that a caller which always passes credentials
    (the CLI's sandbox path) need not import keyring at all.
    """

    def load(self, profile_name: str) -> ClientCredentials: ...


class ResendService:
    """Runs one resend end to end; blocking (call it off the UI thread); never raises."""

    def __init__(
        self, gateway: CognitoGateway, secrets: CredentialSource, history: HistoryStore
    ) -> None:
        self._gateway = gateway
        self._secrets = secrets
        self._history = history

    def run(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        credentials: ClientCredentials | None = None,
    ) -> Attempt:
        """Resend for `attempt` and record the final attempt in the history.

        `credentials` are used as given (a session-only secret, the sandbox's client);
        otherwise they are read from the keyring. Whatever goes wrong comes back as a
        failed attempt, never as an exception.
        """
        try:
            final = self._run(attempt, profile, raw, credentials)
        except Exception as exc:  # the UI and the CLI rely on "never raises"
            logger.exception("resend profile=%r failed unexpectedly", profile.name)
            final = attempt.failed(decode("UnknownError", type(exc).__name__))
        try:
            self._history.append(final)
        except Exception:  # a full disk must not hide the outcome of the call itself
            logger.exception("could not record attempt %s in the history", final.attempt_id)
        return final

    def _run(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        credentials: ClientCredentials | None,
    ) -> Attempt:
        if credentials is None:
            from app.services.secret_store import SecretStoreError

            try:
                credentials = self._secrets.load(profile.name)
            except SecretStoreError as exc:
                # The store's message names the profile and what to do; it holds no secret.
                return attempt.failed(decode("CredentialsUnavailable", str(exc)))
        checked = validate(replace(raw, client_id=credentials.client_id))
        secret = credentials.client_secret
        attempt = replace(
            attempt, client_id=credentials.client_id.strip(), used_secret_hash=bool(secret)
        )
        if checked.request is None:
            detail = "; ".join(str(e) for e in checked.errors)
            logger.info("resend profile=%r refused before sending: %s", profile.name, detail)
            return attempt.failed(decode("ParamValidation", detail))
        request = checked.request
        # The history shows what was sent: the trimmed username and client id.
        attempt = replace(attempt, username=request.username, client_id=request.client_id)
        if secret:
            request = request.with_secret_hash(
                compute_secret_hash(request.username, request.client_id, secret)
            )
        return self._gateway.send(attempt, request)
