"""Sign up a test user: a proposed unique username and a never-bouncing address, editable."""

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
from app.core.signup import SignUpInput, signup_form_errors
from app.ui.controllers.signup import QaUser
from app.ui.qt_util import name_widget, ok_cancel_buttons


class SignUpDialog(QDialog):
    """Shows the proposed test user; the password is generated at sign-up and kept nowhere."""

    def __init__(self, proposed: QaUser, *, builtin: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "signUpDialog")
        self.setWindowTitle("Sign up a test user")
        self.setMinimumWidth(460)
        self.username_edit = QLineEdit(proposed.username, self)
        name_widget(self.username_edit, "signUpUsernameEdit")
        self.email_edit = QLineEdit(proposed.email, self)
        name_widget(self.email_edit, "signUpEmailEdit")
        where = (
            "The sandbox sends nothing; the code lands in its inbox."
            if builtin
            else "The address is on the Amazon SES mailbox simulator: mail to it is accepted "
            "and never bounces, so test runs do not harm the account's sending reputation."
        )
        self.note_label = QLabel(
            f"{where} A password meeting Cognito's default policy is generated for the user "
            "and kept nowhere.",
            self,
        )
        name_widget(self.note_label, "signUpNote")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel(self)
        name_widget(self.error_label, "signUpError")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Username:", self.username_edit)
        form.addRow("Email:", self.email_edit)
        self.buttons, self.ok_button = ok_cancel_buttons(self, "Sign up", "signUpOkButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.username_edit.textChanged.connect(self._validate)
        self.email_edit.textChanged.connect(self._validate)
        self._validate()

    def user(self) -> QaUser:
        return QaUser(self.username_edit.text().strip(), self.email_edit.text().strip())

    def _validate(self) -> None:
        user = self.user()
        attributes = [("email", user.email)] if user.email else []
        raw = SignUpInput(ResendInput("", self.username_edit.text()), user_attributes=attributes)
        errors = signup_form_errors(raw)
        text = "\n".join(str(e) for e in errors)
        self.error_label.setText(text)
        self.error_label.setHidden(not text)
        self.ok_button.setEnabled(not errors)
