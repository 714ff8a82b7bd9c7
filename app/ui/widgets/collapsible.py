"""A collapsible section: a header button with an arrow that shows or hides its content."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.ui.qt_util import name_widget


class Section(QWidget):
    """`title` (plus a short summary while collapsed) over `content`; collapsed at first."""

    toggled = Signal(bool)

    def __init__(self, title: str, content: QWidget, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._title = title
        self._summary = ""
        self.toggle = QToolButton(self)
        name_widget(self.toggle, name)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.content = content
        content.setParent(self)
        content.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(content)
        self.toggle.toggled.connect(self._on_toggled)
        self._update_text()

    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def set_summary(self, summary: str) -> None:
        """A few words shown after the title while collapsed (e.g. "2 keys")."""
        if summary != self._summary:
            self._summary = summary
            self._update_text()

    def _update_text(self) -> None:
        tail = f" — {self._summary}" if self._summary and not self.expanded() else ""
        self.toggle.setText(self._title + tail)

    def _on_toggled(self, on: bool) -> None:
        self.content.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._update_text()
        self.toggled.emit(on)
