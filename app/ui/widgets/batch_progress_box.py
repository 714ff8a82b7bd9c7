"""The batch window's progress box: bar, counts, failure codes, the summary, and its buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.batch_progress import BatchProgress, BatchSummary, format_duration
from app.ui.qt_util import name_widget, read_only_table


def progress_text(p: BatchProgress) -> str:
    total = f" / {p.total:,}" if p.total is not None else ""
    eta = f" · ETA {format_duration(p.eta_s)}" if p.eta_s is not None else ""
    return (
        f"{p.state.value.capitalize()} · {p.done:,}{total} done · {p.delivered:,} delivered · "
        f"{p.failed_count:,} failed · {p.in_flight} in flight · {p.rate_per_s:.1f} calls/s "
        f"(ceiling {p.rate_limit_per_s:.1f}/s){eta}"
    )


class BatchProgressBox(QGroupBox):
    """Shows one batch's progress and outcome; the dialog connects its two buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Progress", parent)
        self.progress_bar = QProgressBar(self)
        name_widget(self.progress_bar, "batchProgressBar")
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%v / %m")
        self.progress_label = QLabel("", self)
        name_widget(self.progress_label, "batchProgressLabel")
        self.progress_label.setWordWrap(True)
        self.failures_table = QTableWidget(0, 2, self)
        name_widget(self.failures_table, "batchFailuresTable")
        self.failures_table.setHorizontalHeaderLabels(["Failure", "Users"])
        read_only_table(self.failures_table)
        self.failures_table.setMaximumHeight(110)
        self.summary_label = QLabel("", self)
        name_widget(self.summary_label, "batchSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("Export this batch…", self)
        name_widget(self.export_button, "batchExportButton")
        self.show_history_button = QPushButton("Show in history", self)
        name_widget(self.show_history_button, "batchShowInHistoryButton")
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.show_history_button)
        row.addStretch(1)
        v = QVBoxLayout(self)
        v.addWidget(self.progress_bar)
        v.addWidget(self.progress_label)
        v.addWidget(self.failures_table)
        v.addWidget(self.summary_label)
        v.addLayout(row)

    def reset(self, total: int) -> None:
        """A new batch of `total` rows is starting."""
        self.clear()
        self.progress_bar.setRange(0, total)
        self.progress_label.setText("Starting…")

    def clear(self) -> None:
        """Show no batch (new input replaced the one these results were for)."""
        self.summary_label.setText("")
        self.progress_label.setText("")
        self.failures_table.setRowCount(0)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)

    def show_progress(self, p: BatchProgress) -> None:
        if p.total:
            self.progress_bar.setRange(0, p.total)
        self.progress_bar.setValue(min(p.done, p.total or p.done))
        self.progress_label.setText(progress_text(p))
        self.show_failures(p.failed_titles or p.failed)

    def show_failures(self, failed: tuple[tuple[str, int], ...]) -> None:
        """(plain title, users) pairs, most frequent first."""
        table = self.failures_table
        table.setRowCount(len(failed))
        for r, (title, n) in enumerate(failed):
            table.setItem(r, 0, QTableWidgetItem(title))
            table.setItem(r, 1, QTableWidgetItem(f"{n:,}"))

    def show_summary(self, summary: BatchSummary) -> None:
        self.summary_label.setText(summary.describe() + f"\nBatch id: {summary.batch_id}")
        self.show_failures(summary.failed_titles or summary.failed)

    def show_message(self, text: str) -> None:
        self.progress_label.setText(text)
