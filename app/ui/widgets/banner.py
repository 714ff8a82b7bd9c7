"""A dismissable message strip at the top of the window (keyring missing or locked, etc.)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.ui.qt_util import name_widget


class Banner(QFrame):
    """A coloured strip with one message; hidden until `show_message` is called."""

    _STYLES = {
        "warning": "background: #fff4ce; color: #3d2e00; border: 1px solid #e0c36a;",
        "error": "background: #fde7e9; color: #5c0a10; border: 1px solid #e39aa1;",
        "info": "background: #e5f1fb; color: #0b3558; border: 1px solid #9cc3e6;",
    }

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self.label = QLabel(self)
        name_widget(self.label, f"{name}Text")
        self.label.setWordWrap(True)
        self.label.setOpenExternalLinks(False)
        close = QToolButton(self)
        name_widget(close, f"{name}Close")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setVisible(False)

    def show_message(self, title: str, text: str, level: str = "warning") -> None:
        self.setStyleSheet(f"#{self.objectName()} {{ {self._STYLES.get(level, '')} }}")
        self.label.setText(f"<b>{_escape(title)}</b> — {_escape(text)}")
        self.setVisible(True)

    def text(self) -> str:
        return self.label.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
