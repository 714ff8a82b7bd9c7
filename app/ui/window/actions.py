"""The main window's actions and menus, declared in one place (the window connects them).

The menus are part of the first screen (app/ui/staged_start.py): no enum of the `Qt`
namespace here (its first use costs ~13 ms), and the actions stay disabled until the
window has connected them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
)

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
    # Team provisioning (keyring14): File → Import profiles… / Import from an AWS account…
    import_profiles: QAction
    import_from_aws: QAction

    @classmethod
    def create(cls, window: QMainWindow) -> WindowActions:
        def action(text: str, name: str = "", shortcut: QKeySequence | None = None) -> QAction:
            act = QAction(text, window)
            if name:
                act.setObjectName(name)
            if shortcut is not None:
                # Anywhere in the window (QAction's default context, WindowShortcut), a text
                # field's focus included (see TextFieldShortcuts).
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
            import_profiles=action("&Import profiles…", "importProfilesAction"),
            import_from_aws=action("Import from an &AWS account…", "importFromAwsAction"),
        )

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
        view_menu = menu_bar.findChild(QMenu, "viewMenu")
        if view_menu is None:
            raise LookupError("install the menus first")
        view_menu.addAction(dock_toggle)

    def set_enabled(self, enabled: bool) -> None:
        for act in self.all():
            act.setEnabled(enabled)

    def all(self) -> list[QAction]:
        return [getattr(self, f.name) for f in fields(self)]

    def keep_over_text_fields(self, window: QMainWindow) -> TextFieldShortcuts:
        """Make these shortcuts win over the window's text fields' own key bindings."""
        guard = TextFieldShortcuts(
            [a.shortcut() for a in self.all() if not a.shortcut().isEmpty()], window
        )
        for kind in (QLineEdit, QPlainTextEdit, QAbstractSpinBox):
            for field in window.findChildren(kind):
                field.installEventFilter(guard)
        return guard


class TextFieldShortcuts(QObject):
    """An event filter: a text field does not claim a key the window's menu uses.

    A focused QLineEdit claims Ctrl+E (end of line, on X11) and other keys through
    ShortcutOverride, so the menu's Ctrl+E did nothing while typing a username.
    """

    def __init__(self, sequences: list[QKeySequence], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sequences = sequences

    def claims(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(
            pressed.matches(s) is QKeySequence.SequenceMatch.ExactMatch for s in self._sequences
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self.claims(event)
        ):
            event.ignore()  # not overridden: the shortcut map gets the key
            return True
        return False

def _checkable(act: QAction) -> QAction:
    act.setCheckable(True)
    act.setToolTip("Switch between the support view and the developer view (Ctrl+Shift+D)")
    return act
