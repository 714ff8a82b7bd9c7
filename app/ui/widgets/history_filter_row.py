"""The history pane's filter row (text, outcome, kind, batch, count) and the words it uses."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.core.outcome import AttemptKind, Status
from app.services.history_store import HistoryFilter
from app.ui.qt_util import name_widget
from app.ui.widgets.elided_label import ElidedLabel

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
NO_ATTEMPTS_TEXT = "No attempts yet — send a code and it appears here."


def count_text(n: int) -> str:
    return f"{n:,} attempt" + ("" if n == 1 else "s")


def no_match_text(flt: HistoryFilter) -> str:
    """The empty state of a filter that matches nothing, in the filter's own words."""
    kind = f"{flt.status.value} attempt" if flt.status is not None else "attempt"
    where = " in this batch" if flt.batch_id else ""
    if flt.text:
        return f"No {kind}{where} matches “{flt.text}”."
    return f"No {kind}{where} yet."


class HistoryFilterRow(QWidget):
    """The filter's widgets in one row; the pane reads them and connects their signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(self)
        name_widget(self.filter_edit, "historyFilterEdit")
        self.filter_edit.setPlaceholderText("Filter by username, profile or outcome")
        self.filter_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox(self)
        name_widget(self.status_combo, "historyStatusCombo")
        for label, _status in STATUS_CHOICES:
            self.status_combo.addItem(label)
        self.kind_combo = QComboBox(self)
        name_widget(self.kind_combo, "historyKindCombo")
        for label, _kind in KIND_CHOICES:
            self.kind_combo.addItem(label)
        self.batch_button = QToolButton(self)
        name_widget(self.batch_button, "historyBatchFilterButton")
        self.batch_button.setToolTip("Showing one batch only; click to show every attempt")
        self.batch_button.hide()
        # "Loading history…" must not make the pane wider than "2 attempts" does.
        self.count_label = ElidedLabel("", self)
        name_widget(self.count_label, "historyCountLabel")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 0)
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.status_combo)
        row.addWidget(self.kind_combo)
        row.addWidget(self.batch_button)
        row.addWidget(self.count_label)

    def current_filter(self, batch_id: str | None) -> HistoryFilter:
        # By index: Qt hands a StrEnum item back as a plain str.
        status = STATUS_CHOICES[max(self.status_combo.currentIndex(), 0)][1]
        kind = KIND_CHOICES[max(self.kind_combo.currentIndex(), 0)][1]
        return HistoryFilter(
            text=self.filter_edit.text().strip(), status=status, kind=kind, batch_id=batch_id
        )
