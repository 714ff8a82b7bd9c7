"""An event filter that lets the window's menu shortcuts win over its text fields' keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence


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
