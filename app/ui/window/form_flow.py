"""The developer form's flow: Send hands the form to the sending controller; presets are saved."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.core.presets import NOT_ENCRYPTED_WARNING
from app.ui.controllers.types import SendRequest
from app.ui.qt_util import async_slot
from app.ui.window.preset_settings import save_sandbox_presets, should_warn_now

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from app.core.profile import MetadataPreset
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


class FormFlow:
    """The window's helper for the developer form (its slots are connected in the window).

    The send the user started from the form, while its attempt is being registered, is
    `request`: only that one may move the history's selection (see MainWindow)."""

    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        self._window = window
        self._settings = settings
        self.request: SendRequest | None = None

    def connect(self) -> None:
        form = self._window.form
        form.send_requested.connect(self.send)
        form.presets.presets_edited.connect(self.save_presets)

    @async_slot
    async def send(self) -> None:
        """Collect the form, hand it to the controller, free the button once it is pending."""
        w = self._window
        form = w.form
        name = w.current_profile_name()
        if not name or not form.is_valid():
            return
        request = SendRequest(name, form.values(), form.session_credentials())
        form.set_busy(True)
        self.request = request
        try:
            await w.controllers.sending.begin_send(request)
        except Exception as exc:
            log.exception("could not start the send")
            w.report("Send failed", f"{type(exc).__name__}: {exc}")
        else:
            w.problem_banner.hide()
        finally:
            self.request = None
            form.set_busy(False)

    @async_slot
    async def save_presets(self, presets: tuple[MetadataPreset, ...]) -> None:
        """Store the current profile's presets; the first time ever, say they are not secret."""
        w = self._window
        profile = w.current_profile()
        if profile is None:
            return
        if should_warn_now(self._settings):
            w.inform("ClientMetadata is not encrypted", NOT_ENCRYPTED_WARNING)
        saved = await w.controllers.profiles.save_presets(profile.name, presets)
        if saved and profile.builtin:
            save_sandbox_presets(self._settings, presets)
