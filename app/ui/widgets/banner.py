"""The message strip at the top of the window: one line, its action buttons, a close button."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from app.ui.qt_util import name_widget
from app.ui.theme import Tone, banner_style


@dataclass(frozen=True)
class BannerAction:
    """A button on the banner: its label, its objectName, what it does."""

    label: str
    name: str
    run: Callable[[], None]


@dataclass(frozen=True)
class BannerMessage:
    """What the banner shows: a short title, one line of text (elided), its actions."""

    title: str
    text: str
    level: str = "warning"  # warning | error | info
    actions: tuple[BannerAction, ...] = ()

    def plain(self) -> str:
        return f"{self.title} — {self.text}"


class ElidedLabel(QLabel):
    """A one-line label that elides its text to the width it gets; the full text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split())  # one line, whatever the message held
        self.setToolTip(self._full)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))


class Banner(QFrame):
    """Shows one `BannerMessage` on one line; hidden until `show_banner` is called."""

    dismissed = Signal()  # the person closed it with ✕

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self._name = name
        self.title_label = QLabel(self)
        name_widget(self.title_label, f"{name}Title")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.label = ElidedLabel(self)
        name_widget(self.label, f"{name}Text")
        self.buttons: list[QPushButton] = []
        self._buttons_row = QHBoxLayout()
        self._buttons_row.setSpacing(4)
        close = QToolButton(self)
        name_widget(close, f"{name}Close")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self._on_close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 4, 2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.label, 1)
        layout.addLayout(self._buttons_row)
        layout.addWidget(close)
        self._message: BannerMessage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    @property
    def message(self) -> BannerMessage | None:
        return self._message

    def show_banner(self, message: BannerMessage) -> None:
        """Replace whatever is shown with `message` (never a second strip)."""
        self._message = message
        # Colours from the palette (light or dark theme), AA contrast: app/ui/theme.py.
        tone = Tone(message.level) if message.level in set(Tone) else Tone.INFO
        self.setStyleSheet(f"#{self._name} {{ {banner_style(self.palette(), tone)} }}")
        self.title_label.setText(message.title)
        self.label.set_full_text(message.text)
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for action in message.actions:
            button = QPushButton(action.label, self)
            name_widget(button, action.name)
            button.clicked.connect(action.run)
            self._buttons_row.addWidget(button)
            self.buttons.append(button)
        self.setVisible(True)

    def clear(self) -> None:
        self._message = None
        self.setVisible(False)

    def text(self) -> str:
        """The whole message in plain text (what the elided line and its tooltip hold)."""
        return self._message.plain() if self._message else ""

    def button(self, name: str) -> QPushButton | None:
        return next((b for b in self.buttons if b.objectName() == name), None)

    def _on_close(self) -> None:
        self.clear()
        self.dismissed.emit()
