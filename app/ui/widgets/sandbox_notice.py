"""The tinted strip that says the Sandbox is a test pool, whenever it is the chosen profile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.core.customer_story import SANDBOX_NOTICE
from app.ui.qt_util import name_widget


class SandboxNotice(QLabel):
    """Hidden unless the built-in Sandbox profile is selected (`set_shown`) and a view that
    works on it is shown (not the welcome page)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SANDBOX_NOTICE, parent)
        name_widget(self, "sandboxNotice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Fixed colours on purpose: the strip must look the same in light and dark themes
        # (dark text on amber: contrast above 10:1).
        self.setStyleSheet(
            "#sandboxNotice { background: #ffe8a3; color: #3d2e00; border: 1px solid #d9a400;"
            " border-radius: 3px; padding: 5px 10px; font-weight: bold; }"
        )
        self._sandbox = False
        self._suppressed = False
        self.setVisible(False)

    def set_hint(self, hint: str) -> None:
        """A second line (a real-looking email typed on the Sandbox); '' removes it."""
        self.setText(f"{SANDBOX_NOTICE}\n{hint}" if hint else SANDBOX_NOTICE)

    def set_shown(self, sandbox: bool) -> None:
        """Whether the Sandbox is the chosen profile."""
        self._sandbox = sandbox
        self.setVisible(self._sandbox and not self._suppressed)

    def set_suppressed(self, suppressed: bool) -> None:
        """The welcome page shows no profile yet, so no notice either."""
        self._suppressed = suppressed
        self.setVisible(self._sandbox and not self._suppressed)
