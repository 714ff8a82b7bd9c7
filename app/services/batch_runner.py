"""The batch runner: many resends, paced under a rate ceiling, with pause, resume and cancel."""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core.attempts import begin_attempt
from app.core.batch_input import BatchRow
from app.core.batch_progress import BatchProgress, BatchState, BatchSummary, ProgressTracker
from app.core.outcome import Attempt, Status
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput

if TYPE_CHECKING:
    from app.services.batch_history import RowHistory
    from app.services.cognito_gateway import GatewayConfig
    from app.services.pipeline import ResendPipeline

logger = logging.getLogger(__name__)

THROTTLE_CODE = "TooManyRequestsException"
# Below Cognito's smallest default per-category request-rate quota for user pools
# (tens of requests per second, shared by the whole account and region): a batch must
# leave room for the real app's own sign-ups and resends.
DEFAULT_RATE_PER_S = 10.0
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
MAX_RATE_PER_S = 1000.0


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

    Workers (as many as the concurrency) pull rows from the job's iterator, so a
    100,000-row file is never held in memory and no task is created per row. Each
    call runs in a thread of the runner's own pool (sized to the concurrency: the
    loop's default pool may be smaller) through the resend pipeline, which records it
    in the history with the batch's id. LimitExceeded and every other error are
    recorded and the batch goes on; only TooManyRequests is retried. With `row_history`
    (the pipeline's sink, see `RowHistory`) each row is recorded once, its throttled
    calls counted in `Attempt.retries` and told in `Attempt.notes`; `on_result` gets
    that record.
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
        self._resend = resend
        self._settings = settings
        self._on_progress = on_progress
        self._on_result = on_result
        self._clock = clock
        self._rng = rng or random.Random()
        # BufferedHistory.flush when the pipeline writes through one: called when
        # the batch pauses and when it ends, so that no call is missing from the history.
        self._flush_history = flush_history
        # The pipeline's sink when it writes through one: a row is then recorded once,
        # with its throttled tries in `retries` and `notes`, not once per call.
        self._row_history = row_history
        self._pool: ThreadPoolExecutor | None = None
        self._resume = asyncio.Event()
        self._resume.set()
        self._cancel = asyncio.Event()
        self._tracker: ProgressTracker | None = None
        self._pacer = _Pacer(settings, clock)
        self._pulled = 0
        self._last_emit = float("-inf")
        self._started = False

    @property
    def settings(self) -> BatchSettings:
        return self._settings

    # -- control (call on the loop's thread) -----------------------------------------------

    def pause(self) -> None:
        """Stop starting calls; calls in flight finish."""
        if self._cancel.is_set() or not self._resume.is_set():
            return
        self._resume.clear()
        self._set_state(BatchState.PAUSED)
        if self._flush_history is not None and self._pool is not None:
            asyncio.get_running_loop().run_in_executor(self._pool, self._flush_quietly)

    def resume(self) -> None:
        if self._cancel.is_set() or self._resume.is_set():
            return
        self._resume.set()
        self._set_state(BatchState.RUNNING)

    def cancel(self) -> None:
        """Start no new call from now on; calls in flight finish and are recorded."""
        if self._cancel.is_set():
            return
        self._cancel.set()
        self._resume.set()  # wake paused workers so that they can leave
        self._set_state(BatchState.CANCELLING)

    @property
    def paused(self) -> bool:
        return not self._resume.is_set() and not self._cancel.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def snapshot(self) -> BatchProgress | None:
        return self._tracker.snapshot(self._clock()) if self._tracker else None

    # -- running -----------------------------------------------------------------------------

    async def run(self, job: BatchJob) -> BatchSummary:
        """Send every row of `job`; returns the summary once the last call has finished."""
        if self._started:
            raise RuntimeError("a BatchRunner runs one batch; make a new one")
        self._started = True
        batch_id = job.batch_id or new_batch_id()
        job = replace(job, batch_id=batch_id)
        tracker = ProgressTracker(batch_id, job.total, self._clock())
        tracker.rate_limit_per_s = self._pacer.rate
        if self._cancel.is_set():
            tracker.state = BatchState.CANCELLING
        elif not self._resume.is_set():
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
        pool = ThreadPoolExecutor(
            max_workers=self._settings.concurrency, thread_name_prefix="batch-resend"
        )
        self._pool = pool
        try:
            workers = [
                asyncio.create_task(self._worker(job, rows, pool), name=f"batch-worker-{i}")
                for i in range(self._settings.concurrency)
            ]
            try:
                await asyncio.gather(*workers)
            except BaseException:
                # Cancelled from outside (the window closed): stop pulling, let calls land.
                self._cancel.set()
                self._resume.set()
                await asyncio.gather(*workers, return_exceptions=True)
                raise
        finally:
            if self._row_history is not None:
                # Calls whose worker was cancelled from outside: still recorded.
                self._row_history.close()
            if self._flush_history is not None:
                await asyncio.get_running_loop().run_in_executor(pool, self._flush_quietly)
            self._pool = None
            # Every worker has awaited its own call, so nothing is left running here.
            pool.shutdown(wait=False)
        tracker.state = BatchState.CANCELLED if self._cancel.is_set() else BatchState.FINISHED
        not_sent = max(0, job.total - self._pulled) if job.total is not None else 0
        if self._cancel.is_set() and job.total is None:
            not_sent = sum(1 for _ in rows)  # counted only; never sent
        summary = tracker.summary(self._clock(), sent=self._pulled, not_sent=not_sent)
        self._emit(force=True)
        logger.info("batch %s %s", batch_id, summary.describe())
        return summary

    async def _worker(
        self, job: BatchJob, rows: Iterator[BatchRow], pool: ThreadPoolExecutor
    ) -> None:
        while await self._may_start():
            row = next(rows, None)
            if row is None:
                return
            self._pulled += 1
            await self._send_row(job, row, pool)

    async def _may_start(self) -> bool:
        """Wait while paused; False once cancelled."""
        while not self._resume.is_set():
            await self._resume.wait()
        return not self._cancel.is_set()

    async def _sleep_unless_cancelled(self, delay: float) -> bool:
        """Sleep `delay` seconds; False (at once) if the batch is cancelled meanwhile."""
        if delay <= 0:
            return not self._cancel.is_set()
        try:
            await asyncio.wait_for(self._cancel.wait(), timeout=delay)
        except TimeoutError:
            return True
        return False

    async def _paced(self) -> bool:
        """Wait for a rate slot (and out of a pause); False if cancelled meanwhile."""
        while True:
            if not await self._may_start():
                return False
            if not await self._sleep_unless_cancelled(self._pacer.reserve()):
                return False
            if self._resume.is_set():
                return True
            # Paused while waiting for the slot: the slot is forfeit, wait and take a new one.

    async def _send_row(self, job: BatchJob, row: BatchRow, pool: ThreadPoolExecutor) -> None:
        tracker = self._tracker
        assert tracker is not None
        retries = 0
        waits: list[float] = []
        final: Attempt | None = None
        while True:
            if not await self._paced():
                break
            raw = ResendInput(client_id="", username=row.username, client_metadata=row.metadata)
            client_id = job.credentials.client_id if job.credentials else ""
            attempt = begin_attempt(job.profile, raw, client_id=client_id, batch_id=job.batch_id)
            tracker.in_flight += 1
            try:
                loop = asyncio.get_running_loop()
                final = await loop.run_in_executor(
                    pool, self._call, job, attempt, raw, tuple(waits)
                )
            finally:
                tracker.in_flight -= 1
            if not _throttled(final):
                if final.status is Status.DELIVERED:
                    self._pacer.delivered()
                break
            self._pacer.throttled()
            tracker.rate_limit_per_s = self._pacer.rate
            if retries >= self._settings.max_throttle_retries or self._cancel.is_set():
                break
            if self._row_history is not None:
                self._row_history.drop(final.attempt_id)  # sent again: this call is no record
            retries += 1
            tracker.retries += 1
            logger.info(
                "batch %s line %d throttled; retry %d, rate now %.2f/s",
                job.batch_id,
                row.line,
                retries,
                self._pacer.rate,
            )
            wait = self._backoff(retries)
            if not await self._sleep_unless_cancelled(wait):
                break
            waits.append(wait)
            self._emit()
        tracker.rate_limit_per_s = self._pacer.rate
        if final is None:
            # Cancelled before its first call: the row was never sent.
            self._pulled -= 1
            return
        if self._row_history is not None and _throttled(final):
            # Throttled to the end (or cancelled before the next try): the row ends here.
            final = _with_tries(final, waits)
            self._row_history.settle(final)
        tracker.record(final, self._clock())
        if self._on_result is not None:
            self._on_result(row, final)
        self._emit()

    def _call(
        self, job: BatchJob, attempt: Attempt, raw: ResendInput, waits: tuple[float, ...]
    ) -> Attempt:
        """One call, in a pool thread; an answer that ends the row is recorded right here
        (the history write stays off the loop's thread, as the pipeline's own would)."""
        final = self._resend.run(attempt, job.profile, raw, job.credentials)
        if self._row_history is not None and not _throttled(final):
            final = _with_tries(final, waits)
            self._row_history.settle(final)
        return final

    def _flush_quietly(self) -> None:
        assert self._flush_history is not None
        try:
            self._flush_history()
        except Exception:  # logged by the buffer; the outcome of the calls still stands
            logger.warning("batch history flush failed", exc_info=True)

    def _backoff(self, retry: int) -> float:
        s = self._settings
        ceiling = min(s.retry_backoff_cap_s, s.retry_backoff_s * 2 ** (retry - 1))
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
            self._on_progress(self._tracker.snapshot(now))
        except Exception:  # a broken display must not stop the batch
            logger.exception("batch progress callback failed")


def _throttled(attempt: Attempt) -> bool:
    return attempt.failure is not None and attempt.failure.code == THROTTLE_CODE


def _with_tries(final: Attempt, waits: Sequence[float]) -> Attempt:
    """The row's record: its last call, with the throttled calls before it in retries and notes."""
    if not waits:
        return final
    times = "once" if len(waits) == 1 else f"{len(waits)} times"
    after = ", ".join(f"{w:.1f} s" for w in waits)
    note = (
        f"Cognito asked to slow down ({THROTTLE_CODE}) and the row was sent again {times}, "
        f"after waiting {after}."
    )
    if _throttled(final):
        note += " The last try was throttled too: given up."
    notes = f"{note}\n\n{final.notes}" if final.notes else note
    return replace(final, retries=final.retries + len(waits), notes=notes)
