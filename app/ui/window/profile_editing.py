"""The main window's profile editing: the add/edit dialog and the delete confirmation."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.core.profile import Profile
from app.ui.qt_util import async_slot, dialog_result

if TYPE_CHECKING:
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


class ProfileEditing:
    """Runs the profile bar's Add/Edit/Delete requests against the profiles controller."""

    def __init__(self, window: MainWindow) -> None:
        # The window, not its parts: `confirm` is replaced on it by tests and automation.
        self._window = window

    @async_slot
    async def add(self) -> None:
        await self._edit(None)

    @async_slot
    async def edit(self) -> None:
        profile = self._window.current_profile()
        if profile is not None and not profile.builtin:
            await self._edit(profile)

    async def _edit(self, existing: Profile | None) -> None:
        from app.ui.dialogs.profile_dialog import ProfileDialog

        w = self._window
        profiles, session, bar = w.controllers.profiles, w.controllers.session, w.profile_bar
        button = bar.edit_profile_button if existing else bar.add_profile_button
        button.setEnabled(False)
        try:
            client_id = ""
            if existing is not None:
                client_id = await profiles.stored_client_id(existing.name) or ""
            dialog = ProfileDialog(
                w.regions,
                existing=existing,
                client_id=client_id,
                taken_names=[p.name for p in profiles.profiles()],
                keyring_usable=session.keyring_usable,
                parent=w,
            )
            session.regions_loaded.connect(dialog.set_regions)
            if not await dialog_result(dialog):
                return
            edit = dialog.result_edit()
            if await profiles.save_profile(edit):
                w.select_profile(edit.profile.name)
        except Exception as exc:
            log.exception("profile dialog failed")
            w.report("Could not save the profile", str(exc))
        finally:
            w.refresh_profile_state()

    @async_slot
    async def delete(self) -> None:
        w = self._window
        profile = w.current_profile()
        if profile is None or profile.builtin:
            return
        if not w.confirm(
            "Delete profile",
            f"Delete profile “{profile.name}” and its client ID and secret from the keyring?",
        ):
            return
        w.profile_bar.delete_profile_button.setEnabled(False)
        try:
            await w.controllers.profiles.delete_profile(profile.name)
        except Exception as exc:
            w.report("Could not delete the profile", str(exc))
        finally:
            w.refresh_profile_state()
