"""A batch's worker threads: each pulls the next row, waits for its rate slot, sends it, records it.

The rows are sent from the threads themselves, as a raw ThreadPoolExecutor loop sends its
calls: the event loop's thread (the window's UI thread) is not in the path of every row.
When it was (one executor hand-off and one pacing wait per row on the loop), each row
waited for the loop to get the GIL back from the calls in flight, and a batch ran a third
slower than the calls alone. The loop now only sets the flags below and counts results.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from app.core.attempts import begin_attempt
from app.core.batch_input import BatchRow
from app.core.outcome import Attempt, Status
from app.core.request import ResendInput

if TYPE_CHECKING:
    from app.core.profile import ClientCredentials, Profile
    from app.services.batch_history import RowHistory
    from app.services.pipeline import ResendPipeline

logger = logging.getLogger("app.services.batch_runner")

THROTTLE_CODE = "TooManyRequestsException"

# What a worker hands the loop: a row and its record, or None (a retry: progress is due).
Report = Callable[[tuple[BatchRow, Attempt] | None], None]


class Pacing(Protocol):
    """The runner's pacer (`batch_runner._Pacer`); called under `RowWorkers.lock`."""

    rate: float

    def reserve(self) -> float: ...

    def throttled(self) -> None: ...

    def delivered(self) -> None: ...


class RowWorkers:
    """The thread side of one batch: the flags the loop sets (pause, cancel), the counters
    it reads (in flight, retries, rows pulled), and the loop every worker thread runs.

    `go` is cleared while paused; `stop` is set on cancel (and sets `go`, so that paused
    workers wake to leave). A worker checks both before each call and after each wait, so
    no call starts once `pause` or `cancel` has returned on the loop's thread, beyond one
    that was already past its check.
    """

    def __init__(
        self,
        resend: ResendPipeline,
        pacer: Pacing,
        *,
        max_throttle_retries: int,
        backoff: Callable[[int], float],
        row_history: RowHistory | None,
        report: Report,
    ) -> None:
        self._resend = resend
        self._pacer = pacer
        self._max_retries = max_throttle_retries
        self._backoff = backoff
        self._row_history = row_history
        self._report = report
        self.go = threading.Event()
        self.go.set()
        self.stop = threading.Event()
        # The rows iterator (a generator over a file is not thread-safe), the pacer and
        # the counters.
        self.lock = threading.Lock()
        self.in_flight = 0
        self.retries = 0
        self.pulled = 0

    def work(
        self,
        profile: Profile,
        credentials: ClientCredentials | None,
        batch_id: str,
        rows: Iterator[BatchRow],
    ) -> None:
        """One worker thread: rows until there are none left or the batch is cancelled."""
        while self._may_start():
            with self.lock:
                row = next(rows, None)
                if row is None:
                    return
                self.pulled += 1
            self._send_row(profile, credentials, batch_id, row)

    def _may_start(self) -> bool:
        """Wait while paused; False once cancelled."""
        while not self.go.is_set():
            self.go.wait()
        return not self.stop.is_set()

    def _paced(self) -> bool:
        """Wait for a rate slot (and out of a pause); False if cancelled meanwhile."""
        while True:
            if not self._may_start():
                return False
            with self.lock:
                delay = self._pacer.reserve()
            if delay > 0 and self.stop.wait(delay):
                return False
            if self.stop.is_set():
                return False
            if self.go.is_set():
                return True
            # Paused while waiting for the slot: the slot is forfeit, wait and take a new one.

    def _send_row(
        self,
        profile: Profile,
        credentials: ClientCredentials | None,
        batch_id: str,
        row: BatchRow,
    ) -> None:
        raw = ResendInput(client_id="", username=row.username, client_metadata=row.metadata)
        client_id = credentials.client_id if credentials else ""
        retries = 0
        waits: list[float] = []
        final: Attempt | None = None
        while self._paced():
            attempt = begin_attempt(profile, raw, client_id=client_id, batch_id=batch_id)
            with self.lock:
                self.in_flight += 1
            try:
                final = self._resend.run(attempt, profile, raw, credentials)
            finally:
                with self.lock:
                    self.in_flight -= 1
            if not throttled(final):
                if final.status is Status.DELIVERED:
                    with self.lock:
                        self._pacer.delivered()
                break
            with self.lock:
                self._pacer.throttled()
                rate = self._pacer.rate
            if retries >= self._max_retries or self.stop.is_set():
                break
            if self._row_history is not None:
                self._row_history.drop(final.attempt_id)  # sent again: this call is no record
            retries += 1
            with self.lock:
                self.retries += 1
            logger.info(
                "batch %s line %d throttled; retry %d, rate now %.2f/s",
                batch_id,
                row.line,
                retries,
                rate,
            )
            self._report(None)
            wait = self._backoff(retries)
            if self.stop.wait(wait):
                break
            waits.append(wait)
        if final is None:
            # Cancelled before its first call: the row was never sent.
            with self.lock:
                self.pulled -= 1
            return
        if self._row_history is not None:
            # The row's one record: its last call, with the throttled tries before it.
            final = with_tries(final, waits)
            self._row_history.settle(final)
        self._report((row, final))


def throttled(attempt: Attempt) -> bool:
    return attempt.failure is not None and attempt.failure.code == THROTTLE_CODE


def with_tries(final: Attempt, waits: Sequence[float]) -> Attempt:
    """The row's record: its last call, with the throttled calls before it in retries and notes."""
    if not waits:
        return final
    times = "once" if len(waits) == 1 else f"{len(waits)} times"
    after = ", ".join(f"{w:.1f} s" for w in waits)
    note = (
        f"Cognito asked to slow down ({THROTTLE_CODE}) and the row was sent again {times}, "
        f"after waiting {after}."
    )
    if throttled(final):
        note += " The last try was throttled too: given up."
    notes = f"{note}\n\n{final.notes}" if final.notes else note
    return replace(final, retries=final.retries + len(waits), notes=notes)


async def threads_exited(threads: list[threading.Thread]) -> None:
    """Wait (without blocking the loop) until the worker threads have ended (BatchRunner.run).

    Their futures are set just before they end, but a thread lets go of its target (the
    runner, its loop and the window's callbacks) only as it ends. Had `run` returned by
    then, that last reference would drop on the worker thread, and Qt objects (qasync's
    timer, a controller) would be destroyed off the GUI thread: a later segfault, seen
    in the test suite.
    """
    while any(t.is_alive() for t in threads):
        await asyncio.sleep(0.002)


async def all_ended(threads: list[Future[None]], *, return_exceptions: bool = False) -> None:
    """Wait for the worker threads; the first one that raised raises here."""
    await asyncio.gather(
        *(asyncio.wrap_future(t) for t in threads), return_exceptions=return_exceptions
    )
