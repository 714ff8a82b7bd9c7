"""BatchRunner against the sandbox over real HTTP: pacing, throttling, limits, control, history."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.core.batch_input import BatchRow
from app.core.batch_progress import BatchProgress, BatchState
from app.core.outcome import Attempt, Status
from app.core.profile import ClientCredentials, Profile
from app.sandbox.server import Sandbox
from app.services.batch_history import RowHistory
from app.services.batch_runner import BatchJob, BatchRunner, BatchSettings, batch_gateway_config
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver
from app.services.history_store import HistoryFilter, HistoryStore
from app.services.pipeline import ResendPipeline

FAST = BatchSettings(concurrency=4, rate_per_s=200.0, retry_backoff_s=0.02, retry_backoff_cap_s=0.1)
QA_USERS = [f"qa-user-{n:03d}" for n in range(1, 11)]


@dataclass
class Rig:
    sandbox: Sandbox
    history: HistoryStore
    resend: ResendPipeline
    profile: Profile
    credentials: ClientCredentials
    row_history: RowHistory
    progress: list[BatchProgress] = field(default_factory=list)
    results: list[tuple[BatchRow, Attempt]] = field(default_factory=list)

    def runner(self, settings: BatchSettings = FAST, **kw: object) -> BatchRunner:
        return BatchRunner(
            self.resend,
            settings,
            on_progress=self.progress.append,
            on_result=lambda row, a: self.results.append((row, a)),
            row_history=self.row_history,
            **kw,  # type: ignore[arg-type]
        )

    def job(self, usernames: list[str], *, known_total: bool = True) -> BatchJob:
        rows = [BatchRow(i + 1, u) for i, u in enumerate(usernames)]
        return BatchJob(
            self.profile,
            iter(rows),
            self.credentials,
            total=len(rows) if known_total else None,
            batch_id="batch-test",
        )

    def history_of(self, batch_id: str = "batch-test") -> list[Attempt]:
        return list(self.history.iter_filtered(HistoryFilter(batch_id=batch_id)))


@pytest.fixture
def rig(fresh_sandbox: Sandbox, tmp_path: Path) -> Iterator[Rig]:
    info = fresh_sandbox.info
    client = info.client("public")
    gateway = CognitoGateway(
        batch_gateway_config(GatewayConfig(connect_timeout=1.0, read_timeout=5.0))
    )
    history = HistoryStore(tmp_path / "history.sqlite3")
    profile = Profile(
        name="Sandbox", region=info.region, endpoint_url=info.endpoint_url, builtin=True
    )
    # As the CLI and the window build it: the pipeline writes through a RowHistory.
    row_history = RowHistory(history)
    yield Rig(
        fresh_sandbox,
        history,
        # Batch tests pass credentials: no keyring at all.
        ResendPipeline(gateway, row_history, CredentialResolver(None)),
        profile,
        ClientCredentials(client.client_id, None),
        row_history,
    )
    history.close()


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_gateway_for_batches_makes_one_call_per_resend() -> None:
    assert batch_gateway_config(GatewayConfig(max_attempts=5)).max_attempts == 1


def test_every_row_is_sent_recorded_with_the_batch_id_and_counted(rig: Rig) -> None:
    summary = asyncio.run(rig.runner().run(rig.job(QA_USERS)))
    assert summary.state is BatchState.FINISHED
    assert (summary.sent, summary.delivered, summary.failed_count) == (10, 10, 0)
    assert summary.worst_kind is None
    recorded = rig.history_of()
    assert sorted(a.username for a in recorded) == QA_USERS
    assert all(a.batch_id == "batch-test" and a.status is Status.DELIVERED for a in recorded)
    # Other history rows do not carry the batch id.
    assert rig.history.count(HistoryFilter(batch_id="other")) == 0
    assert {m.username for m in rig.sandbox.inbox()} == set(QA_USERS)
    assert sorted(a.username for _, a in rig.results) == QA_USERS
    dones = [p.done for p in rig.progress]
    assert dones == sorted(dones) and rig.progress[-1].done == 10
    assert rig.progress[-1].state is BatchState.FINISHED and rig.progress[-1].eta_s == 0.0


def test_throttled_rows_are_retried_and_slow_the_whole_batch(rig: Rig) -> None:
    rig.sandbox.inject("throttle", "throttle")
    settings = BatchSettings(concurrency=1, rate_per_s=50.0, retry_backoff_s=0.02)
    summary = asyncio.run(rig.runner(settings).run(rig.job(QA_USERS[:3])))
    assert (summary.delivered, summary.failed_count, summary.retries) == (3, 0, 2)
    recorded = rig.history_of()
    # One row per user: the two throttled answers are retries inside the rows.
    assert sorted(a.username for a in recorded) == QA_USERS[:3]
    assert all(a.status is Status.DELIVERED for a in recorded)
    assert sum(a.retries for a in recorded) == 2
    limits = [p.rate_limit_per_s for p in rig.progress]
    assert min(limits) < 50.0 / 2  # halved twice
    assert rig.results[0][1].status is Status.DELIVERED


def test_throttle_retries_are_bounded(rig: Rig) -> None:
    rig.sandbox.inject(*["throttle"] * 3)
    settings = BatchSettings(
        concurrency=1, rate_per_s=100.0, max_throttle_retries=2, retry_backoff_s=0.01
    )
    summary = asyncio.run(rig.runner(settings).run(rig.job(["qa-user-001", "qa-user-002"])))
    assert summary.failed == (("TooManyRequestsException", 1),)
    assert (summary.delivered, summary.retries) == (1, 2)
    recorded = rig.history_of()
    # 1 call + 2 retries for the first row (one row), then one clean call for the second.
    assert sorted(a.username for a in recorded) == ["qa-user-001", "qa-user-002"]
    assert [a.retries for a in sorted(recorded, key=lambda a: a.username)] == [2, 0]
    assert rig.results[0][1].failure is not None


def test_limit_exceeded_is_never_retried_and_the_batch_goes_on(rig: Rig) -> None:
    users = ["fault-limit", "qa-user-001", "fault-delivery", "fault-internal", "qa-user-002"]
    summary = asyncio.run(rig.runner().run(rig.job(users)))
    assert summary.state is BatchState.FINISHED
    assert summary.delivered == 2
    assert dict(summary.failed) == {
        "LimitExceededException": 1,
        "CodeDeliveryFailureException": 1,
        "InternalErrorException": 1,
    }
    by_user: dict[str, int] = {}
    for a in rig.history_of():
        by_user[a.username] = by_user.get(a.username, 0) + 1
    assert by_user == dict.fromkeys(users, 1)  # one call each: nothing retried


def test_the_sandbox_attempt_limit_stops_one_user_not_the_batch(rig: Rig) -> None:
    # The sandbox allows 5 resends per user per hour; duplicates sent on purpose.
    users = ["qa-user-003"] * 7 + ["qa-user-004"]
    summary = asyncio.run(
        rig.runner(BatchSettings(concurrency=1, rate_per_s=200.0)).run(rig.job(users))
    )
    assert summary.delivered == 6
    assert summary.failed == (("LimitExceededException", 2),)
    assert len(rig.history_of()) == 8


def test_buffered_history_holds_every_call_once_the_batch_ends(rig: Rig) -> None:
    from app.services.batch_history import BufferedHistory

    buffer = BufferedHistory(rig.history, max_rows=4, max_delay_s=60.0)
    row_history = RowHistory(buffer)
    service = ResendPipeline(rig.resend._gateway, row_history, CredentialResolver(None))
    runner = BatchRunner(service, FAST, flush_history=buffer.flush, row_history=row_history)
    rig.sandbox.inject("throttle")
    summary = asyncio.run(runner.run(rig.job(QA_USERS)))
    assert summary.delivered == 10
    # 11 calls (one throttled, sent again) are 10 rows, none left in the buffer.
    assert len(rig.history_of()) == 10 and buffer.pending == 0 and row_history.held == 0


def test_pause_holds_new_calls_and_resume_finishes(rig: Rig) -> None:
    async def scenario() -> tuple[int, int]:
        runner = rig.runner(BatchSettings(concurrency=1, rate_per_s=200.0))
        task = asyncio.create_task(runner.run(rig.job(QA_USERS)))
        while len(rig.results) < 2:
            await asyncio.sleep(0.01)
        runner.pause()
        await asyncio.sleep(0.05)  # the call in flight, if any, lands
        held = len(rig.results)
        for _ in range(20):  # many loop turns; nothing may start while paused
            await asyncio.sleep(0.01)
        still = len(rig.results)
        assert rig.progress[-1].state is BatchState.PAUSED
        runner.resume()
        await task
        return held, still

    held, still = asyncio.run(scenario())
    assert held == still < 10
    assert len(rig.results) == 10
    assert rig.progress[-1].state is BatchState.FINISHED


def test_cancel_stops_new_calls_and_records_the_ones_in_flight(rig: Rig) -> None:
    users = ["fault-slow-1", *QA_USERS]

    async def scenario() -> object:
        runner = rig.runner(BatchSettings(concurrency=2, rate_per_s=200.0))
        task = asyncio.create_task(runner.run(rig.job(users)))
        while not any(a.username == "qa-user-002" for _, a in rig.results):
            await asyncio.sleep(0.01)
        runner.cancel()
        return await task

    summary = asyncio.run(scenario())
    assert summary.state is BatchState.CANCELLED  # type: ignore[attr-defined]
    recorded = {a.username for a in rig.history_of()}
    # The slow call was in flight when cancel came: it finished and is in the history.
    assert "fault-slow-1" in recorded
    assert "qa-user-010" not in recorded
    assert summary.sent == len(recorded)  # type: ignore[attr-defined]
    assert summary.not_sent == len(users) - len(recorded)  # type: ignore[attr-defined]


def test_cancel_while_paused_ends_at_once_without_more_calls(rig: Rig) -> None:
    async def scenario() -> object:
        runner = rig.runner(BatchSettings(concurrency=1, rate_per_s=200.0))
        runner.pause()
        task = asyncio.create_task(runner.run(rig.job(QA_USERS, known_total=False)))
        await asyncio.sleep(0.05)
        runner.cancel()
        return await task

    summary = asyncio.run(scenario())
    assert summary.sent == 0 and summary.not_sent == 10  # type: ignore[attr-defined]
    assert rig.history_of() == []


def test_a_throttled_user_is_one_history_row_with_its_retries(rig: Rig) -> None:
    runner = rig.runner()
    rig.sandbox.inject("throttle", "throttle")
    summary = asyncio.run(runner.run(rig.job(["qa-user-001", "qa-user-002"])))
    assert (summary.delivered, summary.retries) == (2, 2)
    rows = rig.history_of()
    # Before RowHistory: 4 rows (two throttled calls recorded besides the deliveries).
    assert len(rows) == 2 and all(a.status is Status.DELIVERED for a in rows)
    retried = [a for a in rows if a.retries]
    assert sum(a.retries for a in rows) == 2 and retried
    assert all("TooManyRequestsException" in a.notes for a in retried)
    assert "sent again" in retried[0].notes
    # The result reported is the row as recorded.
    assert {a.attempt_id for _, a in rig.results} == {a.attempt_id for a in rows}
    assert sum(a.retries for _, a in rig.results) == 2


def test_a_user_throttled_to_the_end_is_one_failed_row(rig: Rig) -> None:
    runner = rig.runner()
    summary = asyncio.run(runner.run(rig.job(["fault-throttle", "qa-user-001"])))
    assert summary.delivered == 1
    assert summary.failed == (("TooManyRequestsException", 1),)
    throttled = [a for a in rig.history_of() if a.username == "fault-throttle"]
    assert len(throttled) == 1
    assert throttled[0].retries == FAST.max_throttle_retries
    assert "given up" in throttled[0].notes
    assert len(rig.history_of()) == 2


def test_row_history_writes_what_it_still_holds_when_closed() -> None:
    from app.services.history_sink import MemoryHistory

    sink = MemoryHistory()
    rows = RowHistory(sink)
    held = Attempt(profile="p", username="u", client_id="c", region="us-east-1")
    dropped = Attempt(profile="p", username="v", client_id="c", region="us-east-1")
    rows.append(held)
    rows.append(dropped)
    rows.drop(dropped.attempt_id)
    assert sink.attempts == [] and rows.held == 1
    assert rows.close() == 1 and sink.attempts == [held]
    late = Attempt(profile="p", username="w", client_id="c", region="us-east-1")
    rows.append(late)  # a call that lands after the batch ended passes straight through
    assert sink.attempts == [held, late]


def test_callbacks_run_on_the_loops_thread_and_the_calls_do_not(rig: Rig) -> None:
    import threading

    seen: set[str] = set()
    calls: set[threading.Thread] = set()
    run_call = rig.resend.run

    def spy(*args: object, **kw: object) -> Attempt:
        calls.add(threading.current_thread())
        return run_call(*args, **kw)  # type: ignore[arg-type]

    rig.resend.run = spy  # type: ignore[method-assign]
    runner = BatchRunner(
        rig.resend,
        FAST,
        on_progress=lambda _p: seen.add(threading.current_thread().name),
        on_result=lambda _r, _a: seen.add(threading.current_thread().name),
        row_history=rig.row_history,
    )
    summary = run(runner.run(rig.job(QA_USERS)))
    assert summary.sent == 10  # type: ignore[attr-defined]
    assert seen == {threading.current_thread().name}  # the loop's: widgets may listen
    assert threading.current_thread() not in calls
    # Daemons: a batch left paused cannot keep the process from exiting.
    assert calls and all(t.daemon for t in calls)
