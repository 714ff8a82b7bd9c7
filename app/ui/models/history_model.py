"""The history as a lazily fetched Qt table model over a HistorySource (the SQLite store).

Rows are newest first. Filtering is done by the source (SQL), never by a proxy over
every row: the model holds only the pages it has fetched, so 100,000 attempts open
with one ``count`` and one ``page`` call.

Rows the app adds while it runs (``add_pending`` / ``update_attempt``) go on top at
once. They obey the current filter like stored rows do: a filter on "alice" does not
show a new attempt for "bob", and a pending row that becomes "Delivered" leaves a
"Pending" filter. Keeping the view truthful to the filter beats showing everything
the user just sent; the main window shows the latest result elsewhere anyway.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from app.core.outcome import Attempt, Status
from app.services.history_store import HistoryFilter, HistoryStoreError
from app.ui.models.history_columns import (
    COL_LATENCY,
    COL_OUTCOME,
    COL_TIME,
    HEADER_TIPS,
    HEADERS,
    cell_text,
    cell_tooltip,
    outcome_color,
)

log = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex

AttemptRole = Qt.ItemDataRole.UserRole + 1

# "2 min ago" ages: a view repaints the time column this often (see refresh_times).
CLOCK_MS = 30_000
PAGE_SIZE = 100  # a screen shows ~30 rows; a smaller page paints sooner
# Rows added on top during a session beyond this many pages trigger a reload from the
# store, which keeps the loaded rows (and the memory they hold) bounded.
MAX_LOCAL_PAGES = 3
# The invalid index (a table's root), as the default parent of the model API.
_ROOT = QModelIndex()


class HistorySource(Protocol):
    """What the model needs from the history store: a filtered count and newest-first pages."""

    def count(self, flt: HistoryFilter = ...) -> int: ...

    def page(self, flt: HistoryFilter, offset: int, limit: int) -> list[Attempt]: ...


def attempt_matches(flt: HistoryFilter, a: Attempt) -> bool:
    """The store's filter semantics, for rows added locally (text: case-insensitive
    substring of username, profile or outcome title)."""
    if flt.profile is not None and a.profile != flt.profile:
        return False
    if flt.username is not None and a.username != flt.username:
        return False
    if flt.status is not None and a.status is not flt.status:
        return False
    if flt.batch_id is not None and a.batch_id != flt.batch_id:
        return False
    if flt.kind is not None and a.kind is not flt.kind:
        return False
    text = flt.text.strip().casefold()
    if text:
        haystack = (a.username, a.profile, a.outcome_label)
        if not any(text in h.casefold() for h in haystack):
            return False
    return True


class HistoryTableModel(QAbstractTableModel):
    """Attempts newest first, fetched from the source page by page as the view scrolls."""

    # Emitted whenever the number of matching attempts may have changed.
    total_changed = Signal(int)
    # The store could not be read; the text says why (already plain language).
    load_failed = Signal(str)

    def __init__(
        self,
        store: HistorySource | None = None,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._store: HistorySource | None = None
        self._filter = HistoryFilter()
        self._page_size = page_size
        self._rows: list[Attempt] = []
        self._ids: set[str] = set()
        # Rows put on top by add_pending/update_attempt since the last reload. They may
        # or may not be in the store already, which shifts the store's offsets; see
        # fetchMore.
        self._local_ids: set[str] = set()
        # How far into the store's snapshot (as counted at reload) we have fetched.
        self._fetched = 0
        self._store_total = 0
        self._exhausted = True
        # The filtered count is taken on the loop turn after a reload, so the first page
        # paints without waiting for it (a text filter's count scans an index: ~20 ms at
        # 100k rows). Anything that needs it sooner takes it then (_ensure_count).
        self._count_pending = False
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._on_count_due)
        self.last_error: str | None = None
        if store is not None:
            self.set_store(store)

    # ----------------------------------------------------------------- configuration
    @property
    def store(self) -> HistorySource | None:
        return self._store

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_store(self, store: HistorySource | None) -> None:
        """Attach the store (it opens in the background after the window shows)."""
        self._store = store
        self.reload()

    def current_filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, flt: HistoryFilter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Drop what is loaded and start again from the newest matching attempt.

        Pending rows that are not in the store yet are kept on top (if they match), so
        a reload while a resend runs does not hide it.
        """
        pending = [
            a for a in self._rows if a.status is Status.PENDING and a.attempt_id in self._local_ids
        ]
        self.beginResetModel()
        self._rows = [a for a in pending if attempt_matches(self._filter, a)]
        self._ids = {a.attempt_id for a in self._rows}
        self._local_ids = set(self._ids)
        self._fetched = 0
        self._store_total = 0
        self._count_timer.stop()
        self._count_pending = self._store is not None
        self._exhausted = self._store is None
        self.last_error = None
        # The first page is part of the reset, so a view can reselect its row on modelReset.
        first_page = self._next_page()
        if self._count_pending and (self._exhausted or self._unreadable()):
            # All there is fits in the first page (its size is the count), or the store
            # could not be read (said once, not twice): no count to wait for.
            self._count_pending = False
            self._store_total = self._fetched
        self._rows.extend(first_page)
        self._ids.update(a.attempt_id for a in first_page)
        self.endResetModel()
        if self._count_pending:
            self._count_timer.start()
        else:
            self.total_changed.emit(self.total_count())

    def _unreadable(self) -> bool:
        return self.last_error is not None

    def known_total(self) -> int | None:
        """total_count() when it is known without a query; None while it is being taken."""
        return None if self._count_pending else self.total_count()

    def _ensure_count(self) -> None:
        if not self._count_pending:
            return
        self._count_pending = False
        self._count_timer.stop()
        if self._store is not None:
            self._store_total = self._count(self._store)
            if self._fetched >= self._store_total:
                self._exhausted = True

    def _on_count_due(self) -> None:
        if self._count_pending:
            self._ensure_count()
            self.total_changed.emit(self.total_count())

    def _count(self, store: HistorySource) -> int:
        try:
            total = store.count(self._filter)
        except HistoryStoreError as exc:
            self._report(exc)
            return 0
        self.last_error = None
        return total

    def _report(self, exc: HistoryStoreError) -> None:
        log.warning("history not readable: %s", exc)
        self.last_error = str(exc)
        self.load_failed.emit(self.last_error)

    def refresh_times(self) -> None:
        """Tell views the relative times changed (loaded rows only); a view's timer calls it."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, COL_TIME), self.index(last, COL_TIME), [Qt.ItemDataRole.DisplayRole]
            )

    # ----------------------------------------------------------------- live updates
    def add_pending(self, a: Attempt) -> None:
        """Show an attempt that has just started, on top."""
        self.update_attempt(a)

    def update_attempt(self, a: Attempt) -> None:
        """Replace the row with the same attempt_id (e.g. pending → final), or insert on top."""
        row = self.row_of(a.attempt_id)
        matches = attempt_matches(self._filter, a)
        if row is not None:
            if matches:
                self._rows[row] = a
                self.dataChanged.emit(
                    self.index(row, 0), self.index(row, len(HEADERS) - 1)
                )
            else:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._ids.discard(a.attempt_id)
                self.endRemoveRows()
                self.total_changed.emit(self.total_count())
            return
        if not matches:
            return
        # The count is a snapshot taken before rows go on top (see total_count).
        self._ensure_count()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, a)
        self._ids.add(a.attempt_id)
        self._local_ids.add(a.attempt_id)
        self.endInsertRows()
        if len(self._local_ids) > self._page_size * MAX_LOCAL_PAGES:
            # A long session must not keep every attempt it made in memory: start again
            # from the store's first page (pending rows stay on top; the rest is stored).
            self.reload()
            return
        self.total_changed.emit(self.total_count())

    # ----------------------------------------------------------------- lookups
    def attempt_at(self, row: int) -> Attempt | None:
        if 0 <= row < len(self._rows):
            return self._rows[row]
        return None

    def row_of(self, attempt_id: str) -> int | None:
        """The row showing `attempt_id` among the rows loaded so far, else None."""
        if attempt_id not in self._ids:
            return None
        for i, a in enumerate(self._rows):
            if a.attempt_id == attempt_id:
                return i
        return None

    def loaded_count(self) -> int:
        return len(self._rows)

    def total_count(self) -> int:
        """Matching attempts: the store's count at the last reload plus rows added since."""
        self._ensure_count()
        return self._store_total + len(self._local_ids & self._ids)

    # ----------------------------------------------------------------- lazy fetching
    def canFetchMore(self, parent: ModelIndex = _ROOT) -> bool:
        if parent.isValid() or self._store is None:
            return False
        return not self._exhausted

    def fetchMore(self, parent: ModelIndex = _ROOT) -> None:
        fresh = [] if parent.isValid() else self._next_page()
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self._ids.update(a.attempt_id for a in fresh)
        self.endInsertRows()

    def _next_page(self) -> list[Attempt]:
        """The next rows from the store not shown yet (updates the fetch position)."""
        if self._store is None or self._exhausted:
            return []
        # Rows added on top since the reload may have been written to the store, which
        # pushes the snapshot's rows down by up to that many places. Ask for that many
        # more and drop the ones already shown: no gap, no duplicate, whichever it is.
        limit = self._page_size + len(self._local_ids)
        try:
            page = self._store.page(self._filter, self._fetched, limit)
        except HistoryStoreError as exc:
            # A broken disk or a locked file must not take the window down: show what
            # was loaded, stop fetching, and say why.
            self._exhausted = True
            self._report(exc)
            return []
        fresh = [a for a in page if a.attempt_id not in self._ids]
        self._fetched += len(fresh)
        counted = not self._count_pending
        if len(page) < limit or not fresh or (counted and self._fetched >= self._store_total):
            self._exhausted = True
        return fresh

    # ----------------------------------------------------------------- Qt model API
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
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COL_LATENCY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        a = self.attempt_at(index.row())
        if a is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(a, col)
        if role == AttemptRole:
            return a
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(a, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_LATENCY:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if col == COL_OUTCOME and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.DecorationRole,
        ):
            return outcome_color(a)
        return None
