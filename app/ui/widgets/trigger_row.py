"""The Sandbox panel's "CustomMessage trigger" row: choose a handler file, attach, detach."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui import theme
from app.ui.qt_util import name_widget

DEFAULT_FUNCTION = "handler"

FileChooser = Callable[[QWidget], str | None]


def choose_handler_file(parent: QWidget) -> str | None:
    """The default file chooser (tests inject their own)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "CustomMessage handler", "", "Python files (*.py);;All files (*)"
    )
    return path or None


def short_handler(spec: str) -> str:
    """``/long/path/handler.py:fn`` as ``handler.py:fn`` (the full spec goes in the tooltip)."""
    path, sep, function = spec.rpartition(":")
    return f"{Path(path).name}:{function}" if sep else spec


class TriggerRow(QGroupBox):
    """Emits `attach_requested(spec)` / `detach_requested()`; the window does the work."""

    attach_requested = Signal(str)
    detach_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("CustomMessage trigger", parent)
        name_widget(self, "triggerRow")
        # Replaced by tests and automation to answer without a modal box.
        self.choose_file: FileChooser = choose_handler_file
        self._attached: str | None = None
        self._busy = False

        self.handler_edit = QLineEdit(self)
        name_widget(self.handler_edit, "triggerHandlerEdit")
        self.handler_edit.setPlaceholderText("path/to/handler.py:function")
        self.handler_edit.setToolTip(
            "A Python file and the function in it that the sandbox runs as the pool's "
            "CustomMessage trigger on every resend: a fresh process per call, so edits apply "
            "to the next resend. Cognito's 5-second limit applies."
        )
        self.handler_edit.textChanged.connect(self._update_buttons)
        self.browse_button = QToolButton(self)
        name_widget(self.browse_button, "triggerBrowseButton")
        self.browse_button.setText("…")
        self.browse_button.setToolTip("Choose the handler's .py file.")
        self.browse_button.clicked.connect(self._on_browse)
        self.attach_button = QPushButton("Attach", self)
        name_widget(self.attach_button, "triggerAttachButton")
        self.attach_button.clicked.connect(self._on_attach)
        self.detach_button = QPushButton("Detach", self)
        name_widget(self.detach_button, "triggerDetachButton")
        self.detach_button.clicked.connect(self.detach_requested)
        self.status_label = QLabel("", self)
        name_widget(self.status_label, "triggerStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        edit_row = QHBoxLayout()
        edit_row.addWidget(self.handler_edit, 1)
        edit_row.addWidget(self.browse_button)
        # The status on a line of its own: beside the buttons it made the drawer wider.
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.attach_button)
        button_row.addWidget(self.detach_button)
        layout = QVBoxLayout(self)
        layout.addLayout(edit_row)
        layout.addWidget(self.status_label)
        layout.addLayout(button_row)
        self.set_trigger(None)

    # ------------------------------------------------------------------ state from outside
    def set_trigger(self, handler: str | None) -> None:
        """What the sandbox says is attached now."""
        self._attached = handler
        if handler is None:
            self.status_label.setText("no trigger attached")
            self.status_label.setToolTip("")
        else:
            self.status_label.setText(f"attached: {short_handler(handler)}")
            self.status_label.setToolTip(handler)
            if not self.handler_edit.text():
                self.handler_edit.setText(handler)
        self.status_label.setStyleSheet("")
        self._update_buttons()

    def set_error(self, why: str) -> None:
        self.status_label.setText(f"not changed: {why}")
        error = theme.text_color(self.status_label.palette(), theme.Tone.ERROR)
        self.status_label.setStyleSheet(theme.color_style(error))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def attached(self) -> str | None:
        return self._attached

    # ------------------------------------------------------------------ slots
    def _update_buttons(self) -> None:
        self.attach_button.setEnabled(not self._busy and bool(self.handler_edit.text().strip()))
        self.detach_button.setEnabled(not self._busy and self._attached is not None)

    def _on_browse(self) -> None:
        path = self.choose_file(self)
        if not path:
            return
        _old, sep, function = self.handler_edit.text().rpartition(":")
        # Keep a function name already typed; a Windows drive letter is not one.
        keep = function if sep and function and "/" not in function and "\\" not in function else ""
        self.handler_edit.setText(f"{path}:{keep or DEFAULT_FUNCTION}")

    def _on_attach(self) -> None:
        spec = self.handler_edit.text().strip()
        if spec:
            self.attach_requested.emit(spec)
