"""The main window's saved state: geometry, docks, splitters, history layout, last inputs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from app.ui.widgets.view_stack import PageKind
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

# Wide enough for the users' "Delivers to" column on first run.
SANDBOX_DOCK_WIDTH = 340
# The form, the diagnosis card, the history.
FIRST_RUN_SPLIT = (420, 280, 560)
# The history table over the details of the selected attempt.
FIRST_RUN_HISTORY_SPLIT = (240, 360)


class WindowState:
    """Restores the window from QSettings and saves it back: the one place that knows keys."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self._form_restored = False

    def last_profile(self) -> str:
        return str(self.settings.value("profile/last", "") or "")

    # -- the views and the first run (issue 14) --------------------------------------
    def view_mode(self, *, frozen: bool) -> str:
        """The saved view; else support for the installed app and a first start (no window
        saved yet), developer for a window that ran before views existed."""
        saved = str(self.settings.value("view/mode", "") or "")
        if saved in ("support", "developer"):
            return saved
        first_start = self.settings.value("window/geometry") is None
        return "support" if frozen or first_start else "developer"

    def save_view_mode(self, mode: str) -> None:
        self.settings.setValue("view/mode", mode)
        self.settings.sync()

    def welcome_done(self) -> bool:
        return str(self.settings.value("view/welcomeDone", "false")).lower() == "true"

    def set_welcome_done(self) -> None:
        self.settings.setValue("view/welcomeDone", "true")
        self.settings.sync()

    def first_page(self, *, frozen: bool) -> PageKind:
        """The page the window opens on (as `ViewSwitching` will choose it)."""
        if not self.welcome_done():
            return "welcome"
        return "developer" if self.view_mode(frozen=frozen) == "developer" else "support"

    def sandbox_dock_wanted(self) -> bool:
        return str(self.settings.value("view/sandboxDock", "true")).lower() == "true"

    def restore_geometry(self, window: QMainWindow) -> None:
        """The window's size and place (before it is first shown)."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            window.restoreGeometry(geometry)
        else:
            window.resize(1280, 780)

    def restore_docks(self, window: MainWindow) -> None:
        """The Sandbox dock's place and width (once it is built)."""
        from PySide6.QtCore import Qt

        state = self.settings.value("window/state")
        if state is not None:
            window.restoreState(state)
        else:
            window.resizeDocks(
                [window.sandbox_dock], [SANDBOX_DOCK_WIDTH], Qt.Orientation.Horizontal
            )

    def restore(self, window: MainWindow) -> None:
        """The splitters, the history's layout and the last inputs (geometry and docks are
        restored as they are built: `restore_geometry`, `restore_docks`)."""
        from PySide6.QtWidgets import QSplitter

        s = self.settings
        splitter = s.value("window/splitter")
        if splitter is not None:
            window.splitter.restoreState(splitter)
        else:
            window.splitter.setSizes(list(FIRST_RUN_SPLIT))
        pane = s.value("window/history")
        restored = False
        if pane is not None:
            try:
                restored = window.history_pane.restoreState(bytes(pane))
            except Exception:  # a layout from another version is not worth an error
                log.info("ignoring saved history layout")
        if not restored:
            # A few rows, then room for the explanation (the table's own hint takes most).
            split = window.history_pane.findChild(QSplitter, "historySplitter")
            if split is not None:
                split.setSizes(list(FIRST_RUN_HISTORY_SPLIT))
        self.restore_form(window)
        window.sandbox_panel.set_client(str(s.value("sandbox/client", "public")))

    def restore_form(self, window: MainWindow) -> None:
        """The last username, once: a developer view on the first screen gets it before the
        rest is built, and what is typed meanwhile is not overwritten."""
        if not self._form_restored:
            self._form_restored = True
            window.form.set_username(str(self.settings.value("form/username", "") or ""))

    def save(self, window: MainWindow) -> None:
        s = self.settings
        s.setValue("window/geometry", window.saveGeometry())
        s.setValue("window/state", window.saveState())
        s.setValue("window/splitter", window.splitter.saveState())
        s.setValue("window/history", window.history_pane.saveState())
        profile = window.current_profile_name()
        if profile:
            s.setValue("profile/last", profile)
        s.setValue("form/username", window.form.username_edit.text())
        s.setValue("sandbox/client", window.sandbox_panel.current_client())
        s.setValue("view/sandboxDock", "true" if window.views.dock_visible_wanted() else "false")
        s.sync()
