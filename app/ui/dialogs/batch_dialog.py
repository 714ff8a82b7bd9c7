"""The batch window: paste or import users, check every row, then send them paced, with progress."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.batch_progress import BatchProgress, BatchState, BatchSummary
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.words import counted
from app.services.batch_runner import (
    DEFAULT_CONCURRENCY,
    DEFAULT_RATE_PER_S,
    MAX_CONCURRENCY,
    MAX_RATE_PER_S,
)
from app.ui.controllers.batch import BatchController, BatchRequest
from app.ui.models.batch_input import BatchSource, InputSummary, Metadata, check_input
from app.ui.models.batch_results import BatchResultsModel
from app.ui.qt_util import name_widget
from app.ui.widgets.batch_input_box import BatchInputBox
from app.ui.widgets.batch_progress_box import BatchProgressBox
from app.ui.widgets.batch_results_box import BatchResultsBox

log = logging.getLogger(__name__)

CHECK_DEBOUNCE_MS = 300
IMPORT_FILTER = "CSV or text files (*.csv *.txt);;All files (*)"
EXPORT_FILTER = "CSV files (*.csv);;JSON files (*.json)"

# Chooser signatures (tests and automation replace them to skip the file dialogs).
ImportPathChooser = Callable[[], str | None]
ExportPathChooser = Callable[[str], str | None]  # suggested file name -> path


class BatchDialog(QDialog):
    """Non-modal; the batch goes on while the main window is used. Talks to a BatchController."""

    show_in_history_requested = Signal(str)  # batch id

    def __init__(
        self,
        batch: BatchController,
        current_profile: Callable[[], Profile | None],
        *,
        form_metadata: Callable[[], Metadata] = lambda: (),
        session_credentials: Callable[[], ClientCredentials | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "batchDialog")
        self.setWindowTitle("Batch resend")
        self.setModal(False)
        self._batch = batch
        self._current_profile = current_profile
        self._form_metadata = form_metadata
        self._session_credentials = session_credentials
        self._source = BatchSource()
        self._check: InputSummary | None = None
        self._check_generation = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._batch_id: str | None = None
        # The profile the listed results were sent with: Retry failed uses it again.
        self._results_profile: str | None = None
        self.last_summary: BatchSummary | None = None
        # Replaced by tests and automation to answer without a modal box or a file dialog.
        self.confirm: Callable[[str, str], bool] = self._ask_yes_no
        self.choose_import_path: ImportPathChooser = self._ask_import_path
        self.choose_export_path: ExportPathChooser = self._ask_export_path

        self.input_box = BatchInputBox(self)
        self.progress_box = BatchProgressBox(self)
        self.results = BatchResultsModel(self)
        self.results_box = BatchResultsBox(self.results, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.input_box, 1)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.results_box, 1)
        layout.addLayout(self._build_buttons())
        self.resize(760, 760)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(CHECK_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.check_now)
        self.input_box.input_edit.textChanged.connect(self._on_text_changed)
        self.input_box.import_button.clicked.connect(self._on_import_clicked)
        self.input_box.duplicates_check.toggled.connect(self._update_start)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.progress_box.export_button.clicked.connect(self._on_export_clicked)
        self.progress_box.show_history_button.clicked.connect(self._on_show_history_clicked)
        self.results_box.retry_button.clicked.connect(self._on_retry_clicked)
        self.results_box.copy_button.clicked.connect(self._on_copy_clicked)
        self.close_button.clicked.connect(self.close)
        batch.started.connect(self._on_started)
        batch.progressed.connect(self._on_progress)
        batch.finished.connect(self._on_finished)
        batch.rows_recorded.connect(self._on_rows_recorded)
        batch.start_failed.connect(self._on_start_failed)
        self.refresh_profile()
        self._set_running(False)

    # ------------------------------------------------------------------ building
    def _build_pace(self) -> QHBoxLayout:
        """Concurrency and rate ceiling, one line beside the Send button."""
        box = self
        self.concurrency_spin = QSpinBox(self)
        name_widget(self.concurrency_spin, "batchConcurrencySpin")
        self.concurrency_spin.setRange(1, MAX_CONCURRENCY)
        self.concurrency_spin.setValue(DEFAULT_CONCURRENCY)
        self.concurrency_spin.setToolTip("Calls in flight at once")
        self.rate_spin = QDoubleSpinBox(self)
        name_widget(self.rate_spin, "batchRateSpin")
        self.rate_spin.setRange(0.1, MAX_RATE_PER_S)
        self.rate_spin.setDecimals(1)
        self.rate_spin.setValue(DEFAULT_RATE_PER_S)
        self.rate_spin.setSuffix(" calls/s")
        self.rate_spin.setToolTip(
            "The most calls per second; the default stays below Cognito's per-account quota, "
            "and throttling slows the batch down further"
        )
        row = QHBoxLayout()
        concurrency = QLabel("Concurrency", box)
        concurrency.setBuddy(self.concurrency_spin)
        rate = QLabel("Rate ceiling", box)
        rate.setBuddy(self.rate_spin)
        row.addWidget(concurrency)
        row.addWidget(self.concurrency_spin)
        row.addSpacing(8)
        row.addWidget(rate)
        row.addWidget(self.rate_spin)
        return row

    def _build_buttons(self) -> QHBoxLayout:
        self.start_button = QPushButton("Send", self)
        name_widget(self.start_button, "batchStartButton")
        self.start_button.setDefault(True)
        self.pause_button = QPushButton("Pause", self)
        name_widget(self.pause_button, "batchPauseButton")
        self.cancel_button = QPushButton("Cancel batch", self)
        name_widget(self.cancel_button, "batchCancelButton")
        self.cancel_button.setToolTip("Start no new call; calls in flight finish and are recorded")
        self.close_button = QPushButton("Close", self)
        name_widget(self.close_button, "batchCloseButton")
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.pause_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addLayout(self._build_pace())
        row.addSpacing(16)
        row.addWidget(self.close_button)
        # Tab follows the screen: the pace sits between Cancel batch and Close.
        QWidget.setTabOrder(self.cancel_button, self.concurrency_spin)
        QWidget.setTabOrder(self.concurrency_spin, self.rate_spin)
        QWidget.setTabOrder(self.rate_spin, self.close_button)
        return row

    # ------------------------------------------------------------------ public API
    @property
    def batch(self) -> BatchController:
        return self._batch

    @property
    def input_check(self) -> InputSummary | None:
        """The last finished check of the current input (None while one is pending)."""
        return self._check

    @property
    def batch_id(self) -> str | None:
        return self._batch_id

    def refresh_profile(self) -> None:
        """Show the main window's current profile (a running batch keeps its own)."""
        profile = self._current_profile()
        if self._batch.running:
            return
        self.input_box.show_profile(profile)
        self._update_start()

    def import_file(self, path: str) -> None:
        """Take rows from `path` (streamed, never loaded into the text box)."""
        self._source = BatchSource(path=path)
        self.input_box.show_file(path)
        self._clear_results()
        self.check_now()

    def check_now(self) -> asyncio.Task[None]:
        """Check the current input in a worker thread; the table fills when it is done."""
        self._debounce.stop()
        self._check_generation += 1
        self._check = None
        self._update_start()
        task = asyncio.get_event_loop().create_task(
            self._run_check(self._source, self._check_generation)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel_batch(self) -> None:
        self._batch.cancel()

    # ------------------------------------------------------------------ checking
    def _on_text_changed(self) -> None:
        self._source = BatchSource(text=self.input_box.input_edit.toPlainText())
        self.input_box.source_label.setText("")
        self._check = None
        self._clear_results()
        self._update_start()
        self._debounce.start()

    async def _run_check(self, source: BatchSource, generation: int) -> None:
        self.input_box.check_label.setText("Checking…")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(None, check_input, source)
        except Exception as exc:  # a bug in the check must not leave "Checking…" forever
            log.exception("batch input check failed")
            result = InputSummary(0, 0, 0, (), fatal=f"{type(exc).__name__}: {exc}")
        if generation != self._check_generation:
            return  # the input changed meanwhile; a newer check is on its way
        self._check = result
        self.input_box.show_check(result)
        self._update_start()

    def _to_send(self) -> int:
        check = self._check
        return check.to_send(self.input_box.duplicates_check.isChecked()) if check else 0

    def _update_start(self) -> None:
        if self._batch.running:
            self.start_button.setEnabled(False)
            return
        n = self._to_send()
        self.start_button.setText(f"Send {n:,} valid row" + ("" if n == 1 else "s"))
        ready = self._batch.ready
        self.start_button.setEnabled(n > 0 and ready and self._current_profile() is not None)

    # ------------------------------------------------------------------ running
    def _on_start_clicked(self) -> None:
        profile = self._current_profile()
        n = self._to_send()
        if profile is None or n <= 0 or self._batch.running:
            return
        request = BatchRequest(
            profile_name=profile.name,
            source=self._source,
            total=n,
            concurrency=self.concurrency_spin.value(),
            rate_per_s=self.rate_spin.value(),
            include_duplicates=self.input_box.duplicates_check.isChecked(),
            default_metadata=(
                self._form_metadata() if self.input_box.metadata_check.isChecked() else ()
            ),
            session_credentials=self._session_credentials(),
        )
        self.results.clear()
        self._start(request)

    def _on_retry_clicked(self) -> None:
        """Send again to the failed users only: a new batch through the same runner."""
        rows = self.results.retry_rows()
        profile_name = self._results_profile
        if not rows or profile_name is None or self._batch.running:
            return
        request = BatchRequest(
            profile_name=profile_name,
            source=self._source,
            total=len(rows),
            concurrency=self.concurrency_spin.value(),
            rate_per_s=self.rate_spin.value(),
            session_credentials=self._session_credentials(),
            rows=rows,
        )
        # The retried users' new rows replace their failed ones; the delivered ones stay.
        self.results.forget_failed()
        self._start(request)

    def _start(self, request: BatchRequest) -> None:
        self.last_summary = None
        self._batch_id = None
        self._results_profile = request.profile_name
        self.progress_box.reset(request.total)
        task = self._batch.start(request)
        # `finished` comes while the batch's task is still running: once it is done,
        # Send and Retry failed become available again.
        task.add_done_callback(self._on_batch_done)
        self._set_running(True)

    def _on_batch_done(self, _task: asyncio.Task[BatchSummary | None]) -> None:
        # The window may have been closed and destroyed with the batch still landing.
        if shiboken6.isValid(self) and not self._batch.running:
            self._set_running(False)

    def _clear_results(self) -> None:
        """New input: the results shown were for another one."""
        if self._batch.running:
            return
        self.results.clear()
        self.progress_box.clear()
        self.last_summary = None
        self._batch_id = None
        self._results_profile = None
        self._set_running(False)

    def _on_rows_recorded(self, rows: tuple[Attempt, ...]) -> None:
        self.results.add(rows)
        self.results_box.show_counts(running=self._batch.running)

    def _on_copy_clicked(self) -> None:
        names = self.results.failed_usernames()
        if not names:
            return
        QGuiApplication.clipboard().setText("\n".join(names))
        self.results_box.show_note(f"{counted(len(names), 'failed username')} copied.")

    def _on_pause_clicked(self) -> None:
        if self._batch.paused:
            self._batch.resume()
        else:
            self._batch.pause()

    def _on_cancel_clicked(self) -> None:
        self._batch.cancel()
        self.cancel_button.setEnabled(False)
        self.pause_button.setEnabled(False)

    def _set_running(self, running: bool) -> None:
        box = self.input_box
        for w in (
            box.input_edit,
            box.import_button,
            box.metadata_check,
            box.duplicates_check,
            self.concurrency_spin,
            self.rate_spin,
        ):
            w.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Pause")
        self.cancel_button.setEnabled(running)
        done = not running and self._batch_id is not None
        self.progress_box.export_button.setEnabled(done)
        self.progress_box.show_history_button.setEnabled(self._batch_id is not None)
        self.results_box.show_counts(running=running)
        self._update_start()

    def _on_started(self, batch_id: str) -> None:
        self._batch_id = batch_id
        self.progress_box.show_history_button.setEnabled(True)

    def _on_progress(self, p: BatchProgress) -> None:
        self.progress_box.show_progress(p)
        self.pause_button.setText("Resume" if p.state is BatchState.PAUSED else "Pause")
        if p.state is BatchState.CANCELLING:
            self.pause_button.setEnabled(False)
            self.cancel_button.setEnabled(False)

    def _on_finished(self, summary: BatchSummary) -> None:
        self.last_summary = summary
        self._batch_id = summary.batch_id
        self.progress_box.show_summary(summary)
        self._set_running(False)

    def _on_start_failed(self, title: str, text: str) -> None:
        self.progress_box.show_message(f"{title}: {text}")
        self._set_running(False)

    # ------------------------------------------------------------------ after the batch
    def _on_export_clicked(self) -> None:
        batch_id = self._batch_id
        if batch_id is None:
            return
        path = self.choose_export_path(f"cognito-resend-batch-{batch_id[:8]}.csv")
        if not path:
            return
        fmt = "json" if path.lower().endswith(".json") else "csv"
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        self._batch.export(fmt, path, batch_id)

    def _on_show_history_clicked(self) -> None:
        if self._batch_id is not None:
            self.show_in_history_requested.emit(self._batch_id)

    # ------------------------------------------------------------------ dialogs
    def _on_import_clicked(self) -> None:
        path = self.choose_import_path()
        if path:
            self.import_file(path)

    def _ask_import_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Import users", str(Path.home()), IMPORT_FILTER)
        return path or None

    def _ask_export_path(self, suggested: str) -> str | None:
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export this batch", suggested, EXPORT_FILTER
        )
        if path and "json" in chosen.lower() and not path.lower().endswith((".json", ".csv")):
            path += ".json"
        return path or None

    def _ask_yes_no(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if self._batch.running:
            if not self.confirm(
                "Cancel the batch?",
                "A batch is running. Cancel it? No new call starts; calls in flight finish "
                "and are recorded in the history.",
            ):
                event.ignore()
                return
            self._batch.cancel()
        super().closeEvent(event)
