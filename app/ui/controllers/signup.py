"""The sign-up controller: sign up a test user, confirm with a code; attempts of their kind."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.passwords import generate_password
from app.core.profile import ClientCredentials, Profile
from app.core.qa_users import qa_email, qa_username
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.core.signup import ConfirmInput, SignUpInput
from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.sandbox import SandboxController
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup

if TYPE_CHECKING:
    from app.services.credentials import ResolvedCredentials
    from app.services.signup_pipeline import PreparedCall, SignUpPipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QaUser:
    """The username and email a "Sign up a test user" proposes (the person may edit them),
    and the password the person typed, if any (None: one is generated at sign-up)."""

    username: str
    email: str
    password: Secret | None = field(default=None, repr=False, compare=False)


class SignUpController(QObject):
    """Prepares a sign-up or confirmation on the UI thread, executes it in a worker thread;
    the pipeline writes the history once. The same signals as a send, so the history and
    the in-flight count treat them alike."""

    attempt_started = Signal(object)  # Attempt (PENDING)
    attempt_finished = Signal(object)  # Attempt (final)
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

    def propose_test_user(self, profile_name: str, now: datetime | None = None) -> QaUser:
        """A unique username and, for a real pool, an address on the SES mailbox simulator
        (so QA runs never bounce); on the sandbox any example address."""
        profile = self._profiles.profile(profile_name)
        username = qa_username(now or datetime.now(UTC))
        builtin = profile is not None and profile.builtin
        return QaUser(username, qa_email(username, sandbox=builtin))

    async def newest_code(self, username: str) -> str | None:
        """The newest code the built-in sandbox sent `username` (the only valid one), if any."""
        sandbox = self._session.sandbox
        if sandbox is None:
            return None
        try:
            messages = await self._tasks.blocking(sandbox.inbox, username)
        except Exception:
            log.warning("could not read the sandbox inbox", exc_info=True)
            return None
        codes = [m.code for m in messages if m.code]
        return codes[-1] if codes else None

    def sign_up(
        self, profile_name: str, user: QaUser, typed: ClientCredentials | None = None
    ) -> asyncio.Task[Attempt | None]:
        """Sign `user` up with the password typed, or a generated one (kept nowhere: the
        test user's secret)."""
        from app.services.signup_pipeline import prepare_signup

        generated = user.password is None
        raw = SignUpInput(
            ResendInput("", user.username),
            password=generate_password() if user.password is None else user.password,
            user_attributes=[("email", user.email)] if user.email else [],
        )

        def prepare(profile: Profile, resolved: ResolvedCredentials) -> PreparedCall:
            return prepare_signup(profile, raw, resolved, generated=generated)

        return self._tasks.spawn(self._run(profile_name, prepare, typed), send=True)

    def confirm(
        self,
        profile_name: str,
        username: str,
        code: str,
        typed: ClientCredentials | None = None,
    ) -> asyncio.Task[Attempt | None]:
        from app.services.signup_pipeline import prepare_confirm

        raw = ConfirmInput(ResendInput("", username), confirmation_code=code)

        def prepare(profile: Profile, resolved: ResolvedCredentials) -> PreparedCall:
            return prepare_confirm(profile, raw, resolved)

        return self._tasks.spawn(self._run(profile_name, prepare, typed), send=True)

    async def _run(
        self,
        profile_name: str,
        prepare: Callable[[Profile, ResolvedCredentials], PreparedCall],
        typed: ClientCredentials | None,
    ) -> Attempt | None:
        session = self._session
        pipeline = session.signup_pipeline
        if not session.ready or pipeline is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return None
        profile = self._profiles.profile(profile_name)
        if profile is None:
            self.problem_reported.emit(
                "No such profile", f"Profile “{profile_name}” no longer exists."
            )
            return None
        resolved = await session.resolve(profile, typed)
        # Pure and cheap (validation, SecretHash, the PENDING attempt): on the UI thread.
        prepared = prepare(profile, resolved)
        self.attempt_started.emit(prepared.attempt)
        final = await self._execute(pipeline, prepared)
        if profile.builtin:
            self._sandbox.refresh_inbox()
        return final

    async def _execute(self, pipeline: SignUpPipeline, prepared: PreparedCall) -> Attempt:
        attempt = prepared.attempt
        try:
            final = await self._tasks.blocking(pipeline.execute, prepared)
        except asyncio.CancelledError:
            # The worker still finishes (short timeouts) and the pipeline records it.
            self.attempt_finished.emit(attempt.failed(decode("Cancelled")))
            raise
        except Exception as exc:  # execute never raises; the executor itself might
            log.exception("%s crashed", attempt.kind)
            final = attempt.failed(decode("UnknownError", f"{type(exc).__name__}: {exc}"))
        self.attempt_finished.emit(final)
        return final
