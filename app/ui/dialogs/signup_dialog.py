"""Sign up a test user: a proposed unique username and a never-bouncing address, editable;
a generated password, or one the tester types."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import limits
from app.core.passwords import policy_problems
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.core.signup import SignUpInput, signup_form_errors
from app.ui.controllers.signup import QaUser
from app.ui.qt_util import name_widget, ok_cancel_buttons


class SignUpDialog(QDialog):
    """Shows the proposed test user. The password is generated at sign-up and kept nowhere,
    unless the tester chooses to type one (to sign in with it afterwards)."""

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
        self.note_label = QLabel(where, self)
        name_widget(self.note_label, "signUpNote")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel(self)
        name_widget(self.error_label, "signUpError")
        self.error_label.setWordWrap(True)
        # A generated password by default: nothing to type, nothing kept. A tester who
        # wants to sign in as the user afterwards types one instead.
        self.type_password_check = QCheckBox("Type a password instead of generating one", self)
        name_widget(self.type_password_check, "signUpTypePasswordCheck")
        self.password_edit = QLineEdit(self)
        name_widget(self.password_edit, "signUpPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("8+ characters: upper, lower, a number, a symbol")
        self.password_edit.setEnabled(False)
        self.password_note = QLabel(self)
        name_widget(self.password_note, "signUpPasswordNote")
        self.password_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Username:", self.username_edit)
        form.addRow("Email:", self.email_edit)
        form.addRow("Password:", self.type_password_check)
        form.addRow("", self.password_edit)
        form.addRow("", self.password_note)
        self.buttons, self.ok_button = ok_cancel_buttons(self, "Sign up", "signUpOkButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.username_edit.textChanged.connect(self._validate)
        self.email_edit.textChanged.connect(self._validate)
        self.password_edit.textChanged.connect(self._validate)
        self.type_password_check.toggled.connect(self._password_mode)
        self._validate()

    def user(self) -> QaUser:
        password = Secret(self.password_edit.text()) if self._typing() else None
        return QaUser(self.username_edit.text().strip(), self.email_edit.text().strip(), password)

    def _typing(self) -> bool:
        return self.type_password_check.isChecked()

    def _password_mode(self, typing: bool) -> None:
        self.password_edit.setEnabled(typing)
        if typing:
            self.password_edit.setFocus()
        self._validate()

    def _validate(self) -> None:
        user = self.user()
        attributes = [("email", user.email)] if user.email else []
        raw = SignUpInput(ResendInput("", self.username_edit.text()), user_attributes=attributes)
        errors = signup_form_errors(raw)
        text = "\n".join(str(e) for e in errors)
        self.error_label.setText(text)
        self.error_label.setHidden(not text)
        password_ok = self._check_password()
        self.ok_button.setEnabled(not errors and password_ok)

    def _check_password(self) -> bool:
        """Whether the password part can go: generated, or typed and within the default
        policy. The pool's own policy may be stricter; Cognito then says what is missing."""
        if not self._typing():
            self.password_note.setText(
                "A password meeting Cognito's default policy is generated and kept nowhere."
            )
            return True
        typed = self.password_edit.text()
        if not typed:
            self.password_note.setText("Password: type one, or untick the box to generate one.")
            return False
        # The API's own rules for Password, as core validates them (ASCII white space
        # only: the model's pattern is Java's [\S]+).
        if limits.non_space_bad_chars(typed):
            self.password_note.setText("Password: no spaces or line breaks.")
            return False
        if len(typed) > limits.PASSWORD.max_len:
            self.password_note.setText(f"Password: at most {limits.PASSWORD.max_len} characters.")
            return False
        missing = policy_problems(typed)
        if missing:
            self.password_note.setText(
                "Password: Cognito's default policy also needs " + ", ".join(missing) + "."
            )
            return False
        self.password_note.setText("The password is sent with the sign-up and kept nowhere.")
        return True
