"""The Sandbox panel: which seeded app client, the local trigger, the seeded users, the inbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.qt_util import name_widget
from app.ui.widgets.empty_state import EmptyState
from app.ui.widgets.trigger_row import TriggerRow

if TYPE_CHECKING:
    from app.sandbox.model import InboxMessage, SandboxInfo

# What each seeded client demonstrates, for the chooser's tooltip and labels.
CLIENT_LABELS = {
    "public": "public — no secret; unknown users fail",
    "protected": "protected — no secret; unknown users get a simulated delivery",
    "secret": "secret — has a client secret (SecretHash computed)",
    "no-verify": "no-verify — a pool that verifies nothing: Cognito refuses to resend",
    "link": "link — a pool that confirms by link, not by code",
}
INBOX_EMPTY_TEXT = "No codes sent yet — send one and it shows here."


def _table(name: str, headers: Sequence[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    name_widget(table, name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(22)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    # The last column takes what is left (its text elides): no sideways scrolling in the drawer.
    table.horizontalHeader().setSectionResizeMode(
        len(headers) - 1, QHeaderView.ResizeMode.Stretch
    )
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    return table


class SandboxPanel(QWidget):
    """Shows the running sandbox; double-click a user to put the name in the form."""

    username_chosen = Signal(str)
    client_chosen = Signal(str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "sandboxPanel")
        self.status_label = QLabel("Starting sandbox…", self)
        name_widget(self.status_label, "sandboxStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.client_combo = QComboBox(self)
        name_widget(self.client_combo, "sandboxClientCombo")
        for key, label in CLIENT_LABELS.items():
            self.client_combo.addItem(label, key)
        self.client_combo.setToolTip("Which seeded app client the Sandbox profile sends through.")
        # The labels are long; let the dock stay narrow and elide them instead.
        self.client_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.client_combo.setMinimumContentsLength(10)
        self.client_combo.currentIndexChanged.connect(self._on_client_changed)

        self.users_table = _table("sandboxUsersTable", ["User", "Status", "Delivers to"], self)
        self.users_table.setToolTip("Double-click a user to put the name in the form.")
        # FORCE_CHANGE_PASSWORD would push "Delivers to" out of the drawer: the status elides.
        status = self.users_table.horizontalHeader()
        status.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        status.resizeSection(1, 112)
        self.users_table.cellDoubleClicked.connect(self._on_user_double_clicked)
        self.inbox_table = _table(
            "sandboxInboxTable", ["Sent", "User", "Code", "Medium", "To"], self
        )
        self.inbox_table.setToolTip("The codes the sandbox 'sent' (nothing leaves this computer).")
        self.inbox_empty = EmptyState(self.inbox_table, "sandboxInboxEmptyState", INBOX_EMPTY_TEXT)

        self.refresh_button = QPushButton("Refresh inbox", self)
        name_widget(self.refresh_button, "sandboxRefreshButton")
        self.refresh_button.clicked.connect(self.refresh_requested)

        client_row = QHBoxLayout()
        client_row.addWidget(QLabel("App client", self))
        client_row.addWidget(self.client_combo, 1)

        users_box = QWidget(self)
        ul = QVBoxLayout(users_box)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addWidget(QLabel("<b>Seeded users</b>", users_box))
        ul.addWidget(self.users_table)
        inbox_box = QWidget(self)
        il = QVBoxLayout(inbox_box)
        il.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Inbox</b>", inbox_box))
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        il.addLayout(head)
        il.addWidget(self.inbox_table)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        name_widget(self.splitter, "sandboxSplitter")
        self.splitter.addWidget(users_box)
        self.splitter.addWidget(inbox_box)

        self.trigger_row = TriggerRow(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(client_row)
        layout.addWidget(self.trigger_row)
        layout.addWidget(self.splitter, 1)

    def set_info(self, info: SandboxInfo) -> None:
        self.status_label.setText(f"Running at {info.endpoint_url} ({info.region})")
        self.users_table.setRowCount(0)
        for user in info.users:
            row = self.users_table.rowCount()
            self.users_table.insertRow(row)
            for col, text in enumerate((user.username, user.status, user.destination)):
                self.users_table.setItem(row, col, QTableWidgetItem(text))

    def set_failed(self, why: str) -> None:
        self.status_label.setText(f"Sandbox not running: {why}")

    def set_inbox(self, messages: Sequence[InboxMessage]) -> None:
        self.inbox_table.setRowCount(0)
        # Newest first: the code just sent is the one a tester wants.
        for msg in reversed(list(messages)):
            row = self.inbox_table.rowCount()
            self.inbox_table.insertRow(row)
            # ISO-8601 text; the time of day is what a tester compares.
            sent = msg.sent_at[11:19] if len(msg.sent_at) >= 19 else msg.sent_at
            values = (sent, msg.username, msg.code, str(msg.medium), msg.destination)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if msg.client_metadata:
                    item.setToolTip(f"ClientMetadata: {dict(msg.client_metadata)}")
                self.inbox_table.setItem(row, col, item)

    def current_client(self) -> str:
        return str(self.client_combo.currentData())

    def set_client(self, name: str) -> None:
        index = self.client_combo.findData(name)
        if index >= 0:
            self.client_combo.setCurrentIndex(index)

    def _on_client_changed(self, _index: int) -> None:
        self.client_chosen.emit(self.current_client())

    def _on_user_double_clicked(self, row: int, _col: int) -> None:
        item = self.users_table.item(row, 0)
        if item is not None:
            self.username_chosen.emit(item.text())
