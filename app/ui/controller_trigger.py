"""Controller trigger debugging: the event preview and the sandbox's local trigger."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from app.core.profile import ClientCredentials
from app.core.request import ResendInput
from app.ui.controller_base import ControllerPart
from app.ui.controller_types import CLIENT_ID_PLACEHOLDER

if TYPE_CHECKING:
    from app.core.trigger_event import EventPreview
    from app.services.secret_store import SecretStore

log = logging.getLogger(__name__)


class TriggerMixin(ControllerPart):
    """Builds the CustomMessage event a send would cause; attaches/detaches the handler."""

    def preview_event(
        self, profile_name: str, raw: ResendInput, session: ClientCredentials | None = None
    ) -> asyncio.Task[EventPreview | None]:
        """The CustomMessage_ResendCode event this form would cause (None when unavailable)."""
        return self._spawn(self._preview_event(profile_name, raw, session))

    async def _preview_event(
        self, profile_name: str, raw: ResendInput, session: ClientCredentials | None
    ) -> EventPreview | None:
        profile = self.profile(profile_name)
        if profile is None or self._factories.trigger is None:
            self.problem_reported.emit("No preview", "Choose a profile first.")
            return None
        sandbox = self._sandbox
        secrets = self._secrets
        sandbox_client = self._sandbox_client

        def work() -> EventPreview:
            service = self._trigger_service()
            assert service is not None
            if profile.builtin and sandbox is not None:
                client_id = sandbox.credentials(sandbox_client).client_id
            elif session is not None and session.client_id:
                client_id = session.client_id
            else:
                client_id = _stored_client_id(secrets, profile.name)
            return service.preview(
                profile,
                username=raw.username.strip(),
                client_id=client_id,
                # As the resend sends it: rows without a key are dropped.
                client_metadata={k: v for k, v in raw.client_metadata if k},
            )

        try:
            return await self._blocking(work)
        except Exception as exc:
            log.warning("event preview failed", exc_info=True)
            self.problem_reported.emit("Could not build the event", f"{type(exc).__name__}: {exc}")
            return None

    def attach_trigger(self, handler: str | None) -> asyncio.Task[str | None]:
        """Attach ``file.py:function`` to the sandbox's CustomMessage trigger (None detaches);
        `trigger_changed` or `trigger_failed` tells the outcome."""
        return self._spawn(self._set_trigger(handler, change=True))

    def refresh_trigger(self) -> asyncio.Task[str | None]:
        """Ask the sandbox which handler is attached (`trigger_changed`)."""
        return self._spawn(self._set_trigger(None, change=False))

    async def _set_trigger(self, handler: str | None, *, change: bool) -> str | None:
        info = self._sandbox_info
        if info is None or self._factories.trigger is None:
            self.trigger_failed.emit("the sandbox is not running")
            return None
        url = info.endpoint_url

        def work() -> str | None:
            service = self._trigger_service()
            assert service is not None
            return service.attach(url, handler) if change else service.attached(url)

        try:
            attached = await self._blocking(work)
        except Exception as exc:  # TriggerServiceError: the sandbox's 400 says why
            log.warning("trigger %s failed: %s", "attach" if change else "query", exc)
            self.trigger_failed.emit(str(exc))
            return None
        self.trigger_changed.emit(attached)
        return attached


def _stored_client_id(secrets: SecretStore | None, name: str) -> str:
    """A profile's client id from the keyring, or a visible placeholder (blocking)."""
    from app.services.secret_store import SecretStoreError

    if secrets is None:
        return CLIENT_ID_PLACEHOLDER
    try:
        return secrets.load(name).client_id
    except SecretStoreError:
        return CLIENT_ID_PLACEHOLDER
