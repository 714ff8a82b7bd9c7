"""Asks for one imported profile's client secret (once); it goes to the keyring, nowhere else."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.secrets import Secret
from app.ui.qt_util import name_widget


class ImportSecretDialog(QDialog):
    """"Client secret of <profile>": Store in keyring, or Skip this profile."""

    def __init__(self, profile_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "importSecretDialog")
        self.setWindowTitle("Client secret needed")
        note = QLabel(
            f"The app client of profile “{profile_name}” has a client secret. Ask your admin "
            "for it and paste it here: it is stored in the system keyring only.",
            self,
        )
        note.setWordWrap(True)
        self.secret_edit = QLineEdit(self)
        name_widget(self.secret_edit, "importSecretEdit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        show = QCheckBox("Show", self)
        name_widget(show, "importSecretShowCheck")
        show.toggled.connect(
            lambda on: self.secret_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        form = QFormLayout()
        form.addRow("Client secret", self.secret_edit)
        form.addRow("", show)
        self.buttons = QDialogButtonBox(self)
        self.store_button = self.buttons.addButton(
            "Store in keyring", QDialogButtonBox.ButtonRole.AcceptRole
        )
        name_widget(self.store_button, "importSecretStoreButton")
        self.skip_button = self.buttons.addButton(
            "Skip this profile", QDialogButtonBox.ButtonRole.RejectRole
        )
        name_widget(self.skip_button, "importSecretSkipButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.store_button.setEnabled(False)
        self.secret_edit.textChanged.connect(
            lambda text: self.store_button.setEnabled(bool(text.strip()))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def secret(self) -> Secret | None:
        typed = self.secret_edit.text().strip()
        return Secret(typed) if typed else None
