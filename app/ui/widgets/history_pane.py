"""The history pane: filter, lazily loaded table, details panel and the row actions."""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.cli_command import aws_cli_command
from app.core.describe import describe_attempt
from app.core.outcome import Attempt, AttemptKind, Status
from app.services.history_store import HistoryFilter
from app.ui.models.history_model import HistoryTableModel
from app.ui.qt_util import name_widget
from app.ui.widgets.details_panel import DetailsPanel
from app.ui.widgets.history_view import make_history_view

log = logging.getLogger(__name__)

FILTER_DEBOUNCE_MS = 70  # long enough to skip the query between keystrokes of a word
# Combo label → HistoryFilter.status.
STATUS_CHOICES: tuple[tuple[str, Status | None], ...] = (
    ("All", None),
    ("Delivered", Status.DELIVERED),
    ("Failed", Status.FAILED),
    ("Pending", Status.PENDING),
)
# Combo label → HistoryFilter.kind.
KIND_CHOICES: tuple[tuple[str, AttemptKind | None], ...] = (
    ("All kinds", None),
    ("Resends", AttemptKind.RESEND),
    ("Sign-ups", AttemptKind.SIGNUP),
    ("Confirmations", AttemptKind.CONFIRM),
)
# The kinds whose delivered attempt sent a confirmation code the user can confirm with.
_CONFIRMABLE = (AttemptKind.RESEND, AttemptKind.SIGNUP)
EXPORT_FORMATS = {"csv": "CSV files (*.csv)", "json": "JSON files (*.json)"}
# saveState's bytes: magic, version, splitter state length; then the two Qt states.
# An unknown magic or version is ignored (the default layout stays).
_STATE_HEAD = struct.Struct(">4sHI")
_STATE_MAGIC = b"CRhp"
_STATE_VERSION = 1
# (format, suggested file name) → chosen path, or None when cancelled.
ExportPathChooser = Callable[[str, str], str | None]


def count_text(n: int) -> str:
    return f"{n:,} attempt" + ("" if n == 1 else "s")


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
        layout.addLayout(self._filter_row)
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
        self._filter_edit = QLineEdit()
        name_widget(self._filter_edit, "historyFilterEdit")
        self._filter_edit.setPlaceholderText("Filter by username, profile or outcome")
        self._filter_edit.setClearButtonEnabled(True)
        self._status_combo = QComboBox()
        name_widget(self._status_combo, "historyStatusCombo")
        for label, _status in STATUS_CHOICES:
            self._status_combo.addItem(label)
        self._kind_combo = QComboBox()
        name_widget(self._kind_combo, "historyKindCombo")
        for label, _kind in KIND_CHOICES:
            self._kind_combo.addItem(label)
        self._count_label = QLabel()
        name_widget(self._count_label, "historyCountLabel")
        self._filter_row = QHBoxLayout()
        self._filter_row.setContentsMargins(4, 4, 4, 0)
        self._filter_row.addWidget(self._filter_edit, 1)
        self._filter_row.addWidget(self._status_combo)
        self._filter_row.addWidget(self._kind_combo)
        self._batch_button = QToolButton()
        name_widget(self._batch_button, "historyBatchFilterButton")
        self._batch_button.setToolTip("Showing one batch only; click to show every attempt")
        self._batch_button.clicked.connect(lambda: self.show_batch(None))
        self._batch_button.hide()
        self._filter_row.addWidget(self._batch_button)
        self._filter_row.addWidget(self._count_label)

    def _build_view(self) -> None:
        self._view = make_history_view(self._model)
        self._view.customContextMenuRequested.connect(self._show_context_menu)

    def _make_action(
        self, name: str, text: str, tip: str, shortcut: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")
            # Shortcuts work while the pane (table or details) has focus; the filter box
            # keeps its own Ctrl+C because a focused line edit takes it first.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return action

    def _build_actions(self) -> None:
        self.rerun_action = self._make_action(
            "rerunAction", "Re-run", "Send this attempt again with the same inputs",
            QKeySequence("Ctrl+R"),
        )
        self.confirm_action = self._make_action(
            "confirmWithCodeAction", "Confirm with code…",
            "Confirm this user's sign-up with the code that was sent (ConfirmSignUp)",
            QKeySequence("Ctrl+Shift+K"),
        )
        self.copy_cli_action = self._make_action(
            "copyCliAction", "Copy as AWS CLI",
            "Copy an equivalent aws cognito-idp command (the SecretHash is a placeholder)",
            QKeySequence("Ctrl+Shift+C"),
        )
        self.copy_details_action = self._make_action(
            "copyDetailsAction", "Copy details", "Copy this attempt's details as text",
            QKeySequence(QKeySequence.StandardKey.Copy),
        )
        self.export_csv_action = self._make_action(
            "exportCsvAction", "Export CSV…", "Save the filtered history as a CSV file"
        )
        self.export_json_action = self._make_action(
            "exportJsonAction", "Export JSON…", "Save the filtered history as a JSON file"
        )
        self.rerun_action.triggered.connect(self._on_rerun)
        self.confirm_action.triggered.connect(self._on_confirm)
        self.copy_cli_action.triggered.connect(self.copy_cli_command)
        self.copy_details_action.triggered.connect(self.copy_details)
        self.export_csv_action.triggered.connect(lambda: self.export("csv"))
        self.export_json_action.triggered.connect(lambda: self.export("json"))

        self._toolbar = QToolBar("History actions")
        name_widget(self._toolbar, "historyToolbar")
        self._toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self._row_actions():
            self._toolbar.addAction(action)
        self._toolbar.addSeparator()
        self._toolbar.addAction(self.export_csv_action)
        self._toolbar.addAction(self.export_json_action)
        # Actions only fire by shortcut when a widget of the pane holds them.
        self.addActions([*self._row_actions(), self.export_csv_action, self.export_json_action])

    def _row_actions(self) -> list[QAction]:
        return [
            self.rerun_action,
            self.confirm_action,
            self.copy_cli_action,
            self.copy_details_action,
        ]

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("historyContextMenu")
        for action in self._row_actions():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_csv_action)
        menu.addAction(self.export_json_action)
        return menu

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
        # By index: Qt hands a StrEnum item back as a plain str.
        index = max(self._status_combo.currentIndex(), 0)
        kind = KIND_CHOICES[max(self._kind_combo.currentIndex(), 0)][1]
        return HistoryFilter(
            text=self._filter_edit.text().strip(),
            status=STATUS_CHOICES[index][1],
            batch_id=self._batch_id,
            kind=kind,
        )

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
        """The splitter and column layout, for QSettings."""
        splitter = bytes(self._splitter.saveState().data())
        header = bytes(self._view.horizontalHeader().saveState().data())
        return _STATE_HEAD.pack(_STATE_MAGIC, _STATE_VERSION, len(splitter)) + splitter + header

    def restoreState(self, state: bytes) -> bool:
        """Restore what saveState gave; False (and nothing changed) for anything else."""
        state = bytes(state)
        if len(state) < _STATE_HEAD.size:
            return False
        magic, version, split_len = _STATE_HEAD.unpack_from(state)
        body = state[_STATE_HEAD.size :]
        if magic != _STATE_MAGIC or version != _STATE_VERSION or split_len > len(body):
            return False
        splitter, header = body[:split_len], body[split_len:]
        ok = self._splitter.restoreState(QByteArray(splitter))
        return self._view.horizontalHeader().restoreState(QByteArray(header)) and ok

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
        self._count_label.setToolTip(tip)
        self._count_label.setText(text)
        self.export_csv_action.setEnabled(has_rows)
        self.export_json_action.setEnabled(has_rows)

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
