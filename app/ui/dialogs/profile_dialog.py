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

from app.core.profile import (
    Profile,
    ProfileProblem,
    region_of_pool,
    validate_pool_region,
    validate_profile,
)
from app.core.request import validate_client_id
from app.core.secrets import Secret
from app.ui.controllers.types import ProfileEdit
from app.ui.qt_util import name_widget

ERROR_COLOUR = "#b71c1c"
_OUTLINE = f"border: 2px solid {ERROR_COLOUR}; border-radius: 3px;"
# The form's labels: an error names its field in these words, never the internal name.
FIELD_LABELS = {
    "user_pool_id": "User pool ID",
    "region": "Region",
    "name": "Name",
    "endpoint_url": "Endpoint URL",
    "client_id": "Client ID",
    "presets": "Metadata presets",
    "aws_profile": "AWS profile",
}
_OBJECT_NAMES = {
    "user_pool_id": "profilePoolId",
    "region": "profileRegion",
    "name": "profileName",
    "endpoint_url": "profileEndpoint",
    "client_id": "profileClientId",
}


def field_sentence(problem: ProfileProblem) -> str:
    """"Name is required" -- a problem in the words of its field's label."""
    label = FIELD_LABELS.get(problem.field, problem.field.replace("_", " ").capitalize())
    message = problem.message
    if message.startswith("“"):
        return f"{label}: {message}"
    return f"{label} {message}"


class ProfileDialog(QDialog):
    """Collects a `ProfileEdit`; "Save profile" stays disabled while a field is invalid."""

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
        self._reached: set[QWidget] = set()  # fields typed in (or tabbed out of) once
        self._taken = {n.casefold() for n in taken_names}
        self.setWindowTitle("Edit profile" if existing else "Add profile")
        self.setMinimumWidth(540)

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
        self.pool_edit.setPlaceholderText("e.g. eu-west-1_AbC123xyz — fills in the region")
        self.pool_edit.setToolTip("The user pool ID (General settings); its region fills in.")
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
            self.keyring_note.setStyleSheet("color: #6b5500;")

        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret)
        # Each field's error sits right under it, in the words of the field's label.
        self.field_errors: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {
            "user_pool_id": self.pool_edit,
            "region": self.region_combo,
            "name": self.name_edit,
            "endpoint_url": self.endpoint_edit,
            "client_id": self.client_id_edit,
        }
        form = QFormLayout()
        self._add_row(form, "user_pool_id", self.pool_edit)
        self._add_row(form, "region", self.region_combo)
        self._add_row(form, "name", self.name_edit)
        self._add_row(form, "endpoint_url", self.endpoint_edit)
        self._add_row(form, "client_id", self.client_id_edit)
        form.addRow("Client secret", secret_row)
        form.addRow("", self.remove_secret)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok_button.setText("Save profile")
        name_widget(self.ok_button, "profileSaveButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
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
        self.pool_edit.textChanged.connect(self._on_pool_edited)
        for edit in (self.name_edit, self.endpoint_edit, self.pool_edit, self.client_id_edit):
            edit.textChanged.connect(self._validate)
        self.secret_edit.textChanged.connect(self._validate)
        self.region_combo.currentTextChanged.connect(self._validate)
        self._validate()
        self.pool_edit.setFocus()

    def _add_row(self, form: QFormLayout, field: str, widget: QWidget) -> None:
        error = QLabel(self)
        name_widget(error, f"{_OBJECT_NAMES[field]}Error")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        error.setVisible(False)
        self.field_errors[field] = error
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        form.addRow(FIELD_LABELS[field], column)

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

    def field_problems(self) -> dict[str, list[str]]:
        """Each field's problems, as sentences that start with the field's label."""
        profile = self._profile()
        found = [*validate_profile(profile), *validate_pool_region(profile.region,
                                                                   profile.user_pool_id)]
        found += [
            ProfileProblem("client_id", e.message)
            for e in validate_client_id(self.client_id_edit.text().strip())
        ]
        old = self._existing.name if self._existing else None
        if profile.name.casefold() in self._taken and profile.name != old:
            found.append(ProfileProblem("name", f"“{profile.name}” is already used by another "
                                                "profile"))
        out: dict[str, list[str]] = {}
        for problem in found:
            out.setdefault(problem.field, []).append(field_sentence(problem))
        return out

    def problems(self) -> list[str]:
        return [text for texts in self.field_problems().values() for text in texts]

    def _validate(self) -> None:
        by_field = self.field_problems()
        grown = False
        for field, label in self.field_errors.items():
            widget = self._fields[field]
            # An empty field the person has not reached yet is not shouted at.
            texts = by_field.get(field, []) if self._touched(widget) else []
            text = "\n".join(texts)
            grown = grown or (text != label.text())
            label.setText(text)
            label.setVisible(bool(texts))
            widget.setStyleSheet(_OUTLINE if texts else "")
            widget.setProperty("invalid", bool(texts))
        if grown and self.isVisible():
            # A wrapped message needs its lines: let the dialog grow (or shrink) to fit.
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self.resize(self.width(), self.heightForWidth(self.width()))
        self.ok_button.setEnabled(not by_field)

    def _touched(self, widget: QWidget) -> bool:
        if isinstance(widget, QLineEdit):
            if widget.text():
                self._reached.add(widget)  # typed in, then maybe cleared: it was reached
            return widget in self._reached
        return True

    def focusNextPrevChild(self, forward: bool) -> bool:
        # A field left with Tab counts as reached: its "is required" shows from then on.
        current = self.focusWidget()
        if isinstance(current, QLineEdit):
            self._reached.add(current)
        moved = super().focusNextPrevChild(forward)
        self._validate()
        return moved

    def _on_pool_edited(self, text: str) -> None:
        """The region follows the pool ID (the part before "_"); typing another is refused."""
        region = region_of_pool(text.strip())
        if region and region != self.region_combo.currentText().strip():
            self.region_combo.setCurrentText(region)

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
