"""The batch window's progress box: bar, counts and failures in words, the summary, its buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.batch_progress import (
    BatchProgress,
    BatchState,
    BatchSummary,
    failure_words,
    format_duration,
)
from app.ui.qt_util import name_widget


def progress_text(p: BatchProgress) -> str:
    """'Running · 7 / 19 done · 5 delivered · 2 failed: 2 user not found · 4.1 calls/s …'."""
    total = f" / {p.total:,}" if p.total is not None else ""
    failed = f"{p.failed_count:,} failed"
    if p.failed_count:
        failed += f": {failure_words(p)}"
    head = f"{p.state.value.capitalize()} · {p.done:,}{total} done · {p.delivered:,} delivered"
    if p.state in (BatchState.FINISHED, BatchState.CANCELLED):
        return f"{head} · {failed} · in {format_duration(p.elapsed_s)}"
    eta = f" · ETA {format_duration(p.eta_s)}" if p.eta_s is not None else ""
    return (
        f"{head} · {failed} · {p.in_flight} in flight · {p.rate_per_s:.1f} calls/s "
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
        v.addWidget(self.summary_label)
        v.addLayout(row)

    def reset(self, total: int) -> None:
        """A new batch of `total` rows is starting."""
        self.clear()
        self.progress_bar.setRange(0, total)
        self.progress_label.show()
        self.progress_label.setText("Starting…")

    def clear(self) -> None:
        """Show no batch (new input replaced the one these results were for)."""
        self.summary_label.setText("")
        self.progress_label.setText("")
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        for button in (self.export_button, self.show_history_button):
            button.setToolTip("")

    def show_progress(self, p: BatchProgress) -> None:
        self.progress_label.show()
        if p.total:
            self.progress_bar.setRange(0, p.total)
        self.progress_bar.setValue(min(p.done, p.total or p.done))
        self.progress_label.setText(progress_text(p))

    def show_summary(self, summary: BatchSummary) -> None:
        """The summary replaces the progress line: the same counts, said once."""
        self.progress_label.hide()
        self.summary_label.setText(summary.describe())
        for button in (self.export_button, self.show_history_button):
            button.setToolTip(f"Batch id {summary.batch_id}")

    def show_message(self, text: str) -> None:
        self.progress_label.show()
        self.progress_label.setText(text)
