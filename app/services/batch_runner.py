"""The batch runner: many resends, paced under a rate ceiling, with pause, resume and cancel."""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.core.batch_input import BatchRow
from app.core.batch_progress import BatchProgress, BatchState, BatchSummary, ProgressTracker
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.services.batch_workers import RowWorkers, all_ended, threads_exited

if TYPE_CHECKING:
    from app.services.batch_history import RowHistory
    from app.services.cognito_gateway import GatewayConfig
    from app.services.pipeline import ResendPipeline

logger = logging.getLogger(__name__)

# Below Cognito's smallest default per-category request-rate quota for user pools
# (tens of requests per second, shared by the whole account and region): a batch must
# leave room for the real app's own sign-ups and resends.
DEFAULT_RATE_PER_S = 10.0
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
MAX_RATE_PER_S = 1000.0
# How long finished rows gather before the loop counts them (and tells on_result): well
# under the progress interval, and the CLI prints a row only once it is committed anyway.
DRAIN_DELAY_S = 0.02


@dataclass(frozen=True)
class BatchSettings:
    """How fast a batch may go and how it backs off.

    `rate_per_s` is the ceiling; throttling halves the current rate (never below
    `min_rate_per_s`) and each delivered call wins back `recovery_fraction` of the
    ceiling. A throttled row is sent again at most `max_throttle_retries` times, after
    a jittered wait of up to `retry_backoff_s * 2**(n-1)` (capped at `retry_backoff_cap_s`).
    """

    concurrency: int = DEFAULT_CONCURRENCY
    rate_per_s: float = DEFAULT_RATE_PER_S
    min_rate_per_s: float = 0.2
    recovery_fraction: float = 0.05
    max_throttle_retries: int = 4
    retry_backoff_s: float = 0.25
    retry_backoff_cap_s: float = 5.0
    # Snapshots go to the progress callback at most this often (plus at every state change).
    progress_interval_s: float = 0.1

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be from 1 to {MAX_CONCURRENCY}")
        if not 0 < self.rate_per_s <= MAX_RATE_PER_S:
            raise ValueError(f"the rate must be above 0 and at most {MAX_RATE_PER_S:g} per second")
        if self.max_throttle_retries < 0:
            raise ValueError("max_throttle_retries cannot be negative")


def batch_gateway_config(base: GatewayConfig) -> GatewayConfig:
    """The gateway settings for a batch: one HTTP call per resend.

    The runner retries throttled rows itself, slowing the whole batch; a gateway that
    also retried would multiply calls against an account that is already throttled.
    """
    return replace(base, max_attempts=1)


def new_batch_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class BatchJob:
    """What to send: rows for one profile, with credentials read once for the whole batch.

    `total` (when known, e.g. from a first scan of the file) gives the ETA and the
    number of rows left unsent on cancel. `credentials` None means the pipeline's resolver
    reads the keyring for every row; callers should read them once and pass them.
    """

    profile: Profile
    rows: Iterable[BatchRow]
    credentials: ClientCredentials | None = None
    total: int | None = None
    batch_id: str = ""


ProgressCallback = Callable[[BatchProgress], None]
ResultCallback = Callable[[BatchRow, Attempt], None]


class _Pacer:
    """A request-rate ceiling that slows on throttling and recovers slowly.

    Each call reserves the next free time slot (a virtual-clock token bucket with a
    burst of one), so concurrent workers are spaced evenly instead of bursting.
    """

    def __init__(self, settings: BatchSettings, clock: Callable[[], float]) -> None:
        self._settings = settings
        self._clock = clock
        self.rate = settings.rate_per_s
        self._next_slot = clock()

    def reserve(self) -> float:
        """Take the next slot; return how long to wait for it (0 if it is now)."""
        now = self._clock()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        return slot - now

    def throttled(self) -> None:
        s = self._settings
        self.rate = max(s.min_rate_per_s, self.rate / 2.0)
        # Everyone waits one slot of the new rate: the account is over its quota now.
        self._next_slot = max(self._next_slot, self._clock()) + 1.0 / self.rate

    def delivered(self) -> None:
        s = self._settings
        self.rate = min(s.rate_per_s, self.rate + s.rate_per_s * s.recovery_fraction)


class BatchRunner:
    """Runs one batch on the running asyncio loop (plain asyncio, no Qt).

    Worker threads (as many as the concurrency, the runner's own: the loop's default
    pool may be smaller) pull rows from the job's iterator, so a 100,000-row file
    is never held in memory and nothing is created per row on the loop. Each worker waits
    for its rate slot and sends through the resend pipeline, which records the call in the
    history with the batch's id (see `RowWorkers`). LimitExceeded and every other error are
    recorded and the batch goes on; only TooManyRequests is retried. With `row_history`
    (the pipeline's sink, see `RowHistory`) each row is recorded once, its throttled
    calls counted in `Attempt.retries` and told in `Attempt.notes`; `on_result` gets
    that record. `on_result` and `on_progress` are called on the loop's thread.
    """

    def __init__(
        self,
        resend: ResendPipeline,
        settings: BatchSettings = BatchSettings(),  # noqa: B008 - frozen, so sharing is safe
        *,
        on_progress: ProgressCallback | None = None,
        on_result: ResultCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        flush_history: Callable[[], object] | None = None,
        row_history: RowHistory | None = None,
    ) -> None:
        self._settings = settings
        self._on_progress = on_progress
        self._on_result = on_result
        self._clock = clock
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()  # workers back off from their own threads
        # BufferedHistory.flush when the pipeline writes through one: called when
        # the batch pauses and when it ends, so that no call is missing from the history.
        self._flush_history = flush_history
        # The pipeline's sink when it writes through one: a row is then recorded once,
        # with its throttled tries in `retries` and `notes`, not once per call.
        self._row_history = row_history
        self._pool: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tracker: ProgressTracker | None = None
        self._pacer = _Pacer(settings, clock)
        self._workers = RowWorkers(
            resend,
            self._pacer,
            max_throttle_retries=settings.max_throttle_retries,
            backoff=self._backoff,
            row_history=row_history,
            report=self._report,
        )
        # What the workers finished and the loop has not counted yet (under the lock).
        self._finished: list[tuple[BatchRow, Attempt] | None] = []
        self._drain_asked = False
        self._last_emit = float("-inf")
        self._started = False

    @property
    def settings(self) -> BatchSettings:
        return self._settings

    # -- control (call on the loop's thread) -----------------------------------------------

    def pause(self) -> None:
        """Stop starting calls; calls in flight finish."""
        w = self._workers
        if w.stop.is_set() or not w.go.is_set():
            return
        w.go.clear()
        self._set_state(BatchState.PAUSED)
        if self._flush_history is not None and self._pool is not None and self._loop is not None:
            self._loop.run_in_executor(self._pool, self._flush_quietly)

    def resume(self) -> None:
        w = self._workers
        if w.stop.is_set() or w.go.is_set():
            return
        w.go.set()
        self._set_state(BatchState.RUNNING)

    def cancel(self) -> None:
        """Start no new call from now on; calls in flight finish and are recorded."""
        w = self._workers
        if w.stop.is_set():
            return
        w.stop.set()
        w.go.set()  # wake paused workers so that they can leave
        self._set_state(BatchState.CANCELLING)

    @property
    def paused(self) -> bool:
        return not self._workers.go.is_set() and not self._workers.stop.is_set()

    @property
    def cancelled(self) -> bool:
        return self._workers.stop.is_set()

    def snapshot(self) -> BatchProgress | None:
        return self._synced().snapshot(self._clock()) if self._tracker else None

    # -- running -----------------------------------------------------------------------------

    async def run(self, job: BatchJob) -> BatchSummary:
        """Send every row of `job`; returns the summary once the last call has finished."""
        if self._started:
            raise RuntimeError("a BatchRunner runs one batch; make a new one")
        self._started = True
        self._loop = asyncio.get_running_loop()
        batch_id = job.batch_id or new_batch_id()
        job = replace(job, batch_id=batch_id)
        tracker = ProgressTracker(batch_id, job.total, self._clock())
        tracker.rate_limit_per_s = self._pacer.rate
        if self.cancelled:
            tracker.state = BatchState.CANCELLING
        elif self.paused:
            tracker.state = BatchState.PAUSED
        self._tracker = tracker
        rows = iter(job.rows)
        logger.info(
            "batch %s started: profile=%r concurrency=%d rate=%.2f/s total=%s",
            batch_id,
            job.profile.name,
            self._settings.concurrency,
            self._settings.rate_per_s,
            job.total,
        )
        self._emit(force=True)
        # The history flushes (a pause's, the end's) run here, never on a worker.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-flush")
        self._pool = pool
        args = (job.profile, job.credentials, batch_id, rows)
        started = [self._start_worker(i, args) for i in range(self._settings.concurrency)]
        threads = [done for done, _ in started]
        try:
            await all_ended(threads)
        finally:
            if not all(t.done() for t in threads):
                # Cancelled from outside (the window closed): stop pulling, let calls land.
                self.cancel()
                await asyncio.shield(all_ended(threads, return_exceptions=True))
            await asyncio.shield(threads_exited([thread for _, thread in started]))
            self._drain()
            if self._row_history is not None:
                # Calls whose row was left when a worker failed: still recorded.
                self._row_history.close()
            if self._flush_history is not None:
                await asyncio.get_running_loop().run_in_executor(pool, self._flush_quietly)
            self._pool = None
            pool.shutdown(wait=False)  # its last flush has been awaited
        tracker.state = BatchState.CANCELLED if self.cancelled else BatchState.FINISHED
        pulled = self._workers.pulled
        not_sent = max(0, job.total - pulled) if job.total is not None else 0
        if self.cancelled and job.total is None:
            not_sent = sum(1 for _ in rows)  # counted only; never sent
        summary = self._synced().summary(self._clock(), sent=pulled, not_sent=not_sent)
        self._emit(force=True)
        logger.info("batch %s %s", batch_id, summary.describe())
        return summary

    def _start_worker(self, i: int, args: tuple[Any, ...]) -> tuple[Future[None], threading.Thread]:
        """A daemon thread running the workers' loop (a paused batch must not keep the
        process from exiting, as an executor's threads would); its future ends with it."""
        done: Future[None] = Future()
        done.set_running_or_notify_cancel()  # running: waiting on it never cancels it

        def work() -> None:
            try:
                self._workers.work(*args)
            except BaseException as exc:  # noqa: BLE001 -- raised again by run()
                done.set_exception(exc)
            else:
                done.set_result(None)

        thread = threading.Thread(target=work, name=f"batch-resend-{i}", daemon=True)
        thread.start()
        return done, thread

    def _report(self, item: tuple[BatchRow, Attempt] | None) -> None:
        """From a worker thread: hand a finished row (or a retry) to the loop, which counts
        what has gathered DRAIN_DELAY_S later: one wake-up of the loop (the window's UI
        thread) per burst of rows, not one per row."""
        with self._workers.lock:
            self._finished.append(item)
            if self._drain_asked:
                return
            self._drain_asked = True
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.call_later, DRAIN_DELAY_S, self._drain)

    def _drain(self) -> None:
        """On the loop's thread: count the rows the workers finished, tell `on_result`."""
        with self._workers.lock:
            items, self._finished = self._finished, []
            self._drain_asked = False
        tracker = self._tracker
        if tracker is None or not items:
            return
        now = self._clock()
        for item in items:
            if item is None:
                continue
            row, final = item
            tracker.record(final, now)
            if self._on_result is not None:
                try:
                    self._on_result(row, final)
                except Exception:  # a broken display must not stop the count or the batch
                    logger.exception("batch result callback failed")
        self._emit()

    def _synced(self) -> ProgressTracker:
        """The tracker with the workers' live counters copied in."""
        tracker = self._tracker
        assert tracker is not None
        w = self._workers
        with w.lock:
            tracker.in_flight, tracker.retries = w.in_flight, w.retries
            tracker.rate_limit_per_s = self._pacer.rate
        return tracker

    def _flush_quietly(self) -> None:
        assert self._flush_history is not None
        try:
            self._flush_history()
        except Exception:  # logged by the buffer; the outcome of the calls still stands
            logger.warning("batch history flush failed", exc_info=True)

    def _backoff(self, retry: int) -> float:
        s = self._settings
        ceiling = min(s.retry_backoff_cap_s, s.retry_backoff_s * 2 ** (retry - 1))
        with self._rng_lock:
            return self._rng.uniform(ceiling / 2.0, ceiling)

    def _set_state(self, state: BatchState) -> None:
        if self._tracker is None:
            return
        self._tracker.state = state
        self._emit(force=True)

    def _emit(self, *, force: bool = False) -> None:
        if self._on_progress is None or self._tracker is None:
            return
        now = self._clock()
        if not force and now - self._last_emit < self._settings.progress_interval_s:
            return
        self._last_emit = now
        try:
            self._on_progress(self._synced().snapshot(now))
        except Exception:  # a broken display must not stop the batch
            logger.exception("batch progress callback failed")
