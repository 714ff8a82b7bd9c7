"""The resend form: username and Send first, then the optional sections, collapsed.

It validates as you type with `app.core.request.form_errors`, marks each bad field with
its reason, and keeps Send disabled until the form is valid and the services are ready.
Client metadata, the analytics endpoint and the user context data are folded away until
opened (or until they hold a value or a problem), so Send sits right under Username.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, MetadataPreset, Profile
from app.core.request import Field, FieldError, ResendInput, form_errors, validate_client_id
from app.core.words import counted
from app.ui import theme
from app.ui.qt_util import name_widget
from app.ui.widgets.collapsible import Section
from app.ui.widgets.preset_bar import PresetBar
from app.ui.widgets.session_credentials_box import SessionCredentialsBox


def _error_label(name: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    name_widget(label, name)
    label.setWordWrap(True)
    label.setStyleSheet(theme.color_style(theme.text_color(label.palette(), theme.Tone.ERROR)))
    label.setVisible(False)
    return label


def _focusable(parent: QWidget) -> list[QWidget]:
    """`parent`'s descendants that Tab can reach, in the order they were made."""
    tab = Qt.FocusPolicy.TabFocus
    top = parent.window()
    return [
        w
        for w in parent.findChildren(QWidget)
        if w.focusPolicy() & tab == tab and w.window() is top  # not a menu or popup
    ]


class ResendForm(QWidget):
    """Collects one resend's fields; emits `send_requested` when the user asks to send."""

    send_requested = Signal()
    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        from app.ui.widgets.metadata_table import MetadataTable

        super().__init__(parent)
        self._ready = False
        self._busy = False
        self._profile: Profile | None = None
        self._session_needed = False
        self._username_touched = False
        self._valid = False
        self._error_count = 0  # as of the last revalidate: what the Send hint counts

        self.username_edit = QLineEdit(self)
        name_widget(self.username_edit, "usernameEdit")
        self.username_edit.setPlaceholderText("e.g. alice or alice@example.com")
        self.username_edit.setClearButtonEnabled(True)
        self.username_edit.setToolTip(
            "The user to resend the code to: the username or an alias (email or phone) the "
            "pool accepts for sign-in. 1–128 characters, no spaces. Enter sends."
        )
        self.username_error = _error_label("usernameError", self)

        # Session-only credentials: shown when the keyring cannot give this profile's id.
        self.session_box = SessionCredentialsBox(_error_label("sessionCredentialsError"), self)
        self.session_client_id_edit = self.session_box.client_id_edit
        self.session_secret_edit = self.session_box.secret_edit
        self.session_show_secret = self.session_box.show_secret
        self.session_error = self.session_box.error_label

        self.send_button = QPushButton("Send code", self)
        name_widget(self.send_button, "sendButton")
        self.send_button.setDefault(True)
        self.send_button.setEnabled(False)
        self.send_button.setMinimumWidth(120)
        self.send_button.setToolTip(
            "Resend the confirmation code (Enter in Username, or Ctrl+Return)."
        )
        self.send_button.clicked.connect(self._on_send_clicked)
        self.send_hint = QLabel(self)
        name_widget(self.send_hint, "sendHint")
        self.send_hint.setWordWrap(True)
        self.secret_hash_note = QLabel(self)
        name_widget(self.secret_hash_note, "secretHashNote")
        self.secret_hash_note.setWordWrap(True)
        self.secret_hash_note.setToolTip(
            "A SecretHash is required when the app client has a secret. It is computed "
            "from the secret, the username and the client ID, and never shown."
        )
        muted = theme.color_style(theme.muted_text(self.palette()))
        for note in (self.send_hint, self.secret_hash_note):
            note.setStyleSheet(muted)

        self.metadata = MetadataTable(self)
        self.metadata_error = _error_label("clientMetadataError", self)
        self.presets = PresetBar(self.metadata.current_pairs, self)
        self.presets.picked.connect(self._on_preset_picked)
        metadata_box = self._with_error(self.metadata, self.metadata_error)
        metadata_layout = metadata_box.layout()
        assert isinstance(metadata_layout, QVBoxLayout)
        metadata_layout.insertWidget(0, self.presets)
        self.metadata_section = Section("Client metadata", metadata_box, "metadataToggle", self)

        self.analytics_edit = QLineEdit(self)
        name_widget(self.analytics_edit, "analyticsEndpointEdit")
        self.analytics_edit.setPlaceholderText("optional")
        self.analytics_edit.setToolTip(
            "The Amazon Pinpoint endpoint ID to record this request against, when the pool "
            "sends analytics to Pinpoint. Leave empty otherwise."
        )
        self.analytics_error = _error_label("analyticsEndpointError", self)
        self.analytics_section = Section(
            "Analytics endpoint ID",
            self._with_error(self.analytics_edit, self.analytics_error),
            "analyticsToggle",
            self,
        )

        self.ip_edit = QLineEdit(self)
        name_widget(self.ip_edit, "ipAddressEdit")
        self.ip_edit.setPlaceholderText("optional, e.g. 203.0.113.7")
        self.ip_edit.setToolTip(
            "The end user's IP address. Cognito's threat protection uses it to score the "
            "risk of this request."
        )
        self.ip_error = _error_label("ipAddressError", self)
        self.encoded_edit = QLineEdit(self)
        name_widget(self.encoded_edit, "encodedDataEdit")
        self.encoded_edit.setPlaceholderText("optional")
        self.encoded_edit.setToolTip(
            "The device fingerprint that Cognito's advanced-security JavaScript or SDK "
            "collected on the user's device, passed through unchanged."
        )
        self.encoded_error = _error_label("encodedDataError", self)
        self.advanced_box = QWidget(self)
        adv = QFormLayout(self.advanced_box)
        adv.setContentsMargins(16, 0, 0, 0)
        adv.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        adv.addRow("IP address", self._with_error(self.ip_edit, self.ip_error))
        adv.addRow("Encoded data", self._with_error(self.encoded_edit, self.encoded_error))
        self.advanced_section = Section(
            "User context data (advanced)", self.advanced_box, "advancedToggle", self
        )
        self.advanced_toggle = self.advanced_section.toggle

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow pane a field moves under its label instead of being clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Username", self._with_error(self.username_edit, self.username_error))
        send_row = QHBoxLayout()
        send_row.addWidget(self.send_hint, 1)
        send_row.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.session_box)
        layout.addLayout(send_row)
        layout.addWidget(self.secret_hash_note)
        for section in (self.metadata_section, self.analytics_section, self.advanced_section):
            layout.addWidget(section)
        layout.addStretch(1)
        self._set_tab_order()

        for edit in (self.analytics_edit, self.ip_edit, self.encoded_edit):
            edit.textChanged.connect(self.revalidate)
        for edit in (self.session_client_id_edit, self.session_secret_edit):
            edit.textChanged.connect(self.revalidate)
        self.username_edit.textEdited.connect(self._on_username_edited)
        self.username_edit.textChanged.connect(self.revalidate)
        self.username_edit.returnPressed.connect(self._on_send_clicked)
        self.metadata.changed.connect(self.revalidate)

        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(seq), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._on_send_clicked)
        self.revalidate()

    def _set_tab_order(self) -> None:
        """Tab follows the screen: Username, the session fields, Send, then each section."""
        chain: list[QWidget] = [
            self.username_edit,
            self.session_client_id_edit,
            self.session_secret_edit,
            self.session_show_secret,
            self.send_button,
            self.metadata_section.toggle,
            *_focusable(self.presets),
            *_focusable(self.metadata),
            self.analytics_section.toggle,
            self.analytics_edit,
            self.advanced_toggle,
            self.ip_edit,
            self.encoded_edit,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _with_error(field: QWidget, error: QLabel) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(field)
        lay.addWidget(error)
        return box

    # ------------------------------------------------------------------ state from outside
    def set_ready(self, ready: bool) -> None:
        """Whether the services can take a send (set by the window)."""
        self._ready = ready
        self.revalidate()

    def set_busy(self, busy: bool) -> None:
        """True while a send is being registered (the async slot disables Send)."""
        # Only Send's state depends on it: every click sets it twice, and a whole revalidate
        # (restyling the fields) per click held the UI thread while 50 sends went out.
        self._busy = busy
        self._update_send_state()

    def set_profile(self, profile: Profile | None, *, keyring_usable: bool) -> None:
        """Show the SecretHash note and, when the keyring cannot help, the session fields."""
        self._profile = profile
        self._session_needed = bool(profile and not profile.builtin and not keyring_usable)
        self.presets.set_profile(profile)
        self.session_box.setVisible(self._session_needed)
        self._update_secret_note()
        self.revalidate()

    def _update_secret_note(self) -> None:
        p = self._profile
        if p is None:
            text = "Choose a profile."
        elif self._session_needed:
            text = (
                "A SecretHash will be computed from the session secret you type."
                if self.session_secret_edit.text()
                else "No SecretHash will be sent (no session secret typed)."
            )
        elif p.has_secret:
            text = (
                "This app client has a secret: a SecretHash will be computed for each send "
                "(never shown)."
            )
        else:
            text = "This app client has no secret: no SecretHash is needed."
        self.secret_hash_note.setText(text)

    # ------------------------------------------------------------------ values
    def values(self) -> ResendInput:
        """The typed values; the client id is filled in by the controller."""
        return ResendInput(
            client_id="",
            username=self.username_edit.text(),
            client_metadata=tuple(self.metadata.current_pairs()),
            analytics_endpoint_id=self.analytics_edit.text(),
            ip_address=self.ip_edit.text(),
            encoded_data=self.encoded_edit.text(),
        )

    def session_credentials(self) -> ClientCredentials | None:
        """Credentials typed for this session (only when the keyring cannot supply them)."""
        if not self._session_needed:
            return None
        return self.session_box.credentials()

    def errors(self) -> list[FieldError]:
        errors = list(form_errors(self.values()))
        json_error = self.metadata.json_error()
        if json_error:
            errors.append(FieldError(Field.CLIENT_METADATA, f"JSON {json_error}"))
        if self._session_needed:
            errors.extend(validate_client_id(self.session_client_id_edit.text().strip()))
        return errors

    def is_valid(self) -> bool:
        return self._valid

    def set_username(self, username: str) -> None:
        self.username_edit.setText(username)
        # Restoring an empty last username must not greet the user with "is required".
        self._username_touched = self._username_touched or bool(username)

    def fill_from_attempt(self, attempt: Attempt) -> None:
        """Put an earlier attempt's fields back in the form (rerun)."""
        self.set_username(attempt.username)
        self.metadata.mode_button.setChecked(False)
        self.metadata.set_pairs(list(attempt.client_metadata))
        self.analytics_edit.setText(attempt.analytics_endpoint_id)
        self.ip_edit.setText(attempt.ip_address)
        self.encoded_edit.setText(attempt.encoded_data)
        if attempt.ip_address or attempt.encoded_data:
            self.advanced_toggle.setChecked(True)
        if attempt.analytics_endpoint_id:
            self.analytics_section.set_expanded(True)

    def _on_preset_picked(self, preset: MetadataPreset) -> None:
        self.metadata_section.set_expanded(True)
        self.metadata.mode_button.setChecked(False)
        self.metadata.set_pairs(list(preset.pairs))

    # ------------------------------------------------------------------ validation
    def revalidate(self) -> None:
        errors = self.errors()
        by_field: dict[Field, list[FieldError]] = {}
        for e in errors:
            by_field.setdefault(e.field, []).append(e)
        show_username = self._username_touched or bool(self.username_edit.text())
        self._show(
            self.username_edit,
            self.username_error,
            by_field.get(Field.USERNAME, []) if show_username else [],
        )
        self._show(
            self.analytics_edit, self.analytics_error, by_field.get(Field.ANALYTICS_ENDPOINT_ID, [])
        )
        self._show(self.ip_edit, self.ip_error, by_field.get(Field.IP_ADDRESS, []))
        self._show(self.encoded_edit, self.encoded_error, by_field.get(Field.ENCODED_DATA, []))
        if by_field.get(Field.IP_ADDRESS) or by_field.get(Field.ENCODED_DATA):
            self.advanced_toggle.setChecked(True)
        if by_field.get(Field.ANALYTICS_ENDPOINT_ID):
            self.analytics_section.set_expanded(True)
        self._show(
            None,
            self.session_error,
            by_field.get(Field.CLIENT_ID, []) if self.session_client_id_edit.text() else [],
        )
        meta = by_field.get(Field.CLIENT_METADATA, [])
        if meta:
            self.metadata_section.set_expanded(True)
        self._update_summaries()
        self.metadata.mark_errors({e.row: e.message for e in meta if e.row is not None})
        self._show(
            self.metadata.json_edit if self.metadata.in_json_mode() else None,
            self.metadata_error,
            meta,
        )
        self._update_secret_note()

        valid = not errors
        self._error_count = len(errors)
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        self._update_send_state()

    def _update_send_state(self) -> None:
        """Send's enabled state and the hint under it, from the last revalidate's errors."""
        self.send_button.setEnabled(
            self._valid and self._ready and not self._busy and self._profile is not None
        )
        if not self._ready:
            hint = "Starting services…"
        elif self._profile is None:
            hint = "Choose a profile to send."
        elif not self.username_edit.text().strip():
            hint = "Type a username to send."
        elif self._session_needed and not self.session_client_id_edit.text().strip():
            hint = "Type the app client ID above (kept for this session only) to send."
        elif self._error_count:
            hint = f"Fix {counted(self._error_count, 'problem')} above to send."
        else:
            hint = "Enter or Ctrl+Return sends."
        if self.send_hint.text() != hint:
            self.send_hint.setText(hint)

    @staticmethod
    def _show(field: QWidget | None, label: QLabel, errors: list[FieldError]) -> None:
        # Only what changed is written: setStyleSheet re-polishes the field even when the
        # sheet is the same, and a revalidate runs at every keystroke.
        text = "\n".join(str(e) for e in errors)
        if label.text() != text:
            label.setText(text)
        if label.isHidden() == bool(text):
            label.setVisible(bool(text))
        if field is not None:
            sheet = theme.invalid_field_style(field.palette()) if text else ""
            if field.styleSheet() != sheet:
                field.setStyleSheet(sheet)
            tip = field.toolTip().split("\n\n⚠")[0] + (f"\n\n⚠ {text}" if text else "")
            if field.toolTip() != tip:
                field.setToolTip(tip)

    # ------------------------------------------------------------------ slots
    def _on_username_edited(self, _text: str) -> None:
        self._username_touched = True

    def _update_summaries(self) -> None:
        keys = [k for k, _v in self.metadata.current_pairs() if k]
        self.metadata_section.set_summary(counted(len(keys), "key") if keys else "")
        self.analytics_section.set_summary("set" if self.analytics_edit.text() else "")
        context = self.ip_edit.text() or self.encoded_edit.text()
        self.advanced_section.set_summary("set" if context else "")

    def _on_send_clicked(self) -> None:
        if self.send_button.isEnabled():
            self.send_requested.emit()
