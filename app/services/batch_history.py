"""A history writer for batches: buffers attempts and appends them in a few transactions."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from app.core.outcome import Attempt

logger = logging.getLogger(__name__)


class BulkHistory(Protocol):
    """What the buffer writes to: HistoryStore in the app."""

    def append_many(self, attempts: Iterable[Attempt]) -> int: ...


class BufferedHistory:
    """Stands in for HistoryStore in a batch's ResendService: `append` buffers, a full
    buffer (or one older than `max_delay_s`) is written in one transaction.

    One transaction per call costs a disk sync per row and made a batch a third slower
    than the calls alone; this keeps every call in the history, at most `max_delay_s`
    late. Call `flush` when the batch ends (BatchRunner does). Thread-safe.

    `on_written` is called with each group of attempts once its transaction has
    committed (or has failed: the error is logged, and the outcome of the calls must
    still be shown). A caller that reports a result only from there never reports a call
    that a crash could still take out of the history: a SIGKILL loses at most the calls
    of the buffer, and none of those has been reported yet.
    """

    def __init__(
        self,
        store: BulkHistory,
        *,
        max_rows: int = 100,
        max_delay_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        on_written: Callable[[Sequence[Attempt]], None] | None = None,
    ) -> None:
        self._store = store
        self._on_written = on_written
        self._max_rows = max_rows
        self._max_delay_s = max_delay_s
        self._clock = clock
        self._lock = threading.Lock()
        # Serialises writes so that rows reach the store in the order they were buffered.
        self._write_lock = threading.Lock()
        self._rows: list[Attempt] = []
        self._oldest = 0.0

    def append(self, attempt: Attempt) -> None:
        with self._lock:
            if not self._rows:
                self._oldest = self._clock()
            self._rows.append(attempt)
            due = (
                len(self._rows) >= self._max_rows
                or self._clock() - self._oldest >= self._max_delay_s
            )
        if due:
            self.flush()

    def flush(self) -> int:
        """Write what is buffered; returns how many rows were written. Raises what the
        store raises (the rows are then dropped from the buffer and logged as lost)."""
        with self._write_lock:
            with self._lock:
                rows, self._rows = self._rows, []
            if not rows:
                return 0
            try:
                return self._store.append_many(rows)
            except Exception:
                logger.exception("could not record %d batch attempts in the history", len(rows))
                raise
            finally:
                # Still under the write lock, so groups are reported in the order written.
                self._report(rows)

    def _report(self, rows: Sequence[Attempt]) -> None:
        if self._on_written is None:
            return
        try:
            self._on_written(rows)
        except Exception:  # a broken display must neither lose nor fail the write
            logger.exception("batch history: reporting %d written attempts failed", len(rows))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._rows)
