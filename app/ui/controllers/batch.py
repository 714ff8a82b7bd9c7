"""The batch window's controller: runs one batch at a time through the batch pipeline.

The runner is plain asyncio; under qasync its loop thread is the UI thread, so its
progress callback already arrives where widgets live. History commits are the exception:
BufferedHistory reports them from the runner's worker threads. Those go into a
thread-safe deque that a UI-thread timer drains, so no widget is touched from a worker
and the window is redrawn a few times a second, not once per row.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.batch_input import BatchRow
from app.core.batch_progress import BatchProgress, BatchSummary
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import validate_metadata
from app.ui.models.batch_input import BatchSource, Metadata, iter_rows

if TYPE_CHECKING:
    from app.services.batch_runner import BatchJob, BatchRunner, BatchSettings
    from app.ui.controllers.export import ExportController
    from app.ui.controllers.profiles import ProfilesController
    from app.ui.controllers.session import Session
    from app.ui.controllers.tasks import TaskGroup

log = logging.getLogger(__name__)

# Widgets are redrawn at most this often (the runner reports up to ten times a second).
UPDATE_INTERVAL_MS = 250
@dataclass(frozen=True)
class BatchRequest:
    """What the batch window collected; the credentials are resolved by the controller."""

    profile_name: str
    source: BatchSource
    total: int
    concurrency: int
    rate_per_s: float
    include_duplicates: bool = False
    default_metadata: Metadata = ()
    # Typed in the main form for this session (keyring missing or locked).
    session_credentials: ClientCredentials | None = None
    # Rows given as such (Retry failed: the failed users of the last batch) instead of
    # the source's; each keeps the metadata it was sent with.
    rows: tuple[BatchRow, ...] = ()


class BatchController(QObject):
    """Runs one batch at a time for the batch window; widgets listen to its signals."""

    started = Signal(str)  # batch id
    progressed = Signal(object)  # BatchProgress
    rows_recorded = Signal(object)  # tuple[Attempt, ...], committed to the history
    finished = Signal(object)  # BatchSummary
    start_failed = Signal(str, str)  # title, plain-language text

    def __init__(
        self,
        session: Session,
        profiles: ProfilesController,
        export: ExportController,
        tasks: TaskGroup,
        base_settings: BatchSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._profiles = profiles
        self._export = export
        self._tasks = tasks
        self._base_settings = base_settings
        self._runner: BatchRunner | None = None
        self._task: asyncio.Task[BatchSummary | None] | None = None
        # Cancel pressed (or the window closed) while credentials were still being read.
        self._cancel_asked = False
        # Filled by worker threads (deque.extend is atomic), drained on the UI thread.
        self._written: deque[Attempt] = deque()
        self._latest: BatchProgress | None = None
        self._shown: BatchProgress | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(UPDATE_INTERVAL_MS)
        self._timer.timeout.connect(self._publish)

    # ------------------------------------------------------------------ state
    @property
    def ready(self) -> bool:
        """The services a batch needs are up (and the window is not closing)."""
        return self._session.ready

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def paused(self) -> bool:
        return self._runner is not None and self._runner.paused

    @property
    def task(self) -> asyncio.Task[BatchSummary | None] | None:
        return self._task

    def snapshot(self) -> BatchProgress | None:
        return self._runner.snapshot() if self._runner is not None else None

    # ------------------------------------------------------------------ control
    def start(self, request: BatchRequest) -> asyncio.Task[BatchSummary | None]:
        """Start the batch; the controller's close waits for it (or cancels it)."""
        if self.running:
            raise RuntimeError("a batch is already running")
        self._cancel_asked = False
        self._runner = None
        # In the window's task group: closing waits for the batch's calls in flight.
        self._task = self._tasks.spawn(self._run(request))
        return self._task

    def pause(self) -> None:
        if self._runner is not None:
            self._runner.pause()

    def resume(self) -> None:
        if self._runner is not None:
            self._runner.resume()

    def cancel(self) -> None:
        """No new calls from now on; calls in flight finish and are recorded."""
        self._cancel_asked = True
        if self._runner is not None:
            self._runner.cancel()

    def export(self, fmt: str, path: str, batch_id: str) -> asyncio.Task[None]:
        """Write this batch's rows (off the UI thread) through the controller's exporter."""
        from app.services.history_store import HistoryFilter

        return self._export.export_history(fmt, path, HistoryFilter(batch_id=batch_id))

    # ------------------------------------------------------------------ running
    async def _run(self, request: BatchRequest) -> BatchSummary | None:
        prepared = await self._prepare(request)
        if prepared is None:
            return None
        runner, job, rows = prepared
        self._runner = runner
        self._latest = self._shown = None
        if self._cancel_asked:
            runner.cancel()
        self._timer.start()
        self.started.emit(job.batch_id)
        try:
            summary = await runner.run(job)
        finally:
            self._timer.stop()
            close = getattr(rows, "close", None)
            if close is not None:
                close()  # a file source closes its handle
            # The runner's last flush has run: every committed row is in the deque now.
            self._publish()
        self.finished.emit(summary)
        return summary

    async def _prepare(
        self, request: BatchRequest
    ) -> tuple[BatchRunner, BatchJob, Iterator[BatchRow]] | None:
        from app.services.batch_runner import BatchJob, new_batch_id

        session = self._session
        profile = self._profiles.profile(request.profile_name)
        if not session.ready or session.history is None or session.gateway is None:
            self.start_failed.emit("Not ready", "Services are still starting; try again.")
            return None
        if profile is None:
            self.start_failed.emit(
                "No such profile", f"Profile “{request.profile_name}” no longer exists."
            )
            return None
        problems = validate_metadata(list(request.default_metadata))
        if problems:
            self.start_failed.emit(
                "The form's client metadata is not valid", f"metadata: {problems[0].message}"
            )
            return None
        # Read once for the whole batch: the keyring is never asked per row.
        resolved = await session.resolve(profile, request.session_credentials)
        creds = resolved.credentials
        if creds is None:
            self.start_failed.emit(
                "No credentials for this profile", resolved.problem or "The keyring gave nothing."
            )
            return None
        profile = replace(profile, has_secret=bool(creds.client_secret))
        try:
            runner = await asyncio.get_running_loop().run_in_executor(
                None, self._build_runner, request, profile
            )
        except Exception as exc:
            log.exception("could not prepare the batch")
            self.start_failed.emit("Could not start the batch", f"{type(exc).__name__}: {exc}")
            return None
        rows = (
            iter(request.rows)
            if request.rows
            else iter_rows(
                request.source,
                include_duplicates=request.include_duplicates,
                default_metadata=request.default_metadata,
            )
        )
        job = BatchJob(profile, rows, creds, total=request.total, batch_id=new_batch_id())
        return runner, job, rows

    def _build_runner(self, request: BatchRequest, profile: Profile) -> BatchRunner:
        """Blocking (a botocore client costs ~200 ms of GIL time): runs in a worker thread."""
        from app.services.batch_history import BufferedHistory, RowHistory
        from app.services.batch_runner import BatchRunner, BatchSettings

        factories, history = self._session.factories, self._session.history
        assert history is not None
        # One batch gateway for the window (built once): its clients are cached per endpoint.
        factories.batch_gateway().warm_up(profile.region, profile.endpoint_url)
        buffer = BufferedHistory(history, on_written=self._written.extend, writer_thread=True)
        settings = replace(
            self._base_settings or BatchSettings(),
            concurrency=request.concurrency,
            rate_per_s=request.rate_per_s,
        )
        # One history row per user: a throttled user's calls end up in one row (its retries).
        row_history = RowHistory(buffer)
        resend = factories.batch_pipeline(row_history)
        return BatchRunner(
            resend,
            settings,
            on_progress=self._on_progress,
            flush_history=buffer.flush,
            row_history=row_history,
        )

    # ------------------------------------------------------------------ reporting
    def _on_progress(self, progress: BatchProgress) -> None:
        """On the loop's (UI) thread; a state change is shown at once, counts by the timer."""
        self._latest = progress
        if self._shown is None or progress.state is not self._shown.state:
            self._publish()

    def _publish(self) -> None:
        if self._written:
            rows: list[Attempt] = []
            while self._written:
                rows.append(self._written.popleft())
            self.rows_recorded.emit(tuple(rows))
        latest = self._latest
        if latest is not None and latest is not self._shown:
            self._shown = latest
            self.progressed.emit(latest)

    async def aclose(self) -> None:
        """Cancel a running batch and wait for its calls in flight (they are recorded)."""
        self.cancel()
        task = self._task
        if task is not None and not task.done():
            await asyncio.wait([task])
