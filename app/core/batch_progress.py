"""Batch progress: counts, rate and ETA while a batch runs, and the summary when it ends."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from enum import StrEnum

from app.core.outcome import Attempt, FailureKind, Status
from app.core.words import counted

# Completions inside this window set the displayed rate: recent enough to follow a
# slow-down, long enough not to jump with every answer.
RATE_WINDOW_S = 10.0
# Failure kinds from worst to least bad: a batch "ends as" the worst kind it met.
KIND_SEVERITY: tuple[FailureKind, ...] = (
    FailureKind.CREDENTIALS,
    FailureKind.NETWORK,
    FailureKind.SERVICE,
    FailureKind.INPUT,
)


class BatchState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLING = "cancelling"  # no new calls; calls in flight are finishing
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class BatchProgress:
    """A snapshot for a progress bar: immutable, so it can cross threads and be kept.

    `total` is None while the number of rows is not known (a stream not counted first).
    `failed` holds (error code, count) pairs, most frequent first; `failed_titles` the
    same counts by the failure's plain title ("User not found").
    """

    batch_id: str
    state: BatchState
    total: int | None
    done: int
    delivered: int
    failed: tuple[tuple[str, int], ...]
    in_flight: int
    retries: int
    elapsed_s: float
    rate_per_s: float
    rate_limit_per_s: float
    eta_s: float | None
    failed_titles: tuple[tuple[str, int], ...] = ()

    @property
    def failed_count(self) -> int:
        return sum(n for _, n in self.failed)

    @property
    def fraction(self) -> float | None:
        """Done / total in [0, 1], or None when the total is unknown (or zero)."""
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


@dataclass(frozen=True)
class BatchSummary:
    """How a batch ended: delivered, each failure code with its count, kinds met, duration."""

    batch_id: str
    state: BatchState
    total: int | None
    sent: int
    delivered: int
    failed: tuple[tuple[str, int], ...]
    failed_kinds: tuple[tuple[FailureKind, int], ...]
    not_sent: int
    retries: int
    duration_s: float
    failed_titles: tuple[tuple[str, int], ...] = ()

    @property
    def failed_count(self) -> int:
        return sum(n for _, n in self.failed)

    @property
    def worst_kind(self) -> FailureKind | None:
        """The most serious failure kind met (see KIND_SEVERITY), None if all delivered."""
        met = {kind for kind, _ in self.failed_kinds}
        return next((k for k in KIND_SEVERITY if k in met), None)

    def describe(self) -> str:
        """One paragraph for a person: what went out, what failed and why, how long it took.

        "Batch finished after 2.1 s: 19 users sent to; 12 delivered; 7 failed: 4 user not
        found, 3 attempt limit exceeded."
        """
        verb = "cancelled" if self.state is BatchState.CANCELLED else "finished"
        parts = [f"{counted(self.sent, 'user')} sent to", f"{self.delivered:,} delivered"]
        if self.failed_count:
            parts.append(f"{self.failed_count:,} failed: {failure_words(self)}")
        if self.not_sent:
            parts.append(f"{counted(self.not_sent, 'user')} not sent (cancelled)")
        text = f"Batch {verb} after {format_duration(self.duration_s)}: {'; '.join(parts)}."
        if self.retries:
            text += (
                f" Cognito asked to slow down {counted(self.retries, 'time')}; "
                "those users were sent again."
            )
        return text


def plain_title(title: str) -> str:
    """A catalog title inside a sentence: 'User not found' -> 'user not found' (SMS stays)."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def failure_words(summary: BatchSummary | BatchProgress) -> str:
    """'4 user not found, 3 attempt limit exceeded': the failures by plain title."""
    pairs = summary.failed_titles or summary.failed
    return ", ".join(f"{n:,} {plain_title(title)}" for title, n in pairs)


def format_duration(seconds: float) -> str:
    """1.2 s, 42 s, 3 min 05 s, 1 h 02 min: short and readable in a status line."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ProgressTracker:
    """Counts a running batch's outcomes; the runner's clock drives it (no clock of its own).

    Keeps counters and a bounded window of recent completion times, never the attempts,
    so memory stays flat however long the batch.
    """

    def __init__(self, batch_id: str, total: int | None, started_at: float) -> None:
        self.batch_id = batch_id
        self.total = total
        self.started_at = started_at
        self.delivered = 0
        self.retries = 0
        self.in_flight = 0
        self.state = BatchState.RUNNING
        self.rate_limit_per_s = 0.0
        self._codes: Counter[str] = Counter()
        self._titles: Counter[str] = Counter()
        self._kinds: Counter[FailureKind] = Counter()
        self._recent: deque[float] = deque()

    @property
    def done(self) -> int:
        return self.delivered + sum(self._codes.values())

    def record(self, attempt: Attempt, now: float) -> None:
        """Count one finished attempt (delivered or failed) completed at `now`."""
        if attempt.status is Status.DELIVERED:
            self.delivered += 1
        else:
            failure = attempt.failure
            self._codes[failure.code if failure else "UnknownError"] += 1
            self._titles[failure.title if failure else "Failed"] += 1
            self._kinds[failure.kind if failure else FailureKind.SERVICE] += 1
        self._recent.append(now)
        self._trim(now)

    def _trim(self, now: float) -> None:
        while self._recent and now - self._recent[0] > RATE_WINDOW_S:
            self._recent.popleft()

    def rate(self, now: float) -> float:
        """Completions per second over the last RATE_WINDOW_S (or since the start)."""
        self._trim(now)
        span = min(RATE_WINDOW_S, now - self.started_at)
        if span <= 0 or not self._recent:
            return 0.0
        return len(self._recent) / span

    def snapshot(self, now: float) -> BatchProgress:
        rate = self.rate(now)
        eta: float | None = None
        if self.total is not None and rate > 0:
            eta = max(0, self.total - self.done) / rate
        elif self.total is not None and self.done >= self.total:
            eta = 0.0
        return BatchProgress(
            batch_id=self.batch_id,
            state=self.state,
            total=self.total,
            done=self.done,
            delivered=self.delivered,
            failed=tuple(self._codes.most_common()),
            in_flight=self.in_flight,
            retries=self.retries,
            elapsed_s=max(0.0, now - self.started_at),
            rate_per_s=rate,
            rate_limit_per_s=self.rate_limit_per_s,
            eta_s=eta,
            failed_titles=tuple(self._titles.most_common()),
        )

    def summary(self, now: float, *, sent: int, not_sent: int) -> BatchSummary:
        return BatchSummary(
            batch_id=self.batch_id,
            state=self.state,
            total=self.total,
            sent=sent,
            delivered=self.delivered,
            failed=tuple(self._codes.most_common()),
            failed_kinds=tuple(self._kinds.most_common()),
            not_sent=not_sent,
            retries=self.retries,
            duration_s=max(0.0, now - self.started_at),
            failed_titles=tuple(self._titles.most_common()),
        )
