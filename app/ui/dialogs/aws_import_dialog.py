"""Import from an AWS account: credentials and region -> user pools -> app clients -> a profile.

Every AWS call runs off the UI thread (the provisioning controller); the client secret is
fetched and stored by the service, so this dialog never holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.profile import (
    SANDBOX_PROFILE_NAME,
    validate_aws_profile,
    validate_endpoint_url,
    validate_profile_name,
    validate_region,
)
from app.ui.controllers.provisioning import ProvisioningController
from app.ui.dialogs.profile_dialog import ERROR_COLOUR, field_sentence
from app.ui.qt_util import async_slot, name_widget

if TYPE_CHECKING:
    from app.services.aws_import import AwsPlace

log = logging.getLogger(__name__)

_ROLE = 256  # Qt.ItemDataRole.UserRole


class AwsImportDialog(QDialog):
    """The wizard's steps on one page: find pools, pick one, pick a client, name, import."""

    imported = Signal(str)  # the new profile's name

    def __init__(
        self,
        provisioning: ProvisioningController,
        regions: Sequence[str],
        *,
        taken_names: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "awsImportDialog")
        self._provisioning = provisioning
        self._taken = {n.casefold() for n in taken_names}
        self.setWindowTitle("Import from an AWS account")
        self.setMinimumWidth(520)

        self.aws_profile_edit = QLineEdit(self)
        name_widget(self.aws_profile_edit, "awsProfileEdit")
        self.aws_profile_edit.setPlaceholderText("empty = the default AWS credentials")
        self.aws_profile_edit.setToolTip("An AWS CLI profile (~/.aws/config; SSO works).")
        self.region_combo = QComboBox(self)
        name_widget(self.region_combo, "awsRegionCombo")
        self.region_combo.setEditable(True)
        self.region_combo.addItems(list(regions))
        self.region_combo.setCurrentText("us-east-1")
        self.endpoint_edit = QLineEdit(self)
        name_widget(self.endpoint_edit, "awsEndpointEdit")
        self.endpoint_edit.setPlaceholderText("empty = AWS (only for a local emulator)")
        self.find_button = QPushButton("Find user pools", self)
        name_widget(self.find_button, "awsFindPoolsButton")
        self.pool_list = QListWidget(self)
        name_widget(self.pool_list, "awsPoolList")
        self.client_list = QListWidget(self)
        name_widget(self.client_list, "awsClientList")
        self.name_edit = QLineEdit(self)
        name_widget(self.name_edit, "awsProfileNameEdit")
        self.status_label = QLabel("Choose the credentials and region, then find the pools.", self)
        name_widget(self.status_label, "awsImportStatus")
        self.status_label.setWordWrap(True)

        where = QHBoxLayout()
        where.addWidget(self.region_combo, 1)
        where.addWidget(self.find_button)
        form = QFormLayout()
        form.addRow("AWS profile", self.aws_profile_edit)
        form.addRow("Endpoint URL", self.endpoint_edit)
        form.addRow("Region", where)
        form.addRow("User pool", self.pool_list)
        form.addRow("App client", self.client_list)
        form.addRow("Profile name", self.name_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(
            "Import profile", QDialogButtonBox.ButtonRole.AcceptRole
        )
        name_widget(self.import_button, "awsImportButton")
        self.import_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.find_button.clicked.connect(self._on_find_clicked)
        self.pool_list.currentItemChanged.connect(self._on_pool_chosen)
        self.client_list.currentItemChanged.connect(self._on_client_chosen)
        self.name_edit.textChanged.connect(self._update_import_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self._busy = False

    # ------------------------------------------------------------------ the place
    def place_problems(self) -> list[str]:
        """The credentials/region/endpoint fields' problems, in their labels' words."""
        aws = self.aws_profile_edit.text().strip() or None
        found = [
            *validate_aws_profile(aws),
            *validate_endpoint_url(self.endpoint_edit.text().strip() or None),
            *validate_region(self.region_combo.currentText()),
        ]
        return [field_sentence(p) for p in found]

    def _place(self) -> AwsPlace:
        from app.services.aws_import import AwsPlace
        from app.services.aws_session import AwsCredentialSource

        return AwsPlace(
            AwsCredentialSource(aws_profile=self.aws_profile_edit.text().strip() or None),
            self.region_combo.currentText().strip(),
            self.endpoint_edit.text().strip() or None,
        )

    # ------------------------------------------------------------------ steps
    @async_slot
    async def _on_find_clicked(self) -> None:
        problems = self.place_problems()
        if problems:
            self._say("\n".join(problems), error=True)
            return
        self._set_busy(True, "Finding user pools…")
        self.pool_list.clear()
        self.client_list.clear()
        try:
            pools = await self._provisioning.aws_pools(self._place())
        except Exception as exc:
            self._say(_why(exc), error=True)
            return
        finally:
            self._set_busy(False)
        for pool in pools:
            item = QListWidgetItem(f"{pool.name}  ({pool.pool_id})")
            item.setData(_ROLE, pool.pool_id)
            self.pool_list.addItem(item)
        self._say(
            f"{len(pools)} user pool{'s' if len(pools) != 1 else ''} found; choose one."
            if pools else "No user pools in this region for these credentials."
        )  # fmt: skip
        if len(pools) == 1:
            self.pool_list.setCurrentRow(0)

    @async_slot
    async def _on_pool_chosen(self, item: QListWidgetItem | None, _old: object = None) -> None:
        self.client_list.clear()
        self._update_import_button()
        if item is None:
            return
        pool_id = str(item.data(_ROLE))
        self._set_busy(True, "Listing app clients…")
        try:
            clients = await self._provisioning.aws_clients(
                self._place(), pool_id
            )
        except Exception as exc:
            self._say(_why(exc), error=True)
            return
        finally:
            self._set_busy(False)
        if self.current_pool_id() != pool_id:
            return  # another pool was chosen meanwhile
        for client in clients:
            entry = QListWidgetItem(f"{client.name}  ({client.client_id})")
            entry.setData(_ROLE, (client.client_id, client.name))
            self.client_list.addItem(entry)
        self._say(f"{len(clients)} app client{'s' if len(clients) != 1 else ''}; choose one.")
        if len(clients) == 1:
            self.client_list.setCurrentRow(0)

    def _on_client_chosen(self, item: QListWidgetItem | None, _old: object = None) -> None:
        if item is not None:
            _client_id, name = item.data(_ROLE)
            if not self.name_edit.text().strip():
                self.name_edit.setText(str(name))
        self._update_import_button()

    @async_slot
    async def _on_import_clicked(self) -> None:
        pool_id, client = self.current_pool_id(), self.current_client_id()
        name = self.name_edit.text().strip()
        if not (pool_id and client) or self.name_problems():
            return
        self._set_busy(True, "Reading the app client and storing it in the keyring…")
        try:
            imported = await self._provisioning.aws_import(
                self._place(), pool_id, client, name
            )
        except Exception as exc:
            self._say(_why(exc), error=True)
            return
        finally:
            self._set_busy(False)
        kept = "client ID and secret" if imported.stored_secret else "client ID"
        self._say(f"Imported “{name}”: its {kept} are in the keyring.")
        self.imported.emit(name)
        self.accept()

    # ------------------------------------------------------------------ state
    def current_pool_id(self) -> str | None:
        item = self.pool_list.currentItem()
        return str(item.data(_ROLE)) if item is not None else None

    def current_client_id(self) -> str | None:
        item = self.client_list.currentItem()
        return str(item.data(_ROLE)[0]) if item is not None else None

    def name_problems(self) -> list[str]:
        name = self.name_edit.text().strip()
        found = [field_sentence(p) for p in validate_profile_name(name)]
        if name.casefold() == SANDBOX_PROFILE_NAME.casefold():
            found.append(f"Profile name “{name}” is the built-in profile's name")
        elif name.casefold() in self._taken:
            found.append(f"Profile name “{name}” is already used by another profile")
        return [p.replace("Name ", "Profile name ", 1) for p in found]

    def _update_import_button(self) -> None:
        problems = self.name_problems() if self.name_edit.text() else []
        if problems:
            self._say("\n".join(problems), error=True)
        ready = bool(self.current_pool_id() and self.current_client_id()) and not (
            self.name_problems()
        )
        self.import_button.setEnabled(ready and not self._busy)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.find_button.setEnabled(not busy)
        if text:
            self._say(text)
        self._update_import_button()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")


def _why(exc: Exception) -> str:
    failure = getattr(exc, "failure", None)
    if failure is not None:
        return f"{failure.title}. {failure.cause} {failure.remedy}".strip()
    log.warning("AWS import step failed: %s", type(exc).__name__)
    return str(exc) or type(exc).__name__
