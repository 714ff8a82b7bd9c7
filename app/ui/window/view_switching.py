"""Which page the window shows: the first-run welcome, the support view or the developer view."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

from app.core.profile import SANDBOX_PROFILE_NAME, Profile
from app.ui.widgets.welcome_page import WelcomeChoice

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.ui.window.main_window import MainWindow
    from app.ui.window.window_state import WindowState

class ViewMode(StrEnum):
    SUPPORT = "support"
    DEVELOPER = "developer"


class ViewSwitching:
    """Owns the view stack's page, the View → Developer view toggle and the first run.

    The welcome page shows while no profile of the user's own exists and they have not
    chosen yet; the support view is the default for the installed app and a first start.
    The sandbox drawer belongs to the developer view: it hides in the others and comes back
    as it was."""

    def __init__(
        self, window: MainWindow, state: WindowState, *, frozen: bool | None = None
    ) -> None:
        self._window = window
        self._state = state
        is_frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
        self.mode = ViewMode(state.view_mode(frozen=is_frozen))
        self.welcome_pending = not state.welcome_done()
        self.dock_wanted = state.sandbox_dock_wanted()

    @property
    def showing_welcome(self) -> bool:
        return self._window.view_stack.currentWidget() is self._window.view_stack.welcome_page

    def start(self) -> None:
        self._show(starting=True)

    def on_profiles_changed(self, profiles: list[Profile]) -> None:
        """A profile of the user's own ends the first run."""
        if self.welcome_pending and any(not p.builtin for p in profiles):
            self.welcome_pending = False
            self._state.set_welcome_done()
            self._show()

    def set_developer(self, developer: bool) -> None:
        """The toggle (button or View menu): leaves the welcome page too, and is remembered."""
        self.mode = ViewMode.DEVELOPER if developer else ViewMode.SUPPORT
        self._state.save_view_mode(self.mode.value)
        self._end_welcome()
        self._show()

    def try_sandbox(self) -> None:
        """Welcome → "Try the sandbox": the support view on the built-in Sandbox profile."""
        self._window.select_profile(SANDBOX_PROFILE_NAME)
        self.mode = ViewMode.SUPPORT
        self._state.save_view_mode(self.mode.value)
        self._end_welcome()
        self._show()

    def on_welcome_choice(self, choice: str) -> None:
        """A button of the welcome page: add or import a profile (the first run ends when
        the profile exists), or try the sandbox."""
        if choice == WelcomeChoice.SANDBOX:
            self.try_sandbox()
        elif choice == WelcomeChoice.IMPORT_FILE:
            self._window.window_actions.import_profiles.trigger()
        elif choice == WelcomeChoice.IMPORT_AWS:
            self._window.window_actions.import_from_aws.trigger()
        else:
            self._window.profile_bar.add_requested.emit()

    def dock_visible_wanted(self) -> bool:
        """For saving: the drawer as the developer view had it."""
        if self.mode is ViewMode.DEVELOPER and not self.showing_welcome:
            return self._window.sandbox_dock.isVisible()
        return self.dock_wanted

    def _end_welcome(self) -> None:
        if self.welcome_pending:
            self.welcome_pending = False
            self._state.set_welcome_done()

    def _show(self, *, starting: bool = False) -> None:
        w = self._window
        dock = w.sandbox_dock
        was_developer = w.view_stack.currentWidget() is w.view_stack.developer_view
        # On the start, the developer view may already be the window's first screen, the
        # drawer as saved (or the window not shown yet): the saved wish stands.
        if was_developer and not starting:
            self.dock_wanted = dock.isVisible()
        stack = w.view_stack
        page: QWidget = stack.developer_view
        kind = "developer"
        if self.welcome_pending:
            page, kind = stack.welcome_page, "welcome"
        elif self.mode is ViewMode.SUPPORT:
            page, kind = stack.support_view, "support"
        stack.setCurrentWidget(page)
        w.header.show_for(kind)
        developer = page is w.view_stack.developer_view
        dock.setVisible(developer and self.dock_wanted)
        dock.toggleViewAction().setEnabled(developer)
        toggle = w.window_actions.toggle_view
        toggle.blockSignals(True)
        toggle.setChecked(self.mode is ViewMode.DEVELOPER and not self.welcome_pending)
        toggle.blockSignals(False)
        if page is w.view_stack.support_view:
            w.view_stack.support_view.focus_field()
        elif page is w.view_stack.welcome_page:
            w.view_stack.welcome_page.focus_first()
        else:
            w.form.username_edit.setFocus()
