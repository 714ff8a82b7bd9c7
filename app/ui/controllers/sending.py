"""The sending controller: one resend from the form through the pipeline (prepare, execute)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.errors import decode
from app.core.outcome import Attempt
from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.sandbox import SandboxController
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.types import SendRequest

if TYPE_CHECKING:
    from app.core.diagnosis_result import Diagnosis
    from app.services.pipeline import PreparedResend, ResendPipeline

log = logging.getLogger(__name__)


class SendingController(QObject):
    """Prepares a resend on the UI thread, executes it in a worker thread."""

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
        *,
        diagnosis_for: Callable[[str, str], Diagnosis | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._profiles = profiles
        self._sandbox = sandbox
        self._tasks = tasks
        # The diagnosis shown for (profile, username): the send keeps it, and it decides
        # whether a delivery is real or simulated (core/verdict.py).
        self._diagnosis_for = diagnosis_for

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
        """Resolve credentials and prepare the resend; emit its PENDING attempt.

        Returns as soon as the attempt is pending, with the task that finishes it, so the
        Send button is free again while the call is in flight.
        """
        session = self._session
        pipeline = session.pipeline
        if not session.ready or pipeline is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return None
        profile = self._profiles.profile(request.profile_name)
        if profile is None:
            self.problem_reported.emit(
                "No such profile", f"Profile “{request.profile_name}” no longer exists."
            )
            return None
        resolved = await session.resolve(profile, request.session_credentials)
        # Pure and cheap (validation, SecretHash, the PENDING attempt): on the UI thread.
        prepared = self._with_verdict_basis(
            pipeline.prepare(profile, request.raw, resolved), request.profile_name
        )
        if request.diagnosis is not None:  # the support view's, for the account it sends to
            prepared = replace(prepared, diagnosis=request.diagnosis)
        self.attempt_started.emit(prepared.attempt)
        return self._tasks.spawn(self._finish_send(pipeline, prepared), send=True)

    def _with_verdict_basis(self, prepared: PreparedResend, profile_name: str) -> PreparedResend:
        diagnosis = (
            self._diagnosis_for(profile_name, prepared.attempt.username)
            if self._diagnosis_for is not None
            else None
        )
        can_simulate: bool | None = None
        info = self._session.sandbox_info
        if prepared.profile.builtin and info is not None:
            # The sandbox knows its clients' PreventUserExistenceErrors.
            client = info.client(self._session.sandbox_client)
            can_simulate = client.prevents_user_existence_errors
        return replace(prepared, diagnosis=diagnosis, client_can_simulate=can_simulate)

    async def _finish_send(self, pipeline: ResendPipeline, prepared: PreparedResend) -> Attempt:
        attempt = prepared.attempt
        try:
            # The call, the local trigger run's notes and the one history write.
            final = await self._tasks.blocking(pipeline.execute, prepared)
        except asyncio.CancelledError:
            # The worker thread still finishes (short timeouts) and the pipeline records it.
            self.attempt_finished.emit(attempt.failed(decode("Cancelled")))
            raise
        except Exception as exc:  # execute never raises; the executor itself might
            log.exception("resend crashed")
            final = attempt.failed(decode("UnknownError", f"{type(exc).__name__}: {exc}"))
        self.attempt_finished.emit(final)
        if prepared.profile.builtin:
            self._sandbox.refresh_inbox()
        return final
