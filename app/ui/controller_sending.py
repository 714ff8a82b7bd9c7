"""Controller sending: credentials, the PENDING attempt, the call, the trigger run's notes."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.ui.controller_base import ControllerPart
from app.ui.controller_types import SendRequest

log = logging.getLogger(__name__)


class SendingMixin(ControllerPart):
    """One resend: resolve credentials, register the attempt, run it in a worker thread."""

    def send(self, request: SendRequest) -> asyncio.Task[Attempt | None]:
        """Start one resend and resolve to its final attempt (None if it never started)."""

        async def whole() -> Attempt | None:
            finishing = await self.begin_send(request)
            return await finishing if finishing is not None else None

        return self._spawn(whole())

    async def begin_send(self, request: SendRequest) -> asyncio.Task[Attempt] | None:
        """Resolve credentials and register the PENDING attempt (`attempt_started`).

        Returns as soon as the attempt is pending, with the task that finishes it, so the
        Send button is free again while the call is in flight.
        """
        if not self.ready or self._resend is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return None
        profile = self.profile(request.profile_name)
        if profile is None:
            self.problem_reported.emit(
                "No such profile", f"Profile “{request.profile_name}” no longer exists."
            )
            return None
        creds = request.session_credentials
        failure: str | None = None
        if profile.builtin and self._sandbox is not None:
            creds = self._sandbox.credentials(self._sandbox_client)
        elif creds is None:
            creds, failure = await self._blocking(self._keyring_credentials, profile.name)
        raw = replace(request.raw, client_id=creds.client_id if creds else "")
        if creds is not None:
            profile = replace(profile, has_secret=bool(creds.client_secret))
        attempt = self._factories.begin_attempt(profile, raw, client_id=raw.client_id)
        self.attempt_started.emit(attempt)
        return self._spawn(self._finish_send(attempt, profile, raw, creds, failure), send=True)

    async def _finish_send(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        creds: ClientCredentials | None,
        failure: str | None,
    ) -> Attempt:
        assert self._resend is not None
        try:
            if creds is None:
                final = attempt.failed(decode("CredentialsUnavailable", failure or ""))
                if self._history is not None:
                    await self._blocking(self._history.append, final)
            else:
                final = await self._blocking(self._resend.run, attempt, profile, raw, creds)
        except asyncio.CancelledError:
            # The worker thread still finishes (short timeouts) and the service records it.
            self.attempt_finished.emit(attempt.failed(decode("Cancelled")))
            raise
        except Exception as exc:
            log.exception("resend crashed")
            final = attempt.failed(decode("UnknownError", f"{type(exc).__name__}: {exc}"))
        if profile.builtin and final.request_id:
            try:
                final = await self._with_trigger_notes(final)
            except asyncio.CancelledError:
                self.attempt_finished.emit(final)
                raise
        self.attempt_finished.emit(final)
        if profile.builtin:
            self.refresh_inbox()
        return final

    async def credentials_for(
        self, profile: Profile, session_credentials: ClientCredentials | None = None
    ) -> tuple[ClientCredentials | None, str | None]:
        """A profile's client id/secret, as a single send gets them: the sandbox's client for
        the built-in profile, typed session credentials, else the keyring (off the UI thread).
        Returns (credentials, None) or (None, why not)."""
        if profile.builtin and self._sandbox is not None:
            return self._sandbox.credentials(self._sandbox_client), None
        if session_credentials is not None:
            return session_credentials, None
        if self._secrets is None:
            return None, "Services are still starting; try again."
        return await self._blocking(self._keyring_credentials, profile.name)

    def _keyring_credentials(self, name: str) -> tuple[ClientCredentials | None, str | None]:
        assert self._secrets is not None
        from app.services.secret_store import SecretStoreError

        try:
            return self._secrets.load(name), None
        except SecretStoreError as exc:
            return None, str(exc)

    async def _with_trigger_notes(self, final: Attempt) -> Attempt:
        """`final` with its local trigger run (duration, exit status, output) in `notes`,
        stored again in the history; unchanged when no trigger ran or the lookup fails."""
        info, history = self._sandbox_info, self._history
        if info is None or final.request_id is None or self._factories.trigger is None:
            return final
        request_id, url = final.request_id, info.endpoint_url

        def work() -> Attempt:
            from app.services.trigger_notes import trigger_run_notes

            service = self._trigger_service()
            run = service.run_for(url, request_id) if service is not None else None
            if run is None:
                return final
            noted = replace(final, notes=trigger_run_notes(run))
            if history is not None:
                history.append(noted)  # replaces the row the resend service wrote
            return noted

        try:
            return await self._blocking(work)
        except Exception:  # the send itself is done; its trigger details are a bonus
            log.warning("could not read the trigger run of %s", request_id, exc_info=True)
            return final
