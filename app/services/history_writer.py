"""The writer thread of a write-behind HistoryStore (`HistoryStore(..., write_behind=True)`).

Part of `app.services.history_store`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from app.core.outcome import Attempt
from app.services.history_rows import HistoryStoreError

log = logging.getLogger("app.services.history_store")

# How long the writer gathers appends before it commits them in one transaction; a
# read, `flush` or `close` commits at once. A crash of the process can lose that much.
WRITE_BEHIND_DELAY_S = 0.05


class WriteBehind:
    """The writer thread of a write-behind HistoryStore: a queue, a thread started on the
    first append, sequence numbers so that `wait` waits for exactly what came before it.

    One commit per 9-index row costs more CPU than the row itself (measured: ~0.25 ms
    per single-row transaction); gathering for WRITE_BEHIND_DELAY_S makes it one
    transaction (and one wake-up of this thread) per burst."""

    def __init__(
        self,
        append_many: Callable[[list[Attempt]], int],
        delay_s: float = WRITE_BEHIND_DELAY_S,
    ) -> None:
        self._append_many = append_many
        self._delay_s = delay_s
        self._hurry = 0  # waiters: commit now
        self._cv = threading.Condition()
        self._queue: list[Attempt] = []
        self._queued = 0  # attempts put so far
        self._done = 0  # of those, committed (or given up on: the error is logged)
        self._thread: threading.Thread | None = None
        self._stopping = False

    def put(self, a: Attempt) -> None:
        with self._cv:
            if self._stopping:
                raise HistoryStoreError("the history is closed")
            self._queue.append(a)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="history-writer", daemon=True
                )
                self._thread.start()
            elif len(self._queue) == 1:
                self._cv.notify_all()

    def wait(self, timeout: float | None) -> bool:
        if self._thread is not None and threading.current_thread() is self._thread:
            return True  # the writer itself: nothing before it to wait for
        with self._cv:
            target = self._queued
            if self._done >= target:
                return True
            self._hurry += 1
            self._cv.notify_all()
            try:
                return self._cv.wait_for(lambda: self._done >= target, timeout)
            finally:
                self._hurry -= 1

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._stopping:
                    self._cv.wait()
                deadline = time.monotonic() + self._delay_s
                while not self._stopping and not self._hurry and len(self._queue) < 500:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cv.wait(left)
                if not self._queue:
                    return
                rows, self._queue = self._queue, []
                upto = self._queued
            try:
                self._append_many(rows)
            except Exception:  # logged, as the pipeline logs a failed synchronous append
                log.exception("could not record %d attempt(s) in the history", len(rows))
            with self._cv:
                self._done = upto
                self._cv.notify_all()

    def stop(self) -> None:
        with self._cv:
            self._stopping = True
            thread = self._thread
            self._cv.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
