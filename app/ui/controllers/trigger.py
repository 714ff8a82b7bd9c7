"""The trigger controller: the CustomMessage event a send would cause, and the local trigger."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.profile import ClientCredentials
from app.core.request import ResendInput
from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.types import CLIENT_ID_PLACEHOLDER

if TYPE_CHECKING:
    from app.core.trigger_event import EventPreview

log = logging.getLogger(__name__)


class TriggerController(QObject):
    """Builds event previews and attaches/detaches the sandbox's CustomMessage handler."""

    trigger_changed = Signal(object)  # str | None: the sandbox's attached handler
    trigger_failed = Signal(str)  # why attaching/detaching the handler failed
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(
        self,
        session: Session,
        profiles: ProfilesController,
        tasks: TaskGroup,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._profiles = profiles
        self._tasks = tasks

    def preview_event(
        self, profile_name: str, raw: ResendInput, session: ClientCredentials | None = None
    ) -> asyncio.Task[EventPreview | None]:
        """The CustomMessage_ResendCode event this form would cause (None when unavailable)."""
        return self._tasks.spawn(self._preview_event(profile_name, raw, session))

    async def _preview_event(
        self, profile_name: str, raw: ResendInput, typed: ClientCredentials | None
    ) -> EventPreview | None:
        profile = self._profiles.profile(profile_name)
        if profile is None or self._session.factories.trigger is None:
            self.problem_reported.emit("No preview", "Choose a profile first.")
            return None
        # A typed session id counts only when it is not empty (the keyring is asked then).
        resolved = await self._session.resolve(
            profile, typed if typed is not None and typed.client_id else None
        )
        creds = resolved.credentials
        client_id = creds.client_id if creds is not None else CLIENT_ID_PLACEHOLDER

        def work() -> EventPreview:
            service = self._session.trigger_service()
            assert service is not None
            return service.preview(
                profile,
                username=raw.username.strip(),
                client_id=client_id,
                # As the resend sends it: rows without a key are dropped.
                client_metadata={k: v for k, v in raw.client_metadata if k},
            )

        try:
            return await self._tasks.blocking(work)
        except Exception as exc:
            log.warning("event preview failed", exc_info=True)
            self.problem_reported.emit("Could not build the event", f"{type(exc).__name__}: {exc}")
            return None

    def attach_trigger(self, handler: str | None) -> asyncio.Task[str | None]:
        """Attach ``file.py:function`` to the sandbox's CustomMessage trigger (None detaches);
        `trigger_changed` or `trigger_failed` tells the outcome."""
        return self._tasks.spawn(self._set_trigger(handler, change=True))

    def refresh_trigger(self) -> asyncio.Task[str | None]:
        """Ask the sandbox which handler is attached (`trigger_changed`)."""
        return self._tasks.spawn(self._set_trigger(None, change=False))

    async def _set_trigger(self, handler: str | None, *, change: bool) -> str | None:
        info = self._session.sandbox_info
        if info is None or self._session.factories.trigger is None:
            self.trigger_failed.emit("the sandbox is not running")
            return None
        url = info.endpoint_url

        def work() -> str | None:
            service = self._session.trigger_service()
            assert service is not None
            return service.attach(url, handler) if change else service.attached(url)

        try:
            attached = await self._tasks.blocking(work)
        except Exception as exc:  # TriggerServiceError: the sandbox's 400 says why
            log.warning("trigger %s failed: %s", "attach" if change else "query", exc)
            self.trigger_failed.emit(str(exc))
            return None
        self.trigger_changed.emit(attached)
        return attached
