"""Controller profiles and presets: save, rename, delete (file + keyring), metadata presets."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from app.core.profile import ClientCredentials, MetadataPreset
from app.ui.controller_base import ControllerPart
from app.ui.controller_types import ProfileEdit

log = logging.getLogger(__name__)


class ProfilesMixin(ControllerPart):
    """Stores profiles in the file and their client id/secret in the keyring."""

    def save_profile(self, edit: ProfileEdit) -> asyncio.Task[bool]:
        """Store the profile's fields in the file and its id/secret in the keyring."""
        return self._spawn(self._save_profile(edit))

    async def _save_profile(self, edit: ProfileEdit) -> bool:
        if self._repo is None or self._secrets is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return False
        try:
            stored_keyring = await self._blocking(self._save_profile_blocking, edit)
        except Exception as exc:
            log.warning("saving profile %r failed: %s", edit.profile.name, type(exc).__name__)
            self.problem_reported.emit(f"Could not save profile “{edit.profile.name}”", str(exc))
            return False
        self._rebuild_profiles(
            [
                p
                for p in self._user_profiles()
                if p.name not in (edit.previous_name, edit.profile.name)
            ]
            + [edit.profile]
        )
        if not stored_keyring:
            self.problem_reported.emit(
                "Credentials not stored",
                f"Profile “{edit.profile.name}” was saved, but its client ID and secret could not "
                "be stored because the keyring is unavailable. Type them in the form's session "
                "fields to send now; nothing is written to disk.",
            )
        return True

    def _save_profile_blocking(self, edit: ProfileEdit) -> bool:
        assert self._repo is not None and self._secrets is not None
        from app.services.secret_store import SecretStoreError

        old = edit.previous_name
        profile = edit.profile
        keyring_ok = True
        try:
            secret = edit.client_secret
            if old and old != profile.name:
                self._secrets.rename(old, profile.name)
            if secret is None and profile.has_secret:
                # Keep the stored secret: read it back so save() writes both fields again.
                secret = self._secrets.load(profile.name).client_secret
            creds = ClientCredentials(edit.client_id, secret if secret else None)
            profile = replace(profile, has_secret=bool(creds.client_secret))
            self._secrets.save(profile.name, creds)
        except SecretStoreError:
            keyring_ok = False
        # One atomic write that also renames: a save-then-remove would delete the
        # profile when only the case of its name changed (names compare case-blind).
        self._repo.save(profile, replacing=old or None)
        return keyring_ok

    def delete_profile(self, name: str) -> asyncio.Task[bool]:
        return self._spawn(self._delete_profile(name))

    async def _delete_profile(self, name: str) -> bool:
        if self._repo is None or self._secrets is None:
            return False
        repo, secrets = self._repo, self._secrets

        def work() -> None:
            from app.services.secret_store import SecretStoreError

            repo.remove(name)
            try:
                secrets.delete(name)
            except SecretStoreError as exc:
                log.warning("keyring entry of %r not deleted: %s", name, exc.problem)

        try:
            await self._blocking(work)
        except Exception as exc:
            self.problem_reported.emit(f"Could not delete profile “{name}”", str(exc))
            return False
        self._rebuild_profiles([p for p in self._user_profiles() if p.name != name])
        return True

    async def stored_client_id(self, name: str) -> str | None:
        """The profile's client id from the keyring (for the edit dialog), or None."""
        if self._secrets is None:
            return None
        secrets = self._secrets

        def work() -> str | None:
            from app.services.secret_store import SecretStoreError

            try:
                return secrets.load(name).client_id
            except SecretStoreError:
                return None

        return await self._blocking(work)

    def set_sandbox_presets(self, presets: tuple[MetadataPreset, ...]) -> None:
        """The built-in profile's presets, as the window keeps them in its settings."""
        self._sandbox_presets = tuple(presets)
        if self._sandbox_info is not None:
            self._rebuild_profiles(self._user_profiles())

    def save_presets(
        self, profile_name: str, presets: tuple[MetadataPreset, ...]
    ) -> asyncio.Task[bool]:
        """Store a profile's metadata presets: in the profiles file (off the UI thread), or in
        memory for the built-in profile (the window persists those in its settings)."""
        return self._spawn(self._save_presets(profile_name, presets))

    async def _save_presets(self, profile_name: str, presets: tuple[MetadataPreset, ...]) -> bool:
        profile = self.profile(profile_name)
        if profile is None:
            self.problem_reported.emit("No such profile", f"Profile “{profile_name}” is gone.")
            return False
        if profile.builtin:
            self.set_sandbox_presets(presets)
            return True
        if self._repo is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return False
        updated = replace(profile, presets=tuple(presets))
        try:
            await self._blocking(self._repo.save, updated)
        except Exception as exc:
            log.warning("saving presets of %r failed: %s", profile_name, exc)
            self.problem_reported.emit(f"Could not save the presets of “{profile_name}”", str(exc))
            return False
        self._rebuild_profiles(
            [p for p in self._user_profiles() if p.name != profile.name] + [updated]
        )
        return True
