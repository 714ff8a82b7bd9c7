"""The history pane: filter, lazily loaded table, details panel and the row actions."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.cli_command import aws_cli_command
from app.core.describe import describe_attempt
from app.core.outcome import Attempt, AttemptKind, Status
from app.services.history_store import HistoryFilter
from app.ui.models.history_model import HistoryTableModel
from app.ui.qt_util import name_widget
from app.ui.widgets.details_panel import EMPTY_TEXT, DetailsPanel
from app.ui.widgets.empty_state import EmptyState
from app.ui.widgets.history_actions import HistoryActions
from app.ui.widgets.history_filter_row import (
    FILTER_DEBOUNCE_MS,
    KIND_CHOICES,
    NO_ATTEMPTS_TEXT,
    STATUS_CHOICES,
    HistoryFilterRow,
    count_text,
    no_match_text,
)
from app.ui.widgets.history_layout import pack_layout, unpack_layout
from app.ui.widgets.history_view import fit_scroll_policy, make_history_view

log = logging.getLogger(__name__)

# The kinds whose delivered attempt sent a confirmation code the user can confirm with.
_CONFIRMABLE = (AttemptKind.RESEND, AttemptKind.SIGNUP)
EXPORT_FORMATS = {"csv": "CSV files (*.csv)", "json": "JSON files (*.json)"}
# (format, suggested file name) → chosen path, or None when cancelled.
ExportPathChooser = Callable[[str, str], str | None]
__all__ = ["KIND_CHOICES", "NO_ATTEMPTS_TEXT", "STATUS_CHOICES", "HistoryPane", "no_match_text"]


class HistoryPane(QWidget):
    """Every attempt, newest first, with a filter, the details of the selected one, and
    actions: re-run, copy as AWS CLI command, copy details, export CSV/JSON."""

    rerun_requested = Signal(object)  # Attempt
    confirm_requested = Signal(object)  # Attempt (a delivered resend or sign-up)
    export_requested = Signal(str, str, object)  # format ("csv"|"json"), path, HistoryFilter
    selection_changed = Signal(object)  # Attempt | None

    def __init__(self, model: HistoryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "historyPane")
        self._model = model
        # Tests (and automation) replace this to skip the file dialog.
        self.choose_export_path: ExportPathChooser = self._ask_export_path
        # Qt's own dialog instead of the platform's (tests, odd desktops).
        self.native_dialogs = True
        self._reselect_id: str | None = None
        # The selected attempt's id, noted on each selection change (see current_attempt).
        self._current_id: str | None = None
        self._actions_enabled: tuple[bool, bool, bool] | None = None
        self._count_shown: tuple[str, str, bool] | None = None
        # Set by "Show in history" of the batch window; cleared by its button.
        self._batch_id: str | None = None

        self._build_filter_row()
        self._build_view()
        self._details = DetailsPanel()
        self._splitter = QSplitter(Qt.Orientation.Vertical)
        name_widget(self._splitter, "historySplitter")
        self._splitter.addWidget(self._view)
        self._splitter.addWidget(self._details)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        self._splitter.setChildrenCollapsible(False)
        self._build_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._filter_bar)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filter)
        self._filter_edit.textChanged.connect(self._debounce.start)
        self._status_combo.currentIndexChanged.connect(self._apply_filter)
        self._kind_combo.currentIndexChanged.connect(self._apply_filter)

        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        model.dataChanged.connect(self._on_data_changed)
        model.total_changed.connect(self._update_count)
        model.modelReset.connect(self._update_count)
        model.load_failed.connect(self._update_count)
        model.rowsInserted.connect(self._update_count)
        model.rowsRemoved.connect(self._update_count)
        self._view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._update_count()
        self._update_actions()

    # ----------------------------------------------------------------- building
    def _build_filter_row(self) -> None:
        bar = self._filter_bar = HistoryFilterRow(self)
        self._filter_edit, self._count_label = bar.filter_edit, bar.count_label
        self._status_combo, self._kind_combo = bar.status_combo, bar.kind_combo
        self._batch_button = bar.batch_button
        self._batch_button.clicked.connect(lambda: self.show_batch(None))

    def _build_view(self) -> None:
        self._view = make_history_view(self._model)
        self._view.customContextMenuRequested.connect(self._show_context_menu)
        self.empty_state = EmptyState(self._view, "historyEmptyState", NO_ATTEMPTS_TEXT)

    def _build_actions(self) -> None:
        actions = HistoryActions.create(self)
        self.rerun_action = actions.rerun
        self.confirm_action = actions.confirm
        self.copy_cli_action = actions.copy_cli
        self.copy_details_action = actions.copy_details
        self.export_csv_action = actions.export_csv
        self.export_json_action = actions.export_json
        self.rerun_action.triggered.connect(self._on_rerun)
        self.confirm_action.triggered.connect(self._on_confirm)
        self.copy_cli_action.triggered.connect(self.copy_cli_command)
        self.copy_details_action.triggered.connect(self.copy_details)
        self.export_csv_action.triggered.connect(lambda: self.export("csv"))
        self.export_json_action.triggered.connect(lambda: self.export("json"))
        self._actions = actions
        self._toolbar = actions.toolbar(self)

    def build_context_menu(self) -> QMenu:
        return self._actions.context_menu(self)

    # ----------------------------------------------------------------- public API
    @property
    def model(self) -> HistoryTableModel:
        return self._model

    @property
    def view(self) -> QTableView:
        return self._view

    @property
    def details(self) -> DetailsPanel:
        return self._details

    @property
    def filter_edit(self) -> QLineEdit:
        return self._filter_edit

    @property
    def status_combo(self) -> QComboBox:
        return self._status_combo

    @property
    def kind_combo(self) -> QComboBox:
        return self._kind_combo

    @property
    def count_label(self) -> QLabel:
        return self._count_label

    def current_filter(self) -> HistoryFilter:
        return self._filter_bar.current_filter(self._batch_id)

    @property
    def batch_filter(self) -> str | None:
        return self._batch_id

    def show_batch(self, batch_id: str | None) -> None:
        """Show only the attempts of one batch (None: every attempt again)."""
        self._batch_id = batch_id or None
        if self._batch_id:
            self._batch_button.setText(f"Batch {self._batch_id[:8]}… ✕")
        self._batch_button.setVisible(self._batch_id is not None)
        self._apply_filter()

    def current_attempt(self) -> Attempt | None:
        # From the id noted at the last selection change: asking the selection model
        # calls back into the model per column, which is slow while resend threads hold
        # the GIL. The row itself is looked up again, as updates replace it in place.
        if self._current_id is None:
            return None
        row = self._model.row_of(self._current_id)
        return self._model.attempt_at(row) if row is not None else None

    def _selected_attempt(self) -> Attempt | None:
        # One row at most (single selection of whole rows); selection() reads the ranges
        # without selectedRows()' call into the model's flags() for every column.
        selection = self._view.selectionModel().selection()
        if selection.isEmpty():
            return None
        return self._model.attempt_at(selection.first().top())

    def select_attempt(self, attempt_id: str) -> bool:
        """Select the row of `attempt_id` if it is loaded; False when it is not shown."""
        row = self._model.row_of(attempt_id)
        if row is None:
            return False
        if attempt_id == self._current_id:
            return True  # already selected: re-selecting only costs Qt round trips
        index = self._model.index(row, 0)
        self._view.selectionModel().select(
            index,
            self._view.selectionModel().SelectionFlag.ClearAndSelect
            | self._view.selectionModel().SelectionFlag.Rows,
        )
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index)
        return True

    def copy_cli_command(self) -> bool:
        a = self.current_attempt()
        if a is None:
            return False
        QGuiApplication.clipboard().setText(aws_cli_command(a))
        return True

    def copy_details(self) -> bool:
        a = self.current_attempt()
        if a is None:
            return False
        QGuiApplication.clipboard().setText(describe_attempt(a))
        return True

    def export(self, fmt: str) -> bool:
        """Ask where to save, then emit export_requested with the filter now applied."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}")
        path = self.choose_export_path(fmt, f"cognito-resend-history.{fmt}")
        if not path:
            return False
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        # The model's filter is what the table shows (the box may still be debouncing).
        self._apply_filter()
        self.export_requested.emit(fmt, path, self._model.current_filter())
        return True

    def saveState(self) -> bytes:
        """The splitter and column layout (hidden columns included), for QSettings."""
        return pack_layout(self._splitter, self._view.horizontalHeader())

    def restoreState(self, state: bytes) -> bool:
        """Restore what saveState gave; False (and nothing changed) for anything else."""
        ok = unpack_layout(bytes(state), self._splitter, self._view.horizontalHeader())
        fit_scroll_policy(self._view)
        return ok

    # ----------------------------------------------------------------- slots
    def _apply_filter(self) -> None:
        self._debounce.stop()
        self._model.set_filter(self.current_filter())

    def _ask_export_path(self, fmt: str, suggested: str) -> str | None:
        options = QFileDialog.Option(0)
        if not self.native_dialogs:
            options |= QFileDialog.Option.DontUseNativeDialog
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export history as {fmt.upper()}", suggested, EXPORT_FORMATS[fmt],
            options=options,
        )
        return path or None

    def _on_rerun(self) -> None:
        a = self.current_attempt()
        if a is not None and a.status is not Status.PENDING:
            self.rerun_requested.emit(a)

    def _on_confirm(self) -> None:
        a = self.current_attempt()
        if a is not None and _confirmable(a):
            self.confirm_requested.emit(a)

    def _show_context_menu(self, pos: QPoint) -> None:
        index = self._view.indexAt(pos)
        if index.isValid():
            self._view.selectRow(index.row())
        self.build_context_menu().exec(self._view.viewport().mapToGlobal(pos))

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        a = self._selected_attempt()
        self._current_id = a.attempt_id if a else None
        self._details.show_attempt(a)
        self._update_actions()
        self.selection_changed.emit(a)

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if self._current_id is None:
            return
        row = self._model.row_of(self._current_id)
        if row is not None and top.row() <= row <= bottom.row():
            a = self._model.attempt_at(row)
            self._details.show_attempt(a)
            self._update_actions()
            self.selection_changed.emit(a)

    def _remember_selection(self) -> None:
        a = self.current_attempt()
        self._reselect_id = a.attempt_id if a else None

    def _restore_selection(self) -> None:
        wanted, self._reselect_id = self._reselect_id, None
        self._current_id = None  # a reset clears the selection without a signal
        if wanted is None or not self.select_attempt(wanted):
            self._details.show_attempt(None)
            self._update_actions()
            self.selection_changed.emit(None)

    def _update_count(self) -> None:
        # Called on every row added or removed: touch Qt only when something changed.
        tip = self._model.last_error or ""
        if self._model.last_error:
            text = "History unavailable"
        elif self._model.store is None and self._model.rowCount() == 0:
            text = "Loading history…"
        else:
            known = self._model.known_total()
            # While the count is taken (the loop turn after a filter change), say how
            # many are there at least rather than wait for it.
            text = count_text(known) if known is not None else "≥ " + count_text(
                self._model.rowCount()
            )
        has_rows = self._model.rowCount() > 0
        shown = (tip, text, has_rows)
        if shown == self._count_shown:
            return
        self._count_shown = shown
        self._show_empty_state(text, has_rows)
        self._count_label.setToolTip(tip)
        self._count_label.setText(text)
        self.export_csv_action.setEnabled(has_rows)
        self.export_json_action.setEnabled(has_rows)

    def _show_empty_state(self, count: str, has_rows: bool) -> None:
        flt = self._model.current_filter()
        if self._model.last_error:
            hint = f"The history cannot be read: {self._model.last_error}"
        elif self._model.store is None:
            hint = "Loading history…"
        elif flt.text or flt.status is not None or flt.batch_id:
            hint = no_match_text(flt)
        else:
            hint = NO_ATTEMPTS_TEXT
        self.empty_state.set_text(hint)
        self._details.set_empty_text(
            EMPTY_TEXT if has_rows else "Send a code and what happened is explained here."
        )

    def _update_actions(self) -> None:
        a = self.current_attempt()
        # Re-run repeats a resend only: a sign-up again would meet a taken username.
        rerun = a is not None and a.status is not Status.PENDING and a.kind is AttemptKind.RESEND
        enabled = (rerun, a is not None, a is not None and _confirmable(a))
        if enabled == self._actions_enabled:
            return  # each setEnabled is a round trip into Qt (and a menu update)
        self._actions_enabled = enabled
        self.rerun_action.setEnabled(enabled[0])
        self.confirm_action.setEnabled(enabled[2])
        self.copy_cli_action.setEnabled(enabled[1])
        self.copy_details_action.setEnabled(enabled[1])


def _confirmable(a: Attempt) -> bool:
    """A delivered resend or sign-up: a code went out that the user can confirm with."""
    return a.status is Status.DELIVERED and a.kind in _CONFIRMABLE
