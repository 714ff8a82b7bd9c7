"""A history writer for batches: buffers attempts and appends them in a few transactions."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from app.core.outcome import Attempt
from app.services.history_sink import HistorySink

logger = logging.getLogger(__name__)


class BulkHistory(Protocol):
    """What the buffer writes to: HistoryStore in the app."""

    def append_many(self, attempts: Iterable[Attempt]) -> int: ...


class BufferedHistory:
    """A `HistorySink` for a batch's pipeline, in front of HistoryStore: `append` buffers, a full
    buffer (or one older than `max_delay_s`) is written in one transaction.

    One transaction per call costs a disk sync per row and made a batch a third slower
    than the calls alone; this keeps every call in the history, at most `max_delay_s`
    late. Call `flush` when the batch ends (BatchRunner does). Thread-safe.

    With `writer_thread`, a due buffer is written by one background thread instead of
    by the call that filled it: the resend threads never wait on SQLite's commit (and
    its disk sync), and a buffer also goes out once it is `max_delay_s` old without a
    further append. The thread ends when the buffer is empty; `flush` still writes
    synchronously, so "flush at the end" keeps meaning "everything is committed".

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
        writer_thread: bool = False,
    ) -> None:
        self._store = store
        self._on_written = on_written
        self._max_rows = max_rows
        self._max_delay_s = max_delay_s
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._background = writer_thread
        self._writer: threading.Thread | None = None
        # Serialises writes so that rows reach the store in the order they were buffered.
        self._write_lock = threading.Lock()
        self._rows: list[Attempt] = []
        self._oldest = 0.0

    def append(self, attempt: Attempt, /) -> None:
        with self._lock:
            if not self._rows:
                self._oldest = self._clock()
            self._rows.append(attempt)
            due = self._due_locked()
            if self._background:
                if self._writer is None:
                    self._writer = threading.Thread(
                        target=self._write_in_background, name="batch-history", daemon=True
                    )
                    self._writer.start()
                elif due:
                    self._wake.notify()
                return
        if due:
            self.flush()

    def _due_locked(self) -> bool:
        return (
            len(self._rows) >= self._max_rows or self._clock() - self._oldest >= self._max_delay_s
        )

    def _write_in_background(self) -> None:
        while True:
            with self._lock:
                while self._rows and not self._due_locked():
                    left = self._max_delay_s - (self._clock() - self._oldest)
                    self._wake.wait(timeout=min(max(left, 0.005), self._max_delay_s))
                if not self._rows:
                    # Leave under the lock: an append from now on starts a new writer.
                    self._writer = None
                    return
            try:
                self.flush()
            except Exception:  # logged by flush; the rows are reported as written anyway
                pass

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


class RowHistory:
    """The `HistorySink` of a batch's pipeline: one history row per user per batch run.

    The pipeline records every call it makes, and a throttled row is called again; so each
    call is held here until the runner `settle`s its row with the last call (its retries
    and notes filled in) and only that reaches `sink`. `close` (the runner's end) writes
    whatever is still held, a call whose row was abandoned when the batch was cancelled
    from outside, and lets later calls through: no call is lost. Thread-safe.
    """

    def __init__(self, sink: HistorySink) -> None:
        self._sink = sink
        self._lock = threading.Lock()
        self._held: dict[str, Attempt] = {}
        self._closed = False

    def append(self, attempt: Attempt, /) -> None:
        with self._lock:
            if not self._closed:
                self._held[attempt.attempt_id] = attempt
                return
        self._sink.append(attempt)

    def drop(self, attempt_id: str) -> None:
        """Forget a call that the runner makes again (a throttled try)."""
        with self._lock:
            self._held.pop(attempt_id, None)

    def settle(self, final: Attempt) -> None:
        """Record `final`, the row's last call, in place of the call the pipeline held."""
        with self._lock:
            self._held.pop(final.attempt_id, None)
        self._sink.append(final)

    def close(self) -> int:
        """Write what is still held and pass later calls straight through; returns how many."""
        with self._lock:
            self._closed = True
            held, self._held = list(self._held.values()), {}
        for attempt in held:
            self._sink.append(attempt)
        return len(held)

    @property
    def held(self) -> int:
        with self._lock:
            return len(self._held)
