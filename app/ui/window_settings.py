"""The main window's settings: geometry, docks, splitters, history layout, last inputs."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from app.ui.preset_settings import load_sandbox_presets
from app.ui.window_parts import WindowParts

log = logging.getLogger(__name__)


class WindowSettingsMixin(WindowParts):
    """Restores the window's layout and last inputs from QSettings and saves them back."""

    def _restore_settings(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:
            # Wide enough for the users' "Delivers to" column on first run.
            self.resizeDocks([self.sandbox_dock], [340], Qt.Orientation.Horizontal)
        splitter = s.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([430, 560])
        pane = s.value("window/history")
        if pane is not None:
            try:
                self.history_pane.restoreState(bytes(pane))
            except Exception:  # a layout from another version is not worth an error
                log.info("ignoring saved history layout")
        self.form.set_username(str(s.value("form/username", "") or ""))
        self.sandbox_panel.set_client(str(s.value("sandbox/client", "public")))
        self.controller.set_sandbox_client(self.sandbox_panel.current_client())
        self.controller.set_sandbox_presets(load_sandbox_presets(s))

    def save_settings(self) -> None:
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/history", self.history_pane.saveState())
        profile = self.current_profile_name()
        if profile:
            s.setValue("profile/last", profile)
        s.setValue("form/username", self.form.username_edit.text())
        s.setValue("sandbox/client", self.sandbox_panel.current_client())
        s.sync()
