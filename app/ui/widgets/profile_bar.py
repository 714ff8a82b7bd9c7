"""The profile bar: the profile selector, add/edit/delete, the batch button, keyring status.

The support view's first screen shows it (issue 15), so it is built without naming the
`Qt` enum namespace (its first use costs ~13 ms): the two shortening labels, which do and
which only the developer view shows, are built when first shown or written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.qt_util import name_widget

if TYPE_CHECKING:
    from app.core.profile import Profile
    from app.ui.widgets.elided_label import ElidedLabel


class ProfileBar(QWidget):
    """Shows the profiles and what may be done with the chosen one; emits requests only."""

    profile_selected = Signal()  # the selector's current profile changed
    add_requested = Signal()
    edit_requested = Signal()
    delete_requested = Signal()
    batch_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, keyring_text: str = "Keyring: checking…"
    ) -> None:
        super().__init__(parent)
        name_widget(self, "profileBar")
        self.profile_selector = QComboBox(self)
        name_widget(self.profile_selector, "profileSelector")
        # Long profile names shorten in the closed box; the list shows them whole.
        self.profile_selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.profile_selector.setMinimumContentsLength(14)
        self.profile_selector.setToolTip("The app client to send through.")
        self.profile_selector.setPlaceholderText("Loading profiles…")
        self.add_profile_button = QPushButton("Add…", self)
        name_widget(self.add_profile_button, "addProfileButton")
        self.edit_profile_button = QPushButton("Edit…", self)
        name_widget(self.edit_profile_button, "editProfileButton")
        self.delete_profile_button = QPushButton("Delete", self)
        name_widget(self.delete_profile_button, "deleteProfileButton")
        for b in (self.add_profile_button, self.edit_profile_button, self.delete_profile_button):
            b.setEnabled(False)
        self.batch_button = QPushButton("Batch…", self)
        name_widget(self.batch_button, "batchButton")
        self.batch_button.setToolTip("Resend to many users with this profile (Ctrl+B)")
        for b in (
            self.add_profile_button,
            self.edit_profile_button,
            self.delete_profile_button,
            self.batch_button,
        ):
            # The style's 80 px minimum is wider than these words: let a narrow window take it.
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text()) + 20)
        self._keyring_text = keyring_text
        self._labels: tuple[ElidedLabel, ElidedLabel] | None = None
        self._developer_parts = True
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel("<b>Profile</b>", self))
        bar.addWidget(self.profile_selector)
        bar.addWidget(self.add_profile_button)
        bar.addWidget(self.edit_profile_button)
        bar.addWidget(self.delete_profile_button)
        bar.addWidget(self.batch_button)
        self._bar = bar  # the labels join it at its end

        self.profile_selector.currentIndexChanged.connect(lambda _i: self.profile_selected.emit())
        self.add_profile_button.clicked.connect(self.add_requested)
        self.edit_profile_button.clicked.connect(self.edit_requested)
        self.delete_profile_button.clicked.connect(self.delete_requested)
        self.batch_button.clicked.connect(self.batch_requested)

    @property
    def profile_info(self) -> ElidedLabel:
        """The chosen profile's region and endpoint (the developer view's)."""
        return self._ensure_labels()[0]

    @property
    def keyring_status_label(self) -> ElidedLabel:
        """The keyring's backend and state (the developer view's)."""
        return self._ensure_labels()[1]

    def set_developer_parts_shown(self, shown: bool) -> None:
        """The endpoint, the keyring, Batch, Edit and Delete: the developer view's parts."""
        self._developer_parts = shown
        for b in (self.batch_button, self.edit_profile_button, self.delete_profile_button):
            b.setVisible(shown)
        if shown or self._labels is not None:
            for label in self._ensure_labels():
                label.setVisible(shown)

    def _ensure_labels(self) -> tuple[ElidedLabel, ElidedLabel]:
        if self._labels is None:
            from PySide6.QtCore import Qt

            from app.ui import theme
            from app.ui.widgets.elided_label import ElidedLabel

            # Both shorten (full text in the tooltip): they must never widen the window.
            info = ElidedLabel("", self, mode=Qt.TextElideMode.ElideMiddle)
            name_widget(info, "profileInfoLabel")
            info.setStyleSheet(theme.color_style(theme.muted_text(self.palette())))
            keyring = ElidedLabel(self._keyring_text, self)
            name_widget(keyring, "keyringStatusLabel")
            keyring.setAlignment(Qt.AlignmentFlag.AlignRight)
            for label, stretch in ((info, 3), (keyring, 2)):
                label.setVisible(self._developer_parts)
                self._bar.addWidget(label, stretch)
            self._labels = (info, keyring)
        return self._labels

    def current_name(self) -> str | None:
        data = self.profile_selector.currentData()
        return str(data) if data else None

    def select(self, name: str) -> bool:
        index = self.profile_selector.findData(name)
        if index >= 0:
            self.profile_selector.setCurrentIndex(index)
        return index >= 0

    def set_profiles(self, profiles: list[Profile], wanted: str) -> None:
        """List `profiles`, keeping `wanted` chosen if it is there (else the first)."""
        self.profile_selector.blockSignals(True)
        self.profile_selector.clear()
        for p in profiles:
            label = f"{p.name} (built-in)" if p.builtin else p.name
            self.profile_selector.addItem(label, p.name)
        self.profile_selector.blockSignals(False)
        if not (wanted and self.select(wanted)) and profiles:
            self.profile_selector.setCurrentIndex(0)

    def show_state(self, profile: Profile | None, *, ready: bool) -> None:
        """Enable what may be done now; the built-in profile is neither edited nor deleted."""
        editable = ready and profile is not None and not profile.builtin
        self.edit_profile_button.setEnabled(editable)
        self.delete_profile_button.setEnabled(editable)
        self.add_profile_button.setEnabled(ready)
        if profile is None:
            self.profile_info.set_full_text("")
        else:
            where = profile.endpoint_url or "AWS"
            self.profile_info.set_full_text(f"{profile.region} · {where}")

    def show_keyring(self, backend_name: str, *, usable: bool, message: str) -> None:
        mark = "✔" if usable else "⚠"
        self.keyring_status_label.set_full_text(f"Keyring: {backend_name} {mark}", message)
