"""Add/edit a profile: name, region, endpoint, pool id, and the client id and secret (keyring)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.profile import Profile, validate_profile
from app.core.request import validate_client_id
from app.core.secrets import Secret
from app.ui.controllers.types import ProfileEdit
from app.ui.qt_util import name_widget


class ProfileDialog(QDialog):
    """Collects a `ProfileEdit`; OK stays disabled while a field is invalid."""

    def __init__(
        self,
        regions: Sequence[str],
        *,
        existing: Profile | None = None,
        client_id: str = "",
        taken_names: Sequence[str] = (),
        keyring_usable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "profileDialog")
        self._existing = existing
        self._taken = {n.casefold() for n in taken_names}
        self.setWindowTitle("Edit profile" if existing else "Add profile")
        self.setMinimumWidth(460)

        self.name_edit = QLineEdit(self)
        name_widget(self.name_edit, "profileNameEdit")
        self.name_edit.setToolTip("A name for this app client, e.g. “staging web”.")
        self.region_combo = QComboBox(self)
        name_widget(self.region_combo, "profileRegionCombo")
        self.region_combo.setEditable(True)
        self.region_combo.addItems(list(regions))
        self.region_combo.setToolTip(
            "The user pool's AWS region: the part of the pool ID before '_'. "
            "Type any region botocore does not list yet."
        )
        self.endpoint_edit = QLineEdit(self)
        name_widget(self.endpoint_edit, "profileEndpointEdit")
        self.endpoint_edit.setPlaceholderText("empty = AWS; e.g. http://127.0.0.1:4566")
        self.endpoint_edit.setToolTip("Only for a local emulator or a proxy; leave empty for AWS.")
        self.pool_edit = QLineEdit(self)
        name_widget(self.pool_edit, "profilePoolIdEdit")
        self.pool_edit.setPlaceholderText("optional, e.g. eu-west-1_AbC123xyz")
        self.client_id_edit = QLineEdit(self)
        name_widget(self.client_id_edit, "profileClientIdEdit")
        self.client_id_edit.setToolTip("The app client ID (App integration → App clients).")
        self.secret_edit = QLineEdit(self)
        name_widget(self.secret_edit, "profileClientSecretEdit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setToolTip(
            "The app client secret, if the client has one. Stored only in the system keyring."
        )
        self.show_secret = QCheckBox("Show", self)
        name_widget(self.show_secret, "profileShowSecretCheck")
        self.show_secret.toggled.connect(self._on_show_secret_toggled)
        self.remove_secret = QCheckBox("Remove the stored secret", self)
        name_widget(self.remove_secret, "profileRemoveSecretCheck")
        self.remove_secret.setVisible(bool(existing and existing.has_secret))
        self.remove_secret.toggled.connect(self._validate)

        self.error_label = QLabel(self)
        name_widget(self.error_label, "profileErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.keyring_note = QLabel(self)
        name_widget(self.keyring_note, "profileKeyringNote")
        self.keyring_note.setWordWrap(True)
        if keyring_usable:
            self.keyring_note.setText("The client ID and secret are stored in the system keyring.")
        else:
            self.keyring_note.setText(
                "The keyring is unavailable: the profile is saved, but its client ID and "
                "secret are not. Type them in the form for this session."
            )
            self.keyring_note.setStyleSheet("color: #8a6d00;")

        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Region", self.region_combo)
        form.addRow("Endpoint URL", self.endpoint_edit)
        form.addRow("User pool ID", self.pool_edit)
        form.addRow("Client ID", self.client_id_edit)
        form.addRow("Client secret", secret_row)
        form.addRow("", self.remove_secret)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        name_widget(self.ok_button, "profileOkButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if existing is not None:
            self.name_edit.setText(existing.name)
            self.region_combo.setCurrentText(existing.region)
            self.endpoint_edit.setText(existing.endpoint_url or "")
            self.pool_edit.setText(existing.user_pool_id or "")
            self.client_id_edit.setText(client_id)
            if existing.has_secret:
                self.secret_edit.setPlaceholderText("stored; leave empty to keep it")
        else:
            self.region_combo.setCurrentText("us-east-1")
        for edit in (self.name_edit, self.endpoint_edit, self.pool_edit, self.client_id_edit):
            edit.textChanged.connect(self._validate)
        self.secret_edit.textChanged.connect(self._validate)
        self.region_combo.currentTextChanged.connect(self._validate)
        self._validate()

    def set_regions(self, regions: Sequence[str]) -> None:
        current = self.region_combo.currentText()
        self.region_combo.blockSignals(True)
        self.region_combo.clear()
        self.region_combo.addItems(list(regions))
        self.region_combo.setCurrentText(current)
        self.region_combo.blockSignals(False)

    def _profile(self) -> Profile:
        base = self._existing
        return Profile(
            name=self.name_edit.text().strip(),
            region=self.region_combo.currentText().strip(),
            endpoint_url=self.endpoint_edit.text().strip() or None,
            user_pool_id=self.pool_edit.text().strip() or None,
            has_secret=bool(self.secret_edit.text())
            or bool(base and base.has_secret and not self.remove_secret.isChecked()),
            presets=base.presets if base else (),
        )

    def problems(self) -> list[str]:
        profile = self._profile()
        out = [str(p) for p in validate_profile(profile)]
        out += [str(e) for e in validate_client_id(self.client_id_edit.text().strip())]
        old = self._existing.name if self._existing else None
        if profile.name.casefold() in self._taken and profile.name != old:
            out.append(f"name: “{profile.name}” is already used by another profile")
        return out

    def _validate(self) -> None:
        problems = self.problems()
        touched = any(w.text() for w in (self.name_edit, self.client_id_edit, self.endpoint_edit))
        self.error_label.setText("\n".join(problems) if touched else "")
        self.ok_button.setEnabled(not problems)

    def _on_show_secret_toggled(self, on: bool) -> None:
        self.secret_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        )

    def result_edit(self) -> ProfileEdit:
        """The profile and credentials as entered (call after `exec()` accepted)."""
        typed = self.secret_edit.text()
        if typed:
            secret: Secret | None = Secret(typed)
        elif self.remove_secret.isChecked():
            secret = Secret("")
        else:
            secret = None
        return ProfileEdit(
            profile=self._profile(),
            client_id=self.client_id_edit.text().strip(),
            client_secret=secret,
            previous_name=self._existing.name if self._existing else None,
        )
