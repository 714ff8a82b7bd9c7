"""The history pane's actions (re-run, copy, export), declared once with their shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from app.ui.qt_util import name_widget


def _action(
    owner: QWidget, name: str, text: str, tip: str, shortcut: QKeySequence | None = None
) -> QAction:
    action = QAction(text, owner)
    action.setObjectName(name)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if shortcut is not None:
        action.setShortcut(shortcut)
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})")
        # Shortcuts work while the pane (table or details) has focus; the filter box
        # keeps its own Ctrl+C because a focused line edit takes it first.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action


@dataclass(frozen=True)
class HistoryActions:
    """The row actions and the export actions; the pane connects them."""

    rerun: QAction
    confirm: QAction
    copy_cli: QAction
    copy_details: QAction
    export_csv: QAction
    export_json: QAction

    @classmethod
    def create(cls, owner: QWidget) -> HistoryActions:
        actions = cls(
            rerun=_action(
                owner, "rerunAction", "Re-run", "Send this attempt again with the same inputs",
                QKeySequence("Ctrl+R"),
            ),
            confirm=_action(
                owner, "confirmWithCodeAction", "Confirm with code…",
                "Confirm this user's sign-up with the code that was sent (ConfirmSignUp)",
                QKeySequence("Ctrl+Shift+K"),
            ),
            copy_cli=_action(
                owner, "copyCliAction", "Copy as AWS CLI",
                "Copy an equivalent aws cognito-idp command (the SecretHash is a placeholder)",
                QKeySequence("Ctrl+Shift+C"),
            ),
            copy_details=_action(
                owner, "copyDetailsAction", "Copy details", "Copy this attempt's details as text",
                QKeySequence(QKeySequence.StandardKey.Copy),
            ),
            export_csv=_action(
                owner, "exportCsvAction", "Export CSV…", "Save the filtered history as a CSV file"
            ),
            export_json=_action(
                owner, "exportJsonAction", "Export JSON…",
                "Save the filtered history as a JSON file",
            ),
        )
        # Actions only fire by shortcut when a widget of the pane holds them.
        owner.addActions([*actions.row_actions(), actions.export_csv, actions.export_json])
        return actions

    def row_actions(self) -> list[QAction]:
        return [self.rerun, self.confirm, self.copy_cli, self.copy_details]

    def toolbar(self, parent: QWidget) -> QToolBar:
        bar = QToolBar("History actions", parent)
        name_widget(bar, "historyToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.row_actions():
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.export_csv)
        bar.addAction(self.export_json)
        return bar

    def context_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("historyContextMenu")
        for action in self.row_actions():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_csv)
        menu.addAction(self.export_json)
        return menu
