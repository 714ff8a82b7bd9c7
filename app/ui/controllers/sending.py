"""The sending controller: one resend from the form, its PENDING attempt, the call off-thread."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.sandbox import SandboxController
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.types import SendRequest

log = logging.getLogger(__name__)


class SendingController(QObject):
    """Resolves credentials, registers the attempt, runs the call in a worker thread."""

    attempt_started = Signal(object)  # Attempt (PENDING)
    attempt_finished = Signal(object)  # Attempt (DELIVERED or FAILED)
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(
        self,
        session: Session,
        profiles: ProfilesController,
        sandbox: SandboxController,
        tasks: TaskGroup,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._profiles = profiles
        self._sandbox = sandbox
        self._tasks = tasks

    @property
    def in_flight(self) -> int:
        return self._tasks.in_flight

    def send(self, request: SendRequest) -> asyncio.Task[Attempt | None]:
        """Start one resend and resolve to its final attempt (None if it never started)."""

        async def whole() -> Attempt | None:
            finishing = await self.begin_send(request)
            return await finishing if finishing is not None else None

        return self._tasks.spawn(whole())

    async def begin_send(self, request: SendRequest) -> asyncio.Task[Attempt] | None:
        """Resolve credentials and register the PENDING attempt (`attempt_started`).

        Returns as soon as the attempt is pending, with the task that finishes it, so the
        Send button is free again while the call is in flight.
        """
        session = self._session
        if not session.ready or session.resend is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return None
        profile = self._profiles.profile(request.profile_name)
        if profile is None:
            self.problem_reported.emit(
                "No such profile", f"Profile “{request.profile_name}” no longer exists."
            )
            return None
        creds, failure = await session.credentials_for(profile, request.session_credentials)
        raw = replace(request.raw, client_id=creds.client_id if creds else "")
        if creds is not None:
            profile = replace(profile, has_secret=bool(creds.client_secret))
        attempt = session.factories.begin_attempt(profile, raw, client_id=raw.client_id)
        self.attempt_started.emit(attempt)
        finish = self._finish_send(attempt, profile, raw, creds, failure)
        return self._tasks.spawn(finish, send=True)

    async def _finish_send(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        creds: ClientCredentials | None,
        failure: str | None,
    ) -> Attempt:
        resend, history = self._session.resend, self._session.history
        assert resend is not None
        try:
            if creds is None:
                final = attempt.failed(decode("CredentialsUnavailable", failure or ""))
                if history is not None:
                    await self._tasks.blocking(history.append, final)
            else:
                final = await self._tasks.blocking(resend.run, attempt, profile, raw, creds)
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
            self._sandbox.refresh_inbox()
        return final

    async def _with_trigger_notes(self, final: Attempt) -> Attempt:
        """`final` with its local trigger run (duration, exit status, output) in `notes`,
        stored again in the history; unchanged when no trigger ran or the lookup fails."""
        session = self._session
        info, history = session.sandbox_info, session.history
        if info is None or final.request_id is None or session.factories.trigger is None:
            return final
        request_id, url = final.request_id, info.endpoint_url

        def work() -> Attempt:
            from app.services.trigger_notes import trigger_run_notes

            service = session.trigger_service()
            run = service.run_for(url, request_id) if service is not None else None
            if run is None:
                return final
            noted = replace(final, notes=trigger_run_notes(run))
            if history is not None:
                history.append(noted)  # replaces the row the resend service wrote
            return noted

        try:
            return await self._tasks.blocking(work)
        except Exception:  # the send itself is done; its trigger details are a bonus
            log.warning("could not read the trigger run of %s", request_id, exc_info=True)
            return final
