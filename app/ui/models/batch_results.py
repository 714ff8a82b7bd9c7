"""A batch's per-user results as a Qt table model: user, outcome in plain words, destination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.core.batch_input import BatchRow
from app.core.outcome import Attempt, DeliveryMedium, Status
from app.core.words import counted
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


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What the list keeps of one user's record: a few strings, not the whole attempt
    (a 100,000-row batch keeps its memory small)."""

    username: str
    failed: bool
    outcome: str
    destination: str
    tooltip: str
    metadata: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, a: Attempt) -> ResultRow:
        return cls(
            username=a.username,
            failed=a.status is Status.FAILED,
            outcome=outcome_words(a),
            destination=a.delivery.destination if a.delivery else "",
            tooltip=_outcome_tooltip(a),
            metadata=a.client_metadata,
        )


class BatchResultsModel(QAbstractTableModel):
    """One row per user of the current batch (and its retries): the failed users first,
    then the delivered ones, each group in the order recorded."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._failed: list[ResultRow] = []
        self._others: list[ResultRow] = []

    # ------------------------------------------------------------------ content
    def add(self, attempts: Iterable[Attempt]) -> None:
        """Add recorded attempts (one per user: the batch history's rows)."""
        rows = [ResultRow.of(a) for a in attempts]
        self._insert(self._failed, 0, [r for r in rows if r.failed])
        self._insert(self._others, len(self._failed), [r for r in rows if not r.failed])

    def _insert(self, group: list[ResultRow], offset: int, new: list[ResultRow]) -> None:
        if not new:
            return
        at = offset + len(group)
        self.beginInsertRows(_ROOT, at, at + len(new) - 1)
        group.extend(new)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget every result (new input, or a new batch)."""
        if not self._failed and not self._others:
            return
        self.beginResetModel()
        self._failed, self._others = [], []
        self.endResetModel()

    def forget_failed(self) -> None:
        """Drop the failed users' rows: a retry is about to record them again."""
        if not self._failed:
            return
        self.beginRemoveRows(_ROOT, 0, len(self._failed) - 1)
        self._failed = []
        self.endRemoveRows()

    def row_at(self, row: int) -> ResultRow | None:
        if 0 <= row < len(self._failed):
            return self._failed[row]
        row -= len(self._failed)
        return self._others[row] if 0 <= row < len(self._others) else None

    def failed_usernames(self) -> list[str]:
        """The failed users, once each, in the order listed."""
        return list(dict.fromkeys(r.username for r in self._failed))

    def retry_rows(self) -> tuple[BatchRow, ...]:
        """The failed users as rows to send again, each with the metadata it was sent with."""
        seen: dict[str, ResultRow] = {}
        for r in self._failed:
            seen.setdefault(r.username, r)
        return tuple(
            BatchRow(n, r.username, r.metadata) for n, r in enumerate(seen.values(), start=1)
        )

    def counts(self) -> ResultCounts:
        failed, others = len(self._failed), len(self._others)
        return ResultCounts(failed + others, others, failed)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._failed) + len(self._others)

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
        r = self.row_at(index.row()) if index.isValid() else None
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.tooltip if col == COL_OUTCOME and r.tooltip else _cell_text(r, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_OUTCOME:
            return status_color(Status.FAILED if r.failed else Status.DELIVERED)
        return None


def _cell_text(r: ResultRow, col: int) -> str:
    if col == COL_USER:
        return r.username
    if col == COL_OUTCOME:
        return r.outcome
    if col == COL_DESTINATION:
        return r.destination
    return ""


def _outcome_tooltip(a: Attempt) -> str:
    """The failure's title with its AWS name and remedy, or the row's notes (its retries)."""
    if a.failure is not None:
        f = a.failure
        return "\n".join(line for line in (f"{f.title} ({f.code})", f.remedy) if line)
    return a.notes
