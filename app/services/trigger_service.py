"""Trigger debugging for the window: the event preview, and the sandbox's local trigger.

All methods block (HTTP to the sandbox, even an embedded one): call them off the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.core.profile import Profile

if TYPE_CHECKING:
    from app.core.trigger_event import EventPreview
    from app.sandbox.control import SandboxControl
    from app.sandbox.model import TriggerRun


class TriggerServiceError(RuntimeError):
    """The sandbox could not be reached or refused the request; the message says why."""


class TriggerService:
    """Builds the CustomMessage_ResendCode preview and drives the sandbox's local trigger."""

    def __init__(self, timeout_s: float = 5.0) -> None:
        self._timeout_s = timeout_s

    def preview(
        self,
        profile: Profile,
        *,
        username: str,
        client_id: str,
        client_metadata: Mapping[str, str],
    ) -> EventPreview:
        """The event for this resend; the sandbox's user attributes when the profile is the
        built-in sandbox (placeholders for any other pool, or an unknown sandbox user)."""
        from app.core.trigger_event import preview_custom_message_event

        attributes: dict[str, str] | None = None
        if profile.builtin and profile.endpoint_url:
            try:
                attributes = self._control(profile.endpoint_url).user_attributes(username)
            except RuntimeError:
                # A preview with placeholders (and the flag saying so) beats no preview.
                attributes = None
        return preview_custom_message_event(
            region=profile.region,
            user_pool_id=profile.user_pool_id,
            username=username,
            client_id=client_id,
            client_metadata=client_metadata,
            user_attributes=attributes,
        )

    def attach(self, sandbox_url: str, handler: str | None) -> str | None:
        """Attach ``path/to/file.py:function`` to the sandbox's CustomMessage trigger (None
        detaches); returns the handler as the sandbox resolved it."""
        from app.sandbox.control import SandboxControlError
        from app.services.handler_check import handler_problem, plain_refusal

        problem = handler_problem(handler) if handler is not None else None
        if problem is not None:
            raise TriggerServiceError(problem)
        try:
            return self._control(sandbox_url).set_custom_message_trigger(handler)
        except SandboxControlError as exc:
            raise TriggerServiceError(plain_refusal(str(exc))) from exc

    def attached(self, sandbox_url: str) -> str | None:
        from app.sandbox.control import SandboxControlError

        try:
            return self._control(sandbox_url).custom_message_trigger()
        except SandboxControlError as exc:
            raise TriggerServiceError(str(exc)) from exc

    def run_for(self, sandbox_url: str, request_id: str) -> TriggerRun | None:
        """The trigger run of one resend (by its request id), failed or not, if any."""
        from app.sandbox.control import SandboxControlError

        try:
            runs = self._control(sandbox_url).trigger_runs()
        except SandboxControlError as exc:
            raise TriggerServiceError(str(exc)) from exc
        return next((r for r in reversed(runs) if r.request_id == request_id), None)

    def _control(self, url: str) -> SandboxControl:
        # Imported on use (as the preview's and the handler check's modules): the window
        # must not pay for them before the first preview, nor a CLI resend that only asks
        # `run_for`.
        from app.sandbox.control import SandboxControl

        return SandboxControl(url, timeout_s=self._timeout_s)
