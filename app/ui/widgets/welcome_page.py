"""The first-run page: connect your own user pool, or try the built-in sandbox.

It is a first screen (app/ui/staged_start.py): built before the first paint, so it names
no enum of PySide6's `Qt` namespace — the first use of that namespace builds all its
~90 enums (~13 ms) — and imports no asyncio.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.ui.qt_util import name_widget


class WelcomeChoice(StrEnum):
    ADD_PROFILE = "add_profile"
    IMPORT_FILE = "import_file"
    IMPORT_AWS = "import_aws"
    SANDBOX = "sandbox"


class WelcomePage(QWidget):
    """Shown until the user has a profile of their own or has chosen; emits the choice."""

    choice_made = Signal(str)  # one of the WelcomeChoice values

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "welcomePage")
        title = QLabel(f"Welcome to {APP_NAME}")
        name_widget(title, "welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Send a customer a new sign-up code, and see in plain words whether it will reach "
            "them. First, tell the app which user pool your customers are in — or look around "
            "with a test pool that runs on this computer."
        )
        intro.setWordWrap(True)

        self.add_button = QPushButton("Add a profile…")
        name_widget(self.add_button, "welcomeAddProfileButton")
        self.import_file_button = QPushButton("Import a profile file…")
        name_widget(self.import_file_button, "welcomeImportFileButton")
        self.import_aws_button = QPushButton("Import from an AWS account…")
        name_widget(self.import_aws_button, "welcomeImportAwsButton")
        connect = _choice(
            "Connect your user pool",
            "For real customers. Your administrator may have given you a profile file; "
            "otherwise you need the pool's region and app client ID.",
            (self.add_button, self.import_file_button, self.import_aws_button),
        )
        self.sandbox_button = QPushButton("Try the sandbox")
        name_widget(self.sandbox_button, "welcomeSandboxButton")
        sandbox = _choice(
            "Try the sandbox",
            "A test pool on this computer with made-up users (alice@example.com and others). "
            "No real customer gets anything.",
            (self.sandbox_button,),
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(connect, 0, 0)
        grid.addWidget(sandbox, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(grid)
        column.addStretch(2)
        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(820)
        # Centred between two stretches (no alignment flag: see the module docstring).
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(inner, 1000)
        outer.addStretch(1)

        for button, choice in (
            (self.add_button, WelcomeChoice.ADD_PROFILE),
            (self.import_file_button, WelcomeChoice.IMPORT_FILE),
            (self.import_aws_button, WelcomeChoice.IMPORT_AWS),
            (self.sandbox_button, WelcomeChoice.SANDBOX),
        ):
            button.clicked.connect(lambda _=False, c=choice: self.choice_made.emit(c.value))

    def focus_first(self) -> None:
        self.add_button.setFocus()  # Qt's default reason: OtherFocusReason


def _choice(heading: str, text: str, buttons: tuple[QPushButton, ...]) -> QFrame:
    box = QFrame()
    box.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(16, 12, 16, 14)
    title = QLabel(heading)
    font = title.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.2)
    title.setFont(font)
    body = QLabel(text)
    body.setWordWrap(True)
    layout.addWidget(title)
    layout.addWidget(body)
    layout.addSpacing(6)
    for b in buttons:
        b.setMinimumHeight(32)
        layout.addWidget(b)
    layout.addStretch(1)
    return box
