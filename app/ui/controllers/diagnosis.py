"""The diagnosis controller: debounced, off-thread diagnoses as the username is typed; actions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.diagnosis_result import Diagnosis

if TYPE_CHECKING:
    from app.core.arrival import ChecklistItem
    from app.core.outcome import Attempt
    from app.services.admin_stack import AdminServices
    from app.services.aws_session import AdminTarget

log = logging.getLogger(__name__)
T = TypeVar("T")

DEBOUNCE_MS = 300


class Tasks(Protocol):
    """What the controller needs of the window's TaskGroup."""

    def spawn(self, coro: Any, *, send: bool = False) -> asyncio.Task[Any]: ...

    def blocking(self, fn: Callable[..., T], *args: Any) -> Awaitable[T]: ...


# (profile name) -> the admin target for it, or None (no such profile). Blocking: it may
# read the keyring, so it runs in a worker thread.
TargetFor = Callable[[str], "AdminTarget | None"]


@dataclass(frozen=True)
class DiagnosisResult:
    """One finished diagnosis and what it was for."""

    profile_name: str
    identifier: str
    diagnosis: Diagnosis


class DiagnosisController(QObject):
    """Runs at most one diagnosis at a time per keystroke burst: each change restarts a
    ~300 ms timer; a result for anything but the newest request is dropped."""

    diagnosis_started = Signal(str)  # identifier
    diagnosis_ready = Signal(object)  # DiagnosisResult
    diagnosis_cleared = Signal()
    action_finished = Signal(object)  # Attempt (ADMIN_RESEND_INVITATION / ADMIN_CONFIRM)
    problem_reported = Signal(str, str)  # title, text

    def __init__(
        self,
        tasks: Tasks,
        services: Callable[[], AdminServices],
        target_for: TargetFor,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._services = services
        self._target_for = target_for
        self._generation = 0
        self._wanted: tuple[str, str] = ("", "")
        self._latest: DiagnosisResult | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start)

    @property
    def latest(self) -> DiagnosisResult | None:
        """The newest diagnosis that was shown (for the attempt that follows)."""
        return self._latest

    def for_send(self, profile_name: str, username: str) -> Diagnosis | None:
        """The shown diagnosis, if it is for exactly this profile and username."""
        r = self._latest
        if r is not None and r.profile_name == profile_name and r.identifier == username.strip():
            return r.diagnosis
        return None

    def request(self, profile_name: str, identifier: str) -> None:
        """The form changed: diagnose `identifier` once typing pauses."""
        self._generation += 1  # whatever is in flight is now stale
        self._wanted = (profile_name, identifier.strip())
        if not identifier.strip():
            self._timer.stop()
            self._latest = None
            self.diagnosis_cleared.emit()
            return
        self._timer.start()

    def refresh(self) -> None:
        """Diagnose the current identifier again now (after a support action)."""
        if self._wanted[1]:
            self._generation += 1
            self._timer.stop()
            self._start()

    def _closing(self) -> bool:
        return bool(getattr(self._tasks, "closing", False))

    def _start(self) -> None:
        if self._closing():
            return
        generation = self._generation
        profile_name, identifier = self._wanted
        self.diagnosis_started.emit(identifier)
        self._tasks.spawn(self._run(generation, profile_name, identifier))

    async def _run(self, generation: int, profile_name: str, identifier: str) -> None:
        try:
            diagnosis = await self._tasks.blocking(self._diagnose, profile_name, identifier)
        except Exception as exc:  # the services never raise for AWS trouble; a bug might
            log.exception("diagnosis crashed")
            if generation == self._generation:
                self.problem_reported.emit("Diagnosis failed", f"{type(exc).__name__}: {exc}")
            return
        if generation != self._generation or diagnosis is None or self._closing():
            return  # a newer request superseded this one, or the window is closing
        result = DiagnosisResult(profile_name, identifier, diagnosis)
        self._latest = result
        self.diagnosis_ready.emit(result)

    def _diagnose(self, profile_name: str, identifier: str) -> Diagnosis | None:
        target = self._target_for(profile_name)
        if target is None:
            return None
        has_secret = target.profile.has_secret if not target.profile.builtin else None
        return self._services().diagnosis.diagnose(
            target, identifier, profile_has_secret=has_secret
        )

    # -- support actions ---------------------------------------------------------------

    async def resend_invitation(self, profile_name: str, username: str) -> Attempt | None:
        return await self._act(profile_name, lambda s, t: s.actions.resend_invitation(t, username))

    async def confirm(
        self, profile_name: str, username: str, mark_verified: str | None
    ) -> Attempt | None:
        return await self._act(
            profile_name, lambda s, t: s.actions.confirm(t, username, mark_verified)
        )

    async def _act(
        self, profile_name: str, call: Callable[[AdminServices, AdminTarget], Attempt]
    ) -> Attempt | None:
        def work() -> Attempt | None:
            target = self._target_for(profile_name)
            return None if target is None else call(self._services(), target)

        attempt = await self._tasks.blocking(work)
        if attempt is not None:
            self.action_finished.emit(attempt)
            self.refresh()
        return attempt

    async def why_not_arrived(
        self, profile_name: str, attempt: Attempt
    ) -> tuple[ChecklistItem, ...]:
        """The "Why didn't it arrive?" checklist for a delivered attempt (reads logs)."""

        def work() -> tuple[ChecklistItem, ...]:
            from app.core.arrival import arrival_checklist

            target = self._target_for(profile_name)
            if target is None:
                return arrival_checklist(attempt, None)
            return self._services().diagnosis.why_not_arrived(target, attempt)

        return await self._tasks.blocking(work)
