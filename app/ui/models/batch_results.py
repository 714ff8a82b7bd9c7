"""A batch's per-user results as a Qt table model: user, outcome in plain words, destination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.core.batch_input import BatchRow
from app.core.batch_progress import counted
from app.core.outcome import Attempt, DeliveryMedium, Status
from app.ui.models.history_columns import status_color

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

COL_USER = 0
COL_OUTCOME = 1
COL_DESTINATION = 2
HEADERS = ("User", "Outcome", "Destination")
HEADER_TIPS = (
    "The username (or alias) the code was resent to",
    "What happened, in plain words (the AWS error name is in the tooltip)",
    "Where Cognito says the code went (masked by Cognito)",
)

_SENT_BY: dict[DeliveryMedium | None, str] = {
    DeliveryMedium.EMAIL: "Code sent by email",
    DeliveryMedium.SMS: "Code sent by SMS",
}


def outcome_words(a: Attempt) -> str:
    """'Code sent by email', 'User not found', '… (sent again 2 times)'."""
    if a.status is Status.DELIVERED:
        medium = a.delivery.medium if a.delivery else None
        words = _SENT_BY.get(medium, "Code sent")
    elif a.status is Status.PENDING:
        words = "Sending…"
    else:
        words = a.failure.title if a.failure else "Failed"
    if a.retries:
        again = "once" if a.retries == 1 else f"{a.retries} times"
        words += f" (sent again {again})"
    return words


@dataclass(frozen=True)
class ResultCounts:
    """How many users the list holds, delivered and failed: the same numbers as the summary."""

    users: int
    delivered: int
    failed: int

    def describe(self) -> str:
        """'19 users: 12 delivered, 7 failed.' (empty when there is no result yet)."""
        if not self.users:
            return ""
        users = counted(self.users, "user")
        return f"{users}: {self.delivered:,} delivered, {self.failed:,} failed."


class BatchResultsModel(QAbstractTableModel):
    """One row per user of the current batch (and its retries): the failed users first,
    then the delivered ones, each group in the order recorded."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Attempt] = []

    # ------------------------------------------------------------------ content
    def add(self, attempts: Iterable[Attempt]) -> None:
        """Append recorded attempts (one per user: the batch history's rows)."""
        for a in attempts:
            at = self._failed_count() if a.status is Status.FAILED else len(self._rows)
            self.beginInsertRows(_ROOT, at, at)
            self._rows.insert(at, a)
            self.endInsertRows()

    def _failed_count(self) -> int:
        return sum(1 for a in self._rows if a.status is Status.FAILED)

    def clear(self) -> None:
        """Forget every result (new input, or a new batch)."""
        if not self._rows:
            return
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def forget_failed(self) -> None:
        """Drop the failed users' rows: a retry is about to record them again."""
        kept = [a for a in self._rows if a.status is not Status.FAILED]
        if len(kept) == len(self._rows):
            return
        self.beginResetModel()
        self._rows = kept
        self.endResetModel()

    def attempt_at(self, row: int) -> Attempt | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def failed(self) -> tuple[Attempt, ...]:
        return tuple(a for a in self._rows if a.status is Status.FAILED)

    def failed_usernames(self) -> list[str]:
        """The failed users, once each, in the order listed."""
        return list(dict.fromkeys(a.username for a in self.failed()))

    def retry_rows(self) -> tuple[BatchRow, ...]:
        """The failed users as rows to send again, each with the metadata it was sent with."""
        seen: dict[str, Attempt] = {}
        for a in self.failed():
            seen.setdefault(a.username, a)
        return tuple(
            BatchRow(n, a.username, a.client_metadata) for n, a in enumerate(seen.values(), start=1)
        )

    def counts(self) -> ResultCounts:
        delivered = sum(1 for a in self._rows if a.status is Status.DELIVERED)
        failed = sum(1 for a in self._rows if a.status is Status.FAILED)
        return ResultCounts(len(self._rows), delivered, failed)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        a = self.attempt_at(index.row()) if index.isValid() else None
        if a is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(a, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _cell_tooltip(a, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_OUTCOME:
            return status_color(a.status)
        return None


def _cell_text(a: Attempt, col: int) -> str:
    if col == COL_USER:
        return a.username
    if col == COL_OUTCOME:
        return outcome_words(a)
    if col == COL_DESTINATION:
        return a.delivery.destination if a.delivery else ""
    return ""


def _cell_tooltip(a: Attempt, col: int) -> str:
    if col == COL_OUTCOME and a.failure is not None:
        f = a.failure
        lines = [f"{f.title} ({f.code})", f.remedy]
        return "\n".join(line for line in lines if line)
    if col == COL_OUTCOME and a.notes:
        return a.notes
    return _cell_text(a, col)
