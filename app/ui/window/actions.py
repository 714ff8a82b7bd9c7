"""The main window's actions and menus, declared in one place (the window connects them)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar

from app import APP_NAME


@dataclass(frozen=True)
class WindowActions:
    """Every menu action of the main window; `install` puts them into a menu bar."""

    export_csv: QAction
    export_json: QAction
    batch: QAction
    quit: QAction
    preview_event: QAction
    sign_up_test_user: QAction
    about: QAction
    # -- views (issue 14): checked = the developer view
    toggle_view: QAction

    @classmethod
    def create(cls, window: QMainWindow) -> WindowActions:
        def action(text: str, name: str = "", shortcut: QKeySequence | None = None) -> QAction:
            act = QAction(text, window)
            if name:
                act.setObjectName(name)
            if shortcut is not None:
                act.setShortcut(shortcut)
            return act

        return cls(
            export_csv=action("Export history as CSV…"),
            export_json=action("Export history as JSON…"),
            batch=action("&Batch resend…", "batchAction", QKeySequence("Ctrl+B")),
            quit=action("&Quit", shortcut=QKeySequence(QKeySequence.StandardKey.Quit)),
            preview_event=action(
                "Preview trigger &event…", "previewTriggerEventAction", QKeySequence("Ctrl+E")
            ),
            sign_up_test_user=action(
                "&Sign up a test user…", "signUpTestUserAction", QKeySequence("Ctrl+U")
            ),
            about=action(f"&About {APP_NAME}"),
            toggle_view=_checkable(
                action("&Developer view", "viewToggleAction", QKeySequence("Ctrl+Shift+D"))
            ),
        )

    def install(self, menu_bar: QMenuBar, dock_toggle: QAction) -> None:
        """File, View (the dock's own toggle), Tools, Help."""
        file_menu = menu_bar.addMenu("&File")
        file_menu.addAction(self.export_csv)
        file_menu.addAction(self.export_json)
        file_menu.addAction(self.batch)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        view_menu = menu_bar.addMenu("&View")
        view_menu.addAction(self.toggle_view)
        view_menu.addAction(dock_toggle)
        tools = menu_bar.addMenu("&Tools")
        tools.addAction(self.sign_up_test_user)
        tools.addAction(self.preview_event)
        menu_bar.addMenu("&Help").addAction(self.about)


def _checkable(act: QAction) -> QAction:
    act.setCheckable(True)
    act.setToolTip("Switch between the support view and the developer view (Ctrl+Shift+D)")
    return act
