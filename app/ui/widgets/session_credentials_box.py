"""The form's session-only client credentials: typed when the keyring cannot supply them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.core.profile import ClientCredentials
from app.core.secrets import Secret
from app.ui.qt_util import name_widget


class SessionCredentialsBox(QGroupBox):
    """A client ID and optional secret kept in memory until the app quits; never written."""

    def __init__(self, error_label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__("Client credentials for this session only", parent)
        name_widget(self, "sessionCredentialsBox")
        self.client_id_edit = QLineEdit(self)
        name_widget(self.client_id_edit, "sessionClientIdEdit")
        self.client_id_edit.setToolTip(
            "The app client ID, kept in memory until you quit; never written anywhere."
        )
        self.secret_edit = QLineEdit(self)
        name_widget(self.secret_edit, "sessionClientSecretEdit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText("only if the app client has a secret")
        self.secret_edit.setToolTip(
            "The app client secret, used to compute the SecretHash; kept in memory only."
        )
        self.show_secret = QCheckBox("Show", self)
        name_widget(self.show_secret, "sessionShowSecretCheck")
        self.show_secret.toggled.connect(
            lambda on: self.secret_edit.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
            )
        )
        self.error_label = error_label
        error_label.setParent(self)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Client ID", self.client_id_edit)
        form.addRow("Client secret", secret_row)
        form.addRow(error_label)
        self.setVisible(False)

    def credentials(self) -> ClientCredentials:
        secret = self.secret_edit.text()
        return ClientCredentials(
            self.client_id_edit.text().strip(), Secret(secret) if secret else None
        )
