"""The profiles controller: the profile list, saving and deleting profiles (file, keyring)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, MetadataPreset, Profile
from app.services.sandbox_profile import sandbox_target
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.types import ProfileEdit

log = logging.getLogger(__name__)

NOT_READY = ("Not ready", "Services are still starting; try again.")


class ProfilesController(QObject):
    """Owns the list the selector shows (the sandbox profile first) and stores edits."""

    profiles_changed = Signal(list)  # list[Profile], the sandbox profile first
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(self, session: Session, tasks: TaskGroup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._profiles: list[Profile] = []
        # The built-in profile is not in the profiles file; the window keeps its presets.
        self._sandbox_presets: tuple[MetadataPreset, ...] = ()
        session.profiles_loaded.connect(self._rebuild)
        session.sandbox_started.connect(self._on_sandbox_started)
        session.sandbox_client_changed.connect(lambda _name: self._rebuild(self._user_profiles()))

    # ------------------------------------------------------------------ the list
    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self._profiles if p.name == name), None)

    def sandbox_profile(self) -> Profile | None:
        info = self._session.sandbox_info
        if info is None:
            return None
        return sandbox_target(info, self._session.sandbox_client, self._sandbox_presets).profile

    def _user_profiles(self) -> list[Profile]:
        return [p for p in self._profiles if not p.builtin]

    def _rebuild(self, user_profiles: list[Profile]) -> None:
        sandbox = self.sandbox_profile()
        mine = sorted(
            (p for p in user_profiles if p.name != SANDBOX_PROFILE_NAME),
            key=lambda p: p.name.casefold(),
        )
        self._profiles = ([sandbox] if sandbox else []) + mine
        self.profiles_changed.emit(list(self._profiles))

    def _on_sandbox_started(self, _info: object) -> None:
        # Before the profiles file is read, the list comes with profiles_loaded.
        if self._profiles or self._session.repo is not None:
            self._rebuild(self._user_profiles())

    # ------------------------------------------------------------------ save / delete
    def save_profile(self, edit: ProfileEdit) -> asyncio.Task[bool]:
        """Store the profile's fields in the file and its id/secret in the keyring."""
        return self._tasks.spawn(self._save_profile(edit))

    async def _save_profile(self, edit: ProfileEdit) -> bool:
        if self._session.repo is None or self._session.secrets is None:
            self.problem_reported.emit(*NOT_READY)
            return False
        try:
            stored_keyring = await self._tasks.blocking(self._save_profile_blocking, edit)
        except Exception as exc:
            log.warning("saving profile %r failed: %s", edit.profile.name, type(exc).__name__)
            self.problem_reported.emit(f"Could not save profile “{edit.profile.name}”", str(exc))
            return False
        kept = (edit.previous_name, edit.profile.name)
        self._rebuild([p for p in self._user_profiles() if p.name not in kept] + [edit.profile])
        if not stored_keyring:
            self.problem_reported.emit(
                "Credentials not stored",
                f"Profile “{edit.profile.name}” was saved, but its client ID and secret could not "
                "be stored because the keyring is unavailable. Type them in the form's session "
                "fields to send now; nothing is written to disk.",
            )
        return True

    def _save_profile_blocking(self, edit: ProfileEdit) -> bool:
        repo, secrets = self._session.repo, self._session.secrets
        assert repo is not None and secrets is not None
        from app.services.secret_store import SecretStoreError

        old = edit.previous_name
        profile = edit.profile
        keyring_ok = True
        try:
            secret = edit.client_secret
            if old and old != profile.name:
                secrets.rename(old, profile.name)
            if secret is None and profile.has_secret:
                # Keep the stored secret: read it back so save() writes both fields again.
                secret = secrets.load(profile.name).client_secret
            creds = ClientCredentials(edit.client_id, secret if secret else None)
            profile = replace(profile, has_secret=bool(creds.client_secret))
            secrets.save(profile.name, creds)
        except SecretStoreError:
            keyring_ok = False
        # One atomic write that also renames: a save-then-remove would delete the
        # profile when only the case of its name changed (names compare case-blind).
        repo.save(profile, replacing=old or None)
        return keyring_ok

    def delete_profile(self, name: str) -> asyncio.Task[bool]:
        return self._tasks.spawn(self._delete_profile(name))

    async def _delete_profile(self, name: str) -> bool:
        repo, secrets = self._session.repo, self._session.secrets
        if repo is None or secrets is None:
            return False

        def work() -> None:
            from app.services.secret_store import SecretStoreError

            repo.remove(name)
            try:
                secrets.delete(name)
            except SecretStoreError as exc:
                log.warning("keyring entry of %r not deleted: %s", name, exc.problem)

        try:
            await self._tasks.blocking(work)
        except Exception as exc:
            self.problem_reported.emit(f"Could not delete profile “{name}”", str(exc))
            return False
        self._rebuild([p for p in self._user_profiles() if p.name != name])
        return True

    async def stored_client_id(self, name: str) -> str | None:
        """The profile's client id from the keyring (for the edit dialog), or None."""
        return await self._session.stored_client_id(name)

    # ------------------------------------------------------------------ presets
    def set_sandbox_presets(self, presets: tuple[MetadataPreset, ...]) -> None:
        """The built-in profile's presets, as the window keeps them in its settings."""
        self._sandbox_presets = tuple(presets)
        if self._session.sandbox_info is not None:
            self._rebuild(self._user_profiles())

    def save_presets(
        self, profile_name: str, presets: tuple[MetadataPreset, ...]
    ) -> asyncio.Task[bool]:
        """Store a profile's metadata presets: in the profiles file (off the UI thread), or in
        memory for the built-in profile (the window persists those in its settings)."""
        return self._tasks.spawn(self._save_presets(profile_name, presets))

    async def _save_presets(self, profile_name: str, presets: tuple[MetadataPreset, ...]) -> bool:
        profile = self.profile(profile_name)
        if profile is None:
            self.problem_reported.emit("No such profile", f"Profile “{profile_name}” is gone.")
            return False
        if profile.builtin:
            self.set_sandbox_presets(presets)
            return True
        repo = self._session.repo
        if repo is None:
            self.problem_reported.emit(*NOT_READY)
            return False
        updated = replace(profile, presets=tuple(presets))
        try:
            await self._tasks.blocking(repo.save, updated)
        except Exception as exc:
            log.warning("saving presets of %r failed: %s", profile_name, exc)
            self.problem_reported.emit(f"Could not save the presets of “{profile_name}”", str(exc))
            return False
        self._rebuild([p for p in self._user_profiles() if p.name != profile.name] + [updated])
        return True
