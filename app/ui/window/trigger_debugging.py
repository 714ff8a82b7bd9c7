"""The main window's trigger debugging: attach/detach the local trigger, preview the event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.ui.qt_util import async_slot

if TYPE_CHECKING:
    from app.ui.window.main_window import MainWindow


class TriggerDebugging:
    """Runs the trigger row's and the preview action's requests against the trigger controller."""

    def __init__(self, window: MainWindow) -> None:
        # The window, not its parts: `choose_event_path` is replaced on it by tests.
        self._window = window

    @async_slot
    async def attach(self, spec: str) -> None:
        await self._set(spec)

    @async_slot
    async def detach(self) -> None:
        await self._set(None)

    async def _set(self, spec: str | None) -> None:
        row = self._window.sandbox_panel.trigger_row
        row.set_busy(True)
        try:
            await self._window.controllers.trigger.attach_trigger(spec)
        finally:
            row.set_busy(False)

    @async_slot
    async def preview(self) -> None:
        """Build the event for the form as it is now and show it (the build runs off-thread)."""
        w = self._window
        name = w.current_profile_name()
        if not name:
            return
        action = w.window_actions.preview_event
        action.setEnabled(False)
        try:
            preview = await w.controllers.trigger.preview_event(
                name, w.form.values(), w.form.session_credentials()
            )
        finally:
            action.setEnabled(True)
        if preview is None:
            return
        placeholder = preview.event["callerContext"]["clientId"].startswith("<")
        extra = "callerContext.clientId (not in the keyring)." if placeholder else None
        if w.event_dialog is not None:
            w.event_dialog.close()
        from app.ui.dialogs.trigger_event_dialog import TriggerEventDialog

        w.event_dialog = TriggerEventDialog(
            preview, extra_note=extra, choose_path=w.choose_event_path, parent=w
        )
        w.event_dialog.show()
