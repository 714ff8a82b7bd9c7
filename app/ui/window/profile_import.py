"""The window's team provisioning: File → Import profiles… and Import from an AWS account…."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from app.core.secrets import Secret
from app.ui.qt_util import async_slot, dialog_result

if TYPE_CHECKING:
    from app.ui.dialogs.aws_import_dialog import AwsImportDialog
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

# Asks one profile's client secret (a dialog); None skips that profile.
SecretAsker = Callable[[QWidget, str], "Secret | None"]


def _choose_file(parent: QWidget) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Import profiles", "", "Profiles (*.json);;All files (*)"
    )
    return path or None


class ProfileImport:
    """Runs the two imports against the provisioning controller and reports what was stored."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        # Replaced by tests and automation to answer without a file dialog.
        self.choose_file: Callable[[QWidget], str | None] = _choose_file
        self.aws_dialog: AwsImportDialog | None = None

    @async_slot
    async def import_file(self) -> None:
        """Read an export, ask each secret once (a dialog per profile), store them."""
        from app.services.profile_transfer import TransferError

        w = self._window
        chosen = self.choose_file(w)
        if not chosen:
            return
        provisioning = w.controllers.provisioning
        try:
            records = await provisioning.read_file(Path(chosen))
        except TransferError as exc:
            w.report("Could not import profiles", str(exc))
            return
        secrets: dict[str, Secret] = {}
        for record in records:
            if record.needs_secret:
                secret = await self._ask_secret(record.name)
                if secret is not None:
                    secrets[record.name] = secret
        try:
            outcomes = await provisioning.import_records(records, secrets)
        except Exception as exc:
            log.warning("profile import failed: %s", type(exc).__name__)
            w.report("Could not import profiles", str(exc))
            return
        stored = [o.name for o in outcomes if o.stored]
        skipped = [f"“{o.name}” ({o.reason})" for o in outcomes if not o.stored]
        if stored:
            w.select_profile(stored[0])
        text = f"Imported {len(stored)} of {len(outcomes)} profiles."
        if skipped:
            w.report(text, "Skipped: " + "; ".join(skipped))
        else:
            w.status_label.setText(text)

    async def _ask_secret(self, name: str) -> Secret | None:
        from app.ui.dialogs.import_secret_dialog import ImportSecretDialog

        dialog = ImportSecretDialog(name, self._window)
        if not await dialog_result(dialog):
            return None
        return dialog.secret()

    @async_slot
    async def import_from_aws(self) -> None:
        """The wizard: pools and app clients of an account; the secret goes to the keyring."""
        from app.ui.dialogs.aws_import_dialog import AwsImportDialog

        w = self._window
        dialog = AwsImportDialog(
            w.controllers.provisioning,
            w.regions,
            taken_names=[p.name for p in w.controllers.profiles.profiles()],
            parent=w,
        )
        self.aws_dialog = dialog
        dialog.imported.connect(w.select_profile)
        try:
            await dialog_result(dialog)
        finally:
            self.aws_dialog = None
