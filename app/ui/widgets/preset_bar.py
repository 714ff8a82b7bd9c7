"""ClientMetadata presets in the form: pick one, save the table as one, rename or delete them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.presets import find_preset, remove_preset, save_preset
from app.core.profile import MetadataPreset, Profile
from app.ui.qt_util import name_widget

NO_PRESET = "(no preset)"

NamePrompt = Callable[[QWidget, str], str | None]
Confirm = Callable[[str, str], bool]
RunDialog = Callable[["PresetManagerDialog"], bool]


def ask_preset_name(parent: QWidget, suggested: str) -> str | None:
    """The default name prompt (tests inject their own)."""
    text, ok = QInputDialog.getText(parent, "Save metadata preset", "Preset name:", text=suggested)
    return text if ok else None


def _ask_yes_no(title: str, text: str) -> bool:
    return QMessageBox.question(None, title, text) == QMessageBox.StandardButton.Yes


def _run_dialog(dialog: PresetManagerDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def _tool_button(text: str, name: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    name_widget(button, name)
    return button


class PresetManagerDialog(QDialog):
    """Rename (edit an item in place) and delete a profile's presets; OK returns the result."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "presetManagerDialog")
        self.setWindowTitle(f"Metadata presets of “{profile.name}”")
        self._profile = profile
        self.list = QListWidget(self)
        name_widget(self.list, "presetList")
        for preset in profile.presets:
            item = QListWidgetItem(preset.name)
            item.setData(Qt.ItemDataRole.UserRole, preset.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(", ".join(f"{k}={v}" for k, v in preset.pairs) or "(empty)")
            self.list.addItem(item)
        self.delete_button = QPushButton("Delete", self)
        name_widget(self.delete_button, "presetDeleteButton")
        self.delete_button.clicked.connect(self._on_delete)
        self.error_label = QLabel("", self)
        name_widget(self.error_label, "presetErrorLabel")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(self._validate)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Double-click a name to rename it.", self))
        layout.addWidget(self.list)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def rename(self, old: str, new: str) -> None:
        """Rename a row (what double-click editing does; used by tests)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == old:
                item.setText(new)

    def delete(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.takeItem(row)
                break
        self._validate()

    def _on_delete(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.delete(str(item.data(Qt.ItemDataRole.UserRole)))

    def result_presets(self) -> tuple[MetadataPreset, ...]:
        """The presets as edited: kept ones renamed, in list order (ValueError if unusable)."""
        profile = self._profile
        kept = {
            str(self.list.item(r).data(Qt.ItemDataRole.UserRole)) for r in range(self.list.count())
        }
        for preset in profile.presets:
            if preset.name not in kept:
                profile = remove_preset(profile, preset.name)
        for row in range(self.list.count()):
            item = self.list.item(row)
            old = str(item.data(Qt.ItemDataRole.UserRole))
            found = find_preset(profile, old)
            if found is not None and item.text().strip() != old:
                profile = save_preset(profile, item.text(), found.pairs, replacing=old)
        return profile.presets

    def _validate(self, _item: QListWidgetItem | None = None) -> None:
        try:
            self.result_presets()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.error_label.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)


class PresetBar(QWidget):
    """The preset picker above the metadata table; edits leave as `presets_edited`."""

    picked = Signal(object)  # MetadataPreset
    presets_edited = Signal(object)  # tuple[MetadataPreset, ...] for the current profile

    def __init__(
        self,
        current_pairs: Callable[[], list[tuple[str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_pairs = current_pairs
        self._profile: Profile | None = None
        self._wanted: str | None = None
        # Replaced by tests and automation to answer without a modal box.
        self.ask_name: NamePrompt = ask_preset_name
        self.confirm: Confirm = _ask_yes_no
        self.run_dialog: RunDialog = _run_dialog

        self.combo = QComboBox(self)
        name_widget(self.combo, "presetSelector")
        self.combo.setToolTip("Fill the metadata table with a saved preset of this profile.")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(10)
        self.combo.activated.connect(self._on_activated)
        self.save_button = _tool_button("Save as preset…", "presetSaveButton", self)
        self.save_button.setToolTip("Save the metadata rows as a named preset of this profile.")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.manage_button = _tool_button("Manage…", "presetManageButton", self)
        self.manage_button.setToolTip("Rename or delete this profile's presets.")
        self.manage_button.clicked.connect(self._on_manage_clicked)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Preset", self))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.save_button)
        layout.addWidget(self.manage_button)
        self.set_profile(None)

    # ------------------------------------------------------------------ state from outside
    def set_profile(self, profile: Profile | None) -> None:
        """Show this profile's presets, keeping the picked one when it still exists."""
        keep = self._wanted or self.current_name()
        self._wanted = None
        self._profile = profile
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_PRESET, None)
        for preset in profile.presets if profile else ():
            self.combo.addItem(preset.name, preset.name)
        index = self.combo.findData(keep) if keep else -1
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self.setEnabled(profile is not None)
        self.manage_button.setEnabled(bool(profile and profile.presets))

    def current_name(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    def pick(self, name: str) -> bool:
        """Choose a preset by name, as a click does (fills the table)."""
        index = self.combo.findData(name)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        self._on_activated(index)
        return True

    # ------------------------------------------------------------------ slots
    def _on_activated(self, _index: int) -> None:
        name = self.current_name()
        preset = find_preset(self._profile, name) if self._profile and name else None
        if preset is not None:
            self.picked.emit(preset)

    def _on_save_clicked(self) -> None:
        profile = self._profile
        if profile is None:
            return
        name = self.ask_name(self, self.current_name() or "")
        if name is None or not name.strip():
            return
        existing = find_preset(profile, name)
        if existing is not None and not self.confirm(
            "Replace preset", f"Replace preset “{existing.name}” with the current metadata?"
        ):
            return
        try:
            updated = save_preset(
                profile,
                name,
                self._current_pairs(),
                replacing=existing.name if existing else None,
            )
        except ValueError as exc:
            QMessageBox.warning(self, "Preset not saved", str(exc))
            return
        self._wanted = name.strip()
        self.presets_edited.emit(updated.presets)

    def _on_manage_clicked(self) -> None:
        if self._profile is None:
            return
        dialog = PresetManagerDialog(self._profile, self)
        try:
            if not self.run_dialog(dialog):
                return
            presets = dialog.result_presets()
        except ValueError as exc:
            QMessageBox.warning(self, "Presets not saved", str(exc))
            return
        finally:
            dialog.deleteLater()
        self.presets_edited.emit(presets)
