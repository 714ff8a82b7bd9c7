"""The main window's actions and menus, declared in one place (the window connects them).

The menus are part of the first screen (app/ui/staged_start.py): no enum of the `Qt`
namespace here (its first use costs ~13 ms), Qt classes imported where they are used (a
class costs its first use), and the actions stay disabled until the window has
connected them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from app import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenuBar

    from app.ui.window.text_field_shortcuts import TextFieldShortcuts


class WindowActions:
    """Every menu action of the main window; `install` puts them into a menu bar.

    A plain class, not a dataclass: it is built for the first screen, before the first
    paint, and importing dataclasses then costs ~3 ms (issue 15). The window owns it."""

    __slots__ = (
        "export_csv",
        "export_json",
        "batch",
        "quit",
        "preview_event",
        "sign_up_test_user",
        "about",
        "toggle_view",  # views (issue 14): checked = the developer view
        # Team provisioning (keyring14): File → Import profiles… / Import from an AWS account…
        "import_profiles",
        "import_from_aws",
    )

    def __init__(self, window: QMainWindow) -> None:
        """The actions, without their shortcuts yet (`bind_shortcuts`)."""

        def action(text: str, name: str = "") -> QAction:
            act = QAction(text, window)
            if name:
                act.setObjectName(name)
            return act

        self.export_csv = action("Export history as CSV…")
        self.export_json = action("Export history as JSON…")
        self.batch = action("&Batch resend…", "batchAction")
        self.quit = action("&Quit")
        self.preview_event = action("Preview trigger &event…", "previewTriggerEventAction")
        self.sign_up_test_user = action("&Sign up a test user…", "signUpTestUserAction")
        self.about = action(f"&About {APP_NAME}")
        self.toggle_view = _checkable(action("&Developer view", "viewToggleAction"))
        self.import_profiles = action("&Import profiles…", "importProfilesAction")
        self.import_from_aws = action("Import from an &AWS account…", "importFromAwsAction")

    @classmethod
    def create(cls, window: QMainWindow) -> WindowActions:
        return cls(window)

    def bind_shortcuts(self) -> None:
        """The keyboard shortcuts, once the window handles the actions. Not on the first
        screen: the first setShortcut builds the `Qt` and QKeySequence enums (~15 ms)."""
        from PySide6.QtGui import QKeySequence

        for name, key in _SHORTCUTS.items():
            act: QAction = getattr(self, name)
            # Anywhere in the window (QAction's default context, WindowShortcut), a text
            # field's focus included (see text_field_shortcuts.py).
            act.setShortcut(QKeySequence(key) if key else QKeySequence.StandardKey.Quit)

    def install(self, menu_bar: QMenuBar, dock_toggle: QAction | None = None) -> None:
        """File, View (the dock's own toggle: now, or later with `add_dock_toggle`), Tools,
        Help."""
        file_menu = menu_bar.addMenu("&File")
        file_menu.addAction(self.export_csv)
        file_menu.addAction(self.export_json)
        file_menu.addAction(self.batch)
        # Team provisioning (keyring14)
        file_menu.addSeparator()
        file_menu.addAction(self.import_profiles)
        file_menu.addAction(self.import_from_aws)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        view_menu = menu_bar.addMenu("&View")
        view_menu.setObjectName("viewMenu")  # found again by add_dock_toggle
        view_menu.addAction(self.toggle_view)
        if dock_toggle is not None:
            view_menu.addAction(dock_toggle)
        tools = menu_bar.addMenu("&Tools")
        tools.addAction(self.sign_up_test_user)
        tools.addAction(self.preview_event)
        menu_bar.addMenu("&Help").addAction(self.about)

    @staticmethod
    def add_dock_toggle(menu_bar: QMenuBar, dock_toggle: QAction) -> None:
        """The Sandbox dock's toggle in the View menu (the dock is built after the menus)."""
        from PySide6.QtWidgets import QMenu

        view_menu = menu_bar.findChild(QMenu, "viewMenu")
        if view_menu is None:
            raise LookupError("install the menus first")
        view_menu.addAction(dock_toggle)

    def set_enabled(self, enabled: bool) -> None:
        for act in self.all():
            act.setEnabled(enabled)

    def all(self) -> list[QAction]:
        return [getattr(self, name) for name in self.__slots__]

    def keep_over_text_fields(self, window: QMainWindow) -> TextFieldShortcuts:
        """Make these shortcuts win over the window's text fields' own key bindings."""
        from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit

        from app.ui.window.text_field_shortcuts import TextFieldShortcuts

        guard = TextFieldShortcuts(
            [a.shortcut() for a in self.all() if not a.shortcut().isEmpty()], window
        )
        for kind in (QLineEdit, QPlainTextEdit, QAbstractSpinBox):
            for field in window.findChildren(kind):
                field.installEventFilter(guard)
        return guard


# Each action's shortcut ("" for the platform's Quit key).
_SHORTCUTS: dict[str, str] = {
    "batch": "Ctrl+B",
    "quit": "",
    "preview_event": "Ctrl+E",
    "sign_up_test_user": "Ctrl+U",
    "toggle_view": "Ctrl+Shift+D",
}


def _checkable(act: QAction) -> QAction:
    act.setCheckable(True)
    act.setToolTip("Switch between the support view and the developer view (Ctrl+Shift+D)")
    return act
