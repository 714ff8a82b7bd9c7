"""Confirm with code: the code for a delivered attempt's user (prefilled from the sandbox)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.request import ResendInput
from app.core.signup import ConfirmInput, confirm_form_errors
from app.ui.qt_util import name_widget, ok_cancel_buttons


class ConfirmDialog(QDialog):
    """Asks for the confirmation code of `username`; OK stays disabled while it is invalid."""

    def __init__(
        self, username: str, *, prefill: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        name_widget(self, "confirmDialog")
        self.setWindowTitle("Confirm with code")
        self.setMinimumWidth(380)
        self._username = username
        self.username_label = QLabel(username, self)
        name_widget(self.username_label, "confirmUsernameLabel")
        self.code_edit = QLineEdit(self)
        name_widget(self.code_edit, "confirmCodeEdit")
        self.code_edit.setPlaceholderText("the code from the email or SMS, e.g. 123456")
        self.error_label = QLabel(self)
        name_widget(self.error_label, "confirmCodeError")
        self.error_label.setWordWrap(True)
        self.note_label = QLabel(self)
        name_widget(self.note_label, "confirmPrefillNote")
        self.note_label.setWordWrap(True)
        if prefill:
            self.code_edit.setText(prefill)
            self.note_label.setText("Prefilled with the newest code in the sandbox's inbox.")
        self.note_label.setHidden(not prefill)

        form = QFormLayout()
        form.addRow("Username:", self.username_label)
        form.addRow("Code:", self.code_edit)
        self.buttons, self.ok_button = ok_cancel_buttons(self, "Confirm", "confirmOkButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)
        self.code_edit.textChanged.connect(self._validate)
        self._validate()

    def code(self) -> str:
        return self.code_edit.text().strip()

    def _validate(self) -> None:
        # The same rule the call applies (core), shown before anything is sent.
        raw = ConfirmInput(ResendInput("", self._username), self.code_edit.text())
        errors = confirm_form_errors(raw)
        text = "\n".join(str(e) for e in errors) if self.code_edit.text() else ""
        self.error_label.setText(text)
        self.error_label.setHidden(not text)
        self.ok_button.setEnabled(not errors)
