"""The main window's profile bar: the selector, add/edit/delete, and what the form may do."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton

from app.core.profile import Profile
from app.ui.qt_util import async_slot, dialog_result, name_widget
from app.ui.window_parts import WindowParts

log = logging.getLogger(__name__)


class ProfileBarMixin(WindowParts):
    """Builds the profile bar and handles its buttons (dialogs open on demand)."""

    def _build_profile_bar(self) -> None:
        self.profile_selector = QComboBox(self)
        name_widget(self.profile_selector, "profileSelector")
        self.profile_selector.setMinimumWidth(200)
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
        self.profile_info = QLabel(self)
        name_widget(self.profile_info, "profileInfoLabel")
        self.profile_info.setStyleSheet("color: palette(mid);")
        self.keyring_status_label = QLabel("Keyring: checking…", self)
        name_widget(self.keyring_status_label, "keyringStatusLabel")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>Profile</b>", self))
        bar.addWidget(self.profile_selector)
        bar.addWidget(self.add_profile_button)
        bar.addWidget(self.edit_profile_button)
        bar.addWidget(self.delete_profile_button)
        self.batch_button = QPushButton("Batch…", self)
        name_widget(self.batch_button, "batchButton")
        self.batch_button.setToolTip("Resend to many users with this profile (Ctrl+B)")
        bar.addWidget(self.batch_button)
        bar.addWidget(self.profile_info, 1)
        bar.addWidget(self.keyring_status_label)
        self._profile_bar = bar

    def current_profile_name(self) -> str | None:
        data = self.profile_selector.currentData()
        return str(data) if data else None

    def current_profile(self) -> Profile | None:
        name = self.current_profile_name()
        return self.controller.profile(name) if name else None

    def select_profile(self, name: str) -> bool:
        index = self.profile_selector.findData(name)
        if index >= 0:
            self.profile_selector.setCurrentIndex(index)
        return index >= 0

    def _refresh_profile_state(self) -> None:
        profile = self.current_profile()
        ready = self.controller.ready
        self.form.set_profile(profile, keyring_usable=self.controller.keyring_usable)
        self.form.set_ready(ready)
        editable = ready and profile is not None and not profile.builtin
        self.edit_profile_button.setEnabled(editable)
        self.delete_profile_button.setEnabled(editable)
        self.add_profile_button.setEnabled(ready)
        if profile is None:
            self.profile_info.setText("")
        else:
            where = profile.endpoint_url or "AWS"
            self.profile_info.setText(f"{profile.region} · {where}")
        self.sandbox_panel.client_combo.setEnabled(True)
        if self.batch_dialog is not None:
            self.batch_dialog.refresh_profile()

    def _on_profiles_changed(self, profiles: list[Profile]) -> None:
        wanted = self.current_profile_name() or str(self._settings.value("profile/last", "") or "")
        self.profile_selector.blockSignals(True)
        self.profile_selector.clear()
        for p in profiles:
            label = f"{p.name} (built-in)" if p.builtin else p.name
            self.profile_selector.addItem(label, p.name)
        self.profile_selector.blockSignals(False)
        if not (wanted and self.select_profile(wanted)) and profiles:
            self.profile_selector.setCurrentIndex(0)
        self._refresh_profile_state()

    def _on_profile_selected(self, _index: int) -> None:
        self._refresh_profile_state()

    @async_slot
    async def _on_add_profile(self) -> None:
        await self._edit_profile(None)

    @async_slot
    async def _on_edit_profile(self) -> None:
        profile = self.current_profile()
        if profile is not None and not profile.builtin:
            await self._edit_profile(profile)

    async def _edit_profile(self, existing: Profile | None) -> None:
        from app.ui.profile_dialog import ProfileDialog

        button = self.edit_profile_button if existing else self.add_profile_button
        button.setEnabled(False)
        try:
            client_id = ""
            if existing is not None:
                client_id = await self.controller.stored_client_id(existing.name) or ""
            dialog = ProfileDialog(
                self._regions,
                existing=existing,
                client_id=client_id,
                taken_names=[p.name for p in self.controller.profiles()],
                keyring_usable=self.controller.keyring_usable,
                parent=self,
            )
            self.controller.regions_loaded.connect(dialog.set_regions)
            accepted = await dialog_result(dialog)
            if not accepted:
                return
            edit = dialog.result_edit()
            if await self.controller.save_profile(edit):
                self.select_profile(edit.profile.name)
        except Exception as exc:
            log.exception("profile dialog failed")
            self._report("Could not save the profile", str(exc))
        finally:
            self._refresh_profile_state()

    @async_slot
    async def _on_delete_profile(self) -> None:
        profile = self.current_profile()
        if profile is None or profile.builtin:
            return
        if not self.confirm(
            "Delete profile",
            f"Delete profile “{profile.name}” and its client ID and secret from the keyring?",
        ):
            return
        self.delete_profile_button.setEnabled(False)
        try:
            await self.controller.delete_profile(profile.name)
        except Exception as exc:
            self._report("Could not delete the profile", str(exc))
        finally:
            self._refresh_profile_state()
