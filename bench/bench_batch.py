"""Benchmark: BatchRunner vs a raw ThreadPoolExecutor boto3 loop (time per batch), and its memory.

1,000 users at concurrency 8 (BENCH_TINY: 100), the sandbox in this process on the
`protected` client (simulated deliveries: every call succeeds). Runner and baseline
alternate; medians of seconds per batch. Target: >= 0.95 x the baseline's calls/s, i.e.
<= 1/0.95 x its seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# Run as `python bench/bench_batch.py` from anywhere: the repository root holds `app`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from app.core.batch_input import BatchRow
from app.core.profile import ClientCredentials, Profile
from app.sandbox.server import Sandbox
from app.services.batch_history import BufferedHistory, RowHistory
from app.services.batch_runner import (
    MAX_RATE_PER_S,
    BatchJob,
    BatchRunner,
    BatchSettings,
    batch_gateway_config,
)
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver
from app.services.history_store import HistoryStore
from app.services.pipeline import ResendPipeline
from bench.common import emit, figure, tiny

TARGET_RATE = 0.95
TARGET_MEMORY_MB = 20.0


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _usernames(n: int, run: int) -> list[str]:
    # Fresh names per run: the sandbox's per-user limit never answers for the runner.
    return [f"bench-{run}-{i:05d}" for i in range(n)]


def _baseline(client: Any, client_id: str, names: list[str], concurrency: int) -> float:
    def call(name: str) -> None:
        try:
            client.resend_confirmation_code(ClientId=client_id, Username=name)
        except client.exceptions.ClientError:
            pass

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(call, names))
    return len(names) / (time.perf_counter() - started)


def _runner(
    gateway: CognitoGateway,
    history: HistoryStore,
    profile: Profile,
    creds: ClientCredentials,
    names: list[str],
    c: int,
    *,
    writer_thread: bool = True,
) -> tuple[float, int]:
    """One batch as the CLI and the batch window run it (app/cli/batch.py, the batch
    controller): a BufferedHistory (writer thread, told of each commit), a RowHistory in
    front of it (one row per user), Composition.batch_pipeline's pipeline, progress on."""
    written: list[object] = []
    buffer = BufferedHistory(history, on_written=written.extend, writer_thread=writer_thread)
    row_history = RowHistory(buffer)
    pipeline = ResendPipeline(gateway, row_history, CredentialResolver(None))
    settings = BatchSettings(concurrency=c, rate_per_s=MAX_RATE_PER_S)
    rows = (BatchRow(i + 1, n) for i, n in enumerate(names))
    progress: list[object] = []
    runner = BatchRunner(
        pipeline,
        settings,
        flush_history=buffer.flush,
        row_history=row_history,
        on_progress=progress.append,
    )
    started = time.perf_counter()
    summary = asyncio.run(runner.run(BatchJob(profile, rows, creds, total=len(names))))
    elapsed = time.perf_counter() - started
    assert len(written) == len(names), (len(written), len(names))
    return len(names) / elapsed, summary.sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100 if tiny() else 1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--runs", type=int, default=2 if tiny() else 5)
    parser.add_argument("--client", default="protected", choices=("public", "protected"))
    parser.add_argument(
        "--inline-writes",
        action="store_true",
        help="commit the history in the resend threads (the writer thread's baseline)",
    )
    args = parser.parse_args()

    sandbox = Sandbox(resend_limit=1_000_000)
    info = sandbox.start()
    tmp = tempfile.TemporaryDirectory()
    history = HistoryStore(Path(tmp.name) / "history.sqlite3")
    try:
        client_id = info.client(args.client).client_id
        raw = boto3.session.Session().client(
            "cognito-idp",
            region_name=info.region,
            endpoint_url=info.endpoint_url,
            config=Config(
                signature_version=UNSIGNED,
                retries={"total_max_attempts": 1},
                max_pool_connections=max(10, args.concurrency),
            ),
        )
        gateway = CognitoGateway(batch_gateway_config(GatewayConfig()))
        gateway.warm_up(info.region, info.endpoint_url)
        inline = args.inline_writes
        profile = Profile(name="Sandbox", region=info.region, endpoint_url=info.endpoint_url)
        creds = ClientCredentials(client_id, None)
        # Warm-up of both paths (clients, connection pools, moto's first-call costs).
        _baseline(raw, client_id, _usernames(50, -1), args.concurrency)
        _runner(gateway, history, profile, creds, _usernames(50, -2), args.concurrency,
                writer_thread=not inline)

        runner_rates: list[float] = []
        baseline_rates: list[float] = []
        peak_growth_kb = 0
        can_reset = _reset_peak_rss()
        for run in range(args.runs):
            # Alternate so that drift (moto's growing backend, caches) hits both alike.
            baseline_rates.append(
                _baseline(raw, client_id, _usernames(args.users, 2 * run), args.concurrency)
            )
            _reset_peak_rss()
            before = _status_kb("VmRSS")
            names = _usernames(args.users, 2 * run + 1)
            rate, sent = _runner(gateway, history, profile, creds, names, args.concurrency,
                                 writer_thread=not inline)
            assert sent == args.users, sent
            peak_growth_kb = max(peak_growth_kb, _status_kb("VmHWM") - before)
            runner_rates.append(rate)
    finally:
        history.close()
        tmp.cleanup()
        sandbox.stop()

    runner_s = [args.users / r for r in runner_rates]
    baseline_s = [args.users / r for r in baseline_rates]
    result = figure(
        "batch_runner_vs_threadpool",
        runner_s,
        baseline_s,
        unit="s/batch",
        target=round(1 / TARGET_RATE, 3),
        description=f"a batch of {args.users} users at concurrency {args.concurrency} through "
        "BatchRunner (the product path of the CLI and the batch window: one history row "
        "per user through RowHistory, buffered and committed by a writer thread) vs a raw "
        "ThreadPoolExecutor boto3 loop, same in-process sandbox "
        f"({args.client} client), alternating; target: >= {TARGET_RATE} x the raw loop's "
        f"calls/s (<= {1 / TARGET_RATE:.3f} x its seconds)",
        users=args.users,
        concurrency=args.concurrency,
        client=args.client,
        calls_per_s=round(statistics.median(runner_rates), 1),
        baseline_calls_per_s=round(statistics.median(baseline_rates), 1),
        rate_ratio=round(statistics.median(runner_rates) / statistics.median(baseline_rates), 3),
        history_writes="resend threads" if args.inline_writes else "one writer thread",
        peak_rss_growth_mb=round(peak_growth_kb / 1024, 2),
        peak_rss_growth_target_mb=TARGET_MEMORY_MB,
        peak_rss_method="VmHWM - VmRSS around each runner run"
        + (", VmHWM reset via /proc/self/clear_refs" if can_reset else ", VmHWM not resettable"),
    )
    emit(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
