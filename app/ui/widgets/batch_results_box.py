"""The batch window's results box: one row per user, and what to do about the failed ones."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.models.batch_results import (
    COL_DESTINATION,
    COL_OUTCOME,
    COL_USER,
    BatchResultsModel,
)
from app.ui.qt_util import name_widget
from app.ui.widgets.compact_table import compact_rows


class BatchResultsBox(QGroupBox):
    """Shows a BatchResultsModel; the dialog connects the two buttons."""

    def __init__(self, model: BatchResultsModel, parent: QWidget | None = None) -> None:
        super().__init__("Results", parent)
        self.model = model
        self.table = QTableView(self)
        name_widget(self.table, "batchResultsTable")
        self.table.setModel(model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(4 * compact_rows(self.table))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_USER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_OUTCOME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DESTINATION, QHeaderView.ResizeMode.ResizeToContents)
        self.counts_label = QLabel("No results yet.", self)
        name_widget(self.counts_label, "batchResultsCountLabel")
        self.counts_label.setWordWrap(True)
        self.retry_button = QPushButton("Retry failed", self)
        name_widget(self.retry_button, "batchRetryFailedButton")
        self.retry_button.setToolTip(
            "Send again to the failed users only (a new batch, recorded in the history)"
        )
        self.copy_button = QPushButton("Copy failed usernames", self)
        name_widget(self.copy_button, "batchCopyFailedButton")
        self.copy_button.setToolTip("One username per line, for a ticket or a spreadsheet")
        row = QHBoxLayout()
        row.addWidget(self.counts_label, 1)
        row.addWidget(self.retry_button)
        row.addWidget(self.copy_button)
        v = QVBoxLayout(self)
        v.addWidget(self.table, 1)
        v.addLayout(row)
        self.show_counts(running=False)

    def show_counts(self, *, running: bool) -> None:
        """The counts line and the buttons, from the model (the same numbers as the summary)."""
        counts = self.model.counts()
        self.counts_label.setText(counts.describe() or "No results yet.")
        self.retry_button.setEnabled(counts.failed > 0 and not running)
        self.copy_button.setEnabled(counts.failed > 0)

    def show_note(self, text: str) -> None:
        """A short confirmation after the counts ("7 usernames copied.")."""
        counts = self.model.counts().describe()
        self.counts_label.setText(f"{counts} {text}".strip())
